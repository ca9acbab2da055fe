"""Alembic environment: runs against the engine qcode hands over in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from qcode.storage.schema import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
