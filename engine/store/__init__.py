"""Persistence: SQLAlchemy tables, the database and the unit of work."""
from engine.store.database import Database, database_url
from engine.store.uow import UnitOfWork

__all__ = ["Database", "UnitOfWork", "database_url"]
