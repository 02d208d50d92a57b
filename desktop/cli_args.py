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
