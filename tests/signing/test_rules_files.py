"""The signing rules as data: shipped files cite their articles; a malformed file is named with its key."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from desktop.policy.parameters import Figure
from desktop.signing import (
    Grounds,
    SigningFileError,
    decide,
    default_signing_rules,
    load_signing_rules,
)
from desktop.signing.rules import AddressChange, ClosedFacility
from tests.conftest import REPO
from tests.signing.builders import D, history, record, request

SHIPPED = REPO / "resources" / "signing"
HUNAN = (SHIPPED / "hunan-resident.toml").read_text(encoding="utf-8")


def test_every_resident_policy_has_rules_and_no_employee_scheme_does() -> None:
    assert default_signing_rules().policies == ["hunan-resident", "nanchang-resident", "shaoguan-resident"]


@pytest.mark.parametrize("policy", ["hunan-resident", "nanchang-resident", "shaoguan-resident"])
def test_every_figure_cites_an_article(policy: str) -> None:
    rules = default_signing_rules().rules_for(policy)
    figures = [getattr(rules, f.name) for f in fields(rules) if isinstance(getattr(rules, f.name), Figure)]
    assert len(figures) >= 9
    assert all(f.article.startswith("第") for f in figures)


def test_where_the_policies_differ() -> None:
    book = default_signing_rules()
    nanchang, shaoguan, hunan = (
        book.rules_for(p) for p in ("nanchang-resident", "shaoguan-resident", "hunan-resident")
    )
    assert nanchang.reselection_months.value == {10, 11, 12}
    assert (nanchang.address_change.value, shaoguan.address_change.value, hunan.address_change.value) == (
        AddressChange.NEXT_MONTH,
        AddressChange.ON_CONFIRMATION,
        AddressChange.NOT_ALLOWED,
    )
    assert nanchang.facility_closed.value is ClosedFacility.REASSIGNED_BY_AGENCY
    assert [len(r.roles.value) for r in (nanchang, shaoguan, hunan)] == [1, 2, 1]
    assert [r.default_to_residence.value for r in (nanchang, shaoguan, hunan)] == [False, False, True]


def _write(tmp_path: Path, text: str, name: str = "testcounty-resident") -> Path:
    text = text.replace('policy = "hunan-resident"', f'policy = "{name}"')
    (tmp_path / f"{name}.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_county_file_is_read_from_a_directory(tmp_path: Path) -> None:
    book = load_signing_rules([_write(tmp_path, HUNAN)])
    assert "testcounty-resident" in book.policies


def test_a_policy_without_one_per_year_lets_a_change_take_effect_at_once(tmp_path: Path) -> None:
    text = HUNAN.replace(
        'one_per_year = { value = true, article = "第六条"', 'one_per_year = { value = false, article = "第三条"'
    )
    book = load_signing_rules([_write(tmp_path, text)])
    h = history(record("T20", D(2024, 1, 1)))
    decision = decide("testcounty-resident", h, request("T21", D(2024, 6, 1), Grounds.PERSONAL_WISH), rules=book)
    assert decision.accepted
    assert (decision.takes_effect, decision.article) == (D(2024, 6, 1), "第三条")


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('article = "第六条", note = "原则上一年一定"', 'note = "原则上一年一定"', "change.one_per_year.article"),
        ("months = { value = [1, 2,", "months = { value = [13, 2,", "reselection.months.value"),
        ("months = { value = [1, 2,", "months = { value = [2, 2,", "reselection.months.value"),
        ('{ single = ["village_clinic"', '{ solo = ["village_clinic"', "facility.roles.value.solo"),
        ('["village_clinic", "township', '["clinic", "township', "facility.roles.value.single"),
        (
            'address_change = { value = "not_allowed"',
            'address_change = { value = "sometimes"',
            "change.address_change.value",
        ),
        ("to_residence = { value = true", 'to_residence = { value = "yes"', "default.to_residence.value"),
        ("[default]", "[defaults]", "defaults"),
        ("renews_automatically = {", "renews_automaticaly = {", "reselection.renews_automaticaly"),
        (
            'when_paying = { value = true, article = "第六条"',
            'when_paying = { value = true, article = "第六条", why = 1',
            "reselection.when_paying.why",
        ),
        ("when_paying = { value = true", "when_paying = { valeur = true", "reselection.when_paying"),
        ('version = "湘人社发〔2017〕94号"', "", "version"),
        (
            '{ single = ["village_clinic", "township_health_center", "community_health_center"] }',
            '{ basic = ["township_health_center"], village_station = ["village_clinic"] }',
            "default.to_residence",
        ),
    ],
)
def test_a_malformed_file_is_refused_naming_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    assert old in HUNAN
    _write(tmp_path, HUNAN.replace(old, new, 1))
    with pytest.raises(SigningFileError) as caught:
        load_signing_rules([tmp_path])
    assert caught.value.key == key
    assert caught.value.path.endswith("testcounty-resident.toml")


def test_a_missing_section_is_named(tmp_path: Path) -> None:
    text = HUNAN.split("[default]")[0]
    _write(tmp_path, text)
    with pytest.raises(SigningFileError, match=r"testcounty-resident\.toml: default: is required"):
        load_signing_rules([tmp_path])


def test_a_file_named_for_another_policy_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere-resident.toml").write_text(HUNAN, encoding="utf-8")
    with pytest.raises(SigningFileError) as caught:
        load_signing_rules([tmp_path])
    assert caught.value.key == "policy"


def test_a_second_file_for_a_shipped_policy_is_refused(tmp_path: Path) -> None:
    (tmp_path / "hunan-resident.toml").write_text(HUNAN, encoding="utf-8")
    with pytest.raises(SigningFileError, match=r"already comes from resources/signing/hunan-resident\.toml"):
        load_signing_rules([tmp_path])


def test_invalid_toml_is_named(tmp_path: Path) -> None:
    (tmp_path / "broken-resident.toml").write_text("policy = ", encoding="utf-8")
    with pytest.raises(SigningFileError, match=r"broken-resident\.toml: \(file\): not valid TOML"):
        load_signing_rules([tmp_path])
