import pytest

from readingroom.pln.checkin import QUESTIONS
from readingroom.pln.reading import BUFFER


@pytest.fixture(autouse=True)
def _empty_reading_buffer():
    """Other tests' timeline views fill the process-wide buffer; each pln test starts empty."""
    BUFFER.discard()
    yield
    BUFFER.discard()


def answers_for(*stages: str) -> dict[str, str]:
    """Answers choosing, question by question, the option that points to each given stage."""
    return {
        q.key: next(o.key for o in q.options if o.stage == stage) for q, stage in zip(QUESTIONS, stages, strict=True)
    }


@pytest.fixture
def all_answers():
    return answers_for
