"""Storage: SQLAlchemy 2 async models and repositories (Alembic in migrations/ owns the schema)."""
