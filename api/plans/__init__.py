"""Launching plans and watching them move: dashboards, the reporting regime, reports.

``routes`` declares the blueprint, ``schemas`` its bodies."""
from api.plans.routes import blueprint

__all__ = ["blueprint"]
