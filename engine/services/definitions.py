"""Deploying BPMN files as versioned process definitions."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.bpmn.loader import Bundle, files_that_run_nothing, load_bundle
from engine.errors import BpmnRejected
from engine.model.actors import Actor
from engine.runtime import bundles
from engine.store.processes.tables import BundleRow, DefinitionRow
from engine.store.uow import UnitOfWork

STANDARD_PROCESSES = Path(__file__).resolve().parents[2] / "workflows" / "bpmn"


@dataclass(frozen=True)
class DeployedDefinition:
    key: str
    version: int
    name: str | None
    content_hash: str
    new: bool


def deploy(uow: UnitOfWork, clock, actor: Actor, files: dict[str, str | bytes]) -> list[DeployedDefinition]:
    """Check and store BPMN files; each startable process gets a new version if its files changed.

    Deploying the same content again changes nothing. Running instances keep
    the version they were started on.
    """
    bundle = load_bundle(files)
    for name, processes in files_that_run_nothing(bundle).items():
        raise BpmnRejected(
            (f"has no executable process (process {', '.join(repr(p) for p in processes)} is marked "
             'isExecutable="false"), so there is nothing planflow could start; set isExecutable="true" on the '
             "process to run" if processes else "defines no process, so there is nothing planflow could start"),
            file=name, element=processes[0] if processes else None)
    now = clock.now()
    with uow:
        row = uow.definitions.bundle_by_hash(bundle.content_hash)
        if row is None:
            row = uow.definitions.add(BundleRow(content_hash=bundle.content_hash, files=bundle.files,
                                                       deployed_at=now, deployed_by=actor.name))
            uow.flush()
        deployed = []
        for key in bundle.executable + bundle.collaborations:
            existing = uow.definitions.for_bundle(key, row.id)
            new = existing is None
            if new:
                existing = uow.definitions.add(DefinitionRow(
                    key=key, version=uow.definitions.next_version(key), name=_process_name(bundle, key),
                    bundle_id=row.id, deployed_at=now))
                uow.audit.append(now, actor.name, "definition.deployed",
                                 data={"key": key, "version": existing.version, "content_hash": bundle.content_hash})
            deployed.append(DeployedDefinition(key, existing.version, existing.name, bundle.content_hash, new))
        uow.commit()
    bundles.keep(bundle)
    return deployed


def deploy_directory(uow: UnitOfWork, clock, actor: Actor,
                     directory: Path = STANDARD_PROCESSES) -> list[DeployedDefinition]:
    """Deploy every ``*.bpmn`` file of a folder, each as its own bundle."""
    deployed = []
    for path in sorted(Path(directory).glob("*.bpmn")):
        deployed.extend(deploy(uow, clock, actor, {path.name: path.read_bytes()}))
    return deployed


def _process_name(bundle: Bundle, key: str) -> str | None:
    parser = bundle.parser.get_process_parser(key)
    return parser.get_name() if parser is not None else key


def list_definitions(uow: UnitOfWork) -> list[DeployedDefinition]:
    with uow:
        return [DeployedDefinition(row.key, row.version, row.name, "", False) for row in uow.definitions.all_latest()]
