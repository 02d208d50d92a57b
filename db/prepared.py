"""Statements compiled once per dialect and run on the driver's own cursor.

A settlement runs the same dozen statements every time, and its whole budget is a few
hundred microseconds above the bare transaction. SQLAlchemy's ``execute`` spends 50–80 µs
a statement on its compiled cache, execution context and result wrapping, and even
``exec_driver_sql`` about 20 µs. Here a statement is compiled once per dialect and handed
to a DBAPI cursor of the connection's own transaction. Values still go through each
column type's bind processor and results through each column's result processor, so
timestamps, dates, booleans and the like are stored and read exactly as ``execute``
would, on any backend; driver errors come out as SQLAlchemy's own exception classes.

What is skipped: the engine's execution events and echo logging. Nothing here listens
to them; a statement that needs them should go through ``execute``.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, NoReturn

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, MultipleResultsFound, NoResultFound
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.selectable import Select

_Processor = Callable[[Any], Any] | None
# Row fields are the statement's column keys, known only at run time: too dynamic for mypy's namedtuple.
_row_class: Callable[[list[str]], Any] = partial(namedtuple, "Row")


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    positional: bool
    binds: tuple[tuple[str, _Processor], ...]
    row: Callable[[Sequence[Any]], Any] | None  # the row class's maker, when the statement returns rows
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]  # (position, result processor), where there is one


def _raise_as_sqlalchemy(connection: Connection, sql: str, params: Any, exc: Exception) -> NoReturn:
    """A driver error as SQLAlchemy's class for it (IntegrityError, OperationalError, …), as execute() raises."""
    dialect = connection.dialect
    raise DBAPIError.instance(sql, params, exc, dialect.loaded_dbapi.Error, dialect=dialect) from exc


def driver_execute(connection: Connection, sql: str) -> None:
    """One parameterless statement on the connection's DBAPI cursor (BEGIN IMMEDIATE and the like)."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
    except connection.dialect.loaded_dbapi.Error as exc:
        _raise_as_sqlalchemy(connection, sql, (), exc)
    cursor.close()


class Prepared:
    """One SELECT, INSERT or UPDATE whose parameters are exactly ``names``; nothing is defaulted behind your back.

    A statement that returns rows (a SELECT, or DML with RETURNING) gives them as named
    tuples with the statement's column keys.
    """

    def __init__(self, statement: UpdateBase | Select[*tuple[Any, ...]], names: Sequence[str]) -> None:
        self._statement = statement
        self._names = tuple(names)
        self._by_dialect: dict[str, _Compiled] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self._statement.compile(dialect=dialect, column_keys=list(self._names))
        order = list(compiled.positiontup or []) if compiled.positional else list(compiled.binds)
        unexpected = sorted(set(order) - set(self._names))
        if unexpected:
            # A column with a Python-side default would be filled by execute(), not here.
            raise TypeError(f"pass {unexpected} explicitly to this prepared statement")
        unused = sorted(set(self._names) - set(order))
        if unused:
            raise TypeError(f"{unused} are not parameters of this prepared statement")
        binds = tuple((name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)) for name in order)
        row, converters = self._result_shape(dialect)
        return _Compiled(compiled.string, compiled.positional, binds, row, converters)

    def _result_shape(
        self, dialect: Dialect
    ) -> tuple[Callable[[Sequence[Any]], Any] | None, tuple[tuple[int, Callable[[Any], Any]], ...]]:
        columns = list(self._statement.exported_columns.items())  # a SELECT's, or DML's RETURNING
        if not columns:
            return None, ()
        keys = [str(key) for key, _ in columns]
        if len(set(keys)) != len(keys):
            raise TypeError(f"label the repeated columns of {keys} so that each row field has one name")
        processors = [column.type.dialect_impl(dialect).result_processor(dialect, None) for _, column in columns]
        converters = tuple((n, proc) for n, proc in enumerate(processors) if proc is not None)
        return _row_class(keys)._make, converters

    def _for(self, connection: Connection) -> _Compiled:
        name = connection.dialect.name
        found = self._by_dialect.get(name)
        if found is None:
            found = self._by_dialect[name] = self._compile(connection.dialect)
        if not connection.in_transaction():
            # As execute() would: never let a write autocommit on its own behind the caller's back.
            connection.begin()
        return found

    @staticmethod
    def _params(compiled: _Compiled, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        if compiled.positional:
            return tuple([values[name] if proc is None else proc(values[name]) for name, proc in compiled.binds])
        return {name: values[name] if proc is None else proc(values[name]) for name, proc in compiled.binds}

    @staticmethod
    def _row(compiled: _Compiled, raw: Sequence[Any]) -> Any:
        assert compiled.row is not None
        if compiled.converters:
            raw = list(raw)
            for position, proc in compiled.converters:
                raw[position] = proc(raw[position])
        return compiled.row(raw)

    def _execute(self, connection: Connection, values: Mapping[str, Any]) -> tuple[_Compiled, Sequence[Any]]:
        compiled = self._for(connection)
        params = self._params(compiled, values)
        cursor = connection.connection.cursor()
        try:
            cursor.execute(compiled.sql, params)
            # Fetch everything at once: on SQLite a RETURNING statement is finished only when read.
            fetched = cursor.fetchall() if compiled.row is not None else []
        except connection.dialect.loaded_dbapi.Error as exc:
            _raise_as_sqlalchemy(connection, compiled.sql, params, exc)
        cursor.close()
        return compiled, fetched

    def run(self, connection: Connection, values: Mapping[str, Any]) -> None:
        self._execute(connection, values)

    def run_many(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        compiled = self._for(connection)
        params: Any = [self._params(compiled, row) for row in rows]  # all tuples or all dicts, by the dialect
        cursor = connection.connection.cursor()
        try:
            cursor.executemany(compiled.sql, params)
        except connection.dialect.loaded_dbapi.Error as exc:
            _raise_as_sqlalchemy(connection, compiled.sql, params, exc)
        cursor.close()

    def all(self, connection: Connection, values: Mapping[str, Any]) -> list[Any]:
        compiled, fetched = self._execute(connection, values)
        return [self._row(compiled, raw) for raw in fetched]

    def one_or_none(self, connection: Connection, values: Mapping[str, Any]) -> Any:
        rows = self.all(connection, values)
        if len(rows) > 1:
            raise MultipleResultsFound(f"expected at most one row, got {len(rows)}")
        return rows[0] if rows else None

    def one(self, connection: Connection, values: Mapping[str, Any]) -> Any:
        row = self.one_or_none(connection, values)
        if row is None:
            raise NoResultFound("expected one row, got none")
        return row
