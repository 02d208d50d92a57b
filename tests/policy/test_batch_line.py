"""`quote --batch` writes each quote as text built directly; it must equal the JSON encoding of the result."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.policy import load_book
from desktop.policy.codec import quote_line, write_quote
from desktop.quote_cli import quote_request
from tests.policy.builders import Json
from tests.policy.strategies import visits

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
