"""Worklists, task forms, claiming, completing, and evidence files.

``routes`` declares the blueprint, ``schemas`` its bodies."""
from api.tasks.routes import blueprint

__all__ = ["blueprint"]
