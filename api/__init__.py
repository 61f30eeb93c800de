"""The JSON API under /api/v1: one blueprint per resource, each with its schemas beside it.

The OpenAPI document (``/api/v1/openapi.json``) is generated from the
blueprints and their schemas; every error is a problem-details answer
(``errors``). Routes call use cases with the request's unit of work, clock and
actor (``frontdoor.context``) and return what they answer.
"""
from __future__ import annotations

from flask import Flask

from api import audit, auth, directory, extensions, instances, notifications, plans, processes, tasks
from api import invitations, people, provinces, spreadsheets
from api.errors import PlanflowApi
from frontdoor.sign_in import open_endpoints

#: In the order the OpenAPI document lists them.
RESOURCES = (auth, processes, directory, plans, tasks, extensions, instances, notifications, audit, provinces,
             people, invitations, spreadsheets)


def init_app(app: Flask) -> PlanflowApi:
    api = PlanflowApi(app)
    for resource in RESOURCES:
        api.register_blueprint(resource.blueprint)
    # The OpenAPI document is for anyone to read.
    open_endpoints(app, *(endpoint for endpoint in app.view_functions if endpoint.startswith("api-docs.")))
    return api
