"""The fund's input made from the clinic's records: the facility's signings and its months' spending.

A township centre's fund covers the village clinics it runs (洪府厅发〔2019〕102号 第二十五条:
村卫生室的门诊统筹费用由其一体化管理的乡镇卫生院负责分配; 韶医保规〔2023〕2号 第九条（二）1:
村卫生站的合计预拨给一体化建设的卫生院), so the signings are the centre's and its villages'.
A person signed with both the centre and its village station, or who moved from one to
the other, is one person: their touching spans are joined.

The spending is ``month_total`` (kept by the database as settlements and reversals come,
with the agency's split where it answered one): one row a month, never a walk over visits.

The store keeps the days a signing is in force; the contract times a move or a
reassignment by the day of the change (第二十八条第二、三款: 变更之月, 变更次月, 变更前一个月).
A move takes effect on the 1st of the month after it was confirmed (第八条（一）), so the
change was the day before the new signing's first; a reassignment takes effect on the day
it is confirmed (第八条（二）), the day after the old signing's last.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Row, bindparam, func, or_, select

from db import signings_changed
from db.models import Facility, MonthTotal, Person, Setting, Signing
from db.session import Store
from desktop.fund.engine import fund, version_for_year
from desktop.fund.types import EndKind, FundPosition, FundRequest, SigningSpan, StartKind
from desktop.money import ZERO, from_fen
from desktop.policy import PolicyBook, default_book
from desktop.policy.parameters import Scheme
from desktop.signing import default_signing_rules

ONE_DAY = dt.timedelta(days=1)
T = TypeVar("T")


class Unread(Enum):
    UNREAD = "unread"


class NoFundError(LookupError):
    """The facility has nothing a capitation fund could be worked out for."""


class NotRememberedError(LookupError):
    """Asked for the quick answer, but the signings must be read first (they changed, or never were)."""


@dataclass(frozen=True, slots=True)
class FundScope:
    """Whose fund: the centre, the village clinics it runs, and the resident policy its signings are under."""

    facility_id: str
    facility_name: str
    facility_code: str
    clinics: tuple[str, ...]
    policy: str


def scope_of(
    connection: Connection, facility_id: str, year: int, policy: str | None = None, *, quick: bool = False
) -> FundScope:
    facilities, changes = _facilities(connection, facility_id)
    return _scope(connection, facilities, facility_id, year, policy, changes, quick=quick)


# The statements an opening of the fund page runs, built once: only their values change.
_CHANGES = select(Setting.value).where(Setting.key == signings_changed.KEY)
# The facility tree with the count of signings' changes, in one round trip: the tree is read
# afresh every time (a clinic added under the centre is seen at once), the count says whether
# the remembered signings still hold.
_FACILITIES = (
    select(Facility.id, Facility.name, Facility.code, _CHANGES.scalar_subquery().label("changes"))
    .where(or_(Facility.id == bindparam("facility"), Facility.parent_id == bindparam("facility")))
    .order_by(Facility.id)
)
_PAID = (
    select(MonthTotal.month, func.sum(MonthTotal.fund_fen))
    .where(
        MonthTotal.facility_id.in_(bindparam("clinics", expanding=True)),
        MonthTotal.policy == bindparam("policy"),
        MonthTotal.month.between(bindparam("first"), bindparam("last")),
    )
    .group_by(MonthTotal.month)
)


def _facilities(connection: Connection, facility_id: str) -> tuple[Sequence[Row[Any]], str | None]:
    """The facility and the clinics it runs, and the signings' count of changes (``None``: none yet)."""
    rows = connection.execute(_FACILITIES, {"facility": facility_id}).all()
    changes = rows[0].changes if rows else None  # no facility: nothing is read further
    return rows, changes


def _scope(
    connection: Connection,
    rows: Sequence[Row[Any]],
    facility_id: str,
    year: int,
    policy: str | None,
    changes: str | None,
    *,
    quick: bool,
) -> FundScope:
    facility = next((row for row in rows if row.id == facility_id), None)
    if facility is None:
        raise NoFundError(f"no facility {facility_id!r}")
    clinics = (facility_id, *(row.id for row in rows if row.id != facility_id))
    chosen = policy or _remembered(
        connection, changes, ("policy", clinics, year), lambda: _policy(connection, clinics, year), quick=quick
    )
    return FundScope(facility.id, facility.name, facility.code, clinics, chosen)


def _policy(connection: Connection, clinics: Sequence[str], year: int) -> str:
    """The resident policy most of the facility's signings in the year are under: its scheme's fund."""
    book = default_book()
    resident = [p for p in book.policies if all(v.scheme is Scheme.RESIDENT for v in book.versions(p))]
    counts = connection.execute(
        select(Person.policy, func.count())
        .select_from(Signing)
        .join(Person, Person.id == Signing.person_id)
        .where(Signing.facility_id.in_(clinics), Person.policy.in_(resident), *_touching(year))
        .group_by(Person.policy)
        .order_by(func.count().desc(), Person.policy)
    ).first()
    if counts is None:
        raise NoFundError(f"no resident is signed with {clinics[0]} or its village clinics in {year}")
    return str(counts[0])


def _touching(year: int) -> tuple[ColumnElement[bool], ...]:
    # From the last day of the year before: Shaoguan's January advance counts who was signed then.
    return (
        Signing.effective_from <= dt.date(year, 12, 31),
        or_(Signing.effective_until.is_(None), Signing.effective_until >= dt.date(year - 1, 12, 31)),
        or_(Signing.effective_until.is_(None), Signing.effective_until >= Signing.effective_from),  # not withdrawn
    )


def signings(connection: Connection, scope: FundScope, year: int) -> tuple[SigningSpan, ...]:
    rules = default_signing_rules().get(scope.policy)
    renews = rules is not None and rules.renews_automatically.value
    rows = connection.execute(
        select(
            Signing.person_id,
            Person.birth_date,
            Signing.effective_from,
            Signing.effective_until,
            Signing.start_kind,
            Signing.end_kind,
        )
        .join(Person, Person.id == Signing.person_id)
        .where(Signing.facility_id.in_(scope.clinics), Person.policy == scope.policy, *_touching(year))
        .order_by(Signing.person_id, Signing.effective_from, Signing.id)
    ).all()
    later = _later_signings(connection, scope, year) if renews else set()
    spans: list[SigningSpan] = []
    for person, group in _by_person(rows):
        joined = _joined(group) if len(group) > 1 else group
        last = joined[-1]
        if renews and last.last is not None and (last.last.month, last.last.day) == (12, 31) and person not in later:
            # 南昌 第九条, 湖南 第六条: 未办理变更手续的，视为继续选定 (carried over, still signed).
            joined[-1] = last._replace(last=None, end=None)
        for span in joined:
            spans.append(span if span.start is CONTINUING and span.end is None else _as_changed(span))
    return tuple(spans)


# What was read from each store's signings (the centre's policy, its signings for a year), with
# the count of changes (``db.signings_changed``) it was read at: read again once that has moved.
# A busy centre's five thousand signings are read once, not at every opening of its fund page.
_REMEMBERED: dict[tuple[str, Hashable], tuple[str, Any]] = {}


def _remembered(
    connection: Connection, changes: str | None, key: Hashable, read: Callable[[], T], *, quick: bool = False
) -> T:
    """``read()``, or what it gave when the count of changes was last ``changes``."""
    where = (connection.engine.url.render_as_string(hide_password=True), key)
    found = _REMEMBERED.get(where)
    if changes is not None and found is not None and found[0] == changes:
        kept: T = found[1]
        return kept
    if quick:
        raise NotRememberedError(key)
    value = read()
    if changes is not None:  # no count yet (nothing changed since the migration): nothing to go by
        _REMEMBERED[where] = (changes, value)
    return value


def remembered_signings(
    connection: Connection, scope: FundScope, year: int, *, quick: bool = False
) -> tuple[SigningSpan, ...]:
    """``signings``, read again only when the database says a signing (or a signed person) changed;
    ``quick``: ``NotRememberedError`` rather than reading them."""
    return _signings_at(connection, connection.scalar(_CHANGES), scope, year, quick=quick)


def _signings_at(
    connection: Connection, changes: str | None, scope: FundScope, year: int, *, quick: bool
) -> tuple[SigningSpan, ...]:
    key = ("signings", scope.clinics, scope.policy, year)
    return _remembered(connection, changes, key, lambda: signings(connection, scope, year), quick=quick)


def _later_signings(connection: Connection, scope: FundScope, year: int) -> set[str]:
    """Persons with a signing anywhere that begins after one of theirs here ended on a 31 December."""
    found = connection.scalars(
        select(Signing.person_id)
        .join(Person, Person.id == Signing.person_id)
        .where(Person.policy == scope.policy, Signing.effective_from >= dt.date(year - 1, 1, 1))
        .where(Signing.facility_id.not_in(scope.clinics))
        .distinct()
    )
    return {str(person) for person in found}


CONTINUING = StartKind.CONTINUING
_STARTS = {kind.value: kind for kind in StartKind}
_ENDS: dict[str | None, EndKind | None] = {None: None, **{kind.value: kind for kind in EndKind}}


def _by_person(rows: Iterable[Any]) -> Iterable[tuple[str, list[SigningSpan]]]:
    """The rows (ordered by person) as each person's spans; the kinds read from dicts, not enum calls."""
    current: int | None = None
    group: list[SigningSpan] = []
    person = ""
    for person_id, birth, first, last, start, end in rows:
        if person_id != current:
            if group:
                yield person, group
            group = []
            current = person_id
            person = str(person_id)
        group.append(SigningSpan(person, first, last, birth, _STARTS[start], _ENDS[end]))
    if group:
        yield person, group


def _joined(spans: list[SigningSpan]) -> list[SigningSpan]:
    """A person's spans with the centre and its clinics, those that overlap or touch made one."""
    joined: list[SigningSpan] = []
    for span in spans:
        previous = joined[-1] if joined else None
        if previous is not None and (previous.last is None or span.first <= previous.last + ONE_DAY):
            last = None if previous.last is None or span.last is None else max(previous.last, span.last)
            end = span.end if last is not None and last == span.last else previous.end
            joined[-1] = previous._replace(last=last, end=None if last is None else end)
        else:
            joined.append(span)
    return joined


def _as_changed(span: SigningSpan) -> SigningSpan:
    """The days the contract times a move or reassignment by (see the module's docstring)."""
    if span.start is StartKind.MOVED:
        span = span._replace(first=span.first - ONE_DAY)
    if span.end is EndKind.REASSIGNED and span.last is not None:
        span = span._replace(last=span.last + ONE_DAY)
    return span


def fund_paid(connection: Connection, scope: FundScope, year: int, through: int = 12) -> dict[int, Decimal]:
    """Each month's fund share of the settlements that stand, with the agency's split where it gave one,
    up to the month ``through``."""
    bounds = {"first": dt.date(year, 1, 1), "last": dt.date(year, through, 1)}
    rows = connection.execute(_PAID, {"clinics": scope.clinics, "policy": scope.policy, **bounds})
    return {month.month: from_fen(int(fen)) for month, fen in rows}


def fund_request(
    connection: Connection,
    scope: FundScope,
    year: int,
    *,
    as_of: dt.date | None = None,
    quality_score: Decimal | None = None,
    per_head: Decimal | None = None,
    carried_in: Decimal = ZERO,
    through: int = 12,
    quick: bool = False,
    changes: str | Unread | None = Unread.UNREAD,
) -> FundRequest:
    """``changes``: the signings' count of changes, if already read in this transaction."""
    if changes is Unread.UNREAD:
        changes = connection.scalar(_CHANGES)
    return FundRequest(
        policy=scope.policy,
        year=year,
        signings=_signings_at(connection, changes, scope, year, quick=quick),
        fund_paid=fund_paid(connection, scope, year, through),
        as_of=as_of,
        quality_score=quality_score,
        per_head=per_head,
        carried_in=carried_in,
    )


def fund_position(
    store: Store,
    facility_id: str,
    year: int,
    *,
    as_of: dt.date | None = None,
    policy: str | None = None,
    book: PolicyBook | None = None,
    through: int = 12,
    quick: bool = False,
) -> tuple[FundScope, FundPosition]:
    """The facility's fund for ``year`` from its records, its spending up to the month ``through``
    (a report for May shows none of June's); ``NoFundError`` when it has none.

    ``quick``: only if the signings were read before and have not changed since — a few
    small queries, fit for the GUI thread — else ``NotRememberedError`` (read them on a worker).
    """
    book = book or default_book()
    with store.reading() as session:
        connection = session.connection()
        # Three small statements in all when the signings are remembered: fit for the GUI thread.
        facilities, changes = _facilities(connection, facility_id)
        scope = _scope(connection, facilities, facility_id, year, policy, changes, quick=quick)
        request = fund_request(connection, scope, year, as_of=as_of, through=through, quick=quick, changes=changes)
    if version_for_year(book, scope.policy, year).fund is None:
        raise NoFundError(f"{scope.policy} has no capitation fund")
    return scope, fund(request, book)
