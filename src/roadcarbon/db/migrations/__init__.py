"""Alembic migrations (configuration kept inside the package; see :mod:`roadcarbon.db.migrate`)."""
