"""Health, and the deployed process definitions.

``routes`` declares the blueprint, ``schemas`` its bodies."""
from api.processes.routes import blueprint

__all__ = ["blueprint"]
