"""Settings of the platform (one pydantic-settings class, environment prefix ``ROADCARBON_``).

``ROADCARBON_DATABASE_URL`` is a generic SQLAlchemy URL; the default is a SQLite
file in the per-user data folder (platformdirs), so ``roadcarbon serve`` needs
no set-up.  A PostgreSQL URL looks like
``postgresql+psycopg://user@host:5432/dbname``.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """Per-user data folder of roadcarbon (e.g. ``~/.local/share/roadcarbon`` on Linux)."""
    return Path(user_data_dir("roadcarbon", appauthor=False))


def default_database_url() -> str:
    """SQLite file ``roadcarbon.sqlite3`` in :func:`default_data_dir`."""
    return f"sqlite:///{default_data_dir() / 'roadcarbon.sqlite3'}"


class Settings(BaseSettings):
    """Runtime configuration of the service (read from ``ROADCARBON_*`` environment variables)."""

    model_config = SettingsConfigDict(env_prefix="ROADCARBON_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    secret_key: str = Field(
        default="",
        description="HMAC key for JWTs; empty means a key generated and kept in the data folder.",
    )
    access_token_minutes: int = Field(default=30, ge=1, le=24 * 60)
    max_request_bytes: int = Field(default=1_000_000, ge=1024)
    login_attempts_per_minute: int = Field(default=10, ge=1)
    calculations_per_minute: int = Field(default=6000, ge=1)
    page_size_max: int = Field(default=200, ge=1)
    calculation_threads: int = Field(default=8, ge=1)
    log_level: str = Field(default="info", pattern="^(?i)(debug|info|warning|error)$")
    log_format: str = Field(
        default="text", pattern="^(text|json)$", description="text or json (one object a line)"
    )
    access_log: bool = Field(default=True, description="one log line per request")
    aggregates_refresh_seconds: int = Field(
        default=86_400,
        ge=0,
        description="Recompute the public supply-chain aggregates this often in the server (0: only "
        "`roadcarbon db refresh-aggregates`, e.g. from cron)",
    )

    def secret_key_path(self) -> Path:
        """Where the generated JWT key of this database is kept (when no secret is configured).

        Beside a SQLite file (``<file>.jwt-secret``); otherwise in the data folder under a name derived
        from the database URL.  One key per database: a token of one instance never works on another.
        """
        from sqlalchemy.engine import make_url

        url = make_url(self.database_url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return Path(str(url.database)).with_name(Path(str(url.database)).name + ".jwt-secret")
        import hashlib

        digest = hashlib.sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:16]
        return default_data_dir() / f"jwt-secret-{digest}"

    def resolved_secret_key(self) -> str:
        """The JWT signing key: the configured one, else one kept with the database (created once)."""
        if self.secret_key:
            return self.secret_key
        path = self.secret_key_path()
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key, encoding="utf-8")
        path.chmod(0o600)
        return key

    @property
    def is_sqlite(self) -> bool:
        """True when the database is a SQLite file (the embedded default)."""
        return self.database_url.startswith("sqlite")
