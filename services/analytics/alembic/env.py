"""Alembic's environment: migrations run on the connection `db/migrations.py` hands over (in its
transaction, under its lock); `alembic -x url=...` from a shell works too."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from services.analytics.db.repository import engine_for
from services.analytics.db.schema import Base


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    with engine_for(context.get_x_argument(as_dictionary=True)["url"]).begin() as connection:
        run(connection)
