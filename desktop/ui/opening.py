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
    from db.session import Store
    from desktop.auth import SignedIn
    from desktop.diagnoses import DiagnosisChoice
    from desktop.ui.visit import CatalogueEntry

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Location:
    where: str  # a path or a database URL
    build_demo: bool  # nothing configured and no database yet: the demo clinic is built there


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


def build_demo_store(path: Path) -> Path:
    """The demo clinic in a new file (a year of visits takes seconds); renamed into place when done."""
    from db.session import open_store
    from desktop.demo import build_demo

    partial = path.with_name(path.name + ".building")
    partial.unlink(missing_ok=True)
    store = open_store(partial)
    try:
        build_demo(store)
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
        build_demo_store(Path(location.where))
    store = open_store(location.where)
    try:
        staff = staff_by_username(store, sign_in_as) if sign_in_as else None
        opened = OpenedClinic(store, staff, load_catalogue(store), load_diagnoses(store))
    except BaseException:
        store.dispose()
        raise
    import_ahead(warm)
    return opened


def import_ahead(modules: Sequence[str]) -> None:
    """Import ``modules`` on this (pool) thread, so the GUI thread finds them loaded."""
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception:  # only a head start: the window imports it again and says what is wrong
            logger.warning("could not import %s ahead of time", module, exc_info=True)
