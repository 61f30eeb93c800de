"""The blueprint every resource of the JSON API is declared on.

webargs drops unknown query parameters silently by default; a client that
misspells ``?plna=3`` would get everybody's tasks. Here every location
refuses what its schema does not name, with a 422 that names it, and a route
that takes no query parameters refuses any (``api.errors``).
"""
from __future__ import annotations

import flask_smorest
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser


class _StrictParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": RAISE, "querystring": RAISE}


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = _StrictParser()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from api.errors import refuse_unknown_query_parameters
        self.before_request(refuse_unknown_query_parameters)
