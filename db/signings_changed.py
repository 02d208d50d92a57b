"""A counter the database moves whenever a signing, or a signed person's birth date or scheme,
changes: the fund page keeps a centre's thousands of signings read once and reads them
again only when the counter has moved (``desktop.fund.from_store``).

Kept by triggers, as ``month_total`` is (``db.month_totals``), so every writer moves it;
the same warning holds for a migration that copies ``signing`` or ``person`` on SQLite.
"""

from __future__ import annotations

from sqlalchemy import Connection

KEY = "signings.changed"
TRIGGERS = {
    "signings_changed_inserted": "AFTER INSERT ON signing",
    "signings_changed_updated": "AFTER UPDATE ON signing",
    "signings_changed_deleted": "AFTER DELETE ON signing",
    "signings_changed_person": "AFTER UPDATE OF birth_date, policy ON person",
}
_BUMP = (
    f"INSERT INTO setting (key, value) VALUES ('{KEY}', '1') ON CONFLICT (key) DO UPDATE SET "
    "value = CAST(CAST({table}value AS INTEGER) + 1 AS VARCHAR(20))"
)


def install(connection: Connection) -> None:
    postgresql = connection.dialect.name == "postgresql"
    uninstall(connection)
    bump = _BUMP.format(table="setting." if postgresql else "")
    if postgresql:
        body = f"BEGIN {bump}; RETURN NULL; END"
        connection.exec_driver_sql(
            f"CREATE FUNCTION signings_changed() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$"
        )
    for name, event in TRIGGERS.items():
        if postgresql:
            connection.exec_driver_sql(
                f"CREATE TRIGGER {name} {event} FOR EACH STATEMENT EXECUTE FUNCTION signings_changed()"
            )
        else:
            connection.exec_driver_sql(f"CREATE TRIGGER {name} {event} FOR EACH ROW BEGIN {bump}; END")


def uninstall(connection: Connection) -> None:
    postgresql = connection.dialect.name == "postgresql"
    for name, event in TRIGGERS.items():
        table = event.rsplit(" ", 1)[-1]
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgresql else ""))
    if postgresql:
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS signings_changed()")
