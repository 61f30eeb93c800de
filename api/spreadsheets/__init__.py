"""A province's people and directory brought in from a spreadsheet (.xlsx or CSV) and taken out as one.

``routes`` declares the blueprint, ``schemas`` its bodies."""
from api.spreadsheets.routes import blueprint

__all__ = ["blueprint"]
