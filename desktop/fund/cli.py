"""``clinic-pos fund``: the fund contract on the command line, one object or JSON Lines.

Bad input behaves as ``quote``'s: exit 2, nothing on standard output, one
``{"error", "field"}`` object on standard error; in a batch a bad line answers in its
place (with its ``line``) and the batch goes on. Input is read as bytes and decoded by
``desktop.json_input``, so no byte sequence, number or nesting can break the command.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any, BinaryIO, TextIO

from desktop import json_input
from desktop.fund.codec import read_fund_request, read_header, write_position
from desktop.fund.engine import fund, version_for_year
from desktop.fund.types import FundRequest
from desktop.policy import PolicyBook, load_book
from desktop.policy.codec import InputError

EXIT_BAD_INPUT = 2


def fund_json(raw: Any, book: PolicyBook) -> dict[str, Any]:
    """One decoded request to one result object; ``InputError`` names what is wrong."""
    return write_position(fund(read_request(raw, book), book))


def read_request(raw: Any, book: PolicyBook) -> FundRequest:
    """The request, reading only the fields its policy's method uses (the contract: others are ignored)."""
    policy, year = read_header(raw)
    rules = version_for_year(book, policy, year).fund
    if rules is None:
        raise InputError("policy", f"{policy} has no capitation fund; the fund contract covers the resident schemes")
    return read_fund_request(raw, rules.method.value)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def run_one(data: bytes, book: PolicyBook, out: TextIO, err: TextIO) -> int:
    try:
        result = fund_json(json_input.load_bytes(data), book)
    except InputError as exc:
        err.write(_dumps(exc.as_json()) + "\n")
        return EXIT_BAD_INPUT
    out.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0


def run_batch(source: Iterable[bytes], book: PolicyBook, out: TextIO) -> int:
    """One result line per input line, in order; a bad line gets an error object and the batch goes on."""
    compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for number, line in json_input.lines(source):
        try:
            if isinstance(line, InputError):
                raise line
            text = compact(fund_json(json_input.loads(line), book))
        except InputError as exc:
            text = compact({**exc.as_json(), "line": number})
        out.write(text + "\n")
    return 0


def main(file: str | None, batch: bool, policy_dirs: list[str]) -> int:
    from desktop.quote_cli import _policy_dirs

    try:
        book = load_book(_policy_dirs(policy_dirs))
    except ValueError as exc:
        sys.stderr.write(_dumps({"error": str(exc), "field": "(policy files)"}) + "\n")
        return EXIT_BAD_INPUT
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    source: BinaryIO
    try:
        source = open(file, "rb") if file and file != "-" else sys.stdin.buffer  # noqa: SIM115
    except OSError as exc:
        sys.stderr.write(_dumps({"error": f"cannot read {file}: {exc.strerror}", "field": "(input)"}) + "\n")
        return EXIT_BAD_INPUT
    with source:
        if batch:
            return run_batch(source, book, sys.stdout)
        return run_one(source.read(), book, sys.stdout, sys.stderr)
