"""Alembic environment: always run from occe_bureau.migrate with a live connection."""

from alembic import context
from sqlmodel import SQLModel

from occe_bureau.tables import load_all

load_all()  # every table in the metadata

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from occe_bureau.db import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _run(connection)
        return
    _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("OCCE Bureau runs its migrations online only.")
run_migrations_online()
