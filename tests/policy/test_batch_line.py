"""`quote --batch` writes each quote as text built directly; it must equal the JSON encoding of the result."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop import json_input
from desktop.policy import NotInForceError, UnknownPolicyError, load_book, quote
from desktop.policy.codec import InputError, _read_checked, quote_line, write_quote
from desktop.quote_cli import quote_request, run_batch
from tests.policy.builders import Json
from tests.policy.strategies import visits
from tests.policy.test_plain_read import json_values, paths, put

BOOK = load_book()
compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

# Free text a catalogue might hold: quotes, backslashes, control characters, separators, astral characters.
free_text = st.text(alphabet=st.sampled_from(['"', "\\", "\n", "\t", "\x00", "\x1f", "\u2028", "阿", "a", "😷", "/"]))


@settings(max_examples=150, deadline=None, database=None)
@given(visits(), st.data())
def test_batch_line_is_the_json_of_the_result(body: Json, data: st.DataObject) -> None:
    for entry in body["visit"]["items"]:
        entry["name"] = data.draw(free_text)
        entry["code"] = data.draw(free_text)
    result = quote_request(body, BOOK)
    line = quote_line(result)
    assert line == compact(write_quote(result))
    assert "\n" not in line
    assert json.loads(line) == json.loads(compact(write_quote(result)))


def careful_line(body: Any, number: int) -> str:
    """One batch line the slow way: the careful reader, the engine, and the encoded result object."""
    try:
        request = _read_checked(body, None)
        try:
            result = quote(request, BOOK)
        except UnknownPolicyError as exc:
            raise InputError("policy", str(exc)) from None
        except NotInForceError as exc:
            raise InputError("visit_date", str(exc)) from None
    except InputError as exc:
        return compact({**exc.as_json(), "line": number})
    return compact(write_quote(result))


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(visits(), min_size=1, max_size=4), st.data())
def test_a_batch_says_what_the_careful_path_says(bodies: list[Json], data: st.DataObject) -> None:
    """Quick reader, remembered values and the direct writer together, plain lines and odd ones mixed."""
    lines: list[Any] = [
        put(body, data.draw(st.sampled_from(paths(body))), data.draw(json_values)) if data.draw(st.booleans()) else body
        for body in bodies
    ]
    out = io.StringIO()
    run_batch([json.dumps(line, ensure_ascii=False) + "\n" for line in lines], BOOK, out)
    assert out.getvalue().splitlines() == [careful_line(line, n) for n, line in enumerate(lines, start=1)]


def careful_text(text: str, number: int) -> str:
    """One batch line read by the shared reader alone, then the careful path."""
    try:
        body = json_input.loads(text)
    except InputError as exc:
        return compact({**exc.as_json(), "line": number})
    return careful_line(body, number)


@settings(max_examples=100, deadline=None, database=None)
@given(visits(), st.data())
def test_lines_orjson_reads_otherwise_than_json_are_read_as_json_reads_them(body: Json, data: st.DataObject) -> None:
    """orjson reads a batch line first: an integer past 64 bits becomes a float there, NaN and a
    lone surrogate are refused; each such line must still say what the shared reader makes of it."""
    path = data.draw(st.sampled_from(paths(body)))
    odd = data.draw(st.sampled_from(["18446744073709551616", "-9223372036854775809", "NaN", '"\\ud800"', "1e400"]))
    text = json.dumps(put(body, path, "@@"), ensure_ascii=False).replace('"@@"', odd)
    out = io.StringIO()
    run_batch([text + "\n"], BOOK, out)
    assert out.getvalue().splitlines() == [careful_text(text, 1)]
