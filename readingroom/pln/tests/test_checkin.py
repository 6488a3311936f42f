"""The check-in's scoring: pure functions, no database."""

import pytest

from readingroom.pln import checkin
from readingroom.pln.checkin import STAGE_ORDER, InvalidAnswers, clean_answers, next_stage, place, scores
from readingroom.pln.tests.conftest import answers_for

IMM, EVA, KIA, PER, BAL = STAGE_ORDER


def test_there_are_six_questions_each_with_three_to_five_options_covering_every_stage():
    assert 5 <= len(checkin.QUESTIONS) <= 7
    for question in checkin.QUESTIONS:
        assert 3 <= len(question.options) <= 5
        assert len({o.key for o in question.options}) == len(question.options)
    assert {o.stage for q in checkin.QUESTIONS for o in q.options} == set(STAGE_ORDER)


@pytest.mark.parametrize("stage", STAGE_ORDER)
def test_answers_all_pointing_to_one_stage_place_the_member_there(stage):
    assert place(answers_for(*[stage] * 6)) == stage


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        ((IMM, IMM, EVA, EVA, EVA, BAL), EVA),  # a clear majority
        ((BAL, BAL, BAL, PER, PER, KIA), BAL),
        ((PER, PER, PER, KIA, KIA, EVA), PER),
        ((KIA, KIA, KIA, BAL, IMM, EVA), KIA),
    ],
)
def test_the_stage_with_most_points_wins(stages, expected):
    assert place(answers_for(*stages)) == expected


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        ((BAL, BAL, BAL, IMM, IMM, IMM), IMM),
        ((PER, PER, KIA, KIA, BAL, BAL), KIA),
        ((BAL, PER, KIA, EVA, IMM, BAL), BAL),  # one each but balance twice: no tie
        ((BAL, PER, KIA, EVA, EVA, BAL), EVA),  # evaluation and balance tie: the earlier stage
    ],
)
def test_a_tie_goes_to_the_earlier_stage(stages, expected):
    assert place(answers_for(*stages)) == expected


def test_scores_share_one_point_per_answer_between_the_stages():
    points = scores(answers_for(IMM, EVA, EVA, KIA, BAL, BAL))
    assert points == {IMM: 1, EVA: 2, KIA: 1, PER: 0, BAL: 2}
    assert list(points) == list(STAGE_ORDER)


def test_missing_unknown_and_non_text_answers_are_each_named():
    answers = answers_for(*[EVA] * 6)
    answers["sources"] = "not-an-option"
    answers["away"] = ""
    del answers["stuck"]
    answers["sharing"] = 3
    answers["made_up"] = "x"
    with pytest.raises(InvalidAnswers) as caught:
        clean_answers(answers)
    assert caught.value.errors == {
        "sources": "Choose one of the answers offered.",
        "away": "Choose the answer that fits you best.",
        "sharing": "Choose one of the answers offered.",
        "stuck": "Choose the answer that fits you best.",
        "made_up": "There is no such question.",
    }


def test_place_refuses_incomplete_answers():
    with pytest.raises(InvalidAnswers):
        place({})


def test_every_stage_has_kind_advice_and_the_next_stage_follows_in_order():
    for stage in STAGE_ORDER:
        guide = checkin.guide(stage)
        assert guide.summary and len(guide.advice) >= 3
        text = (guide.summary + " ".join(guide.advice)).lower()
        assert not any(word in text for word in ("lazy", "failure", "bad at", "should be ashamed"))
    assert [next_stage(s) for s in STAGE_ORDER] == [EVA, KIA, PER, BAL, None]
