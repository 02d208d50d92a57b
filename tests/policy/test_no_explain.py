"""The lean quote (``explain=False``, ``quote --no-explain``): the same figures, no sentences."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import given, settings

from desktop.policy import load_book, quote
from desktop.policy.codec import read_request
from tests.policy.builders import Json
from tests.policy.strategies import any_visits
from tests.policy.test_bad_input import FULL

BOOK = load_book()


@settings(max_examples=200, deadline=None, database=None)
@given(any_visits())
def test_a_lean_quote_has_the_explained_quotes_figures(body: Json) -> None:
    request = read_request(body)
    explained = quote(request, BOOK)
    lean = quote(request, BOOK, explain=False)
    assert explained.explanation
    assert lean.explanation == ()
    assert lean == explained._replace(explanation=())


def test_cli_no_explain_leaves_out_only_the_sentences() -> None:
    line = json.dumps(FULL, ensure_ascii=False) + "\n"
    runs = [
        subprocess.run(
            [sys.executable, "-m", "desktop.cli", "quote", "--batch", *flags],
            input=line * 2,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
        )
        for flags in ((), ("--no-explain",))
    ]
    explained, lean = ([json.loads(row) for row in run.stdout.splitlines()] for run in runs)
    assert len(lean) == 2
    assert lean[0]["explanation"] == []
    assert explained[0]["explanation"]
    assert lean[0] == {**explained[0], "explanation": []}
