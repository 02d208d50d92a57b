"""The store: typed SQLAlchemy models, the engine and session setup, Alembic migrations.

SQLite by default (WAL, synchronous=FULL, foreign keys on, BEGIN IMMEDIATE for writes);
any SQLAlchemy URL works through the same code.
"""
