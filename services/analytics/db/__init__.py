"""The analytics database: schema, migrations (Alembic) and the repository (SQLAlchemy 2)."""
