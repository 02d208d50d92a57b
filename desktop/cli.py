"""The ``clinic-pos`` command: the counter window by default, and subcommands for scripts.

Each subcommand imports only what it needs, so that ``clinic-pos quote`` starts fast.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from desktop.cli_args import JsonArgumentParser, row_id, text_option
from desktop.privacy import mask_log_records
from desktop.store_cli import add_store_commands

if TYPE_CHECKING:
    from desktop.cli_auth import Credentials


def _signs_in(parser: argparse.ArgumentParser, what: str = "acting") -> None:
    """The options a command that writes signs its staff member in with (see desktop.cli_auth)."""
    parser.add_argument(
        "--staff",
        type=text_option(40),
        help=f"username of the staff member {what} (asked for the password; or set CLINIC_POS_TOKEN)",
    )
    parser.add_argument(
        "--password-file", type=text_option(), metavar="FILE", help="the password on the first line of FILE (mode 600)"
    )


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, type=text_option(), help="database file or SQLAlchemy URL")


@functools.cache  # built once: argparse looks up its own translations for every option it adds
def _parser() -> argparse.ArgumentParser:
    parser = JsonArgumentParser(prog="clinic-pos", description="Outpatient counter for township and village clinics.")
    parser.add_argument("--db", help="database file or SQLAlchemy URL for the counter window (default: the demo)")
    sub = parser.add_subparsers(dest="command")
    q = sub.add_parser("quote", help="copay quote for one visit (JSON in, JSON out)")
    q.add_argument("file", nargs="?", help="JSON file; standard input when left out")
    q.add_argument("--batch", action="store_true", help="JSON Lines in, one result line per input line")
    q.add_argument(
        "--no-explain", action="store_true", help="leave out the explanation: the figures only, for batch work"
    )
    q.add_argument(
        "--policy-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="extra directory of policy files (a county's own); may be repeated",
    )
    _fund_and_report(sub)
    c = sub.add_parser("check", help="identity check from the local roster (JSON out)")
    _db(c)
    who = c.add_mutually_exclusive_group(required=True)
    who.add_argument("--id-number", type=text_option(40, controls=True), help="resident ID number (18 characters)")
    who.add_argument("--card", type=text_option(64, controls=True), help="social security card number")
    who.add_argument("--qr", type=text_option(512, controls=True), help="e-voucher QR code text as scanned")
    c.add_argument("--facility", type=text_option(20), help="facility id (default: this installation's)")
    c.add_argument("--date", help="day of the visit, YYYY-MM-DD (default: today in China)")
    c.add_argument("--stale-days", help="days after which the roster counts as stale (default 7)")
    c.add_argument("--online", action="store_true", help="ask the agency too (1101): resolves e-vouchers")
    _signs_in(c, "asking the agency (with --online)")
    d = sub.add_parser("demo", help="create a demo database: a township centre, villages, roster, a year of visits")
    d.add_argument("--db", required=True, help="SQLite file to create (must not exist yet)")
    d.add_argument("--people", type=int, default=300, help="roster size (default 300)")
    s = sub.add_parser("settle", help="settle one visit (JSON in), print the stored settlement (JSON out)")
    _db(s)
    s.add_argument("file", nargs="?", type=text_option(), help="JSON file; standard input when left out")
    _signs_in(s, "settling")
    s.add_argument(
        "--confirm-prices",
        action="store_true",
        help="a price of 0, or far from the catalogue's, in the visit is meant (recorded in the audit)",
    )
    r = sub.add_parser("reverse", help="reverse (冲正) a settlement, keeping the original")
    _db(r)
    r.add_argument("--settlement", type=row_id, required=True, help="settlement id")
    r.add_argument("--reason", type=text_option(200), required=True, help="why it is reversed")
    _signs_in(r, "reversing")
    y = sub.add_parser("sync", help="one full sync with the agency: send the outbox, bring back what it knows")
    _db(y)
    y.add_argument(
        "--agency", type=text_option(500), help="the agency's address, https (remembered; administrators only)"
    )
    _signs_in(y, "syncing")
    y.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for one answer (default 20)")
    y.add_argument(
        "--give-up-after", type=int, default=10, help="failed calls in a row before the run ends offline (default 10)"
    )
    y.add_argument("--workers", type=int, default=8, help="settlements sent at once (default 8)")
    k = sub.add_parser("credentials", help="the facility's SM2 signing key in the OS keyring")
    k.add_argument(
        "action",
        choices=["generate", "set", "check"],
        help="generate: a new key pair; set: an SM2 private key (PEM) on standard input; check: print the public key",
    )
    k.add_argument("--facility", type=text_option(20), required=True, help="agency facility code (or a facility id)")
    k.add_argument("--db", type=text_option(), help="the store (generate, set: whose administrator signs in)")
    _signs_in(k, "generating or setting the key (an administrator)")
    _staff_commands(sub)
    _mapping_commands(sub)
    add_store_commands(sub, _signs_in)
    return parser


def _mapping_commands(sub: Any) -> None:
    """``catalogue`` (医保目录对照) and ``staff`` (practitioner codes): ``desktop.mapping_cli``."""
    g = sub.add_parser("catalogue", help="the catalogue mapping (医保目录对照): local items to national codes")
    g.add_argument("action", choices=["list", "search", "propose", "map", "unmap"])
    _db(g)
    g.add_argument("--item", type=text_option(50), help="the clinic's item code (search: its candidates; map, unmap)")
    g.add_argument("--text", type=text_option(100), help="search: name, pinyin initials or national code")
    g.add_argument("--national", type=text_option(50), help="map: the national code (med_list_codg)")
    _signs_in(g, "reviewing (map, unmap, propose; an administrator)")
    f = sub.add_parser("staff", help="staff records: the practitioner code (医保医师代码) of a doctor")
    f.add_argument("action", choices=["list", "practitioner"])
    _db(f)
    f.add_argument("--user", type=text_option(40), help="practitioner: the doctor's username")
    f.add_argument(
        "--code", type=text_option(30), help="practitioner: the code (D + division + serial), or empty to clear"
    )
    _signs_in(f, "making the change (an administrator)")


def _staff_commands(sub: Any) -> None:
    i = sub.add_parser("sign-in", help="sign in once for a script: prints a short-lived token for CLINIC_POS_TOKEN")
    _db(i)
    i.add_argument("--staff", type=text_option(40), required=True, help="username (asked for the password)")
    i.add_argument("--password-file", type=text_option(), metavar="FILE", help="the password on the first line")
    o = sub.add_parser("sign-out", help="end the sign-in token in CLINIC_POS_TOKEN")
    _db(o)
    o.add_argument("--all", action="store_true", help="end every token of the staff member it signs in")
    g = sub.add_parser("settings", help="show the settings, or change one (administrators)")
    _db(g)
    g.add_argument("--set", type=text_option(600), metavar="KEY=VALUE", help="change one setting")
    _signs_in(g, "changing it (an administrator)")


# Commands that write to the store pass the start-up check first (desktop/store_cli.py).
_WRITERS = frozenset(
    {"settle", "reverse", "sync", "sign-in", "sign-out", "settings", "warning-thresholds", "catalogue", "staff"}
)


def _fund_and_report(sub: argparse._SubParsersAction[JsonArgumentParser]) -> None:
    """The fund engine and the reports (desktop.fund, desktop.reports)."""
    f = sub.add_parser("fund", help="a facility's capitation budget for a year (JSON in, JSON out)")
    f.add_argument("file", nargs="?", help="JSON file; standard input when left out")
    f.add_argument("--batch", action="store_true", help="JSON Lines in, one result line per input line")
    f.add_argument(
        "--policy-dir",
        action="append",
        default=[],
        metavar="DIR",
        help="extra directory of policy files (a county's own); may be repeated",
    )
    p = sub.add_parser(
        "report", help="a report as PDF, Excel workbook or JSON: monthly, ledger, day-close, fund, warnings"
    )
    p.add_argument("kind", choices=["monthly", "ledger", "day-close", "fund", "warnings"], help="which report")
    p.add_argument("--db", required=True, help="database file or SQLAlchemy URL")
    p.add_argument("--facility", required=True, help="facility id (a centre's report covers its village clinics)")
    p.add_argument("--period", required=True, help="month as 2024-05 (a day as 2024-05-10 for day-close or ledger)")
    p.add_argument("--format", required=True, choices=["pdf", "xlsx", "json"], dest="fmt", help="the file's kind")
    p.add_argument("--out", help="file to write (json: standard output when left out)")
    p.add_argument("--staff", help="username of the staff member making the report (named on it)")
    w = sub.add_parser("warning-thresholds", help="show, or set, the early warnings' thresholds (JSON out)")
    w.add_argument("--db", required=True, help="database file or SQLAlchemy URL")
    w.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="e.g. antibiotic_share_limit=0.25")
    _signs_in(w, "setting them (an administrator)")


def _fund_command(args: argparse.Namespace) -> int:
    if args.command == "fund":
        from desktop.fund import cli as fund_cli

        return fund_cli.main(args.file, args.batch, args.policy_dir)
    if args.command == "warning-thresholds":
        from desktop.reports.thresholds import thresholds_main

        return thresholds_main(args.db, args.set, _credentials(args) if args.set else None)
    from desktop.reports.cli import report_main

    return report_main(args.kind, args.db, args.facility, args.period, args.fmt, args.out, args.staff)


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line, or exit 2 with one ``{"error", "field"}`` object on standard error."""
    return _parser().parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    mask_log_records()  # whatever any module logs, an ID number leaves the process masked
    try:
        return _run(args)
    except Exception as exc:
        # The machine saying no (a locked store, a full disk, a read-only file): a plain
        # message and its own exit status instead of a traceback. Anything else is a bug.
        from desktop.machine import diagnose

        refused = diagnose(exc, getattr(args, "db", None))
        if refused is None:
            raise
        sys.stderr.write(json.dumps(refused.as_json(), ensure_ascii=False) + "\n")
        return refused.exit_status


def _startup_check(db: str) -> int | None:
    """A file that is no clinic store is refused as bad input, untouched; then the store's own
    start-up check (integrity, pragmas, the audit chain) before anything is written."""
    from desktop.store_cli import startup_check
    from desktop.store_file import refuse_foreign

    refused = refuse_foreign(db)
    if refused is not None:
        sys.stderr.write(json.dumps(refused.as_json(), ensure_ascii=False) + "\n")
        return 2
    return startup_check(db)


def _credentials(args: argparse.Namespace) -> Credentials:
    from desktop.cli_auth import Credentials

    return Credentials.given(args.staff, args.password_file)


def _run(args: argparse.Namespace) -> int:
    if args.command in _WRITERS:
        refused = _startup_check(args.db)
        if refused is not None:
            return refused
    if args.command in {"audit", "backup", "restore", "encrypt", "store-key"}:
        return _store_command(args)
    if args.command == "quote":
        from desktop import quote_cli

        return quote_cli.main(args.file, args.batch, args.policy_dir, explain=not args.no_explain)
    if args.command in ("fund", "report", "warning-thresholds"):
        return _fund_command(args)
    if args.command == "check":
        from desktop.identity.cli import check_main

        return check_main(
            args.db,
            id_number=args.id_number,
            card=args.card,
            qr=args.qr,
            facility=args.facility,
            date=args.date,
            stale_days=args.stale_days,
            online=_credentials(args) if args.online else None,
        )
    if args.command == "demo":
        from desktop.demo import demo_main

        return demo_main(args.db, args.people)
    if args.command == "settle":
        from desktop.settlement.cli import settle_main

        return settle_main(args.db, args.file, _credentials(args), confirm_prices=args.confirm_prices)
    if args.command == "reverse":
        from desktop.settlement.cli import reverse_main

        return reverse_main(args.db, args.settlement, args.reason, _credentials(args))
    if args.command == "sync":
        from desktop.sync.cli import sync_main

        return sync_main(args.db, args.agency, _credentials(args), args.timeout, args.give_up_after, args.workers)
    if args.command == "credentials":
        from desktop.sync.cli import credentials_main

        return credentials_main(args.action, args.facility, args.db, _credentials(args))
    if args.command in {"sign-in", "sign-out", "settings", "catalogue", "staff"}:
        return _staff_command(args)
    from desktop.ui.app import main as counter

    return counter(args.db)


def _mapping_command(args: argparse.Namespace) -> int:
    from desktop.mapping_cli import catalogue_main, staff_main

    if args.command == "catalogue":
        return catalogue_main(args.action, args.db, args.item, args.text, args.national, _credentials(args))
    return staff_main(args.action, args.db, args.user, args.code, _credentials(args))


def _staff_command(args: argparse.Namespace) -> int:
    if args.command in ("catalogue", "staff"):
        return _mapping_command(args)
    from desktop import staff_cli

    if args.command == "sign-in":
        return staff_cli.sign_in_main(args.db, args.staff, args.password_file)
    if args.command == "sign-out":
        return staff_cli.sign_out_main(args.db, args.all)
    return staff_cli.settings_main(args.db, args.set, _credentials(args))


def _store_command(args: argparse.Namespace) -> int:
    from desktop import store_cli

    if args.command == "audit":
        return store_cli.audit_verify_main(args.db, args.head)
    if args.command == "backup":
        return store_cli.backup_main(args.db, args.to, _credentials(args))
    if args.command == "restore":
        return store_cli.restore_main(args.db, args.source, _credentials(args))
    if args.command == "encrypt":
        return store_cli.encrypt_main(args.db, _credentials(args))
    return store_cli.store_key_main(args.action)


if __name__ == "__main__":
    sys.exit(main())
