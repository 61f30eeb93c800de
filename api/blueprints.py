"""Every blueprint of the JSON API, registered in one place."""
from __future__ import annotations

from . import directory, extensions, instances, notifications, plans, processes, tasks


def register(api) -> None:
    for module in (processes, directory, plans, tasks, extensions, instances, notifications):
        api.register_blueprint(module.blueprint)
