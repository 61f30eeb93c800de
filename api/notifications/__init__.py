"""The caller's inbox: reminders, due-day notices and escalations, read in the caller's language.

``routes`` declares the blueprint, ``schemas`` its bodies."""
from api.notifications.routes import blueprint

__all__ = ["blueprint"]
