"""The reports and the fund page over a year of a busy township centre, each beside the raw SQL under it.

A store with 100,000 settled visits in 2024 (the centre and its three village clinics, one
in a hundred reversed, one in fifty answered by the agency with its own split) and 5,000
signed residents is bulk-loaded through sqlite3 (the settlement triggers keep month_total
as they would at the counter). Then, taking turns so both see the same machine:

* each report built as the program builds it (``desktop.reports``), beside the raw SQL
  aggregate it stands on, run through a bare sqlite3 connection: the monthly report
  against its grouped sums (target: at most 2x), the fund position against the month
  totals and signings it reads (and, for scale, the walk over the visits month_total saves),
  the warnings, the month's ledger and a day close against their own queries;
* the fund page opening (the widgets, the fund read off the GUI thread, the chart painted
  with the year on it) beside a bare window painting the same chart from figures already
  in hand (target: at most 1.5x).

    .venv/bin/python benchmarks/fund_reports.py [--visits 100000] [--persons 5000] [--rounds 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from db.session import Store, open_store
from desktop.demo import CATALOGUE, build_demo
from desktop.reports.heading import heading_for

YEAR = 2024
CLINICS = (("T01", 2), ("T01", 2), ("V01", 3), ("V02", 4), ("V03", 5))  # facility, staff entering the visits
PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON")
SCOPE = "('T01', 'V01', 'V02', 'V03')"
OFFICIAL = "CASE WHEN s.agency_setl_id IS NOT NULL THEN coalesce(s.agency_{0}_fen, s.{0}_fen) ELSE s.{0}_fen END"
STANDING = "NOT EXISTS (SELECT 1 FROM reversal r WHERE r.settlement_id = s.id)"
COUNTED = "NOT (s.agency_setl_id IS NULL AND s.status = 'rejected') AND NOT s.self_pay"


def fill(path: Path, visits: int, persons: int) -> None:
    """The roster, its signings and a year of settled visits, straight through sqlite3."""
    rng = random.Random(7)
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in PRAGMAS:
        connection.execute(pragma)
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO person (id, psn_no, id_number, name, gender, birth_date, phone, address, household_head, policy,"
        " insutype, insuplc_admdvs, category, employment, poverty_registered, benefit_suspended, insured,"
        " account_balance_fen, roster_updated_at) VALUES (?, ?, ?, ?, '1', ?, '', '幽兰镇', '', 'nanchang-resident',"
        " '390', '360121', 'general', 'active', 0, 0, 1, 0, '2024-01-01 00:00:00')",
        (
            (n, f"B{n:019d}", f"36012119{n:010d}", f"居民{n}", dt.date(rng.randint(1935, 2023), 6, 1).isoformat())
            for n in range(1, persons + 1)
        ),
    )
    connection.executemany(
        "INSERT INTO signing (person_id, facility_id, role, origin, family_doctor, effective_from, recorded_at,"
        " start_kind) VALUES (?, 'T01', 'single', 'chosen', 0, ?, '2023-01-01 00:00:00', ?)",
        (
            (n, "2024-03-01" if n % 40 == 0 else "2022-01-01", "first" if n % 40 == 0 else "continuing")
            for n in range(1, persons + 1)
        ),
    )
    connection.execute("COMMIT")
    items = [(code, name, kind, cls, price) for code, name, _py, kind, cls, price, _unit in CATALOGUE]
    start = dt.date(YEAR, 1, 1)
    for first in range(1, visits + 1, 10_000):
        visit_rows, item_rows, settlement_rows = [], [], []
        for visit_id in range(first, min(first + 10_000, visits + 1)):
            facility, staff = rng.choice(CLINICS)
            day = start + dt.timedelta(days=rng.randrange(366))
            person = rng.randint(1, persons)
            visit_rows.append((visit_id, facility, person, staff, day.isoformat()))
            total = scope = 0
            for line, (code, name, kind, cls, price) in enumerate(rng.sample(items, rng.randint(1, 3)), start=1):
                amount = price * rng.randint(1, 3)
                total += amount
                scope += 0 if cls == "C" else amount
                item_rows.append((visit_id, line, code, name, kind, cls, price, amount, 0 if cls == "C" else amount))
            fund = scope * 6 // 10
            agency = fund - 100 if visit_id % 50 == 0 and fund >= 100 else None
            settlement_rows.append(
                (
                    visit_id,
                    visit_id,
                    person,
                    staff,
                    f"{day.isoformat()} 02:00:00.000000",
                    total,
                    scope,
                    total - scope,
                    fund,
                    fund,
                    total - fund,
                    f"M{visit_id:029d}",
                    agency,
                    None if agency is None else 0,
                    None if agency is None else total - agency,
                )
            )
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO visit (id, facility_id, person_id, staff_id, visit_date, created_at, referral, emergency,"
            " inpatient) VALUES (?, ?, ?, ?, ?, '2024-01-01 00:00:00', 0, 0, 0)",
            visit_rows,
        )
        connection.executemany(
            "INSERT INTO visit_item (visit_id, line_no, code, name, kind, item_class, quantity, price_fen, amount_fen,"
            " in_scope_fen) VALUES (?, ?, ?, ?, ?, ?, '1', ?, ?, ?)",
            item_rows,
        )
        connection.executemany(
            "INSERT INTO settlement (id, visit_id, person_id, staff_id, settled_at, year, policy, policy_version,"
            " covered, rate, total_fen, in_scope_fen, out_of_scope_fen, deductible_fen, fund_fen, fund_toward_cap_fen,"
            " fund_out_of_city_fen, account_fen, cash_fen, explanation, status, msgid, agency_fund_fen,"
            " agency_account_fen, agency_cash_fen) VALUES (?, ?, ?, ?, ?, 2024, 'nanchang-resident',"
            " '洪府厅发〔2019〕102号', 1, '0.60', ?, ?, ?, 0, ?, ?, 0, 0, ?, '[]', 'confirmed', ?, ?, ?, ?)",
            settlement_rows,
        )
        connection.executemany(
            "INSERT INTO reversal (settlement_id, staff_id, reversed_at, reason, msgid)"
            " VALUES (?, 1, ?, '录入错误', ?)",
            ((row[0], row[4], f"R{row[0]:029d}") for row in settlement_rows if row[0] % 100 == 0),
        )
        connection.execute("COMMIT")
    connection.close()


# --- the raw SQL under each report ----------------------------------------------------------


def raw_monthly(bare: sqlite3.Connection) -> None:
    where = f"v.facility_id IN {SCOPE} AND v.visit_date BETWEEN '2024-06-01' AND '2024-06-30' AND NOT s.self_pay"
    sums = (
        f"count(s.id), count(DISTINCT s.person_id), sum(s.total_fen), sum(s.in_scope_fen), "
        f"sum({OFFICIAL.format('fund')}), sum({OFFICIAL.format('account')}), sum({OFFICIAL.format('cash')})"
    )
    base = f"FROM settlement s JOIN visit v ON v.id = s.visit_id WHERE {where}"
    for group in ("s.policy", "v.facility_id"):
        bare.execute(
            f"SELECT {group}, {sums} {base} AND {STANDING} AND {COUNTED} GROUP BY {group} ORDER BY {group}"
        ).fetchall()
    bare.execute(f"SELECT {sums} {base} AND {STANDING} AND {COUNTED}").fetchall()
    # What the report leaves out and how its lines stand with the agency: one pass, six counts.
    bare.execute(
        f"SELECT sum(NOT {STANDING}), sum(CASE WHEN NOT {STANDING} THEN s.total_fen ELSE 0 END),"
        f" sum({STANDING} AND s.agency_setl_id IS NULL AND s.status = 'rejected'), 0,"
        f" sum({STANDING} AND s.agency_setl_id IS NOT NULL), sum({STANDING} AND {COUNTED} AND s.agency_setl_id IS NULL)"
        f" {base}"
    ).fetchall()


def raw_fund(bare: sqlite3.Connection) -> None:
    bare.execute(
        "SELECT month, sum(fund_fen) FROM month_total WHERE facility_id IN " + SCOPE + " AND policy ="
        " 'nanchang-resident' AND month BETWEEN '2024-01-01' AND '2024-12-01' GROUP BY month"
    ).fetchall()
    bare.execute(
        "SELECT g.person_id, p.birth_date, g.effective_from, g.effective_until, g.start_kind, g.end_kind FROM signing g"
        " JOIN person p ON p.id = g.person_id WHERE g.facility_id IN " + SCOPE + " AND p.policy = 'nanchang-resident'"
        " AND g.effective_from <= '2024-12-31' AND (g.effective_until IS NULL OR g.effective_until >= '2023-12-31')"
        " ORDER BY g.person_id, g.effective_from, g.id"
    ).fetchall()


def raw_fund_walk(bare: sqlite3.Connection) -> None:
    """What month_total saves: the year's fund shares summed over every visit."""
    bare.execute(
        f"SELECT substr(v.visit_date, 1, 7), sum({OFFICIAL.format('fund')}) FROM settlement s JOIN visit v ON"
        f" v.id = s.visit_id WHERE v.facility_id IN {SCOPE} AND s.policy = 'nanchang-resident' AND v.visit_date"
        f" BETWEEN '2024-01-01' AND '2024-12-31' AND {STANDING} AND {COUNTED} GROUP BY 1"
    ).fetchall()


def raw_warnings(bare: sqlite3.Connection) -> None:
    bare.execute(
        "SELECT v.visit_date, v.facility_id, v.staff_id, s.person_id, s.total_fen, s.out_of_scope_fen,"
        " coalesce((SELECT sum(i.amount_fen) FROM visit_item i WHERE i.visit_id = v.id AND i.kind = 'exam'), 0),"
        " EXISTS (SELECT 1 FROM visit_item i, catalogue_item c WHERE i.visit_id = v.id AND c.code = i.code"
        " AND c.atc_code LIKE 'J01%') FROM visit v JOIN settlement s ON s.visit_id = v.id WHERE v.facility_id IN "
        f"{SCOPE} AND v.visit_date BETWEEN '2023-12-01' AND '2024-12-31' AND {STANDING} AND NOT s.self_pay"
    ).fetchall()


def raw_ledger(bare: sqlite3.Connection) -> None:
    bare.execute(
        "SELECT s.id, v.id, v.facility_id, v.visit_date, p.household_head, p.name, p.address, p.id_number, p.phone,"
        " s.total_fen, s.fund_fen, s.account_fen, s.cash_fen, v.signature_png IS NOT NULL, r.reason,"
        " coalesce((SELECT group_concat(d.name, '；') FROM diagnosis d WHERE d.visit_id = v.id), '') FROM visit v"
        " JOIN settlement s ON s.visit_id = v.id JOIN person p ON p.id = v.person_id LEFT JOIN reversal r ON"
        f" r.settlement_id = s.id WHERE v.facility_id IN {SCOPE} AND v.visit_date BETWEEN '2024-06-01' AND"
        " '2024-06-30' ORDER BY v.visit_date, s.id"
    ).fetchall()


def raw_day_close(bare: sqlite3.Connection) -> None:
    window = "s.settled_at >= '2024-06-14 16:00:00' AND s.settled_at < '2024-06-15 16:00:00'"
    bare.execute(
        "SELECT s.policy, s.policy_version, count(s.id), sum(s.fund_fen), sum(s.account_fen), sum(s.cash_fen) FROM"
        f" settlement s JOIN visit v ON v.id = s.visit_id WHERE v.facility_id = 'T01' AND {window} GROUP BY 1, 2"
    ).fetchall()
    bare.execute(
        "SELECT r.id FROM reversal r JOIN settlement s ON s.id = r.settlement_id JOIN visit v ON v.id = s.visit_id"
        " WHERE v.facility_id = 'T01' AND r.reversed_at >= '2024-06-14 16:00:00' AND r.reversed_at <"
        " '2024-06-15 16:00:00'"
    ).fetchall()


# --- taking turns -----------------------------------------------------------------------------


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def compare(
    name: str, ours: Callable[[], object], raw: Callable[[], object], rounds: int, target: float | None
) -> None:
    ours(), raw()  # warm both: the first run of each pays for imports and cold pages
    mine, theirs = [], []
    for _ in range(rounds):
        mine.append(timed(ours))
        theirs.append(timed(raw))
    a, b = statistics.median(mine), statistics.median(theirs)
    verdict = "" if target is None else f"  (target: at most {target:g}x: {'met' if a / b <= target else 'MISSED'})"
    print(f"{name:>34}: {a * 1000:8.1f} ms   raw SQL {b * 1000:8.1f} ms   {a / b:6.2f}x{verdict}")


def reports(store: Store, path: Path, rounds: int) -> None:
    from desktop.ledger import Period
    from desktop.reports.counter_reports import day_close_report, ledger_report
    from desktop.reports.early_warning import warnings_report
    from desktop.reports.fund_report import fund_report
    from desktop.reports.monthly import monthly_report

    heading = heading_for(store, "T01", "admin", dt.datetime.now(dt.UTC))
    bare = sqlite3.connect(path)
    compare("monthly report (June)", lambda: monthly_report(store, heading, YEAR, 6), lambda: raw_monthly(bare),
            rounds, 2.0)  # fmt: skip
    compare("fund position (December)", lambda: fund_report(store, heading, YEAR, 12), lambda: raw_fund(bare), rounds,
            None)  # fmt: skip
    compare("  ... beside the walk it saves", lambda: fund_report(store, heading, YEAR, 12),
            lambda: raw_fund_walk(bare), rounds, None)  # fmt: skip
    compare("warnings (December)", lambda: warnings_report(store, heading, YEAR, 12), lambda: raw_warnings(bare),
            max(3, rounds // 3), None)  # fmt: skip
    compare("ledger (June)", lambda: ledger_report(store, heading, Period.month(YEAR, 6), "admin"),
            lambda: raw_ledger(bare), rounds, None)  # fmt: skip
    compare("day close (15 June)", lambda: day_close_report(store, heading, dt.date(YEAR, 6, 15)),
            lambda: raw_day_close(bare), rounds, None)  # fmt: skip
    bare.close()


class _Painted:
    """Waits, in an event loop as the window's GUI thread does, for ``chart``'s first paint
    after ``ready()`` holds: the fund is read on the pool at full speed meanwhile."""

    def __init__(self, chart: Any, ready: Callable[[], bool]) -> None:
        from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

        loop = QEventLoop()

        class Filter(QObject):
            def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
                if event.type() == QEvent.Type.Paint and ready():
                    QTimer.singleShot(0, loop.quit)  # once this paint is done
                return False

        self.filter = Filter()
        self.loop = loop
        chart.installEventFilter(self.filter)

    def wait(self) -> None:
        self.loop.exec()


def _bare_window(text: Any, view: Any) -> None:
    """A window holding nothing but the chart, given the figures: painted, then closed."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from desktop.ui.fund_chart import FundChart

    window = QWidget()
    chart = FundChart(text, window)
    QVBoxLayout(window).addWidget(chart)
    painted = _Painted(chart, lambda: chart.position is not None)
    window.resize(1200, 820)
    chart.show_position(view.position, view.elapsed)
    window.show()
    painted.wait()
    window.close()
    window.deleteLater()


def fund_page(store: Store, rounds: int) -> None:
    """Opening the 基金 tab (the page reads the fund again and paints it), beside a bare window
    painting the same chart from figures already in hand."""
    from PySide6.QtWidgets import QApplication, QTabWidget, QWidget
    from sqlalchemy import select

    from db.models import Staff
    from desktop.ui.fund_chart import ChartText
    from desktop.ui.fund_page import FundPage, load_view
    from desktop.ui.workers import busy

    app = QApplication.instance() or QApplication([])
    with store.reading() as session:
        admin = session.scalar(select(Staff).where(Staff.username == "admin"))
    assert admin is not None
    today = dt.date(YEAR, 12, 20)
    view = load_view(store, "T01", YEAR, today)
    text = ChartText(tuple(f"{m}月" for m in range(1, 13)), "年度预算 {amount}", "实际发生", "预计全年 {amount}",
                     "月预结算额度", "拨付", "逐月", "…")  # fmt: skip

    # The window as the counter has it: the page built when the store opened, behind another tab.
    tabs = QTabWidget()
    tabs.addTab(QWidget(), "收费")
    page = FundPage(store, admin, today=today)
    tabs.addTab(page, "基金")
    tabs.currentChanged.connect(lambda index: page.reload() if tabs.widget(index) is page else None)
    tabs.resize(1200, 820)
    tabs.show()

    def quiet() -> None:
        """The warnings each opening starts (a moment after it) finish between turns, uncounted."""
        began = time.perf_counter()
        while busy() or time.perf_counter() - began < 0.4:
            app.processEvents()
            time.sleep(0.01)

    def open_page() -> None:
        seen = page.shown
        painted = _Painted(page.chart, lambda: page.shown > seen)
        tabs.setCurrentIndex(1)
        painted.wait()

    def bare() -> None:
        _bare_window(text, view)

    mine, theirs = [], []
    for turn in range(rounds + 1):
        tabs.setCurrentIndex(0)
        quiet()
        opened = timed(open_page)
        quiet()
        plain = timed(bare)
        if turn:  # the first opening reads the signings; later ones find them unchanged
            mine.append(opened)
            theirs.append(plain)
    quiet()
    a, b = statistics.median(mine), statistics.median(theirs)
    verdict = "met" if a / b <= 1.5 else "MISSED"
    print(f"{'opening the fund page':>34}: {a * 1000:8.1f} ms   bare window {b * 1000:5.1f} ms   {a / b:6.2f}x"
          f"  (target: at most 1.5x: {verdict})")  # fmt: skip
    tabs.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--persons", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--db", type=Path, help="reuse this file (filled on first use)")
    args = parser.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "busy-centre.sqlite3"
    fresh = not path.exists()
    store = open_store(path)
    if fresh:
        began = time.perf_counter()
        build_demo(store, today=dt.date(YEAR + 1, 1, 1), people=0, days=0)
        fill(path, args.visits, args.persons)
        print(
            f"{args.visits:,} visits, {args.persons:,} signed residents in {time.perf_counter() - began:.0f} s: {path}"
        )
    reports(store, path, args.rounds)
    fund_page(store, args.rounds)
    store.dispose()


if __name__ == "__main__":
    main()
