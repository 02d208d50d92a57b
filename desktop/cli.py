"""The ``clinic-pos`` command: the counter window by default, and subcommands for scripts.

Each subcommand imports only what it needs, so that ``clinic-pos quote`` starts fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clinic-pos", description="Outpatient counter for township and village clinics."
    )
    sub = parser.add_subparsers(dest="command")
    q = sub.add_parser("quote", help="copay quote for one visit (JSON in, JSON out)")
    q.add_argument("file", nargs="?", help="JSON file; standard input when left out")
    q.add_argument("--batch", action="store_true", help="JSON Lines in, one result line per input line")
    q.add_argument(
        "--policy-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="extra directory of policy files (a county's own); may be repeated",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "quote":
        from desktop import quote_cli

        return quote_cli.main(args.file, args.batch, args.policy_dir)
    _parser().print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
