"""Fixtures for the browser tests (the browser, page and axe fixtures are in readingroom.testing.browser)."""

from __future__ import annotations

import pytest

from readingroom.accounts.models import Interest


@pytest.fixture
def vocabulary(transactional_db):
    """Interests from the seeded vocabulary (a data migration; transactional tests flush it, so
    fetch-or-create keeps these tests independent of it)."""
    names = ["Cataloguing", "Digital preservation", "Information literacy"]
    return [
        Interest.objects.get_or_create(slug=n.lower().replace(" ", "-"), defaults={"name": n, "in_vocabulary": True})[0]
        for n in names
    ]
