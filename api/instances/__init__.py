"""Process instances: where one stands (with its diagram) and its full history.

``routes`` declares the blueprint, ``schemas`` its bodies."""
from api.instances.routes import blueprint

__all__ = ["blueprint"]
