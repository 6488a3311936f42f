"""The PLN stage check-in: six questions in our own words, and how the answers place a member in
one of the five stages a personal learning network goes through (immersion, evaluation,
know-it-all, perspective, balance).

Scoring, in full:
- every option of every question points to exactly one stage;
- each answer gives that stage one point, so the six answers share six points between the stages;
- the stage with the most points is the member's stage;
- a tie goes to the *earlier* stage (immersion before evaluation, and so on), so we never place
  someone further along than their answers clearly show.

Everything here is a pure function of the answers: no database, no request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from readingroom.pln.models import Stage

# Plain strings in the order a network grows through them (Stage declares them in this order).
STAGE_ORDER: tuple[str, ...] = tuple(Stage.values)


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    stage: str


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    options: tuple[Option, ...]

    def option(self, key: str) -> Option | None:
        return next((o for o in self.options if o.key == key), None)


IMM, EVA, KIA, PER, BAL = STAGE_ORDER

QUESTIONS: tuple[Question, ...] = (
    Question(
        "sources",
        "How many networks, feeds and groups do you follow for your work?",
        (
            Option("more", "I keep joining new ones: there is always another worth a try", IMM),
            Option("testing", "A few, and I am working out which are worth my time", EVA),
            Option("deep", "A handful that I know inside out and check very often", KIA),
            Option("fewer", "Fewer than before: I have stepped back from some", PER),
            Option("settled", "A settled few that fit what I need now", BAL),
        ),
    ),
    Question(
        "away",
        "After a day or two away from your timelines, how do you feel?",
        (
            Option("worried", "Worried that I missed something important", IMM),
            Option("curious", "Curious which sources turned out useful", EVA),
            Option("restless", "Restless: I would rather not leave it that long", KIA),
            Option("relieved", "Relieved: the break did me good", PER),
            Option("fine", "Fine: what matters will come round again", BAL),
        ),
    ),
    Question(
        "choosing",
        "How do you choose what to read?",
        (
            Option("everything", "I try to read everything", IMM),
            Option("trying", "I am trying out which people and hashtags are worth following", EVA),
            Option("master", "I read deeply in my chosen areas and want to master them", KIA),
            Option("reflect", "I read less and think more about how it fits my work offline", PER),
            Option("goals", "I read what helps with my current goals and let the rest go by", BAL),
        ),
    ),
    Question(
        "sharing",
        "How often do you share, reply or ask questions?",
        (
            Option("rarely", "Rarely: I am still finding my feet", IMM),
            Option("when_sure", "Sometimes, when I am sure of a source", EVA),
            Option("often", "Often: I like being the one who knows", KIA),
            Option("offline", "Less online, more with the colleagues around me", PER),
            Option("useful", "When I have something useful to give, or need help", BAL),
        ),
    ),
    Question(
        "time",
        "How does your network time fit with the rest of your life?",
        (
            Option("spills", "It spills over and I lose track of time", IMM),
            Option("finding", "I am still working out when it fits", EVA),
            Option("most", "It takes most of my spare time", KIA),
            Option("limits", "I have cut back and set myself some limits", PER),
            Option("place", "It has its place and I keep to it", BAL),
        ),
    ),
    Question(
        "stuck",
        "When a hard question comes up at work, what do you do first?",
        (
            Option("search_all", "Search everything I follow and read all I can find", IMM),
            Option("trusted", "Check the few sources I have found reliable", EVA),
            Option("alone", "Work it out alone from what I have learned", KIA),
            Option("colleagues", "Talk it through with the people around me", PER),
            Option("ask", "Ask my network, knowing someone will help, and share back what I learn", BAL),
        ),
    ),
)

QUESTION_KEYS = tuple(q.key for q in QUESTIONS)
_BY_KEY = {q.key: q for q in QUESTIONS}


class InvalidAnswers(ValueError):
    """Some answers are missing or not one of their question's options; `errors` says which."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def clean_answers(answers: Mapping) -> dict[str, str]:
    """The answers as {question key: option key}, or InvalidAnswers naming each problem.
    Unknown question keys are refused too, so nothing is stored that the scoring did not read."""
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for question in QUESTIONS:
        value = answers.get(question.key)
        if value is None or value == "":
            errors[question.key] = "Choose the answer that fits you best."
        elif not isinstance(value, str) or question.option(value) is None:
            errors[question.key] = "Choose one of the answers offered."
        else:
            cleaned[question.key] = value
    for key in answers:
        if key not in _BY_KEY:
            errors[str(key)[:40]] = "There is no such question."
    if errors:
        raise InvalidAnswers(errors)
    return cleaned


def scores(answers: Mapping[str, str]) -> dict[str, int]:
    """Points per stage (every stage present, in stage order) for already-clean answers."""
    points = dict.fromkeys(STAGE_ORDER, 0)
    for key, option_key in answers.items():
        option = _BY_KEY[key].option(option_key)
        if option is not None:
            points[option.stage] += 1
    return points


def place(answers: Mapping) -> str:
    """The member's stage for these answers (see the module docstring); raises InvalidAnswers."""
    points = scores(clean_answers(answers))
    best = max(points.values())
    return next(stage for stage in STAGE_ORDER if points[stage] == best)  # earliest of the tied


def next_stage(stage: str) -> str | None:
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


@dataclass(frozen=True)
class Guide:
    stage: str
    label: str
    summary: str
    advice_title: str
    advice: tuple[str, ...]


GUIDES: dict[str, Guide] = {
    IMM: Guide(
        IMM,
        "Immersion",
        "You are diving in: trying new networks, following lots of people and hashtags, and keen not to "
        "miss a thing. That energy is how every good network starts, and feeling a little overwhelmed "
        "is a normal part of it.",
        "Towards evaluation: start choosing",
        (
            "Notice which three people or hashtags taught you something this week, and keep them.",
            "Let a few quiet or noisy follows go: you can always follow them again.",
            "Read at set times rather than whenever there is something new.",
        ),
    ),
    EVA: Guide(
        EVA,
        "Evaluation",
        "You know your way around now and are picking the networks and people that suit your learning. "
        "Sorting the useful from the merely busy is a real skill, and you are building it.",
        "Towards depth: commit to a few",
        (
            "Pick one or two topics from your learning goals and follow the best voices on them.",
            "Bookmark the posts you want to come back to, and come back to them.",
            "Try a weekly digest so the best of your network comes to you.",
        ),
    ),
    KIA: Guide(
        KIA,
        "Know-it-all",
        "You are deep in your chosen networks and learning a great deal. It is easy at this stage to "
        "feel you must read and know everything yourself; that is a sign of commitment, not a failing.",
        "Towards perspective: step back a little",
        (
            "Plan one day a week away from your timelines and see what you notice.",
            "Talk through something you read with a colleague in person.",
            "Ask a question in public instead of searching alone: others learn from it too.",
        ),
    ),
    PER: Guide(
        PER,
        "Perspective",
        "You have surfaced, made some space and reconnected with the people and work around you. "
        "That distance helps you see what your network is really for.",
        "Towards balance: let the network carry some of the load",
        (
            "Set the time you want to give your network each week, and keep to it.",
            "When you are stuck, ask your network first: you do not have to know it all.",
            "Share back one thing you learned, so the help goes both ways.",
        ),
    ),
    BAL: Guide(
        BAL,
        "Balance",
        "Your network supports you rather than consuming you. You share what you know, ask when you need "
        "to, and trust the people around you to fill the gaps. Well done.",
        "Staying in balance",
        (
            "Check in again every few months: balance moves as work and life change.",
            "Welcome someone newer: reply to their first posts or offer to mentor.",
            "Keep a short reflection in your CPD log when your network teaches you something.",
        ),
    ),
}


def guide(stage: str) -> Guide:
    return GUIDES[stage]
