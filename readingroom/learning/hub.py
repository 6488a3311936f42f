"""The learning area's sections (Goals, CPD log, Skills, Portfolios, Balance), one list that each
learning app adds itself to in AppConfig.ready(), so the learning navigation and the /learning/
overview show every section without the apps knowing each other."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url_name: str
    order: int
    # summary(member) -> a short dict for the overview card ({"lines": [...], "url": ...}); may be None.
    summary: Callable | None = None


_SECTIONS: dict[str, Section] = {}


def register(*, key: str, label: str, url_name: str, order: int, summary: Callable | None = None) -> None:
    _SECTIONS[key] = Section(key=key, label=label, url_name=url_name, order=order, summary=summary)


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.label))
