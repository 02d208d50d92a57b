"""The quick reader of plain requests agrees with the careful one, or steps aside for it."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.policy.codec import InputError, _read_checked, read_request
from desktop.policy.plain_read import NotPlain, read_plain
from tests.policy.builders import Json
from tests.policy.strategies import visits

FEW = settings(max_examples=150, deadline=None, database=None)

json_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 5),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", " ", "0.00", "12.5", "12.50", "1.005", "-1.00", "2024-02-30", "2024-05-10", "A", "C", "drug"]),
    st.sampled_from(["village_clinic", "newborn", "retired", "work_injury", "T01", "１２.５０"]),
    st.lists(st.sampled_from(["T01", "", 3]), max_size=2),
    st.dictionaries(
        st.sampled_from(["kind", "class", "amount", "x"]), st.sampled_from(["drug", "A", "1.00"]), max_size=3
    ),
)


def paths(body: Json) -> list[tuple[str, ...]]:
    """Every key path in the request, items included, and a few that are not there."""
    found: list[tuple[str, ...]] = []

    def walk(node: Any, trail: tuple[str, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                found.append((*trail, key))
                walk(value, (*trail, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                found.append((*trail, str(index)))
                walk(value, (*trail, str(index)))

    walk(body, ())
    return [*found, ("extra",), ("patient", "extra"), ("facility", "level")]


def put(body: Json, path: tuple[str, ...], value: Any) -> Json:
    changed = copy.deepcopy(body)
    node: Any = changed
    for key in path[:-1]:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(path[-1])] = value
    else:
        node[path[-1]] = value
    return changed


@FEW
@given(visits())
def test_plain_requests_read_the_same_both_ways(body: Json) -> None:
    assert read_plain(body) == _read_checked(body, None)


@FEW
@given(visits(), st.data(), json_values)
def test_an_odd_value_is_either_read_the_same_or_left_to_the_careful_reader(body: Json, data: Any, value: Any) -> None:
    path = data.draw(st.sampled_from(paths(body)))
    odd = put(body, path, value)
    try:
        quick = read_plain(odd)
    except NotPlain:
        return
    assert quick == _read_checked(odd, None), f"{'.'.join(path)} = {value!r}"


def test_the_quick_reader_declines_what_the_careful_reader_refuses() -> None:
    body: Json = {
        "policy": "hunan-resident",
        "visit_date": "2024-05-10",
        "patient": {"birth_date": "1970-01-01"},
        "facility": {"id": "V20", "kind": "village_clinic"},
        "visit": {"items": [{"kind": "drug", "class": "A", "amount": "12.345"}]},
    }
    with pytest.raises(NotPlain):
        read_plain(body)
    with pytest.raises(InputError) as caught:
        read_request(body)
    assert caught.value.field == "visit.items.0.amount"


def test_an_unusual_but_valid_amount_is_read_by_the_careful_reader() -> None:
    body: Json = {
        "policy": "hunan-resident",
        "visit_date": "2024-05-10",
        "patient": {"birth_date": "1970-01-01"},
        "facility": {"id": "V20", "kind": "village_clinic"},
        "visit": {"items": [{"kind": "drug", "class": "A", "amount": "12.5"}]},
    }
    with pytest.raises(NotPlain):
        read_plain(body)
    assert str(read_request(body).visit.items[0].amount) == "12.50"


def test_unknown_policy_is_refused_after_a_plain_read() -> None:
    body: Json = {
        "policy": "nowhere",
        "visit_date": "2024-05-10",
        "patient": {"birth_date": "1970-01-01"},
        "facility": {"id": "V20", "kind": "village_clinic"},
    }
    with pytest.raises(InputError) as caught:
        read_request(body, known_policy=lambda name: name == "hunan-resident")
    assert caught.value.field == "policy"


def test_a_remembered_facility_never_stands_in_for_an_odd_one() -> None:
    """Facilities are kept between lines; true must not pass for 1 (they hash and compare alike), nor 1 for true."""
    body: Json = {
        "policy": "hunan-resident",
        "visit_date": "2024-05-10",
        "patient": {"birth_date": "1970-01-01"},
        "facility": {"id": "V20", "kind": "village_clinic", "level": 1, "in_city": True, "designated": True},
    }
    first = read_plain(body)
    assert read_plain(copy.deepcopy(body)).facility == first.facility == _read_checked(body, None).facility
    for key, value in [("level", True), ("level", 1.0), ("in_city", 1), ("designated", 1.0)]:
        with pytest.raises(NotPlain):
            read_plain(put(body, ("facility", key), value))
