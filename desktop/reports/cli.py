"""``clinic-pos report KIND --db PATH --facility ID --period 2024-05 --format pdf|xlsx|json --out FILE``.

Each report is built once (``desktop.reports``) and drawn in the format asked for; ``json``
holds the same figures as the files, and goes to standard output when ``--out`` is left
out or ``-``. Bad options exit 2 with one ``{"error", "field"}`` object on standard error
and write nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from db.session import Store, open_store
from desktop.ledger import Period
from desktop.reports.document import Report
from desktop.reports.heading import Heading, ReportError, heading_for

KINDS = ("monthly", "ledger", "day-close", "fund", "warnings")
FORMATS = ("pdf", "xlsx", "json")
EXIT_BAD_INPUT = 2
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_period(kind: str, text: str) -> Period:
    """A month (2024-05) for every report but the day close, which takes a day (2024-05-10);
    the ledger takes either."""
    if _DAY.fullmatch(text):
        if kind not in ("day-close", "ledger"):
            raise ReportError("period", f"{text!r}: the {kind} report is for a month, like {text[:7]}")
        try:
            return Period.day(dt.date.fromisoformat(text))
        except ValueError:
            raise ReportError("period", f"{text!r} is not a real calendar date") from None
    found = _MONTH.fullmatch(text)
    if found is None or not 1 <= int(found[2]) <= 12 or int(found[1]) < 1901:
        example = "a day like 2024-05-10" if kind == "day-close" else "a month like 2024-05"
        raise ReportError("period", f"{text!r} is not {example}")
    if kind == "day-close":
        raise ReportError("period", f"{text!r}: the day close is for one day, like {text}-10")
    return Period.month(int(found[1]), int(found[2]))


def build(kind: str, store: Store, heading: Heading, period: Period, staff: str | None) -> Report:
    year, month = period.first.year, period.first.month
    if kind == "monthly":
        from desktop.reports.monthly import monthly_report

        return monthly_report(store, heading, year, month)
    if kind == "fund":
        from desktop.reports.fund_report import fund_report

        return fund_report(store, heading, year, month)[0]
    if kind == "warnings":
        from desktop.reports.early_warning import warnings_report

        return warnings_report(store, heading, year, month)[0]
    from desktop.reports import counter_reports

    if kind == "ledger":
        return counter_reports.ledger_report(store, heading, period, counter_reports.viewer_role(store, staff))
    return counter_reports.day_close_report(store, heading, period.first)


def render(report: Report, fmt: str, out: str | None) -> None:
    if fmt == "json":
        from desktop.reports.render_json import report_json

        text = json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n"
        if out is None or out == "-":
            sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
            sys.stdout.write(text)
        else:
            Path(out).write_text(text, encoding="utf-8")
        return
    assert out is not None
    writers: dict[str, Callable[[Report, Path], Any]] = {}
    if fmt == "xlsx":
        from desktop.reports.workbook import write_xlsx

        writers["xlsx"] = write_xlsx
    else:
        from desktop.ui.report_pdf import write_report_pdf

        writers["pdf"] = write_report_pdf
    writers[fmt](report, Path(out))


def _refuse(field: str, message: str) -> int:
    sys.stderr.write(json.dumps({"error": f"{field}: {message}", "field": field}, ensure_ascii=False) + "\n")
    return EXIT_BAD_INPUT


def report_main(
    kind: str, db: str, facility: str, period: str, fmt: str, out: str | None, staff: str | None = None
) -> int:
    if fmt != "json" and (out is None or out == "-"):
        return _refuse("out", f"a {fmt} report is a file: give --out FILE")
    if out not in (None, "-") and not Path(out).parent.is_dir():
        return _refuse("out", f"{Path(out).parent} is not a folder")
    if "://" not in db and not Path(db).is_file():
        return _refuse("db", f"{db} is not a clinic database")
    try:
        chosen = parse_period(kind, period)
        store = open_store(db)
        try:
            heading = heading_for(store, facility, staff, dt.datetime.now(dt.UTC))
            report = build(kind, store, heading, chosen, staff)
        finally:
            store.dispose()
        render(report, fmt, out)
    except ReportError as exc:
        return _refuse(exc.field, exc.message)
    except OSError as exc:
        return _refuse("out", f"cannot write {out}: {exc.strerror or exc}")
    return 0
