"""Alembic environment: migrates the database named by the `sqlalchemy.url` option."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, engine_from_config, pool

from helpdesk.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    """Emit SQL without a connection (`alembic upgrade --sql`)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate over a live connection (batch mode so SQLite can alter tables)."""
    connection = config.attributes.get("connection")
    if connection is None:
        connectable = engine_from_config(
            config.get_section(config.config_ini_section, {}),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
        with connectable.connect() as connection:
            _run(connection)
    else:
        _run(connection)


def _run(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        # Batch mode rebuilds altered tables (copy, drop, rename); with rows pointing at a
        # rebuilt table the drop fails while foreign keys are enforced. Alembic's advice:
        # switch them off for the migration (before any transaction starts);
        # helpdesk.infra.migrate disposes the pool afterwards so later connections enforce again.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
