"""The people of a province, for its administrators: listing, inviting, correcting, disabling, and password links.

``routes`` declares the blueprint, ``schemas`` its bodies."""
from api.people.routes import blueprint

__all__ = ["blueprint"]
