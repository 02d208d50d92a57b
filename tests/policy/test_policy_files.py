"""Policy files as dated data: malformed files refused at load, county files, dated versions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.policy import PolicyFileError, load_book
from desktop.policy.codec import InputError
from tests.policy.builders import Json, expect, item, request, run

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "policies"

# 湘人社发〔2017〕94号 第五条: a county sets its cap and may raise the floors (70% / 60%).
LIUYANG = """\
policy = "hunan-resident-liuyang"
extends = "hunan-resident"
version = "浏医保发〔2024〕1号"
title = "浏阳市城乡居民普通门诊统筹实施细则"
effective_from = { value = 2024-01-01, article = "第二十条" }

[benefit]
cap = { value = "200.00", article = "第六条" }

[benefit.rates]
value = { village_clinic = "0.75", township_health_center = "0.65", community_health_center = "0.65" }
article = "第五条"
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal(directory: Path) -> PolicyFileError:
    with pytest.raises(PolicyFileError) as caught:
        load_book([directory])
    return caught.value


def liuyang(*items: Json, **change: Any) -> Json:
    body = request("hunan-resident", *items, **change)
    body["policy"] = "hunan-resident-liuyang"
    return body


# --- malformed files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ('policy = "x\n', "(file)", "not valid TOML"),
        (LIUYANG.replace("[benefit]\n", "colour = 1\n[benefit]\n"), "colour", "unknown key"),
        (
            LIUYANG.replace("[benefit]\n", '[benefit]\ncopay = { value = "0.10", article = "第七条" }\n'),
            "benefit.copay",
            "unknown key",
        ),
        (LIUYANG.replace(', article = "第六条"', ""), "benefit.cap.article", "must cite the article"),
        (LIUYANG.replace('article = "第六条"', 'article = ""'), "benefit.cap.article", "must cite the article"),
        (
            LIUYANG.replace('cap = { value = "200.00", article = "第六条" }', 'cap = "200.00"'),
            "benefit.cap",
            "value = …",
        ),
        (LIUYANG.replace('"0.75"', '"0.8"'), "benefit.rates.value.village_clinic", "not a rate"),
        (LIUYANG.replace('"0.75"', '"1.20"'), "benefit.rates.value.village_clinic", "not a rate"),
        (LIUYANG.replace('"0.75"', "0.75"), "benefit.rates.value.village_clinic", "not a rate"),
        (LIUYANG.replace("village_clinic =", "clinic ="), "benefit.rates.value.clinic", "unknown facility kind"),
        (LIUYANG.replace('"200.00"', '"200"'), "benefit.cap.value", "not an amount"),
        (LIUYANG.replace("2024-01-01", '"2024-01-01"'), "effective_from.value", "not a date"),
        (LIUYANG.replace("2024-01-01", "2024-01-01T08:00:00"), "effective_from.value", "not a date"),
        (LIUYANG.replace('"0.75"', '"0.65"'), "benefit.rates.value.village_clinic", "below the floor 0.70"),
        (
            LIUYANG.replace('"0.65", community', '"0.55", community'),
            "benefit.rates.value.township_health_center",
            "below the floor 0.60",
        ),
        # A wildcard is the rate of every kind, so it is held to every floor (第五条 不低于70%/60%).
        (
            LIUYANG.replace(
                'village_clinic = "0.75", township_health_center = "0.65", community_health_center = "0.65"',
                '"*" = "0.65"',
            ),
            "benefit.rates.value.*",
            "below the floor 0.70",
        ),
        # The table replaces the province's whole: a kind left out would not be paid at all.
        (
            LIUYANG.replace(', township_health_center = "0.65", community_health_center = "0.65"', ""),
            "benefit.rates.value.township_health_center",
            "is missing",
        ),
        (LIUYANG.replace('extends = "hunan-resident"', 'extends = "hunan-residents"'), "extends", "unknown policy"),
        (LIUYANG.replace("2024-01-01", "2017-06-01"), "extends", "not in force"),
    ],
)
def test_malformed_county_file_is_refused_naming_file_key_problem(
    tmp_path: Path, text: str, key: str, problem: str
) -> None:
    path = write(tmp_path, "liuyang.toml", text)
    error = refusal(tmp_path)
    assert (error.path, error.key) == (str(path), key)
    assert problem in error.problem
    assert str(path) in str(error)
    assert key in str(error)


def test_a_file_not_in_utf8_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "liuyang.toml"
    path.write_bytes(LIUYANG.encode("gb18030"))  # saved by an editor set to the local code page
    error = refusal(tmp_path)
    assert (error.path, error.key) == (str(path), "(file)")
    assert "UTF-8" in error.problem


def test_a_wildcard_at_or_above_every_floor_is_accepted(tmp_path: Path) -> None:
    rates = 'village_clinic = "0.75", township_health_center = "0.65", community_health_center = "0.65"'
    write(tmp_path, "liuyang.toml", LIUYANG.replace(rates, '"*" = "0.70"'))
    book = load_book([tmp_path])
    township = {"id": "T20", "kind": "township_health_center", "parent_id": None}
    body = liuyang(item(amount="40.00"), facility=township)
    body["patient"]["contracted_facilities"] = ["T20"]
    expect(run(book, body), rate="0.70", fund="28.00")  # the one rate for every kind, above the 60% floor


def shipped(name: str) -> str:
    return (SHIPPED / name).read_text(encoding="utf-8")


def test_overlapping_versions_are_refused(tmp_path: Path) -> None:
    # The shipped 南昌 file is open-ended, so a second version must not start while it is in force.
    text = shipped("nanchang-resident.2020-01-01.toml").replace("2020-01-01", "2025-01-01")
    path = write(tmp_path, "nanchang-resident.2025-01-01.toml", text)
    error = refusal(tmp_path)
    assert (error.path, error.key) == (str(path), "effective_from")
    assert "overlaps" in error.problem


def test_a_referral_rule_that_is_not_true_or_false_is_refused(tmp_path: Path) -> None:
    text = shipped("shaoguan-resident.2023-03-07.toml").replace("shaoguan-resident", "shaoguan-test")
    text = text.replace("referral_in_city_only = { value = true", 'referral_in_city_only = { value = "yes"')
    write(tmp_path, "sg.toml", text)
    error = refusal(tmp_path)
    assert (error.key, error.problem) == ("signing.referral_in_city_only.value", "'yes' is not true or false")


def test_effective_until_before_effective_from_is_refused(tmp_path: Path) -> None:
    text = shipped("shaoguan-resident.2023-03-07.toml").replace("shaoguan-resident", "shaoguan-test")
    text = text.replace("effective_until = 2028-03-06", "effective_until = 2023-03-06")
    write(tmp_path, "sg.toml", text)
    assert refusal(tmp_path).key == "effective_until"


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('scheme = "employee"', 'scheme = "staff"', "scheme"),
        (
            'takes_effect = { value = "next_month"',
            'takes_effect = { value = "next_year"',
            "retirement.takes_effect.value",
        ),
        ("[benefit.retired]", "[benefit.pensioner]", "benefit.retired"),  # required, so named first
        ("[benefit.retired]", "[benefit.pensioner]\n[benefit.retired]", "benefit.pensioner"),
        ('deductible = { value = "600.00"', 'deductible = { value = "-600.00"', "benefit.active.deductible.value"),
    ],
)
def test_malformed_employee_file_is_refused(tmp_path: Path, old: str, new: str, key: str) -> None:
    text = shipped("nanchang-employee.2023-01-01.toml").replace("nanchang-employee", "nanchang-employee-test")
    assert old in text
    write(tmp_path, "ne.toml", text.replace(old, new, 1))
    assert refusal(tmp_path).key == key


def test_the_cli_refuses_a_malformed_policy_directory(tmp_path: Path) -> None:
    write(tmp_path, "liuyang.toml", LIUYANG.replace('"0.75"', '"0.60"'))
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "quote", "--policy-dir", str(tmp_path)],
        input=json.dumps(liuyang()),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (2, "")
    error = json.loads(done.stderr)
    assert "liuyang.toml" in error["error"]
    assert "benefit.rates.value.village_clinic" in error["error"]


# --- a county's own file (湘人社发〔2017〕94号 第五条、第二十二条) ----------------------------------


@pytest.fixture
def county_dir(tmp_path: Path) -> Path:
    write(tmp_path, "liuyang.toml", LIUYANG)
    return tmp_path


def test_county_file_raises_rates_and_sets_its_cap(county_dir: Path) -> None:
    book = load_book([county_dir])
    expect(run(book, liuyang(item(amount="40.00"))), policy_version="浏医保发〔2024〕1号", rate="0.75", fund="30.00")
    crossing = run(book, liuyang(item(amount="40.00"), ytd={"fund_paid": "190.00"}))
    expect(crossing, fund="10.00", reason=None)
    expect(run(book, liuyang(ytd={"fund_paid": "200.00"})), reason="cap_reached", fund="0.00", rate="0.75")


def test_county_file_keeps_the_provincial_rules(county_dir: Path) -> None:
    book = load_book([county_dir])
    expect(run(book, liuyang(visit={"liability": "work_injury"})), reason="other_liability")
    township = {"id": "T20", "kind": "township_health_center", "parent_id": None}
    body = liuyang(item(amount="40.00"), facility=township)
    body["patient"]["contracted_facilities"] = ["T20"]
    expect(run(book, body), rate="0.65", fund="26.00")
    with pytest.raises(InputError) as caught:
        run(book, {**liuyang(), "visit_date": "2023-12-31"})
    assert caught.value.field == "visit_date"


def test_county_file_leaves_the_province_alone(county_dir: Path) -> None:
    book = load_book([county_dir])
    expect(run(book, request("hunan-resident", item(amount="40.00"))), rate="0.70", fund="28.00")


def _quote_process(args: list[str], body: Json, env: dict[str, str] | None = None) -> Json:
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "quote", *args],
        input=json.dumps(body, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
        env=env,
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    result: Json = json.loads(done.stdout)
    return result


def test_county_file_through_the_cli_policy_dir(county_dir: Path) -> None:
    result = _quote_process(
        ["--policy-dir", str(county_dir)], liuyang(item(amount="40.00"), ytd={"fund_paid": "190.00"})
    )
    expect(result, policy="hunan-resident-liuyang", rate="0.75", fund="10.00")


def test_county_file_through_the_environment(county_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    empty = tmp_path_factory.mktemp("empty")
    env = {**os.environ, "CLINIC_POS_POLICY_DIRS": os.pathsep.join([str(empty), str(county_dir)])}
    result = _quote_process([], liuyang(item(amount="40.00")), env=env)
    expect(result, policy_version="浏医保发〔2024〕1号", fund="30.00")


# --- a second dated version -----------------------------------------------------------------


def test_second_version_is_picked_by_visit_date(tmp_path: Path) -> None:
    text = shipped("shaoguan-resident.2023-03-07.toml")
    text = text.replace("韶医保规〔2023〕2号", "韶医保规〔2028〕1号").replace("2023-03-07", "2028-03-07")
    text = text.replace("effective_until = 2028-03-06", "").replace(
        'cap = { value = "300.00"', 'cap = { value = "400.00"'
    )
    write(tmp_path, "shaoguan-resident.2028-03-07.toml", text)
    book = load_book([tmp_path])
    body = request("shaoguan-resident", item(amount="100.00"), ytd={"fund_paid": "300.00"})
    old = run(book, {**body, "visit_date": "2028-03-06"})
    expect(old, policy_version="韶医保规〔2023〕2号", reason="cap_reached", fund="0.00")
    new = run(book, {**body, "visit_date": "2028-03-07"})
    expect(new, policy_version="韶医保规〔2028〕1号", reason=None, fund="70.00")
    expect(run(book, {**body, "visit_date": "2040-01-01"}), policy_version="韶医保规〔2028〕1号")
