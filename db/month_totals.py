"""The month's totals (``month_total``), kept by the database itself as settlements come and go.

The fund page and the fund report read a year of a busy centre as twelve rows a policy
instead of a walk over 100,000 visits. Triggers keep the rows: a settlement adds its
visit's month, a reversal (冲正) takes it back out, and the agency's own split, when sync
brings one, replaces the counter's in the figures (the official split). Every writer —
the counter, sync, imports, a bulk load — keeps them right without knowing of them.

A migration that copies ``settlement``, ``reversal`` or ``visit`` on SQLite (batch mode's
"move and copy") drops their triggers: it must call ``install`` again afterwards.
``tests/store/test_month_totals.py`` fails when the triggers are missing at head.
"""

from __future__ import annotations

from sqlalchemy import Connection

TRIGGERS = ("month_total_settled", "month_total_reversed", "month_total_agency_split")
_COLUMNS = "facility_id, month, policy, visits, total_fen, fund_fen, account_fen, cash_fen"
_FIGURES = ("visits", "total_fen", "fund_fen", "account_fen", "cash_fen")


def _month(dialect: str, column: str) -> str:
    if dialect == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _upsert(dialect: str, select: str) -> str:
    table = "month_total." if dialect == "postgresql" else ""
    sums = ", ".join(f"{name} = {table}{name} + excluded.{name}" for name in _FIGURES)
    return (
        f"INSERT INTO month_total ({_COLUMNS}) {select} ON CONFLICT (facility_id, month, policy) DO UPDATE SET {sums}"
    )


def _official(row: str, payer: str) -> str:
    return f"coalesce({row}.agency_{payer}_fen, {row}.{payer}_fen)"


def _bodies(dialect: str) -> dict[str, tuple[str, str]]:
    """Each trigger's event and the statement it runs."""
    month = _month(dialect, "v.visit_date")
    settled = _upsert(
        dialect,
        f"SELECT v.facility_id, {month}, NEW.policy, 1, NEW.total_fen, {_official('NEW', 'fund')}, "
        f"{_official('NEW', 'account')}, {_official('NEW', 'cash')} FROM visit v WHERE v.id = NEW.visit_id",
    )
    reversed_ = _upsert(
        dialect,
        f"SELECT v.facility_id, {month}, s.policy, -1, -s.total_fen, -{_official('s', 'fund')}, "
        f"-{_official('s', 'account')}, -{_official('s', 'cash')} FROM settlement s JOIN visit v ON v.id = s.visit_id "
        "WHERE s.id = NEW.settlement_id",
    )
    agency = _upsert(
        dialect,
        f"SELECT v.facility_id, {month}, NEW.policy, 0, 0, "
        + ", ".join(f"{_official('NEW', p)} - {_official('OLD', p)}" for p in ("fund", "account", "cash"))
        + " FROM visit v WHERE v.id = NEW.visit_id"
        # A reversed settlement was taken out with the split it had then; a later answer changes nothing.
        + " AND NOT EXISTS (SELECT 1 FROM reversal r WHERE r.settlement_id = NEW.id)",
    )
    split = "agency_fund_fen, agency_account_fen, agency_cash_fen"
    return {
        "month_total_settled": ("AFTER INSERT ON settlement", settled),
        "month_total_reversed": ("AFTER INSERT ON reversal", reversed_),
        "month_total_agency_split": (f"AFTER UPDATE OF {split} ON settlement", agency),
    }


def install(connection: Connection) -> None:
    """Create the triggers (replacing any of the same name)."""
    dialect = connection.dialect.name
    uninstall(connection)
    for name, (event, statement) in _bodies(dialect).items():
        if dialect == "postgresql":
            body = f"BEGIN {statement}; RETURN NULL; END"
            connection.exec_driver_sql(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$")
            connection.exec_driver_sql(f"CREATE TRIGGER {name} {event} FOR EACH ROW EXECUTE FUNCTION {name}()")
        else:
            connection.exec_driver_sql(f"CREATE TRIGGER {name} {event} FOR EACH ROW BEGIN {statement}; END")


def uninstall(connection: Connection) -> None:
    postgresql = connection.dialect.name == "postgresql"
    for name, (event, _statement) in _bodies(connection.dialect.name).items():
        table = event.rsplit(" ", 1)[-1]
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgresql else ""))
        if postgresql:
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")


def rebuild(connection: Connection) -> None:
    """Work every row out again from the settlements that stand (for the migration, and for repair)."""
    month = _month(connection.dialect.name, "v.visit_date")
    connection.exec_driver_sql("DELETE FROM month_total")
    connection.exec_driver_sql(
        f"INSERT INTO month_total ({_COLUMNS}) "
        f"SELECT v.facility_id, {month}, s.policy, count(*), sum(s.total_fen), sum({_official('s', 'fund')}), "
        f"sum({_official('s', 'account')}), sum({_official('s', 'cash')}) "
        "FROM settlement s JOIN visit v ON v.id = s.visit_id "
        "WHERE NOT EXISTS (SELECT 1 FROM reversal r WHERE r.settlement_id = s.id) "
        f"GROUP BY v.facility_id, {month}, s.policy"
    )
