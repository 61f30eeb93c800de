"""Parsed BPMN bundles, kept by content hash: a process parses a bundle once, not at every step.

A stored bundle never changes, so its parsed form is good for as long as the
process lives; a definition's bundle is found by its id without reading the
bundle row when this process read that row before (``engine.store.kept``).
"""
from __future__ import annotations

from threading import Lock

from engine.bpmn.loader import Bundle, load_bundle
from engine.store import kept
from engine.store.processes.tables import BundleRow, DefinitionRow

_BUNDLES: dict[str, Bundle] = {}
_LOCK = Lock()


def bundle_of(definition: DefinitionRow) -> Bundle:
    """The parsed bundle a definition runs from."""
    content_hash = kept.fact_about(definition, "bundle_hash", definition.bundle_id)
    cached = _parsed(content_hash) if content_hash is not None else None
    if cached is not None:
        return cached
    row = definition.bundle
    kept.learn_about(definition, "bundle_hash", row.id, row.content_hash)
    return bundle_for(row)


def bundle_for(row: BundleRow) -> Bundle:
    """The parsed bundle of a stored row, from the cache when it was parsed before."""
    cached = _parsed(row.content_hash)
    if cached is None:
        cached = load_bundle(row.files)
        with _LOCK:
            _BUNDLES[row.content_hash] = cached
    return cached


def keep(bundle: Bundle) -> None:
    """A bundle just parsed (a deployment): the steps that follow need not parse it again."""
    with _LOCK:
        _BUNDLES.setdefault(bundle.content_hash, bundle)


def forget_all() -> None:
    with _LOCK:
        _BUNDLES.clear()


def _parsed(content_hash: str) -> Bundle | None:
    with _LOCK:
        return _BUNDLES.get(content_hash)
