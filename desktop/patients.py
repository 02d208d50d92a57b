"""Who a visit was for: a person on the roster, or a walk-in seen for self-pay (自费).

A visit names exactly one of the two (``ck_visit_one_patient``); a query that lists
visits joins both, outer, with ``with_patient``, and reads the columns here.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, func, literal

from db.models import Person, Visit, WalkIn

S = TypeVar("S", bound=Select[*tuple[Any, ...]])

NAME = func.coalesce(Person.name, WalkIn.name)
ID_NUMBER = func.coalesce(Person.id_number, WalkIn.id_number)
PHONE = func.coalesce(Person.phone, WalkIn.phone)
HOUSEHOLD_HEAD = func.coalesce(Person.household_head, literal(""))
ADDRESS = func.coalesce(Person.address, literal(""))


def with_patient(statement: S) -> S:
    """``statement`` (which has ``Visit`` in it) joined to the visit's person or walk-in."""
    return statement.outerjoin(Person, Person.id == Visit.person_id).outerjoin(WalkIn, WalkIn.id == Visit.walk_in_id)
