"""The month's totals (``month_total``), kept by the database itself as settlements come and go.

The fund page and the fund report read a year of a busy centre as twelve rows a policy
instead of a walk over 100,000 visits. Triggers keep the rows: a settlement adds its
visit's month, a reversal (冲正) takes it back out, and a change in where it stands with
the agency moves it — its own split replaced by the agency's when the agency books it
(the official split, ``desktop.official``), out of the month while the agency has it set
aside and back in when it is booked. Self-pay (自费) visits are never in it: the fund paid
nothing for them. Every writer — the counter, sync, imports, a bulk load — keeps the
rows right without knowing of them.

A migration that copies ``settlement``, ``reversal`` or ``visit`` on SQLite (batch mode's
"move and copy") drops their triggers: it must call ``install`` again afterwards.
``tests/store/test_month_totals.py`` fails when the triggers are missing at head.
"""

from __future__ import annotations

from sqlalchemy import Connection

TRIGGERS = ("month_total_settled", "month_total_reversed", "month_total_answered")
_COLUMNS = "facility_id, month, policy, visits, total_fen, fund_fen, account_fen, cash_fen"
_FIGURES = ("visits", "total_fen", "fund_fen", "account_fen", "cash_fen")
_ANSWER = "status, agency_setl_id, agency_fund_fen, agency_account_fen, agency_cash_fen"


def _month(dialect: str, column: str) -> str:
    if dialect == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _counted(row: str) -> str:
    """In the totals: not what the agency set aside (refused, not booked); self-pay is filtered before."""
    return f"NOT ({row}.agency_setl_id IS NULL AND {row}.status = 'rejected')"


def _official(row: str, payer: str) -> str:
    """The agency's figure once it booked the settlement, the counter's until then."""
    return (
        f"CASE WHEN {row}.agency_setl_id IS NOT NULL THEN coalesce({row}.agency_{payer}_fen, {row}.{payer}_fen)"
        f" ELSE {row}.{payer}_fen END"
    )


def contribution(row: str) -> list[str]:
    """What one settlement puts in its month: visits, total, fund, account, cash (0 while set aside)."""
    values = ["1", f"{row}.total_fen", *(_official(row, p) for p in ("fund", "account", "cash"))]
    return [f"(CASE WHEN {_counted(row)} THEN {value} ELSE 0 END)" for value in values]


def _upsert(dialect: str, select: str) -> str:
    table = "month_total." if dialect == "postgresql" else ""
    sums = ", ".join(f"{name} = {table}{name} + excluded.{name}" for name in _FIGURES)
    return (
        f"INSERT INTO month_total ({_COLUMNS}) {select} ON CONFLICT (facility_id, month, policy) DO UPDATE SET {sums}"
    )


def _bodies(dialect: str) -> dict[str, tuple[str, str]]:
    """Each trigger's event and the statement it runs."""
    month = _month(dialect, "v.visit_date")
    standing = "NOT EXISTS (SELECT 1 FROM reversal r WHERE r.settlement_id = NEW.id)"
    settled = _upsert(
        dialect,
        f"SELECT v.facility_id, {month}, NEW.policy, {', '.join(contribution('NEW'))} FROM visit v"
        " WHERE v.id = NEW.visit_id AND NOT NEW.self_pay",
    )
    reversed_ = _upsert(
        dialect,
        f"SELECT v.facility_id, {month}, s.policy, {', '.join('-' + c for c in contribution('s'))} FROM settlement s"
        " JOIN visit v ON v.id = s.visit_id WHERE s.id = NEW.settlement_id AND NOT s.self_pay",
    )
    # A reversed settlement left its month with what it stood at then: a later answer moves nothing.
    moved = ", ".join(f"{new} - {old}" for new, old in zip(contribution("NEW"), contribution("OLD"), strict=True))
    answered = _upsert(
        dialect,
        f"SELECT v.facility_id, {month}, NEW.policy, {moved} FROM visit v"
        f" WHERE v.id = NEW.visit_id AND NOT NEW.self_pay AND {standing}",
    )
    return {
        "month_total_settled": ("AFTER INSERT ON settlement", settled),
        "month_total_reversed": ("AFTER INSERT ON reversal", reversed_),
        "month_total_answered": (f"AFTER UPDATE OF {_ANSWER} ON settlement", answered),
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
    for name in (*TRIGGERS, "month_total_agency_split"):
        table = "reversal" if name == "month_total_reversed" else "settlement"
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgresql else ""))
        if postgresql:
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")


def rebuild(connection: Connection) -> None:
    """Work every row out again from the settlements that stand (for the migration, and for repair)."""
    month = _month(connection.dialect.name, "v.visit_date")
    sums = ", ".join(f"sum({value})" for value in contribution("s"))
    connection.exec_driver_sql("DELETE FROM month_total")
    connection.exec_driver_sql(
        f"INSERT INTO month_total ({_COLUMNS}) SELECT v.facility_id, {month}, s.policy, {sums} "
        "FROM settlement s JOIN visit v ON v.id = s.visit_id "
        "WHERE NOT s.self_pay AND NOT EXISTS (SELECT 1 FROM reversal r WHERE r.settlement_id = s.id) "
        f"GROUP BY v.facility_id, {month}, s.policy"
    )
