"""Who is at the keyboard: how a ``clinic-pos`` command that writes signs its staff member in.

Three ways, each through the window's own ``Authenticator`` (argon2id, the lockout counted
in the store, an audit entry for every attempt):

* ``--staff USER`` and the password typed at the terminal's prompt (never echoed; read
  from the terminal itself, so a visit on standard input stays the visit);
* ``--staff USER --password-file FILE``, the first line of a file only its owner may
  read (a file other users of the machine could read is refused);
* ``CLINIC_POS_TOKEN``, a short-lived token from ``clinic-pos sign-in`` (see
  ``desktop.sign_in_tokens``), for a script of several commands. Never on the command
  line, where other users of the machine see it in the process list.

Then the role table decides whether that person may do what the command does.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from db.session import Store
from desktop.auth import COMMAND_LINE, Authenticator, SignedIn, SignInError
from desktop.json_input import show
from desktop.machine import in_chinese
from desktop.policy.codec import InputError
from desktop.sign_in_tokens import TokenError, check
from desktop.staff import Permission, may

TOKEN_ENV = "CLINIC_POS_TOKEN"  # noqa: S105  # the variable's name, not a secret
MAX_PASSWORD_FILE = 4096
CHINA = dt.timezone(dt.timedelta(hours=8), "CST")


@dataclass(frozen=True, slots=True)
class Credentials:
    """What the command line was given to sign in with."""

    staff: str | None = None
    password_file: str | None = None
    token: str | None = None

    @classmethod
    def given(cls, staff: str | None, password_file: str | None) -> Credentials:
        return cls(staff, password_file, os.environ.get(TOKEN_ENV) or None)


def authenticate(store: Store, given: Credentials, now: dt.datetime) -> SignedIn:
    """The staff member these credentials sign in, or ``InputError`` naming what was wrong."""
    if given.password_file is None and given.token is not None:
        try:
            who = check(store, given.token, now)
        except TokenError as exc:
            raise InputError("token", f"{TOKEN_ENV} {exc}") from None
        if given.staff is not None and given.staff != who.username:
            raise InputError("staff", f"{TOKEN_ENV} signs in {who.username!r}, not {show(given.staff)}")
        return who
    if not given.staff:
        raise InputError(
            "staff",
            "sign in: give --staff USERNAME (with its password at the prompt or in --password-file), "
            f"or set {TOKEN_ENV} from clinic-pos sign-in",
        )
    password = _read_password_file(given.password_file) if given.password_file else _prompt(given.staff)
    try:
        return Authenticator(store).sign_in(given.staff, password, now, via=COMMAND_LINE)
    except SignInError as exc:
        if exc.locked_until is not None:
            until = exc.locked_until.astimezone(CHINA).strftime("%H:%M")
            raise InputError(
                "staff", f"too many wrong passwords for {show(given.staff)}; try again after {until}"
            ) from None
        raise InputError("staff", "wrong username or password") from None


# What each permission lets a person do, as the refusal says it; others read as their name.
_DOING = {
    Permission.SETTLE: "settle visits",
    Permission.REVERSE: "reverse settlements",
    Permission.SYNC: "sync with the agency",
    Permission.MANAGE: "change settings or the agency's address and secret: an administrator may",
    Permission.STORE: "back up, restore or encrypt the whole store: an administrator may",
}


def require(who: SignedIn, permission: Permission) -> None:
    """Refuse, naming ``staff``, when the role table does not let ``who`` do ``permission``."""
    if not may(who.role, permission):
        doing = _DOING.get(permission, permission.value)
        raise InputError("staff", f"{who.username!r} ({who.role}) may not {doing}")


def _read_password_file(name: str) -> str:
    path = Path(name)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError("password_file", f"{show(name)} is not a file")
        if os.name == "posix" and info.st_mode & 0o077:
            raise InputError(
                "password_file", f"{show(name)} can be read by other users of this computer: chmod 600 it first"
            )
        data = path.read_bytes()[: MAX_PASSWORD_FILE + 1]
    except OSError as exc:
        raise InputError("password_file", f"cannot read {show(name)}: {exc.strerror}") from None
    if len(data) > MAX_PASSWORD_FILE:
        raise InputError("password_file", f"is longer than {MAX_PASSWORD_FILE} bytes: not a password file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("password_file", "is not UTF-8 text") from None
    password = text.split("\n", 1)[0].rstrip("\r")
    if not password:
        raise InputError("password_file", "holds no password on its first line")
    return password


def _prompt(username: str) -> str:
    """The password typed at the terminal, unechoed; never read from standard input."""
    if os.name == "posix":
        try:
            os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
        except OSError:
            raise InputError(
                "password",
                "no terminal to ask for the password: give --password-file FILE, "
                f"or sign in first (clinic-pos sign-in) and set {TOKEN_ENV}",
            ) from None
    prompt = f"{username} 的密码：" if in_chinese() else f"Password for {username}: "
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        raise InputError("password", "no password was typed") from None
