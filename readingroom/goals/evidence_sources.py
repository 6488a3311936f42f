"""Evidence for a goal that other (higher) apps own, such as CPD entries linked to it.

goals cannot import those apps, so each registers a loader in its AppConfig.ready():

    from readingroom.goals import evidence_sources
    evidence_sources.register(key="cpd", label="CPD entries", loader=cpd_entries_for_goal)

A loader is called as loader(goal, viewer) and returns a list of dicts {"title", "url", "meta"}
(meta: a short line such as "3 h · 12 March 2026", may be ""). It must return only what the viewer
may see: the goal page has checked the goal, not the loader's own records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    loader: Callable


_SOURCES: dict[str, Source] = {}


def register(key: str, label: str, loader: Callable) -> None:
    _SOURCES[key] = Source(key=key, label=label, loader=loader)


def unregister(key: str) -> None:
    _SOURCES.pop(key, None)


def sources() -> list[Source]:
    return sorted(_SOURCES.values(), key=lambda s: s.label)


def gather(goal, viewer) -> list[dict]:
    """[{"key", "label", "items": [...]}] for every registered source, in label order."""
    found = []
    for source in sources():
        items = [
            {"title": str(i.get("title", "")), "url": str(i.get("url", "")), "meta": str(i.get("meta") or "")}
            for i in source.loader(goal, viewer) or []
        ]
        found.append({"key": source.key, "label": source.label, "items": items})
    return found
