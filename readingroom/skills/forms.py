from __future__ import annotations

from django import forms

from readingroom.learning.models import LearningVisibility
from readingroom.skills import loader
from readingroom.skills.models import SkillArea

LEVELS = [
    (0, "0: not yet"),
    (1, "1: aware"),
    (2, "2: working knowledge"),
    (3, "3: skilled"),
    (4, "4: expert, can teach others"),
]
# What each level means, for the key shown above the form.
LEVEL_MEANINGS = [
    (0, "Not yet", "You have not worked in this area yet."),
    (1, "Aware", "You know what it is and why it matters, and could find out more."),
    (2, "Working knowledge", "You can do the everyday tasks, with help for harder ones."),
    (3, "Skilled", "You work confidently on your own, including with unusual cases."),
    (4, "Expert, can teach others", "Others come to you; you could teach or lead it."),
]
NOTE_MAX = 4000


def _level_field(label: str, what: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "Choose a level"), *LEVELS],
        coerce=int,
        error_messages={"required": f"Choose a level {what}.", "invalid_choice": "Choose a level from 0 to 4."},
    )


class RateSkillsForm(forms.Form):
    """One assessment: each top-level area rated now and as a target, a note and who may see it."""

    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What prompted this rating, or what you want to work on.",
        error_messages={"max_length": "Keep the note to 4,000 characters or fewer."},
    )
    visibility = forms.ChoiceField(
        label="Who may see this assessment",
        choices=LearningVisibility.choices,
        initial=LearningVisibility.PRIVATE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who may see it.", "invalid_choice": "Choose one of the options."},
    )

    def __init__(self, *args, areas: list[SkillArea], **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = areas
        for area in areas:
            self.fields[f"area_{area.pk}_now"] = _level_field("Now", f"for where you are now in {area.name}")
            self.fields[f"area_{area.pk}_target"] = _level_field("Target", f"to aim for in {area.name}")

    def area_groups(self):
        """(area, now field, target field) for the template, in the framework's order."""
        return [(a, self[f"area_{a.pk}_now"], self[f"area_{a.pk}_target"]) for a in self.areas]

    def levels(self) -> dict[int, tuple[int, int]]:
        data = self.cleaned_data
        return {a.pk: (data[f"area_{a.pk}_now"], data[f"area_{a.pk}_target"]) for a in self.areas}

    def clean_note(self) -> str:
        note = self.cleaned_data["note"]
        if "\x00" in note:
            raise forms.ValidationError("The note may not contain the NUL character.")
        return note.strip()


class AssessmentVisibilityForm(forms.Form):
    visibility = forms.ChoiceField(
        label="Who may see this assessment",
        choices=LearningVisibility.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who may see it.", "invalid_choice": "Choose one of the options."},
    )


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(
        label="Framework file (TOML)",
        help_text="Up to 256 KB. Loading a framework with an existing slug updates it and keeps members' ratings.",
        error_messages={"required": "Choose a framework file.", "empty": "That file is empty."},
    )
    make_default = forms.BooleanField(label="Make it the framework members rate themselves against", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > loader.MAX_FILE_BYTES:
            raise forms.ValidationError(f"That file is too large: the limit is {loader.MAX_FILE_BYTES // 1024} KB.")
        try:
            self.cleaned_data["spec"] = loader.parse(upload.read())
        except loader.FrameworkError as exc:
            raise forms.ValidationError(exc.errors) from exc
        return upload
