"""Every write to a member's goals: the goal itself, its steps, reflections and evidence, and
"ask my network". Each action re-checks that the editor owns the goal (Http404 otherwise), so
pages and the API share the rules. Goal.steps_total/steps_done are recounted here after every
step change; nothing else writes them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import Http404
from django.utils import timezone

from readingroom.core.text import render_bio
from readingroom.goals import rules
from readingroom.goals.models import EvidenceKind, Goal, GoalEvidence, GoalStatus, Plan, Reflection, Step
from readingroom.learning import files
from readingroom.learning.models import EvidenceFile, LearningVisibility
from readingroom.posts import actions as post_actions
from readingroom.posts.models import Post
from readingroom.skills.models import SkillArea

_UNSET = object()


def goal_skill_areas():
    """The areas a goal may name: the default framework's top-level areas."""
    return SkillArea.objects.filter(framework__is_default=True, parent__isnull=True).order_by("position", "id")


def _check_owner(goal: Goal, editor) -> None:
    if editor is None or not editor.is_authenticated or goal.owner_id != editor.pk:
        raise Http404("No such goal.")


def _clean_areas(areas: Iterable) -> list[int]:
    ids = {a if isinstance(a, int) else a.pk for a in areas}
    allowed = set(goal_skill_areas().filter(pk__in=ids).values_list("pk", flat=True))
    if ids - allowed:
        raise ValidationError({"skill_areas": "Choose skills areas from the list."})
    return sorted(ids)


def _clean_goal_fields(owner, fields: dict) -> dict:
    cleaned: dict = {}
    errors: dict = {}
    checks = {
        "title": lambda v: rules.clean_text(v, limit=200, what="title", required=True),
        "why": lambda v: rules.clean_text(v, limit=4000, what="reason it matters"),
        "success_criteria": lambda v: rules.clean_text(v, limit=4000, what="success criteria"),
        "target_date": lambda v: rules.clean_date(v, what="target date"),
        "progress_override": rules.clean_progress,
    }
    for name, value in fields.items():
        try:
            if name in checks:
                cleaned[name] = checks[name](value)
            elif name == "status":
                if value not in GoalStatus.values:
                    raise ValidationError("Choose a status from the list.")
                cleaned[name] = value
            elif name == "visibility":
                if value not in LearningVisibility.values:
                    raise ValidationError("Choose who can see this goal.")
                cleaned[name] = value
            elif name == "plan":
                if value is not None and value.owner_id != owner.pk:
                    raise ValidationError("Choose one of your plans.")
                cleaned[name] = value
            elif name == "skill_areas":
                cleaned[name] = _clean_areas(value or ())
            else:
                raise TypeError(f"Unknown goal field {name}")
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def create_goal(
    *,
    owner,
    title: str,
    why: str = "",
    success_criteria: str = "",
    target_date: date | None = None,
    status: str = GoalStatus.PLANNED,
    visibility: str = LearningVisibility.PRIVATE,
    skill_areas: Iterable = (),
    progress_override: int | None = None,
    plan: Plan | None = None,
) -> Goal:
    data = _clean_goal_fields(
        owner,
        {
            "title": title,
            "why": why,
            "success_criteria": success_criteria,
            "target_date": target_date,
            "status": status,
            "visibility": visibility,
            "skill_areas": skill_areas,
            "progress_override": progress_override,
            "plan": plan,
        },
    )
    areas = data.pop("skill_areas")
    goal = Goal.objects.create(owner=owner, **data)
    if status == GoalStatus.ACHIEVED:
        goal.achieved_at = goal.created_at
        goal.save(update_fields=["achieved_at"])
    goal.skill_areas.set(areas)
    return goal


@transaction.atomic
def update_goal(*, goal: Goal, editor, **fields) -> Goal:
    """Change any of create_goal's fields (those given); status goes through set_goal_status."""
    _check_owner(goal, editor)
    status = fields.pop("status", _UNSET)
    data = _clean_goal_fields(goal.owner, fields)
    areas = data.pop("skill_areas", None)
    for name, value in data.items():
        setattr(goal, name, value)
    goal.updated_at = timezone.now()
    goal.save(update_fields=[*data.keys(), "updated_at"])
    if areas is not None:
        goal.skill_areas.set(areas)
    if status is not _UNSET:
        set_goal_status(goal=goal, editor=editor, status=status)
    return goal


@transaction.atomic
def set_goal_status(*, goal: Goal, editor, status: str) -> Goal:
    _check_owner(goal, editor)
    if status not in GoalStatus.values:
        raise ValidationError({"status": "Choose a status from the list."})
    if status == goal.status:
        return goal
    goal.status = status
    # achieved_at records when it was reached; moving away from achieved forgets it.
    goal.achieved_at = timezone.now() if status == GoalStatus.ACHIEVED else None
    goal.updated_at = timezone.now()
    goal.save(update_fields=["status", "achieved_at", "updated_at"])
    return goal


@transaction.atomic
def delete_goal(*, goal: Goal, editor) -> None:
    """The goal, its steps, reflections and evidence go; uploaded evidence files too."""
    _check_owner(goal, editor)
    file_ids = list(goal.evidence.filter(file__isnull=False).values_list("file_id", flat=True))
    goal.delete()
    _delete_files(file_ids)


def _delete_files(file_ids: list[int]) -> None:
    rows = list(EvidenceFile.objects.filter(pk__in=file_ids))
    names = [r.file.name for r in rows]
    EvidenceFile.objects.filter(pk__in=file_ids).delete()
    storage = EvidenceFile._meta.get_field("file").storage

    def remove() -> None:
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(remove)


# --- Steps ---------------------------------------------------------------------------------------


def recount_steps(goal: Goal) -> None:
    counts = Step.objects.filter(goal=goal).aggregate(total=Count("id"), done=Count("id", filter=Q(done=True)))
    goal.steps_total, goal.steps_done = counts["total"], counts["done"]
    goal.updated_at = timezone.now()
    Goal.objects.filter(pk=goal.pk).update(
        steps_total=goal.steps_total, steps_done=goal.steps_done, updated_at=goal.updated_at
    )


def _locked(goal: Goal) -> Goal:
    # Steps of one goal change one at a time, so counts and positions stay consistent.
    Goal.objects.select_for_update().filter(pk=goal.pk).first()
    return goal


@transaction.atomic
def add_step(*, goal: Goal, editor, title: str, due_date: date | None = None) -> Step:
    _check_owner(goal, editor)
    _locked(goal)
    errors = {}
    try:
        title = rules.clean_text(title, limit=200, what="step", required=True)
    except ValidationError as exc:
        errors["title"] = exc.messages
    try:
        due_date = rules.clean_date(due_date, what="due date")
    except ValidationError as exc:
        errors["due_date"] = exc.messages
    if errors:
        raise ValidationError(errors)
    if Step.objects.filter(goal=goal).count() >= rules.MAX_STEPS:
        raise ValidationError(f"A goal can have at most {rules.MAX_STEPS} steps.", code="too_many")
    top = Step.objects.filter(goal=goal).aggregate(top=Max("position"))["top"]
    step = Step.objects.create(goal=goal, title=title, due_date=due_date, position=0 if top is None else top + 1)
    recount_steps(goal)
    return step


@transaction.atomic
def edit_step(*, step: Step, editor, title: str, due_date: date | None) -> Step:
    _check_owner(step.goal, editor)
    errors = {}
    try:
        step.title = rules.clean_text(title, limit=200, what="step", required=True)
    except ValidationError as exc:
        errors["title"] = exc.messages
    try:
        step.due_date = rules.clean_date(due_date, what="due date")
    except ValidationError as exc:
        errors["due_date"] = exc.messages
    if errors:
        raise ValidationError(errors)
    step.save(update_fields=["title", "due_date"])
    return step


@transaction.atomic
def set_step_done(*, step: Step, editor, done: bool) -> Step:
    """Tick or untick; saying the same twice changes nothing."""
    _check_owner(step.goal, editor)
    _locked(step.goal)
    if step.done != done:
        step.done = done
        step.done_at = timezone.now() if done else None
        step.save(update_fields=["done", "done_at"])
    recount_steps(step.goal)
    return step


@transaction.atomic
def move_step(*, step: Step, editor, direction: str) -> Step:
    """Swap the step with its neighbour above ("up") or below ("down"); at an end, nothing moves."""
    _check_owner(step.goal, editor)
    if direction not in ("up", "down"):
        raise ValidationError("Move a step up or down.", code="direction")
    _locked(step.goal)
    ordered = list(Step.objects.filter(goal_id=step.goal_id).order_by("position", "id"))
    index = next(i for i, s in enumerate(ordered) if s.pk == step.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    step.position = ordered.index(next(s for s in ordered if s.pk == step.pk))
    return step


@transaction.atomic
def delete_step(*, step: Step, editor) -> None:
    goal = step.goal
    _check_owner(goal, editor)
    _locked(goal)
    step.delete()
    recount_steps(goal)


# --- Reflections ---------------------------------------------------------------------------------


def _clean_reflection(body: str, written_on: date | None) -> tuple[str, date]:
    errors = {}
    try:
        body = rules.clean_text(body, limit=10000, what="reflection", required=True)
    except ValidationError as exc:
        errors["body"] = exc.messages
    try:
        written_on = rules.clean_past_date(written_on, what="date") or timezone.localdate()
    except ValidationError as exc:
        errors["written_on"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return body, written_on


@transaction.atomic
def add_reflection(*, goal: Goal, editor, body: str, written_on: date | None = None) -> Reflection:
    _check_owner(goal, editor)
    body, written_on = _clean_reflection(body, written_on)
    return Reflection.objects.create(goal=goal, body=body, body_html=render_bio(body), written_on=written_on)


@transaction.atomic
def edit_reflection(*, reflection: Reflection, editor, body: str, written_on: date | None = None) -> Reflection:
    _check_owner(reflection.goal, editor)
    body, written_on = _clean_reflection(body, written_on or reflection.written_on)
    reflection.body, reflection.body_html, reflection.written_on = body, render_bio(body), written_on
    reflection.edited_at = timezone.now()
    reflection.save(update_fields=["body", "body_html", "written_on", "edited_at"])
    return reflection


@transaction.atomic
def delete_reflection(*, reflection: Reflection, editor) -> None:
    _check_owner(reflection.goal, editor)
    reflection.delete()


# --- Evidence ------------------------------------------------------------------------------------


def _room_for_evidence(goal: Goal) -> None:
    if GoalEvidence.objects.filter(goal=goal).count() >= rules.MAX_EVIDENCE:
        raise ValidationError(f"A goal can have at most {rules.MAX_EVIDENCE} pieces of evidence.", code="too_many")


def _clean_title_note(title: str, note: str) -> tuple[str, str]:
    errors = {}
    try:
        title = rules.clean_text(title, limit=200, what="title")
    except ValidationError as exc:
        errors["title"] = exc.messages
    try:
        note = rules.clean_text(note, limit=1000, what="note")
    except ValidationError as exc:
        errors["note"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return title, note


@transaction.atomic
def add_link_evidence(*, goal: Goal, editor, url: str, title: str = "", note: str = "") -> GoalEvidence:
    _check_owner(goal, editor)
    url = (url or "").strip()
    try:
        if len(url) > 500:
            raise ValidationError("An address can be at most 500 characters.")
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ValidationError({"url": "Enter a web address starting with http:// or https://."}) from exc
    title, note = _clean_title_note(title, note)
    _room_for_evidence(goal)
    return GoalEvidence.objects.create(goal=goal, kind=EvidenceKind.LINK, url=url, title=title or url, note=note)


@transaction.atomic
def add_file_evidence(*, goal: Goal, editor, upload, title: str = "", note: str = "") -> GoalEvidence:
    _check_owner(goal, editor)
    title, note = _clean_title_note(title, note)
    _room_for_evidence(goal)
    try:
        stored = files.store(owner=goal.owner, upload=upload)
    except ValidationError as exc:
        raise ValidationError({"upload": exc.messages}) from exc
    return GoalEvidence.objects.create(
        goal=goal, kind=EvidenceKind.FILE, file=stored, title=title or stored.original_name, note=note
    )


@transaction.atomic
def add_post_evidence(*, goal: Goal, editor, post_ref: str | int, note: str = "") -> GoalEvidence:
    """One of the goal owner's own posts (not a boost, not in a group: a goal's audience is not
    the group's), given by id or pasted address."""
    _check_owner(goal, editor)
    post_id = rules.parse_post_ref(post_ref)
    mine = Post.objects.filter(author_id=goal.owner_id, boost_of__isnull=True, group__isnull=True)
    post = mine.filter(pk=post_id).first() if post_id else None
    if post is None:
        raise ValidationError(
            {"post": "Choose one of your own posts (not a boost, not a group post): its address or number."}
        )
    if GoalEvidence.objects.filter(goal=goal, post=post).exists():
        raise ValidationError({"post": "That post is already evidence for this goal."})
    _, note = _clean_title_note("", note)
    _room_for_evidence(goal)
    title = (post.body.splitlines() or [""])[0][:200] or f"Post {post.pk}"
    return GoalEvidence.objects.create(goal=goal, kind=EvidenceKind.POST, post=post, title=title, note=note)


@transaction.atomic
def delete_evidence(*, evidence: GoalEvidence, editor) -> None:
    _check_owner(evidence.goal, editor)
    file_id = evidence.file_id
    evidence.delete()
    if file_id:
        _delete_files([file_id])


# --- Ask my network ------------------------------------------------------------------------------


def ask_network_text(goal: Goal, goal_url: str) -> str:
    return f"I'm working towards: {goal.title}. Any resources or advice? {goal_url}"


@transaction.atomic
def ask_network(*, goal: Goal, author, body: str, visibility: str) -> Post:
    """A post asking for help with a goal, seen by no more people than may see the goal."""
    _check_owner(goal, author)
    allowed = rules.post_visibilities_for(goal.visibility)
    if not allowed:
        raise ValidationError(
            "Share this goal with your followers or with members before asking your network about it.",
            code="goal_not_shared",
        )
    if visibility not in allowed:
        raise ValidationError(
            {"visibility": "The post cannot reach more people than may see the goal: choose a narrower audience."}
        )
    return post_actions.create_post(author=author, body=body, visibility=visibility)
