"""Signing in, the signed-in user, and personal tokens.

``routes`` declares the blueprint, ``schemas`` its bodies."""
from api.auth.routes import blueprint

__all__ = ["blueprint"]
