"""Every blueprint of the JSON API, registered in one place."""
from __future__ import annotations

from api import (
    audit,
    directory,
    extensions,
    instances,
    notifications,
    plans,
    processes,
    tasks,
)


def register(api) -> None:
    for module in (processes, directory, plans, tasks, extensions, instances, notifications, audit):
        api.register_blueprint(module.blueprint)
