"""Alembic environment: batch mode so SQLite can alter tables; the connection comes from code."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from db.models import Base, UtcDateTime
from db.session import make_engine

config = context.config
target_metadata = Base.metadata


def _render_item(kind: str, item: Any, autogen_context: AutogenContext) -> str | Literal[False]:  # noqa: ARG001
    """Migrations stay independent of the models module: UTC timestamps are plain DateTime."""
    if kind == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime()"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("no database: give sqlalchemy.url or a connection")
    engine = make_engine(url)
    with engine.begin() as conn:
        _run(conn)


run_migrations_online()
