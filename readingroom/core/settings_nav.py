"""The settings area's navigation, one list that each app adds its own pages to.

Apps register in their AppConfig.ready(), so a new settings page (tokens, digests, ...) appears
in every settings page's navigation without editing the other apps' templates."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url_name: str
    order: int


_SECTIONS: dict[str, Section] = {}


def register(*, key: str, label: str, url_name: str, order: int) -> None:
    _SECTIONS[key] = Section(key=key, label=label, url_name=url_name, order=order)


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.label))
