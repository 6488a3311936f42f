import pytest

from readingroom.skills import actions, loader
from readingroom.skills.models import SkillFramework


@pytest.fixture
def framework(db):
    """The shipped default framework (loaded by a data migration; loaded again here should a
    transactional test have flushed it)."""
    found = SkillFramework.objects.filter(slug="library-and-information").first()
    if found is None:
        found = actions.load_framework(data=loader.DEFAULT_FRAMEWORK_PATH.read_bytes(), make_default=True)
    return found
