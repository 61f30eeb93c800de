"""The composition root a request runs on, and who is acting: what pages and API routes pass to use cases."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app, g, request

from bootstrap import Planflow
from engine.model.actors import Actor
from engine.model.clock import Clock

if TYPE_CHECKING:
    from engine.store import UnitOfWork


def planflow() -> Planflow:
    """The application's composition root (built once by ``server.create_app``)."""
    return current_app.extensions["planflow"]


def unit_of_work() -> "UnitOfWork":
    return planflow().uow()


def clock() -> Clock:
    return planflow().clock


def link_base() -> str:
    """Where the links mailed to people lead: PLANFLOW_BASE_URL when set, else the address this request came to."""
    return planflow().settings.base_url or request.host_url.rstrip("/")


def actor() -> Actor:
    """Who the request is from (set once sign-in has checked the session or token)."""
    return g.actor
