"""Engine, sessions and migrations of the gateway's database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.orm import sessionmaker

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


def async_url(database_url: str) -> str:
    """The async-driver form of a plain SQLAlchemy URL (sqlite:// -> sqlite+aiosqlite://)."""
    url = make_url(database_url)
    driver = _ASYNC_DRIVERS.get(url.get_backend_name(), url.drivername)
    return str(url.set(drivername=driver)) if "+" not in url.drivername else database_url


def sync_url(database_url: str) -> str:
    """The plain form of a URL, for migrations."""
    url = make_url(database_url)
    return str(url.set(drivername=url.get_backend_name()))


def create_engine(database_url: str) -> AsyncEngine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    return create_async_engine(async_url(database_url), future=True)


def session_factory(engine: AsyncEngine) -> sessionmaker:
    return sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def upgrade(database_url: str, revision: str = "head") -> None:
    """Brings the database schema to `revision` with Alembic (blocking; call at start-up)."""
    from alembic import command
    from alembic.config import Config

    url = make_url(sync_url(database_url))
    if url.get_backend_name() == "sqlite" and url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.set_main_option("sqlalchemy.url", str(url).replace("%", "%%"))
    command.upgrade(config, revision)
