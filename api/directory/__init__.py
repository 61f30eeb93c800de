"""The agency directory, the plan templates, and drafts read from plan documents.

``routes`` declares the blueprint, ``schemas`` its bodies."""
from api.directory.routes import blueprint

__all__ = ["blueprint"]
