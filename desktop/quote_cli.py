"""``clinic-pos quote``: the copay contract on the command line, one object or JSON Lines."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

import orjson

from desktop.policy import NotInForceError, PolicyBook, UnknownPolicyError, load_book, quote
from desktop.policy.codec import InputError, quote_line, read_request, write_quote
from desktop.policy.plain_read import NotPlain, read_plain
from desktop.policy.types import Quote, QuoteRequest

EXIT_BAD_INPUT = 2


def quote_request(raw: Any, book: PolicyBook) -> Quote:
    """One decoded request to its quote; ``InputError`` names what is wrong."""
    return _quoted(read_request(raw), book)


def _quoted(request: QuoteRequest, book: PolicyBook) -> Quote:
    try:
        return quote(request, book)
    except UnknownPolicyError as exc:
        raise InputError("policy", str(exc)) from None
    except NotInForceError as exc:
        raise InputError("visit_date", str(exc)) from None


def quote_json(raw: Any, book: PolicyBook) -> dict[str, Any]:
    """One decoded request to one result object; ``InputError`` names what is wrong."""
    return write_quote(quote_request(raw, book))


def _decode(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("(input)", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None


def _batch_request(line: str) -> QuoteRequest:
    """One batch line's request. orjson reads a line in half the time ``json`` takes, and a
    plain line (``plain_read``) means the same to both; anything else — also what orjson
    reads otherwise, such as an integer past 64 bits, which it makes a float — is read
    again by ``json`` for the careful reader, so that its value and its errors are ``json``'s."""
    try:
        return read_plain(orjson.loads(line))
    except (orjson.JSONDecodeError, NotPlain):
        return read_request(_decode(line))


def run_one(text: str, book: PolicyBook, out: TextIO, err: TextIO) -> int:
    try:
        result = quote_json(_decode(text), book)
    except InputError as exc:
        err.write(json.dumps(exc.as_json(), ensure_ascii=False) + "\n")
        return EXIT_BAD_INPUT
    out.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0


def run_batch(lines: Iterable[str], book: PolicyBook, out: TextIO) -> int:
    """One result line per input line, in order; a bad line gets an error object and the batch goes on."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    write = out.write
    for number, line in enumerate(lines, start=1):
        try:
            text = quote_line(_quoted(_batch_request(line.rstrip("\r\n")), book))
        except InputError as exc:
            text = dumps({**exc.as_json(), "line": number})
        write(text + "\n")  # one write a line: each call into the text layer costs more than the copy
    return 0


def main(file: str | None, batch: bool, policy_dirs: list[str]) -> int:
    try:
        book = load_book(_policy_dirs(policy_dirs))
    except ValueError as exc:
        sys.stderr.write(json.dumps({"error": str(exc), "field": "(policy files)"}, ensure_ascii=False) + "\n")
        return EXIT_BAD_INPUT
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    source: TextIO
    try:
        source = open(file, encoding="utf-8") if file and file != "-" else sys.stdin  # noqa: SIM115
    except OSError as exc:
        sys.stderr.write(json.dumps({"error": f"cannot read {file}: {exc.strerror}", "field": "(input)"}) + "\n")
        return EXIT_BAD_INPUT
    with source:
        if batch:
            return run_batch(source, book, sys.stdout)
        return run_one(source.read(), book, sys.stdout, sys.stderr)


def _policy_dirs(given: list[str]) -> list[str]:
    import os

    from desktop.policy.parameters import POLICY_DIRS_ENV, downloaded_policy_dir

    downloaded = downloaded_policy_dir()  # the agency's files, as the counter reads them
    from_env = [d for d in os.environ.get(POLICY_DIRS_ENV, "").split(os.pathsep) if d]
    return [*([str(downloaded)] if downloaded.is_dir() else []), *from_env, *(str(Path(d)) for d in given)]
