"""The people the administration tests need: administrators of a province or of none, Lâm Đồng brought on board,
and a stranger's browser that opens a one-time link."""
from __future__ import annotations

import re

from engine.model.actors import SYSTEM
from engine.services import provinces, users

from .conftest import PASSWORD, TOKENS, Client

LINK = re.compile(r"/invitations/([A-Za-z0-9_-]{20,})")


def add_person(app, username: str, roles: list[str], agency: str | None) -> None:
    """A person with the demo password and a personal token (``Client(app, username)`` signs in with it)."""
    with app.app_context():
        from frontdoor.context import clock, unit_of_work
        users.add_user(unit_of_work(), clock(), SYSTEM, username, PASSWORD, roles, agency, f"Người {username}")
        TOKENS[username] = users.create_token(unit_of_work(), clock(), SYSTEM, username, "tests")


def administrator(app, username: str, agency: str | None, session: bool = False) -> Client:
    add_person(app, username, ["admin"], agency)
    return Client(app, username, session=session)


def onboard_lam_dong(app) -> None:
    """Lâm Đồng on board (from the command line, as the engine): its first administrator and coordinator."""
    with app.app_context():
        from frontdoor.context import clock, unit_of_work
        provinces.onboard_province(unit_of_work(), clock(), SYSTEM, "Lâm Đồng", "https://planflow.example")
    add_person(app, "canbo.ldg", ["agency_member"], "LDG-SNV")


def token_of(link: str) -> str:
    return LINK.search(link).group(1)


def stranger(app) -> Client:
    """Someone not signed in, reading Vietnamese (as a browser that says nothing does)."""
    return Client(app, None, language=None)
