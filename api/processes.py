"""Read-only views of the deployed processes (the full API comes with the API issue)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from . import unit_of_work

blueprint = Blueprint("processes", __name__)


@blueprint.get("/health")
def health():
    return jsonify({"status": "ok"})


@blueprint.get("/processes")
def list_processes():
    with unit_of_work(current_app) as uow:
        rows = uow.definitions.all_latest()
        return jsonify([{"key": r.key, "version": r.version, "name": r.name} for r in rows])
