"""Persistence: SQLAlchemy 2 ORM models, engine/session factory, repositories, Alembic migrations.

Nothing here knows HTTP or the CLI; services call the repositories.
"""
