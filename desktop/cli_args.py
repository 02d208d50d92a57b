"""Command-line arguments that fail as the rest of the commands do: one JSON object.

Every ``clinic-pos`` command reports bad input as ``{"error", "field"}`` on standard
error with exit status 2; a script driving them reads one shape whether the visit or an
option was wrong. ``--help`` still prints argparse's own text on standard output.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from typing import NoReturn

EXIT_BAD_INPUT = 2
_NAMED = (
    re.compile(r"^argument ([^:]+?)(?:/[^:]*)?: "),  # argument --settlement: invalid int value: 'x'
    re.compile(r"required: ([^\s,]+)"),  # the following arguments are required: --db, --reason
    re.compile(r"^unrecognized arguments: (\S+)"),
    re.compile(r"^one of the arguments (\S+)"),  # one of the arguments --id-number --card --qr is required
)


def field_of(message: str) -> str:
    """The option argparse's message is about, named as the commands' own errors name it
    (``--id-number`` is ``id_number``); ``(arguments)`` when it names none."""
    for pattern in _NAMED:
        found = pattern.search(message)
        if found:
            return found.group(1).lstrip("-").replace("-", "_")
    return "(arguments)"


class JsonArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one ``{"error", "field"}`` line, exit 2; its sub-parsers too."""

    def error(self, message: str) -> NoReturn:
        error = {"error": f"{self.prog}: {message}", "field": field_of(message)}
        sys.stderr.write(json.dumps(error, ensure_ascii=False) + "\n")
        sys.exit(EXIT_BAD_INPUT)


# --- option values that cannot break a command ------------------------------------------
# argparse reports an ArgumentTypeError as "argument --reason: …", named like any other.

MAX_ROW_ID = 2**63 - 1  # the largest key SQLite and PostgreSQL store


def _shown(value: str, limit: int = 40) -> str:
    text = value.encode("utf-8", "backslashreplace").decode("utf-8")
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}… ({len(text):,} characters)"


def text_option(limit: int | None = None, *, controls: bool = False) -> Callable[[str], str]:
    """An option's text: UTF-8 (a byte that is not arrives as a lone surrogate), no control
    characters (unless ``controls``: what a scanner types, read by the identity check),
    at most ``limit`` characters."""

    def read(value: str) -> str:
        for index, character in enumerate(value):
            if "\udc80" <= character <= "\udcff":
                raise argparse.ArgumentTypeError(
                    f"is not UTF-8 text: byte 0x{ord(character) - 0xDC00:02X} at character {index + 1}"
                )
            if not controls and not character.isprintable() and character not in " \u3000":
                raise argparse.ArgumentTypeError(f"holds a control character (U+{ord(character):04X}) at {index + 1}")
        if limit is not None and len(value) > limit:
            raise argparse.ArgumentTypeError(f"{_shown(value)} is longer than {limit} characters")
        return value

    return read


def row_id(value: str) -> int:
    """A record's id: a whole number from 1 to the largest key the store holds."""
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ROW_ID)) or not 1 <= int(text) <= MAX_ROW_ID:
        raise argparse.ArgumentTypeError(f"{_shown(value)} is not a record id (a whole number from 1)")
    return int(text)
