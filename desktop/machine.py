"""When the machine says no: a store locked too long, a full disk, a read-only file or folder.

The database refuses a write and SQLite (or PostgreSQL, or the OS) says why in its own
terms. ``diagnose`` turns that into one of a few plain causes, each with its message in
the clerk's language and its own exit status for the command line. Nothing is lost in
any of them: the transaction that could not be written is rolled back whole, and the
records already kept are untouched; the window keeps the visit on screen to settle again.

Qt-free: the command line and the window word the same cause the same way.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

BUSY_SECONDS = 30  # db.session.BUSY_TIMEOUT_MS, as the clerk is told it
NEARLY_FULL_BYTES = 1 << 20  # below this much free space an I/O error is a full disk


class Cause(StrEnum):
    LOCKED = "locked"
    DISK_FULL = "disk_full"
    READ_ONLY = "read_only"
    UNREACHABLE = "unreachable"  # cannot be opened or read: a stick pulled out, a server down
    DAMAGED = "damaged"


# The command line's exit status for each (2 is bad input, 3 an agency that did not answer).
EXIT_STATUS: dict[Cause, int] = {
    Cause.LOCKED: 10,
    Cause.DISK_FULL: 11,
    Cause.READ_ONLY: 12,
    Cause.UNREACHABLE: 13,
    Cause.DAMAGED: 14,
}

_CHINESE: dict[Cause, str] = {
    Cause.LOCKED: "数据库被另一个程序占用，等了{seconds}秒仍未释放。本次没有保存，已有记录完好。"
    "请关闭正在使用它的其他程序（或等另一台收费电脑做完），然后再试一次。",
    Cause.DISK_FULL: "磁盘已满（{folder}），无法保存。本次没有保存，已有记录完好。请清理出空间后再试一次。",
    Cause.READ_ONLY: "数据库文件或所在文件夹是只读的（{folder}），无法保存。本次没有保存，已有记录完好。"
    "请检查文件权限，或U盘的写保护开关。",
    Cause.UNREACHABLE: "无法读写数据库（{folder}）：磁盘或U盘可能已拔出，或数据库服务器没有响应。"
    "本次没有保存，已有记录完好。接好后再试一次。",
    Cause.DAMAGED: "数据库文件已损坏（{folder}），无法使用。请不要再写入它，并联系管理员从备份恢复。",
}
_ENGLISH: dict[Cause, str] = {
    Cause.LOCKED: "The database is in use by another program and was still locked after {seconds} seconds. "
    "Nothing was saved; the records already kept are intact. Close the other program using it "
    "(or let the other counter finish) and try again.",
    Cause.DISK_FULL: "The disk is full ({folder}). Nothing was saved; the records already kept are intact. "
    "Free some space and try again.",
    Cause.READ_ONLY: "The database file or its folder is read-only ({folder}). Nothing was saved; the records "
    "already kept are intact. Check the file's permissions, or the USB stick's write-protect switch.",
    Cause.UNREACHABLE: "The database cannot be read or written ({folder}): the disk or USB stick may have been "
    "removed, or the database server is not answering. Nothing was saved; the records already kept are "
    "intact. Reconnect it and try again.",
    Cause.DAMAGED: "The database file is damaged ({folder}) and cannot be used. Write nothing more to it and "
    "ask the administrator to restore it from a backup.",
}


def in_chinese() -> bool:
    """The clerk's language on the command line: Chinese unless ``CLINIC_POS_LANG=en``."""
    return not os.environ.get("CLINIC_POS_LANG", "").lower().startswith("en")


@dataclass(frozen=True, slots=True)
class MachineSaysNo:
    """Why the store could not be written, in plain words."""

    cause: Cause
    folder: str

    @property
    def exit_status(self) -> int:
        return EXIT_STATUS[self.cause]

    def message(self, chinese: bool | None = None) -> str:
        texts = _CHINESE if (in_chinese() if chinese is None else chinese) else _ENGLISH
        return texts[self.cause].format(seconds=BUSY_SECONDS, folder=self.folder)

    def as_json(self) -> dict[str, str]:
        return {"error": self.message(), "field": "db", "cause": self.cause.value}


def diagnose(error: BaseException, where: str | Path | None) -> MachineSaysNo | None:
    """The plain cause of ``error`` met while using the store at ``where`` (a path or a URL),
    or None when it is not the machine saying no (a bug, bad input: let it show)."""
    folder = _folder(where)
    for cause in _causes(error):
        found = _cause_of(cause, folder)
        if found is not None:
            return MachineSaysNo(found, str(folder) if folder is not None else str(where or ""))
    return None


def _causes(error: BaseException) -> list[BaseException]:
    """The error, what SQLAlchemy wrapped (``.orig``), and what it was raised from."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and len(chain) < 6 and current not in chain:
        chain.append(current)
        wrapped = getattr(current, "orig", None)
        current = wrapped if isinstance(wrapped, BaseException) else current.__cause__ or current.__context__
    return chain


def _cause_of(error: BaseException, folder: Path | None) -> Cause | None:
    if isinstance(error, sqlite3.Error):
        return _sqlite(getattr(error, "sqlite_errorname", "") or "", str(error), folder)
    sqlstate = getattr(error, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate:
        return _postgresql(sqlstate)
    if isinstance(error, OSError) and error.errno is not None:
        return _os(error.errno, folder)
    return None


def _sqlite(name: str, text: str, folder: Path | None) -> Cause | None:
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or text == "database is locked":
        return Cause.LOCKED
    if name == "SQLITE_FULL":
        return Cause.DISK_FULL
    if name.startswith("SQLITE_READONLY"):
        return Cause.READ_ONLY
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return Cause.DAMAGED
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_PERM")):
        # SQLite says "disk I/O error" for a full disk too, when the WAL index cannot grow.
        if _nearly_full(folder):
            return Cause.DISK_FULL
        if _read_only(folder):
            return Cause.READ_ONLY
        return Cause.UNREACHABLE
    return None


def _postgresql(sqlstate: str) -> Cause | None:
    if sqlstate in {"53100", "53000"}:  # disk_full, insufficient_resources
        return Cause.DISK_FULL
    if sqlstate == "25006":  # read_only_sql_transaction (a standby, or default_transaction_read_only)
        return Cause.READ_ONLY
    if sqlstate in {"55P03", "40P01", "57014"}:  # lock_not_available, deadlock, statement timeout
        return Cause.LOCKED
    if sqlstate.startswith("08") or sqlstate in {"57P01", "57P03"}:  # connection lost, server shutting down
        return Cause.UNREACHABLE
    if sqlstate.startswith("XX"):  # data_corrupted, index_corrupted
        return Cause.DAMAGED
    return None


def _os(number: int, folder: Path | None) -> Cause | None:
    if number in {errno.ENOSPC, errno.EDQUOT}:
        return Cause.DISK_FULL
    if number in {errno.EROFS, errno.EACCES, errno.EPERM}:
        return Cause.READ_ONLY
    if number in {errno.EIO, errno.ENXIO, errno.ENODEV, errno.ENOENT} and folder is not None:
        return Cause.DISK_FULL if _nearly_full(folder) else Cause.UNREACHABLE
    return None


def _folder(where: str | Path | None) -> Path | None:
    if where is None:
        return None
    text = str(where)
    if "://" in text:
        if not text.startswith("sqlite"):
            return None
        text = text.split(":///", 1)[-1]
        if not text or text == ":memory:":
            return None
    return Path(text).expanduser().resolve().parent


def _nearly_full(folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        return shutil.disk_usage(folder).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def _read_only(folder: Path | None) -> bool:
    if folder is None or not folder.exists():
        return False
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    except (OSError, AttributeError):  # no statvfs on Windows
        pass
    return not os.access(folder, os.W_OK)
