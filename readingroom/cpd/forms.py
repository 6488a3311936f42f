"""Forms for the CPD pages; the API feeds the same forms, so both refuse the same input alike."""

from __future__ import annotations

import contextlib
from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from readingroom.core.pagination import MAX_ID
from readingroom.cpd import queries, rules
from readingroom.cpd.actions import EntryData
from readingroom.cpd.models import ActivityType, Delivery
from readingroom.learning.models import LearningVisibility

MAX_IMPORT_BYTES = 2 * 1024 * 1024
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": "Enter a date like 2025-03-14."}


class IdsField(forms.ModelMultipleChoiceField):
    """Ids beyond what a database integer holds are refused as unknown, not sent to the database."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not (text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text[:30]}
                )
        return super()._check_values(value)


class EntryForm(forms.Form):
    title = forms.CharField(label="Title", max_length=rules.MAX_TITLE, error_messages={"required": "Give the title."})
    started_on = forms.DateField(
        label="Date (or first day)", widget=DATE_INPUT, error_messages={**DATE_ERRORS, "required": "Give the date."}
    )
    ended_on = forms.DateField(
        label="Last day (if it ran over several days)", required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS
    )
    activity_type = forms.ChoiceField(
        label="Activity type",
        choices=[("", "Choose…"), *ActivityType.choices],
        error_messages={
            "required": "Choose the activity type.",
            "invalid_choice": "Choose an activity type from the list.",
        },
    )
    hours = forms.CharField(
        label="Hours",
        max_length=20,
        help_text=rules.HOURS_HELP,
        error_messages={"required": "Give the hours, e.g. 1.5."},
    )
    provider = forms.CharField(label="Provider or organiser", max_length=rules.MAX_PROVIDER, required=False)
    delivery = forms.ChoiceField(
        label="Online or in person",
        choices=[("", "Not given"), *Delivery.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose online, in person, both or not given."},
    )
    learned = forms.CharField(
        label="What I learned",
        max_length=rules.MAX_REFLECTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    apply = forms.CharField(
        label="How I will use it",
        max_length=rules.MAX_REFLECTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    goals = IdsField(
        label="Goals it serves",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose from your own goals.",
            "invalid_pk_value": "Choose from your own goals.",
        },
    )
    skill_areas = IdsField(
        label="Skills areas",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose from the skills areas listed.",
            "invalid_pk_value": "Choose from the skills areas listed.",
        },
    )
    visibility = forms.ChoiceField(
        label="Who can see this entry",
        choices=LearningVisibility.choices,
        initial=LearningVisibility.PRIVATE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who can see it.", "invalid_choice": "Choose who can see it from the list."},
    )

    def __init__(self, *args, owner, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner, self.today = owner, today
        self.duplicate_of = None  # set by the view when the action finds the same entry logged
        self.fields["goals"].queryset = queries.own_goals(owner)
        self.fields["skill_areas"].queryset = queries.default_area_queryset()

    def clean_title(self) -> str:
        return rules.clean_text(self.cleaned_data.get("title"), limit=rules.MAX_TITLE, what="title", required=True)

    def clean_provider(self) -> str:
        return rules.clean_text(self.cleaned_data.get("provider"), limit=rules.MAX_PROVIDER, what="provider")

    def clean_learned(self) -> str:
        return rules.clean_text(self.cleaned_data.get("learned"), limit=rules.MAX_REFLECTION, what="reflection")

    def clean_apply(self) -> str:
        return rules.clean_text(self.cleaned_data.get("apply"), limit=rules.MAX_REFLECTION, what="reflection")

    def clean_hours(self) -> int:
        return rules.parse_hours(self.cleaned_data.get("hours"))

    def clean(self):
        data = super().clean()
        started = data.get("started_on")
        if started is not None:
            try:
                data["ended_on"] = rules.check_dates(started, data.get("ended_on"), today=self.today)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    self.add_error(name, messages)
        return data

    def entry_data(self) -> EntryData:
        d = self.cleaned_data
        return EntryData(
            title=d["title"],
            started_on=d["started_on"],
            ended_on=d.get("ended_on"),
            activity_type=d["activity_type"],
            quarter_hours=d["hours"],
            provider=d.get("provider", ""),
            delivery=d.get("delivery", ""),
            learned=d.get("learned", ""),
            apply=d.get("apply", ""),
            visibility=d["visibility"],
            goals=list(d.get("goals") or []),
            skill_areas=list(d.get("skill_areas") or []),
        )


def entry_initial(entry) -> dict:
    return {
        "title": entry.title,
        "started_on": entry.started_on,
        "ended_on": entry.ended_on,
        "activity_type": entry.activity_type,
        "hours": rules.format_decimal(entry.quarter_hours),
        "provider": entry.provider,
        "delivery": entry.delivery,
        "learned": entry.learned,
        "apply": entry.apply,
        "goals": list(entry.goals.values_list("pk", flat=True)),
        "skill_areas": list(entry.skill_areas.values_list("pk", flat=True)),
        "visibility": entry.visibility,
    }


def initial_from_query(params, *, owner) -> dict:
    """ "Log this as CPD" links from other pages: ?title=&activity_type=&hours=&goal= prefill the form.
    Anything odd is dropped, never an error: the member still sees the form."""
    initial: dict = {}
    title = (params.get("title") or "").replace("\x00", "").strip()
    if title:
        initial["title"] = title[: rules.MAX_TITLE]
    if (kind := params.get("activity_type") or "") in ActivityType.values:
        initial["activity_type"] = kind
    hours = (params.get("hours") or "")[:20]
    with contextlib.suppress(ValidationError):
        initial["hours"] = rules.format_decimal(rules.parse_hours(hours))
    goal = params.get("goal") or ""
    valid_id = goal.isascii() and goal.isdigit() and len(goal) <= 18
    if valid_id and queries.own_goals(owner).filter(pk=int(goal)).exists():
        initial["goals"] = [int(goal)]
    return initial


class FilterForm(forms.Form):
    """The log's filters (GET). An invalid filter is reported next to it and ignored."""

    date_from = forms.DateField(label="From", required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS)
    date_to = forms.DateField(label="To", required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS)
    activity_type = forms.ChoiceField(
        label="Activity type",
        required=False,
        choices=[("", "Any"), *ActivityType.choices],
        error_messages={"invalid_choice": "Choose an activity type from the list."},
    )
    area = forms.TypedChoiceField(
        label="Skills area",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a skills area from the list."},
    )
    goal = forms.TypedChoiceField(
        label="Goal",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose one of your goals."},
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "Any"), *((a.pk, a.name) for a in queries.default_areas())]
        self.fields["goal"].choices = [("", "Any"), *queries.own_goals(owner).values_list("pk", "title")]

    def filters(self) -> queries.LogFilters:
        self.is_valid()
        d = getattr(self, "cleaned_data", {})
        return queries.LogFilters(
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            activity_type=d.get("activity_type") or "",
            area_id=d.get("area"),
            goal_id=d.get("goal"),
        )

    @property
    def active(self) -> bool:
        return any(self.cleaned_data.get(k) for k in self.fields) if hasattr(self, "cleaned_data") else False


class PeriodForm(forms.Form):
    """Totals for any period (GET); missing or broken dates fall back to the given defaults."""

    date_from = forms.DateField(label="From", required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS)
    date_to = forms.DateField(label="To", required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the period cannot be before its start.")
        for name in ("date_from", "date_to"):
            value = data.get(name)
            if value and value < rules.EARLIEST_DATE:
                self.add_error(name, "Choose a date in 1970 or later.")
        return data

    def period(self, *, default_start: date, default_end: date) -> tuple[date, date]:
        self.is_valid()
        d = getattr(self, "cleaned_data", {})
        start = d.get("date_from") or default_start
        end = d.get("date_to") or default_end
        return (start, end) if end >= start else (default_start, default_end)


class RequirementForm(forms.Form):
    label = forms.CharField(
        label="What it is for (optional)",
        max_length=120,
        required=False,
        help_text="For example “CILIP revalidation”, or your own words.",
    )
    hours = forms.CharField(
        label="Hours",
        max_length=20,
        help_text="To the quarter hour.",
        error_messages={"required": "Give the hours, e.g. 20."},
    )
    period_months = forms.IntegerField(
        label="Every (months)",
        min_value=1,
        max_value=60,
        initial=12,
        error_messages={
            "required": "Give the period in months.",
            "invalid": "Give a whole number of months.",
            "min_value": "The period is at least 1 month.",
            "max_value": "The period is at most 60 months.",
        },
    )

    def clean_label(self) -> str:
        return rules.clean_text(self.cleaned_data.get("label"), limit=120, what="label")

    def clean_hours(self) -> int:
        return rules.parse_hours(self.cleaned_data.get("hours"))


class EvidenceLinkForm(forms.Form):
    url = forms.URLField(
        label="Link",
        max_length=500,
        assume_scheme="https",
        error_messages={
            "required": "Give the link.",
            "invalid": "Enter a full web address, e.g. https://example.org/slides.",
        },
    )
    title = forms.CharField(label="Title (optional)", max_length=200, required=False)

    def clean_title(self) -> str:
        return rules.clean_text(self.cleaned_data.get("title"), limit=200, what="title")


class EvidenceFileForm(forms.Form):
    file = forms.FileField(label="File", error_messages={"required": "Choose a file.", "empty": "That file is empty."})
    title = forms.CharField(label="Title (optional)", max_length=200, required=False)

    def clean_title(self) -> str:
        return rules.clean_text(self.cleaned_data.get("title"), limit=200, what="title")


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8, commas or semicolons, up to 2 MB and 10,000 rows.",
        error_messages={"required": "Choose a CSV file.", "empty": "That file is empty."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(f"That file is {upload.size / 1048576:.1f} MB; the limit is 2 MB.")
        return upload
