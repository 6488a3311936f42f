"""Forms for the goals pages (the API validates through the same ones). Every field is bounded;
date rules come from goals.rules so forms and actions give the same messages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from readingroom.core.models import Visibility
from readingroom.goals import rules
from readingroom.goals.actions import goal_skill_areas
from readingroom.goals.models import GoalStatus, Plan
from readingroom.learning.files import ACCEPTED_DESCRIPTION
from readingroom.learning.models import LearningVisibility

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_BAD_DATE = {"invalid": "Enter a date such as 2026-09-30."}


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put an action's ValidationError next to the form field it names (or at the top)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _date(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=DATE_WIDGET, help_text=help_text, error_messages=_BAD_DATE
    )


def _text(label: str, limit: int, *, rows: int = 0, required: bool = False, help_text: str = "") -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows, "maxlength": limit}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        widget=widget,
        help_text=help_text,
        error_messages={"max_length": f"This can be at most {limit:,} characters (it has %(show_value)s)."},
    )


_AREAS = "Choose skills areas from the list."


class SkillAreasField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            queryset=goal_skill_areas(),
            required=False,
            label="Skills areas",
            error_messages={
                "invalid_choice": "Choose skills areas from the list.",
                "invalid_pk_value": "Choose skills areas from the list.",
            },
            **kwargs,
        )


class GoalForm(forms.Form):
    title = _text("Goal", 200, required=True)
    why = _text("Why it matters", 4000, rows=3)
    success_criteria = _text("How I will know I have reached it", 4000, rows=3)
    target_date = _date("Target date", help_text="Optional. From 2000 to twenty years from today.")
    status = forms.ChoiceField(label="Status", choices=GoalStatus.choices, initial=GoalStatus.PLANNED)
    skill_areas = SkillAreasField()
    visibility = forms.ChoiceField(
        label="Who can see this goal",
        choices=LearningVisibility.choices,
        initial=LearningVisibility.PRIVATE,
        widget=forms.RadioSelect,
        help_text="Steps, reflections and evidence are seen by the same people.",
    )
    progress_override = forms.IntegerField(
        label="Progress (%)",
        required=False,
        min_value=0,
        max_value=100,
        help_text="Leave blank to follow the steps; or set 0 to 100 by hand.",
        error_messages={
            "min_value": "Progress is a percentage from 0 to 100.",
            "max_value": "Progress is a percentage from 0 to 100.",
            "invalid": "Enter a whole number from 0 to 100, or leave it blank.",
        },
    )
    plan = forms.ModelChoiceField(
        label="Plan", queryset=Plan.objects.none(), required=False, empty_label="Not part of a plan"
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.filter(owner=owner).order_by("-id")
        if not self.fields["plan"].queryset.exists():
            del self.fields["plan"]
        if not self.fields["skill_areas"].queryset.exists():
            del self.fields["skill_areas"]

    def clean_target_date(self):
        return rules.clean_date(self.cleaned_data.get("target_date"), what="target date")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=GoalStatus.choices)


class StepForm(forms.Form):
    title = _text("Step", 200, required=True)
    due_date = _date("Due date")

    def clean_due_date(self):
        return rules.clean_date(self.cleaned_data.get("due_date"), what="due date")


class ReflectionForm(forms.Form):
    written_on = _date("Date", required=True)
    body = _text(
        "Reflection",
        10000,
        rows=10,
        required=True,
        help_text="Markdown: **bold**, *italic*, lists, links and ### headings. Prompts you may use, if they "
        "help: " + " / ".join(rules.REFLECTION_PROMPTS),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("written_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_written_on(self):
        return rules.clean_past_date(self.cleaned_data.get("written_on"), what="date")


class LinkEvidenceForm(forms.Form):
    url = forms.URLField(
        label="Web address",
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address starting with http:// or https://."},
    )
    title = _text("Title", 200)
    note = _text("Note", 1000, rows=2)


class FileEvidenceForm(forms.Form):
    upload = forms.FileField(label="File", help_text=f"{ACCEPTED_DESCRIPTION}.")
    title = _text("Title", 200, help_text="Optional: the file's name is used otherwise.")
    note = _text("Note", 1000, rows=2)


class PostEvidenceForm(forms.Form):
    recent = forms.TypedChoiceField(label="One of your recent posts", required=False, coerce=int, empty_value=None)
    post = _text("Or paste a post's address or number", 500)
    note = _text("Note", 1000, rows=2)

    def __init__(self, *args, posts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recent"].choices = [("", "Choose a post")] + [
            (p.pk, f"{p.created_at:%-d %b %Y}: {p.body[:80]}") for p in posts
        ]

    def clean(self):
        data = super().clean()
        ref = data.get("recent") or (data.get("post") or "").strip()
        if not ref and not self.errors:
            self.add_error("post", "Choose one of your posts, or paste its address or number.")
        data["post_ref"] = ref
        return data


class AskNetworkForm(forms.Form):
    body = forms.CharField(
        label="Your post",
        max_length=settings.RR_POST_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": settings.RR_POST_MAX_CHARS}),
        error_messages={
            "max_length": f"A post can be at most {settings.RR_POST_MAX_CHARS:,} characters; this one has "
            "%(show_value)s.",
            "required": "Write something before posting.",
        },
    )
    visibility = forms.ChoiceField(label="Who can see the post", widget=forms.RadioSelect)

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = [(v, Visibility(v).label) for v in allowed]


class StartPlanForm(forms.Form):
    started_on = _date("Start date", required=True, help_text="Target and due dates count from this day.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("started_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean_started_on(self):
        return rules.clean_date(self.cleaned_data.get("started_on"), what="start date")


class PlanForm(forms.Form):
    title = _text("Plan", 200, required=True)
    description = _text("Description", 4000, rows=3)


class TemplateForm(forms.Form):
    title = _text("Title", 200, required=True)
    summary = _text("Summary", 500, rows=2, help_text="One or two sentences for the list of templates.")
    description = _text("Description", 10000, rows=8, help_text="Markdown.")
    duration_weeks = forms.IntegerField(
        label="Duration (weeks)", required=False, min_value=1, max_value=rules.MAX_OFFSET_WEEKS
    )


class TemplateGoalForm(forms.Form):
    title = _text("Goal", 200, required=True)
    why = _text("Why it matters", 4000, rows=3)
    success_criteria = _text("How the member will know they have reached it", 4000, rows=3)
    target_offset_weeks = forms.IntegerField(
        label="Target: weeks after the start",
        required=False,
        min_value=0,
        max_value=rules.MAX_OFFSET_WEEKS,
    )
    skill_areas = SkillAreasField()
    steps = _text(
        "Steps",
        20000,
        rows=6,
        help_text="One step a line. To give a step a due date, end the line with | and the number of days "
        "after the start, e.g. “Book a meeting with a mentor | 14”.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.fields["skill_areas"].queryset.exists():
            del self.fields["skill_areas"]

    def clean_steps(self):
        parsed = []
        lines = [line.strip() for line in (self.cleaned_data.get("steps") or "").splitlines() if line.strip()]
        if len(lines) > rules.MAX_STEPS:
            raise ValidationError(f"A goal can have at most {rules.MAX_STEPS} steps.")
        for number, line in enumerate(lines, start=1):
            title, _, days = line.rpartition("|") if "|" in line else (line, "", "")
            title, days = title.strip(), days.strip()
            offset = None
            if days:
                if (
                    not (days.isascii() and days.isdigit() and len(days) <= 5)
                    or not 0 <= int(days) <= rules.MAX_OFFSET_DAYS
                ):
                    raise ValidationError(
                        f"Line {number}: after | give a number of days from 0 to {rules.MAX_OFFSET_DAYS}."
                    )
                offset = int(days)
            if not title or len(title) > 200:
                raise ValidationError(f"Line {number}: a step needs a title of up to 200 characters.")
            parsed.append((title, offset))
        return parsed


def steps_text(goal) -> str:
    """A template goal's steps in the form's one-a-line shape."""
    return "\n".join(
        f"{s.title} | {s.due_offset_days}" if s.due_offset_days is not None else s.title for s in goal.steps.all()
    )
