"""Extensions (gia hạn): an agency asks for more time on a task, the standing body grants or refuses.

``routes`` declares the blueprint, ``schemas`` its bodies."""
from api.extensions.routes import blueprint

__all__ = ["blueprint"]
