import pytest

from readingroom.cpd.tests.factories import default_framework


@pytest.fixture
def areas(db):
    return default_framework()
