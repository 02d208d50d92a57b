"""Opening the clinic's records off the GUI thread, while the counter window already shows.

Qt-free: the store (SQLAlchemy, the models, the migration check), who is signed in, and
the catalogue, each of which costs start-up time the clerk should not wait through.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.health import Health
    from db.session import Store
    from desktop.auth import SignedIn
    from desktop.diagnoses import DiagnosisChoice
    from desktop.ui.visit import CatalogueEntry

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Location:
    where: str  # a path or a database URL
    build_demo: bool  # nothing configured and no database yet: the demo clinic is built there
    encrypt: bool = False  # the new store is encrypted at rest (db.at_rest), as the clerk chose


@dataclass(frozen=True, slots=True)
class OpenedClinic:
    store: Store
    staff: SignedIn | None  # None: someone has to sign in
    catalogue: list[CatalogueEntry]
    diagnoses: list[DiagnosisChoice]


def locate(db: str | None) -> Location:
    """The database named, or the one in the user's data folder (built as a demo when missing)."""
    from db.session import default_database_path

    if db is not None:
        if "://" not in db and Path(db).is_file() and Path(db).stat().st_size:
            from desktop.store_file import check_file

            check_file(Path(db))  # not SQLite, or another program's: refused before it is written to
        return Location(db, build_demo=False)
    path = default_database_path()
    return Location(str(path), build_demo=not path.exists())


def encryption_on_offer() -> bool:
    """A new installation may encrypt its store: SQLCipher is installed and the OS keyring can keep the key."""
    from db.at_rest import StoreKeyError, sqlcipher_available, stored_key

    if not sqlcipher_available():
        return False
    try:
        stored_key()
    except StoreKeyError:
        return False
    return True


def build_demo_store(path: Path, *, encrypt: bool = False) -> Path:
    """The demo clinic in a new file (a year of visits takes seconds); renamed into place when done."""
    from db.session import open_store
    from desktop.demo import build_demo

    partial = path.with_name(path.name + ".building")
    partial.unlink(missing_ok=True)
    if encrypt:
        from db.encrypt import installation_key

        store = open_store(partial, key=installation_key())
    else:
        store = open_store(partial)
    try:
        build_demo(store, showcase=True)
    finally:
        store.dispose()
    partial.replace(path)
    return path


def open_clinic(location: Location, *, sign_in_as: str | None = None, warm: Sequence[str] = ()) -> OpenedClinic:
    """Open (or first build) the store, check its migrations, find ``sign_in_as``, load the catalogue.

    ``warm`` names modules the window imports once the store is open: imported here,
    they cost the GUI thread nothing later.
    """
    from db.session import open_store
    from desktop.auth import staff_by_username
    from desktop.diagnoses import load_diagnoses
    from desktop.ui.visit import load_catalogue

    if location.build_demo:
        build_demo_store(Path(location.where), encrypt=location.encrypt)
    else:
        check_before_opening(location.where)
    store = open_store(location.where)
    try:
        staff = staff_by_username(store, sign_in_as) if sign_in_as else None
        opened = OpenedClinic(store, staff, load_catalogue(store), load_diagnoses(store))
    except BaseException:
        store.dispose()
        raise
    import_ahead(warm)
    return opened


class StoreCheckError(RuntimeError):
    """The store does not pass the start-up check: what is wrong, then what to do.

    Its text is the check's own (English, for logs and support); the window words it in the
    clerk's language from the parts: which check failed, the file, its newest backup.
    """

    def __init__(self, health: Health, path: Path) -> None:
        super().__init__(f"{health.problem}.\n\n{health.what_to_do[:1].upper()}{health.what_to_do[1:]}.")
        self.failed = next((name for name, state in health.checks.items() if state == "failed"), "integrity")
        self.path = path
        self.problem = health.problem
        self.backups = Path()
        self.newest_backup: Path | None = None
        if self.failed != "key":
            from db.backup import backups_in, folder_for

            self.backups = folder_for(path)
            found = backups_in(self.backups)
            self.newest_backup = found[0] if found else None


def check_before_opening(where: str) -> None:
    """Integrity, pragmas and the newest audit entries, read-only: a damaged store is not opened for writing."""
    from db.health import check_store

    path = Path(where).expanduser()
    if "://" in where or not path.is_file() or not path.stat().st_size:
        return
    health = check_store(path)
    if not health.ok:
        raise StoreCheckError(health, path)


def import_ahead(modules: Sequence[str]) -> None:
    """Import ``modules`` on this (pool) thread, so the GUI thread finds them loaded."""
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception:  # only a head start: the window imports it again and says what is wrong
            logger.warning("could not import %s ahead of time", module, exc_info=True)
