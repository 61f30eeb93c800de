"""The one-time links people set their password with: open to anyone who holds one, without signing in.

``routes`` declares the blueprint, ``schemas`` its bodies."""
from api.invitations.routes import blueprint

__all__ = ["blueprint"]
