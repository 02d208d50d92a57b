"""``clinic-pos report`` and ``clinic-pos warning-thresholds``: the files, the JSON, and bad options."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from db.session import open_store
from desktop.cli_auth import Credentials
from desktop.reports.cli import report_main
from desktop.reports.thresholds import thresholds_main
from tests.cli_helpers import token_for
from tests.reports.workbooks import fen, read_workbook


def refused(capsys: pytest.CaptureFixture[str], status: int) -> dict[str, Any]:
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    error: dict[str, Any] = json.loads(captured.err)
    assert set(error) == {"error", "field"}
    return error


@pytest.mark.parametrize(
    ("kind", "period", "fmt", "out", "field"),
    [
        ("monthly", "2024-13", "json", None, "period"),
        ("monthly", "May 2024", "json", None, "period"),
        ("monthly", "2024-05-10", "json", None, "period"),  # a month report takes a month
        ("day-close", "2024-05", "json", None, "period"),  # the day close takes a day
        ("day-close", "2024-02-30", "json", None, "period"),
        ("monthly", "2024-05", "pdf", None, "out"),  # a file format needs a file
        ("monthly", "2024-05", "xlsx", "/no/such/folder/x.xlsx", "out"),
    ],
)
def test_bad_options_are_refused_naming_them(
    capsys: pytest.CaptureFixture[str], demo_year: Path, kind: str, period: str, fmt: str, out: str | None, field: str
) -> None:
    assert refused(capsys, report_main(kind, str(demo_year), "T01", period, fmt, out))["field"] == field


def test_an_unknown_facility_staff_or_database(
    capsys: pytest.CaptureFixture[str], demo_year: Path, tmp_path: Path
) -> None:
    assert (
        refused(capsys, report_main("monthly", str(demo_year), "X99", "2024-05", "json", None))["field"] == "facility"
    )
    status = report_main("monthly", str(demo_year), "T01", "2024-05", "json", None, "nobody")
    assert refused(capsys, status)["field"] == "staff"
    status = report_main("monthly", str(tmp_path / "absent.sqlite3"), "T01", "2024-05", "json", None)
    assert refused(capsys, status)["field"] == "db"
    assert not (tmp_path / "absent.sqlite3").exists()


def test_json_holds_the_workbooks_figures(capsys: pytest.CaptureFixture[str], demo_year: Path, tmp_path: Path) -> None:
    assert report_main("monthly", str(demo_year), "T01", "2024-05", "json", None, "admin") == 0
    shown = json.loads(capsys.readouterr().out)
    book = tmp_path / "m.xlsx"
    assert report_main("monthly", str(demo_year), "T01", "2024-05", "xlsx", str(book), "admin") == 0
    heading, tables = read_workbook(book, ["一、按险种"])
    assert heading["制表人"] == shown["made_by"] == "赵建国"
    assert shown["facility"] == {"id": "T01", "name": "南昌县幽兰镇卫生院", "code": "H36012100101"}
    totals = shown["sections"][0]["totals"]
    assert fen(tables["一、按险种"].total("医疗总费用")) == fen(totals["total"])
    assert tables["一、按险种"].total("人次") == totals["visits"] == shown["figures"]["visits"]


@pytest.mark.parametrize("kind", ["monthly", "fund", "warnings", "ledger", "day-close"])
def test_every_report_prints_as_pdf_from_the_command_line(demo_year: Path, tmp_path: Path, kind: str) -> None:
    pdf = tmp_path / f"{kind}.pdf"
    period = "2024-05-15" if kind == "day-close" else "2024-05"
    done = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "report", kind, "--db", str(demo_year), "--facility", "T01",
         "--period", period, "--format", "pdf", "--out", str(pdf)],
        capture_output=True, text=True, check=False, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "南昌县幽兰镇卫生院" in words
        assert "H36012100101" in words


def test_thresholds_are_set_by_an_administrator_only(
    capsys: pytest.CaptureFixture[str], demo_year: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "clinic.sqlite3"
    shutil.copy(demo_year, db)
    clerk, admin = Credentials(token=token_for(db, "clerk")), Credentials(token=token_for(db, "admin"))
    assert refused(capsys, thresholds_main(str(db), ["antibiotic_share_limit=0.25"], clerk))["field"] == "staff"
    assert refused(capsys, thresholds_main(str(db), ["antibiotic_share_limit=0.25"]))["field"] == "staff"  # nobody
    unsigned = Credentials(staff="admin")  # a username without its password signs no one in
    monkeypatch.setattr("desktop.cli_auth._prompt", lambda _username: "not the password")
    assert refused(capsys, thresholds_main(str(db), ["antibiotic_share_limit=0.25"], unsigned))["field"] == "staff"
    assert refused(capsys, thresholds_main(str(db), ["antibiotic_share=0.25"], admin))["field"] == "set"
    assert refused(capsys, thresholds_main(str(db), ["min_visits=-3"], admin))["field"] == "set.min_visits"
    assert thresholds_main(str(db), ["antibiotic_share_limit=0.25", "warning.min_visits=40"], admin) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["warning.antibiotic_share_limit"] == "0.25"
    assert shown["warning.min_visits"] == "40"
    from db.audit_verify import verify

    store = open_store(db)
    with store.reading() as session:
        assert verify(session.connection(), recent=5).ok  # the change is sealed in the audit chain
    store.dispose()
