"""Provinces and cities: today's 34, those merged into them, and bringing one on board.

``routes`` declares the blueprint, ``schemas`` its bodies."""
from api.provinces.routes import blueprint

__all__ = ["blueprint"]
