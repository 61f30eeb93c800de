"""Alembic's environment for planflow's schema: the connection comes from ``engine.store.schema``
(``planflow db upgrade``), or from the URL in the configuration when run by the alembic command itself."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from engine.store.schema import metadata

config = context.config


def _configure(**options) -> None:
    context.configure(target_metadata=metadata(), render_as_batch=True, compare_type=True,
                      # PostgreSQL runs a whole upgrade in one transaction: it is all or nothing.
                      transaction_per_migration=False, **options)


if context.is_offline_mode():
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
    else:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.connect() as connection:
            _configure(connection=connection)
            with context.begin_transaction():
                context.run_migrations()
        engine.dispose()
