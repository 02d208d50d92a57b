"""The agency's split is the official one: in the day close, the ledger and the receipts' data, with
the counter's beside it; settle-ups (补收 / 退费) balance the drawer; what the agency set aside is counted apart.

The agency's answers are stored by the relay's own code (``desktop.sync.answers``,
``desktop.sync.outbox``), as a sync would store them; the end-to-end run against the
sandbox agency is in tests/sync/test_self_pay_and_settle_up.py.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from db.audit_verify import verify
from db.models import AuditEntry, OutboxEntry, Settlement, SettleUp
from db.session import Store
from desktop.day_close import day_close
from desktop.ledger import LedgerQuery, Period, ledger_rows, totals
from desktop.official import Figures, Split, Standing
from desktop.receipts import settle_up_receipt, settlement_receipt
from desktop.settle_up import settle_up
from desktop.settlement import DraftItem, SettlementError, VisitDraft, reverse, settle
from desktop.settlement.self_pay import SelfPayDraft, WalkInDetails, settle_self_pay
from desktop.sync import answers, outbox
from tests.factories import COLD, add_person, make_store

CST = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2024, 5, 10)
ITEMS = (DraftItem("F01"), DraftItem("X01", Decimal(2)), DraftItem("X03"))  # 10 + 25 + 15.50 (class C)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), CST)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    made = make_store(tmp_path)
    for person in (1, 2, 3):
        add_person(made, person_id=person)
    add_person(made, person_id=4, policy="nanchang-employee", balance_fen=50_000)
    return made


def settled(store: Store, person: int, when: dt.datetime) -> int:
    return settle(store, VisitDraft("T01", person, 1, when.date(), ITEMS, COLD), when).settlement_id


def row_of(store: Store, settlement_id: int, infno: str) -> int:
    with store.reading() as session:
        return int(
            session.scalars(
                select(OutboxEntry.id).where(OutboxEntry.settlement_id == settlement_id, OutboxEntry.infno == infno)
            ).one()
        )


def agency_answers(store: Store, settlement_id: int, fund: int, account: int, cash: int, when: dt.datetime) -> None:
    """The agency books the visit with this split (in fen): stored as the relay stores a 2207 answer."""
    with store.reading() as session:
        s = session.get_one(Settlement, settlement_id)
        local = answers.Split(s.fund_fen, s.account_fen, s.cash_fen)
    answer = answers.Answer(
        row_of(store, settlement_id, "2207"),
        "2207",
        settlement_id,
        {"setl_id": f"S{settlement_id:06d}"},
        None,
        f"S{settlement_id:06d}",
        answers.Split(fund, account, cash),
        local,
    )
    with store.write_connection() as connection:
        answer.apply(connection, when)


def agency_refuses(store: Store, settlement_id: int, when: dt.datetime) -> None:
    with store.write_connection() as connection:
        outbox.mark_set_aside(connection, row_of(store, settlement_id, "2201"), settlement_id, when, "rejected")


def split_of(store: Store, settlement_id: int) -> tuple[int, int, int]:
    with store.reading() as session:
        s = session.get_one(Settlement, settlement_id)
        return s.fund_fen, s.account_fen, s.cash_fen


def test_figures_follow_the_agency_once_it_booked_the_visit() -> None:
    counter = Split(Decimal("24.00"), Decimal(0), Decimal("26.50"))
    agency = Split(Decimal(0), Decimal(0), Decimal("50.50"))
    waiting = Figures(counter, None, Standing.WAITING)
    assert (waiting.official, waiting.owed, waiting.cash_taken) == (counter, Decimal(0), Decimal("26.50"))
    booked = Figures(counter, agency, Standing.DIFFERS)
    assert booked.official == agency
    assert booked.differs
    assert booked.owed == Decimal("24.00")  # to collect
    done = Figures(counter, agency, Standing.DIFFERS, settled_up=Decimal("24.00"))
    assert (done.owed, done.cash_taken) == (Decimal(0), Decimal("50.50"))
    assert done.reversal_cash_back == Decimal("50.50")  # a reversal gives back all the cash taken
    assert Figures(counter, agency, Standing.DIFFERS, reversed=True).owed == 0
    assert not Figures(counter, None, Standing.SET_ASIDE).counted


def test_a_differing_answer_is_the_official_figure_in_the_day_close_and_the_ledger(store: Store) -> None:
    first = settled(store, 1, at(9))
    second = settled(store, 2, at(10))
    fund, account, cash = split_of(store, first)
    assert fund > 0
    agency_answers(store, first, 0, 0, fund + cash, at(11))  # the agency paid nothing
    agency_answers(store, second, *split_of(store, second), at(11))  # and booked the other as settled

    close = day_close(store, "T01", DAY)
    official_first = Split.of_fen(0, 0, fund + cash)
    assert close.settled == official_first + Split.of_fen(*split_of(store, second))
    assert (close.differs_count, close.waiting_count) == (1, 0)
    (owed,) = close.owed
    assert (owed.settlement_id, owed.owed) == (first, Decimal(fund) / 100)
    assert close.owed_to_collect == Decimal(fund) / 100
    # The drawer holds what the counter took: the agency's decision is not cash until it is settled up.
    assert close.drawer.expected == Decimal(cash + split_of(store, second)[2]) / 100

    rows = {row.settlement_id: row for row in ledger_rows(store, LedgerQuery("T01", Period.day(DAY)))}
    assert (rows[first].fund_fen, rows[first].cash_fen) == (0, fund + cash)
    assert (rows[first].counter_fund_fen, rows[first].counter_cash_fen) == (fund, cash)
    assert rows[first].standing is Standing.DIFFERS
    assert rows[second].standing is Standing.BOOKED
    assert totals(rows.values()).fund == Decimal(split_of(store, second)[0]) / 100

    receipt = settlement_receipt(store, first)
    assert receipt.agency_setl_id == f"S{first:06d}"
    assert receipt.official == official_first
    assert receipt.figures.counter == Split.of_fen(fund, account, cash)


def test_a_settle_up_is_its_own_audited_act_and_balances_the_day(store: Store) -> None:
    first = settled(store, 1, at(9))
    fund, _account, cash = split_of(store, first)
    agency_answers(store, first, 0, 0, fund + cash, at(11))

    done = settle_up(store, first, 1, at(15))
    assert (done.kind, done.amount) == ("collect", Decimal(fund) / 100)
    with store.reading() as session:
        row = session.scalars(select(SettleUp)).one()
        assert (row.settlement_id, row.staff_id, row.agency_setl_id) == (first, 1, f"S{first:06d}")
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "settle_up")).one()
        assert (entry.staff_id, json.loads(entry.detail)["kind"]) == (1, "collect")

    close = day_close(store, "T01", DAY)
    assert close.owed == ()
    (line,) = close.settle_ups
    assert (line.settlement_id, line.cash, line.staff) == (first, Decimal(fund) / 100, "王会计")
    assert close.drawer.collected == Decimal(fund) / 100
    # Settled up, the drawer holds exactly the official cash of the day.
    assert close.drawer.expected == close.net.cash == Decimal(fund + cash) / 100

    with store.reading() as session:
        verdict = verify(session.connection())
    assert verdict.ok, verdict.as_json()  # the settle-up row is sealed by its entry

    receipt = settle_up_receipt(store, done.settle_up_id)
    assert (receipt.kind, receipt.amount, receipt.settlement_id) == ("collect", Decimal(fund) / 100, first)
    assert receipt.amount_in_capitals.endswith(("整", "分"))
    assert settlement_receipt(store, first).settle_up is not None


def test_a_refund_when_the_agency_paid_more_than_the_counter(store: Store) -> None:
    first = settled(store, 3, at(9))
    fund, account, cash = split_of(store, first)
    agency_answers(store, first, fund + 500, account, cash - 500, at(11))
    done = settle_up(store, first, 3, at(12))  # the administrator
    assert (done.kind, done.amount, done.cash) == ("refund", Decimal("5.00"), Decimal("-5.00"))
    close = day_close(store, "T01", DAY)
    assert close.drawer.refunded == Decimal("5.00")
    assert close.drawer.expected == close.net.cash


@pytest.mark.parametrize(
    ("case", "why"),
    [
        ("waiting", "has not booked"),
        ("same split", "no cash owed"),
        ("twice", "already settled up"),
        ("reversed", "was reversed"),
        ("self-pay", "self-pay"),
        ("no one", "no settlement"),
    ],
)
def test_a_settle_up_only_where_the_agencys_split_leaves_cash_owed(store: Store, case: str, why: str) -> None:
    first = settled(store, 1, at(9))
    fund, account, cash = split_of(store, first)
    target = first
    if case == "same split":
        agency_answers(store, first, fund, account, cash, at(11))
    elif case in ("twice", "reversed"):
        agency_answers(store, first, 0, 0, fund + cash, at(11))
        if case == "twice":
            settle_up(store, first, 1, at(12))
        else:
            reverse(store, first, "录入错误", 1, at(12))
    elif case == "self-pay":
        walk_in = SelfPayDraft("T01", 1, DAY, ITEMS, COLD, walk_in=WalkInDetails("张三"))
        target = settle_self_pay(store, walk_in, at(10)).settlement_id
    elif case == "no one":
        target = 999
    with pytest.raises(SettlementError, match=why):
        settle_up(store, target, 1, at(13))


def test_an_inactive_member_of_staff_settles_nothing_up(store: Store) -> None:
    first = settled(store, 1, at(9))
    fund, _account, cash = split_of(store, first)
    agency_answers(store, first, 0, 0, fund + cash, at(11))
    with pytest.raises(SettlementError, match="no active staff"):
        settle_up(store, first, 42, at(12))


def test_a_set_aside_record_is_counted_apart_and_never_as_settled(store: Store) -> None:
    kept = settled(store, 1, at(9))
    refused = settled(store, 2, at(10))
    agency_refuses(store, refused, at(11))

    close = day_close(store, "T01", DAY)
    assert close.settled_count == 1
    assert close.settled == Split.of_fen(*split_of(store, kept))
    (apart,) = close.set_aside
    assert (apart.settlement_id, apart.split) == (refused, Split.of_fen(*split_of(store, refused)))
    assert close.drawer.settled == Decimal(split_of(store, kept)[2] + split_of(store, refused)[2]) / 100  # taken

    rows = ledger_rows(store, LedgerQuery("T01", Period.day(DAY)))
    assert [row.standing for row in rows] == [Standing.WAITING, Standing.SET_ASIDE]
    sums = totals(rows)
    assert (sums.visits, sums.set_aside, sums.waiting) == (1, 1, 1)
    assert sums.total == Decimal(sum(split_of(store, kept))) / 100

    # Reversed before it was ever booked, it leaves no mark on the totals it was never in.
    reverse(store, refused, "患者放弃", 1, at(12))
    close = day_close(store, "T01", DAY)
    (line,) = close.reversals
    assert not line.counted
    assert close.reversed == Split()
    assert close.drawer.reversed == Decimal(split_of(store, refused)[2]) / 100  # its cash went back


def test_a_reversal_says_what_goes_back_in_cash_and_to_the_account(store: Store) -> None:
    employee = settled(store, 4, at(9))
    fund, account, cash = split_of(store, employee)
    assert account > 0
    agency_answers(store, employee, fund, 0, account + cash, at(11))  # the account had nothing left at the agency
    settle_up(store, employee, 1, at(12))
    reverse(store, employee, "录入错误", 1, at(13))
    (line,) = day_close(store, "T01", DAY).reversals
    assert line.cash_back == Decimal(account + cash) / 100  # all the cash taken, the settle-up's included
    assert line.account_back == 0  # the agency's account figure: nothing came out of it
    assert line.split == Split.of_fen(fund, 0, account + cash)


def test_settle_ups_owed_at_the_end_of_a_day_as_that_day_knew_them(store: Store) -> None:
    monday = settled(store, 1, at(9, day=DAY - dt.timedelta(days=1)))
    fund, _account, cash = split_of(store, monday)
    agency_answers(store, monday, 0, 0, fund + cash, at(20))  # the answer came on the 10th
    assert day_close(store, "T01", DAY - dt.timedelta(days=1)).owed == ()
    assert [line.settlement_id for line in day_close(store, "T01", DAY).owed] == [monday]
    settle_up(store, monday, 1, at(9, day=DAY + dt.timedelta(days=1)))
    assert [line.settlement_id for line in day_close(store, "T01", DAY).owed] == [monday]  # still owed that night
    following = day_close(store, "T01", DAY + dt.timedelta(days=1))
    assert following.owed == ()
    assert [line.settlement_id for line in following.settle_ups] == [monday]


def test_self_pay_is_a_scheme_line_of_its_own_in_the_day_close(store: Store) -> None:
    settled(store, 1, at(9))
    walk_in = SelfPayDraft("T01", 1, DAY, ITEMS, COLD, walk_in=WalkInDetails("张三"))
    paid = settle_self_pay(store, walk_in, at(10))
    close = day_close(store, "T01", DAY)
    by_policy = {line.policy: line for line in close.schemes}
    line = by_policy["self-pay"]
    assert (line.title, line.settled_count, line.settled) == ("自费就诊", 1, Split(cash=paid.total))
    assert close.waiting_count == 1  # the insured one; the self-pay one waits on nobody
