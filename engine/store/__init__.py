"""Persistence: SQLAlchemy tables, the database and the unit of work."""
from .database import Database, database_url
from .uow import UnitOfWork

__all__ = ["Database", "UnitOfWork", "database_url"]
