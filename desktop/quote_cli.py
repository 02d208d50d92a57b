"""``clinic-pos quote``: the copay contract on the command line, one object or JSON Lines.

Input is read as bytes and decoded by the shared reader (``desktop.json_input``), so that
nothing a file or a pipe holds — bytes that are not UTF-8, nesting thousands deep, an
integer of thousands of digits, a lone surrogate — is more than bad input: exit 2 and one
``{"error", "field"}`` object. A batch is read line by line as bytes, each line decoded on
its own, so a bad line gets its error in its place and the lines after it their answers.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import orjson

from desktop import json_input
from desktop.input_error import InputError
from desktop.policy import NotInForceError, PolicyBook, UnknownPolicyError, load_book, quote
from desktop.policy.codec import quote_line, read_request, write_quote
from desktop.policy.plain_read import NotPlain, read_plain
from desktop.policy.types import Quote, QuoteRequest

EXIT_BAD_INPUT = 2
# Characters a JSON string may hold raw that many line readers (Python's ``splitlines`` among them)
# take for the end of a line: escaped, so that one answer is always one line. An answer holds one only
# if its line did, raw or escaped; a look at the line's bytes for what starts one (U+0085 is C2 85 in
# UTF-8, U+2028/9 E2 80 A8/9; \u0085, \u2028) costs a fraction of searching the answer's text, and a
# false alarm (“” are E2 80 9C/D) only costs the translation.
_MAY_BREAK = (b"\xc2\x85", b"\xe2\x80", b"\\u00", b"\\u20")
_ESCAPED_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _may_break(raw: bytes) -> bool:
    one, two, three, four = _MAY_BREAK
    return one in raw or two in raw or three in raw or four in raw


def quote_request(raw: Any, book: PolicyBook, *, explain: bool = True) -> Quote:
    """One decoded request to its quote; ``InputError`` names what is wrong."""
    return _quoted(read_request(raw), book, explain)


def _quoted(request: QuoteRequest, book: PolicyBook, explain: bool) -> Quote:
    try:
        return quote(request, book, explain=explain)
    except UnknownPolicyError as exc:
        raise InputError("policy", str(exc)) from None
    except NotInForceError as exc:
        raise InputError("visit_date", str(exc)) from None


def quote_json(raw: Any, book: PolicyBook, *, explain: bool = True) -> dict[str, Any]:
    """One decoded request to one result object; ``InputError`` names what is wrong."""
    return write_quote(quote_request(raw, book, explain=explain))


def _batch_request(line: bytes) -> QuoteRequest:
    """One batch line's request. orjson reads a line in half the time ``json`` takes and is as
    strict (UTF-8, no NaN, no lone surrogate), and a plain line (``plain_read``) means the same
    to both; anything else — also what orjson reads otherwise, such as an integer past 64 bits,
    which it makes a float — is read again by the shared reader for the careful one, so that
    its value and its errors are the shared reader's."""
    try:
        return read_plain(orjson.loads(line))
    except (orjson.JSONDecodeError, NotPlain):
        return read_request(json_input.loads(json_input.decode(line)))


def run_one(data: bytes | str, book: PolicyBook, out: TextIO, err: TextIO, *, explain: bool = True) -> int:
    try:
        raw = json_input.load_bytes(data) if isinstance(data, bytes) else json_input.loads(data)
        result = quote_json(raw, book, explain=explain)
    except InputError as exc:
        err.write(json.dumps(exc.as_json(), ensure_ascii=False) + "\n")
        return EXIT_BAD_INPUT
    out.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0


def run_batch(lines: Iterable[bytes | str], book: PolicyBook, out: TextIO, *, explain: bool = True) -> int:
    """One result line per input line, in order; a bad line gets an error object and the batch goes on."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    write = out.write
    for number, line in enumerate(lines, start=1):
        raw = line if isinstance(line, bytes) else line.encode("utf-8", "surrogatepass")
        try:
            text = quote_line(_quoted(_batch_request(raw.rstrip(b"\r\n")), book, explain))
        except InputError as exc:
            text = dumps({**exc.as_json(), "line": number})
        if _may_break(raw):
            text = text.translate(_ESCAPED_BREAKS)
        write(text + "\n")  # one write a line: each call into the text layer costs more than the copy
    return 0


def main(file: str | None, batch: bool, policy_dirs: list[str], *, explain: bool = True) -> int:
    try:
        book = load_book(_policy_dirs(policy_dirs))
    except ValueError as exc:
        sys.stderr.write(json.dumps({"error": str(exc), "field": "(policy files)"}, ensure_ascii=False) + "\n")
        return EXIT_BAD_INPUT
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    source: BinaryIO
    try:
        source = open(file, "rb") if file and file != "-" else sys.stdin.buffer  # noqa: SIM115
    except OSError as exc:
        message = {"error": f"cannot read {json_input.show(str(file))}: {exc.strerror}", "field": "(input)"}
        sys.stderr.write(json.dumps(message, ensure_ascii=False) + "\n")
        return EXIT_BAD_INPUT
    with source:
        if batch:
            return run_batch(source, book, sys.stdout, explain=explain)
        return run_one(source.read(), book, sys.stdout, sys.stderr, explain=explain)


def _policy_dirs(given: list[str]) -> list[str]:
    import os

    from desktop.policy.parameters import POLICY_DIRS_ENV, downloaded_policy_dir

    downloaded = downloaded_policy_dir()  # the agency's files, as the counter reads them
    from_env = [d for d in os.environ.get(POLICY_DIRS_ENV, "").split(os.pathsep) if d]
    return [*([str(downloaded)] if downloaded.is_dir() else []), *from_env, *(str(Path(d)) for d in given)]
