"""What the audit chain seals, declared on the models as data.

A table whose ``info`` carries ``Chained`` has every row sealed into the audit chain by
the entry that wrote it: the entry holds a digest of the row's columns, and
``clinic-pos audit verify`` reads the row again and compares. A column whose ``info``
carries ``Unchained`` is left out of that digest, with the reason why: it legitimately
changes after the row was written, by someone other than the staff member who wrote it
(the agency's answer, stored by sync) or as the program's own bookkeeping. A new table or
column is covered by declaring it here on the model; the chain's code reads these
declarations and names no table.
"""

from __future__ import annotations

from dataclasses import dataclass

AUDIT = "audit"  # the key in a table's or a column's ``info``


@dataclass(frozen=True, slots=True)
class Chained:
    """Table info: each row is sealed by the audit entry that writes (or rewrites) it.

    ``bookkeeping_keys``: rows whose primary key starts with one of these are the
    program's own running state (a lease, a counter) and stay outside the chain.
    """

    why: str
    bookkeeping_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Unchained:
    """Column info: left out of the row's digest, for the reason given."""

    why: str


SET_BY_SYNC = Unchained("the agency's answer, stored by sync after the row was sealed")
DELIVERY = Unchained("the relay's delivery state: attempts, errors and answers as they come")
AGENCY_FIGURES = Unchained("the agency's figures for the person, replaced by sync's refresh (5206/1101)")
