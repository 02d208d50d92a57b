"""``clinic-agency-sandbox``: the sandbox agency on a real HTTP port.

    clinic-agency-sandbox --port P --db PATH [--roster FILE] [--key-file F] [--fail-rate X]
        [--timeout-rate X] [--drop-after-commit-rate X] [--garble-rate X] [--slow-ms N] [--timeout-ms N]
        [--refuse-repeats] [--answer-style standard|compact] [--reconcile-by setl_time|visit_date]
        [--reject MSGID_OR_PSN ...] [--seed N] [--policy-dir DIR] [--parent-pid PID]

Interface calls are POSTed to any path outside ``/_admin/``. Administration (loopback,
unsigned; this is a sandbox):

    GET  /_admin/health                      {"ok": true}
    GET  /_admin/config                      the misbehaviour settings
    POST /_admin/config                      change some: {"fail_rate": 0.3, "refuse_repeats": true, …}
    POST /_admin/roster                      facilities, persons, catalogue (see desktop.sandbox.roster)
    POST /_admin/keys                        {"<fixmedins_code>": "<SM2 public key, PEM>", …}
    GET  /_admin/settlements[?fixmedins_code=C]  every settlement the agency holds, with its status
    GET  /_admin/accumulators?psn_no=P&year=Y    the agency's year-to-date figures for one person
    POST /_admin/shutdown                    stop cleanly

Policy parameter files the agency publishes (``--policy-dir``), for clinics to download:

    GET  /policies/                          {"files": [{"name": "….toml", "sha256": "…"}]}
    GET  /policies/NAME                      the file

The chosen address is printed on standard output as ``listening on http://HOST:PORT``.
SIGTERM and SIGINT stop the server cleanly too: calls in flight finish, idle
connections close, the database is closed.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import logging
import os
import signal
import socket
import sqlite3
import sys
import threading
from collections.abc import Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from desktop.agency.signing import KeyFormatError, check_public_key
from desktop.agency.wire import ProtocolError, decode, encode
from desktop.cli_args import JsonArgumentParser
from desktop.money import from_fen
from desktop.policy import PolicyBook, default_book
from desktop.sandbox.agency import Agency
from desktop.sandbox.misbehaviour import Misbehaviour, Mischief, Settings
from desktop.sandbox.roster import read_roster
from desktop.sandbox.store import open_database, store_keys, store_roster

log = logging.getLogger("clinic.sandbox")
_BUSY = {"infcode": -1, "inf_refmsgid": "", "refmsg_time": "", "respond_time": "", "warn_msg": "", "output": {}}


class SandboxServer:
    """The agency, its database and its HTTP server; ``start`` in a thread or ``serve_forever``."""

    def __init__(
        self,
        db_path: Path | str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        settings: Settings | None = None,
        book: PolicyBook | None = None,
        policy_dir: Path | None = None,
    ) -> None:
        self.connection = open_database(db_path)
        self.policy_dir = policy_dir
        self.book = book or default_book()
        self.misbehaviour = Misbehaviour(settings or Settings())
        self.agency = Agency(self.connection, self.book, self.misbehaviour)
        self.stopping = threading.Event()
        self._http = _HttpServer((host, port), _Handler, self)
        self._thread: threading.Thread | None = None
        self._state = threading.Lock()
        self._serving = False
        self._stopped = False
        self._closed = threading.Event()

    @property
    def url(self) -> str:
        host = str(self._http.server_address[0])
        return f"http://{host}:{self.port}"

    @property
    def port(self) -> int:
        return int(self._http.server_address[1])

    def load_roster(self, raw: Any) -> dict[str, int]:
        roster = read_roster(raw, self.book)
        with self.agency.lock:
            return store_roster(self.connection, roster, lambda patient: json.dumps(patient, ensure_ascii=False))

    def load_keys(self, raw: Any) -> int:
        """Each facility's SM2 public key, as the facility registered it with the agency."""
        if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
            raise ProtocolError("(keys)", "must map each fixmedins_code to its SM2 public key in PEM")
        for code, key in raw.items():
            try:
                check_public_key(key)
            except KeyFormatError as exc:
                raise ProtocolError(code, str(exc)) from None
        with self.agency.lock:
            return store_keys(self.connection, raw)

    def start(self) -> SandboxServer:
        self._thread = threading.Thread(target=self.serve_forever, name="agency-sandbox", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        with self._state:
            if self._stopped:
                return
            self._serving = True
        # A short poll lets ``stop`` return promptly; the loop costs nothing noticeable.
        self._http.serve_forever(poll_interval=0.05)

    def stop(self) -> None:
        """Stop accepting, wake idle keep-alive connections, let calls in flight finish, close the file."""
        with self._state:
            first = not self._stopped
            self._stopped = True
            serving = self._serving
        if not first:
            self._closed.wait()  # another thread is stopping it: return when it is done
            return
        try:
            self.stopping.set()
            if serving:  # shutdown() waits for a serve_forever loop that would never come
                self._http.shutdown()
            self._http.close_idle_connections()
            self._http.server_close()
            if self._thread is not None:
                self._thread.join()
            with self.agency.lock:
                self.connection.close()
        finally:
            self._closed.set()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _HttpServer(ThreadingHTTPServer):
    # Calls in flight finish before the database closes: threads are joined, not abandoned.
    daemon_threads = False
    block_on_close = True

    def __init__(self, address: tuple[str, int], handler: type[_Handler], sandbox: SandboxServer) -> None:
        self.sandbox = sandbox
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def track(self, connection: socket.socket, open_: bool) -> None:
        with self._connections_lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_idle_connections(self) -> None:
        """End reading on every client connection: an idle keep-alive thread sees EOF and exits."""
        with self._connections_lock:
            for connection in self._connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RD)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "clinic-agency-sandbox"
    timeout = 60  # an idle keep-alive connection is closed after a minute
    # Headers and body go out in two writes; with Nagle's algorithm the body would wait
    # for the client's delayed ACK, 40 ms a call on loopback.
    disable_nagle_algorithm = True
    server: _HttpServer

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        self.server.track(self.connection, False)
        super().finish()

    @property
    def sandbox(self) -> SandboxServer:
        return self.server.sandbox

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # The request line may carry a psn_no in an admin query: log the path only.
        log.debug("%s %s %s %s", self.command, urlsplit(self.path).path, code, size)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        if parts.path == "/_admin/health":
            self._json(HTTPStatus.OK, {"ok": True})
        elif parts.path == "/_admin/config":
            self._json(HTTPStatus.OK, self.sandbox.misbehaviour.settings.as_json())
        elif parts.path == "/_admin/settlements":
            self._json(HTTPStatus.OK, {"settlements": _settlements(self.sandbox, query.get("fixmedins_code"))})
        elif parts.path == "/_admin/accumulators":
            self._admin(lambda: _accumulators(self.sandbox, query))
        elif parts.path.startswith("/policies/"):
            self._policy(parts.path.removeprefix("/policies/"))
        else:
            self._json(HTTPStatus.NOT_FOUND, {"error": f"no such page {parts.path}"})

    def do_POST(self) -> None:
        body = self._body()
        if body is None:
            return
        path = urlsplit(self.path).path
        if path.startswith("/_admin/"):
            self._admin_post(path, body)
        else:
            self._call(body)

    def _body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._json(HTTPStatus.LENGTH_REQUIRED, {"error": "a body with Content-Length is required"})
            return None
        return self.rfile.read(int(length))

    def _call(self, body: bytes) -> None:
        sandbox = self.sandbox
        mischief = sandbox.misbehaviour.before_call()
        settings = sandbox.misbehaviour.settings
        if mischief is Mischief.HTTP_500:
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, b"")
            return
        if mischief is Mischief.INFCODE_FAILURE:
            self._send(HTTPStatus.OK, encode({**_BUSY, "err_msg": "医保系统繁忙，请稍后重试 (sandbox failure)"}))
            return
        if mischief is Mischief.TIMEOUT:
            sandbox.stopping.wait(settings.timeout_ms / 1000)
        if settings.slow_ms:
            sandbox.stopping.wait(settings.slow_ms / 1000)
        answer = sandbox.agency.answer(body)
        if answer.committed and sandbox.misbehaviour.drop_after_commit():
            log.info("dropping the reply after commit")
            self.close_connection = True
            return
        self._send(HTTPStatus.OK, answer.body)

    def _policy(self, name: str) -> None:
        folder = self.sandbox.policy_dir
        if folder is None:
            self._json(HTTPStatus.NOT_FOUND, {"error": "this agency publishes no policy files"})
        elif not name:
            files = sorted(folder.glob("*.toml"))
            listed = [{"name": f.name, "sha256": hashlib.sha256(f.read_bytes()).hexdigest()} for f in files]
            self._json(HTTPStatus.OK, {"files": listed})
        elif "/" in name or not (folder / name).is_file():
            self._json(HTTPStatus.NOT_FOUND, {"error": f"no policy file {name}"})
        else:
            self._send(HTTPStatus.OK, (folder / name).read_bytes())

    def _admin_post(self, path: str, body: bytes) -> None:
        sandbox = self.sandbox
        if path == "/_admin/config":
            self._admin(lambda: sandbox.misbehaviour.update(decode(body)).as_json())
        elif path == "/_admin/roster":
            self._admin(lambda: sandbox.load_roster(decode(body)))
        elif path == "/_admin/keys":
            self._admin(lambda: {"keys": sandbox.load_keys(decode(body))})
        elif path == "/_admin/shutdown":
            self._json(HTTPStatus.OK, {"stopping": True})
            threading.Thread(target=sandbox.stop, name="agency-sandbox-stop").start()
        else:
            self._json(HTTPStatus.NOT_FOUND, {"error": f"no such page {path}"})

    def _admin(self, action: Any) -> None:
        try:
            result = action()
        except ProtocolError as exc:
            self._json(HTTPStatus.BAD_REQUEST, {"error": str(exc), "field": exc.field})
            return
        self._json(HTTPStatus.OK, result)

    def _json(self, status: HTTPStatus, value: Any) -> None:
        self._send(status, encode(value))

    def _send(self, status: HTTPStatus, body: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up waiting (a timeout, on purpose or not); what was booked stays booked.
            log.info("the client left before its answer was sent")
            self.close_connection = True


def _settlements(sandbox: SandboxServer, code: str | None) -> list[dict[str, Any]]:
    with sandbox.agency.lock:
        rows = sandbox.connection.execute(
            "SELECT * FROM settlement WHERE ? IS NULL OR code = ? ORDER BY id", (code, code)
        ).fetchall()
    return [_settlement_json(row) for row in rows]


def _settlement_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "setl_id": row["setl_id"],
        "msgid": row["msgid"],
        "mdtrt_id": row["mdtrt_id"],
        "chrg_bchno": row["chrg_bchno"],
        "fixmedins_code": row["code"],
        "psn_no": row["psn_no"],
        "insutype": row["insutype"],
        "setl_date": row["setl_date"],
        "medfee_sumamt": from_fen(row["total_fen"]),
        "fund_pay_sumamt": from_fen(row["fund_fen"]),
        "acct_pay": from_fen(row["account_fen"]),
        "psn_cash_pay": from_fen(row["cash_fen"]),
        "status": row["status"],
    }


def _accumulators(sandbox: SandboxServer, query: dict[str, str]) -> dict[str, Any]:
    psn_no, year = query.get("psn_no", ""), query.get("year", "")
    if not psn_no or not year.isdigit():
        raise ProtocolError("psn_no", "give psn_no and year")
    with sandbox.agency.lock:
        row = sandbox.connection.execute(
            "SELECT * FROM accumulator WHERE psn_no = ? AND year = ?", (psn_no, int(year))
        ).fetchone()
        balance = sandbox.connection.execute("SELECT balc_fen FROM person WHERE psn_no = ?", (psn_no,)).fetchone()
    if balance is None:
        raise ProtocolError("psn_no", "not on the agency's roster")
    figures = dict.fromkeys(("deductible_fen", "fund_fen", "out_of_city_fen", "account_fen", "medfee_fen"), 0)
    if row is not None:
        figures = {name: row[name] for name in figures}
    return {
        "deductible_met": from_fen(figures["deductible_fen"]),
        "fund_paid": from_fen(figures["fund_fen"]),
        "fund_paid_out_of_city": from_fen(figures["out_of_city_fen"]),
        "account_paid": from_fen(figures["account_fen"]),
        "medical_fees": from_fen(figures["medfee_fen"]),
        "visits": 0 if row is None else row["visits"],
        "balc": from_fen(balance[0]),
    }


# --- command line ---------------------------------------------------------------------


def _share(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not a share between 0 and 1")
    return value


def _milliseconds(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = JsonArgumentParser(
        prog="clinic-agency-sandbox", description="A sandbox insurance agency speaking the national interface."
    )
    parser.add_argument("--port", type=int, default=0, help="TCP port (0: any free port, printed at start)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--db", required=True, type=Path, help="the agency's SQLite file (created if missing)")
    parser.add_argument("--roster", type=Path, help="JSON file of facilities, persons and catalogue to load")
    parser.add_argument("--key-file", type=Path, help='JSON file {"<fixmedins_code>": "<SM2 public key PEM>", ...}')
    parser.add_argument("--fail-rate", type=_share, default=0.0, help="share of calls failed before anything")
    parser.add_argument("--timeout-rate", type=_share, default=0.0, help="share of calls answered after --timeout-ms")
    parser.add_argument("--timeout-ms", type=_milliseconds, default=5000, help="how long a timed-out call sleeps")
    parser.add_argument("--drop-after-commit-rate", type=_share, default=0.0, help="share of booked calls unanswered")
    parser.add_argument("--slow-ms", type=_milliseconds, default=0, help="delay before every answer")
    parser.add_argument("--garble-rate", type=_share, default=0.0, help="share of booked calls answered unreadably")
    parser.add_argument("--refuse-repeats", action="store_true", help="refuse a repeated msgid (报文ID重复)")
    parser.add_argument("--answer-style", choices=["standard", "compact"], default="standard")
    parser.add_argument("--reconcile-by", choices=["setl_time", "visit_date"], default="setl_time")
    parser.add_argument("--reject", nargs="*", default=[], metavar="MSGID_OR_PSN", help="records to refuse")
    parser.add_argument("--seed", type=int, help="seed for the misbehaviour dice")
    parser.add_argument("--policy-dir", type=Path, help="policy parameter files the agency publishes")
    parser.add_argument("--parent-pid", type=int, help="stop when this process is gone (the demo's counter)")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return parser


def _outlive_not(parent: int, server: SandboxServer) -> None:
    """Stop once ``parent`` is gone: a counter killed outright leaves no agency running behind it."""
    while not server.stopping.wait(1.0):
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            log.info("the parent process %d is gone: stopping", parent)
            server.stop()
            return
        except PermissionError:
            continue  # alive, another user's


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings(
        fail_rate=args.fail_rate,
        timeout_rate=args.timeout_rate,
        drop_after_commit_rate=args.drop_after_commit_rate,
        slow_ms=args.slow_ms,
        timeout_ms=args.timeout_ms,
        reject=frozenset(args.reject),
        seed=args.seed,
        refuse_repeats=args.refuse_repeats,
        answer_style=args.answer_style,
        garble_rate=args.garble_rate,
        reconcile_by=args.reconcile_by,
    )
    try:
        server = SandboxServer(args.db, host=args.host, port=args.port, settings=settings, policy_dir=args.policy_dir)
    except OSError as exc:
        print(
            json.dumps({"error": f"cannot listen on {args.host}:{args.port}: {exc}", "field": "port"}), file=sys.stderr
        )
        return 2
    try:
        for path, load in ((args.roster, server.load_roster), (args.key_file, server.load_keys)):
            if path is not None:
                load(decode(path.read_bytes()))
    except (OSError, ProtocolError) as exc:
        field = exc.field if isinstance(exc, ProtocolError) else "file"
        print(json.dumps({"error": str(exc), "field": field}, ensure_ascii=False), file=sys.stderr)
        server.stop()
        return 2

    def stop(_signum: int, _frame: FrameType | None) -> None:
        threading.Thread(target=server.stop, name="agency-sandbox-stop").start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.parent_pid is not None:
        threading.Thread(target=_outlive_not, args=(args.parent_pid, server), name="parent-watch", daemon=True).start()
    print(f"listening on {server.url}", flush=True)
    server.serve_forever()
    server.stop()
    log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
