"""Settings change only after the check, only by administrators, audited; the agency over https.

Before, ``sync --agency URL --staff mallory`` was refused for the staff member and still
stored the address, and a village doctor could change it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import AuditEntry
from db.session import open_store
from desktop.settings import AGENCY_URL, SettingError, agency_url_problem, change
from tests.cli_helpers import dump, in_process, password_file, token_for
from tests.factories import NOW, make_store
from tests.settlement.conftest import resident, setting


@pytest.mark.parametrize("who", ["clerk", "doctor1"])
def test_only_an_administrator_changes_the_agency_address_and_a_refusal_stores_nothing(
    clinic_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, who: str
) -> None:
    token = token_for(clinic_db, who)
    before = dump(clinic_db)
    code, out, err = in_process(
        capsys, monkeypatch, "sync", "--db", str(clinic_db), "--agency", "https://evil.example/", token=token
    )
    assert (code, out) == (2, "")
    error = json.loads(err)
    assert error["field"] == "staff"
    assert "administrator" in error["error"]
    assert setting(clinic_db, AGENCY_URL) is None
    assert dump(clinic_db) == before


def test_a_staff_member_who_cannot_sign_in_stores_no_address(
    clinic_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = password_file(tmp_path, "whatever")
    code, _, err = in_process(
        capsys, monkeypatch, "sync", "--db", str(clinic_db), "--agency", "https://evil.example/",
        "--staff", "mallory", "--password-file", str(secret),
    )  # fmt: skip
    assert code == 2
    assert json.loads(err)["field"] == "staff"
    assert setting(clinic_db, AGENCY_URL) is None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://agency.example/api", None),
        ("http://127.0.0.1:8787", None),
        ("http://localhost:8787/", None),
        ("http://[::1]:8787/", None),
        ("http://agency.example/", "not https"),
        ("http://127.0.0.1.evil.example/", "not https"),
        ("ftp://agency.example/", "not an https"),
        ("agency.example", "not an https"),
        ("https://user:secret@agency.example/", "username or password"),
        ("https://agency.example:port/", "port"),
    ],
)
def test_the_agency_is_reached_over_https_except_on_this_machine(url: str, problem: str | None) -> None:
    found = agency_url_problem(url)
    assert found is None if problem is None else problem in (found or "")


def test_an_administrator_changes_a_setting_and_the_audit_keeps_before_and_after(
    clinic_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = token_for(clinic_db, "admin")
    set_limit = ["settings", "--db", str(clinic_db), "--set", "limits.max_quantity=5"]
    code, out, err = in_process(capsys, monkeypatch, *set_limit, token=admin)
    assert code == 0, err
    assert json.loads(out) == {"key": "limits.max_quantity", "from": None, "to": "5.000"}
    store = open_store(clinic_db, migrate=False)
    with store.reading() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "setting")).one()
    store.dispose()
    assert entry.entity_id == "limits.max_quantity"
    assert json.loads(entry.detail) == {"from": None, "to": "5.000"}
    # The limit holds at once: six of an item is now refused.
    visit = {
        "person": {"id": resident(clinic_db)},
        "items": [{"code": "XA01", "quantity": "6"}],
        "diagnoses": [{"code": "J06.900", "name": "急性上呼吸道感染"}],
    }
    code, _, err = in_process(
        capsys,
        monkeypatch,
        "settle",
        "--db",
        str(clinic_db),
        stdin=json.dumps(visit),
        token=token_for(clinic_db, "clerk"),
    )
    assert code == 2
    assert json.loads(err)["field"] == "items.0.quantity"
    code, out, _ = in_process(capsys, monkeypatch, "settings", "--db", str(clinic_db))
    assert json.loads(out)["limits.max_quantity"]["value"] == "5.000"
    code, out, err = in_process(capsys, monkeypatch, "audit", "verify", "--db", str(clinic_db))
    assert code == 0, err  # the changed row is sealed by the entry that changed it


@pytest.mark.parametrize(
    ("assignment", "field"),
    [
        ("limits.max_quantity=0", "value"),
        ("limits.max_price=1e400", "value"),
        ("limits.price_deviation_percent=٥٠", "value"),
        ("auth.token_minutes=100000", "value"),
        ("sync.agency_url=http://agency.example/", "agency"),
        ("facility_id=X99", "value"),
        ("no.such.setting=1", "key"),
        ("limits.max_quantity", "set"),
    ],
)
def test_a_bad_setting_is_refused_and_nothing_changes(
    clinic_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, assignment: str, field: str
) -> None:
    admin = token_for(clinic_db, "admin")
    before = dump(clinic_db)
    code, out, err = in_process(
        capsys, monkeypatch, "settings", "--db", str(clinic_db), "--set", assignment, token=admin
    )
    assert (code, out) == (2, "")
    assert json.loads(err)["field"] == field
    assert dump(clinic_db) == before


def test_an_administrator_of_another_facility_does_not_manage_this_installation(tmp_path: Path) -> None:
    from db.models import Setting, Staff

    store = make_store(tmp_path)
    with store.writing() as session:
        session.add(Setting(key="facility_id", value="T01"))
        session.add(
            Staff(id=9, username="admin10", name="曲江院长", role="admin", facility_id="T10", password_hash="x")
        )
    with pytest.raises(SettingError) as refused:
        change(store, 9, "limits.max_price", "100", NOW)
    assert refused.value.field == "staff"
    done = change(store, 3, "limits.max_price", "100", NOW + dt.timedelta(seconds=1))  # T01's own administrator
    assert done.after == "100.00"
    store.dispose()
