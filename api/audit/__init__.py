"""The audit log for auditors: filtered and paged, exported with its chain hashes, verified.

``routes`` declares the blueprint, ``schemas`` its bodies."""
from api.audit.routes import blueprint

__all__ = ["blueprint"]
