from __future__ import annotations

from django import forms

from readingroom.portfolio.actions import SHARE_DAYS_DEFAULT, SHARE_DAYS_MAX, SHARE_DAYS_MIN
from readingroom.portfolio.jsonformat import MAX_BYTES
from readingroom.portfolio.models import Portfolio
from readingroom.portfolio.queries import RECORD_KINDS

MARKDOWN_HINT = "Markdown: *emphasis*, **strong**, lists, links, ### headings."


class PortfolioForm(forms.ModelForm):
    class Meta:
        model = Portfolio
        fields = ["title", "introduction"]
        labels = {"title": "Title", "introduction": "Introduction"}
        help_texts = {
            "title": "For example “Chartership portfolio 2025”.",
            "introduction": f"Who you are and what this portfolio shows. {MARKDOWN_HINT}",
        }
        error_messages = {"title": {"required": "Give the portfolio a title."}}
        widgets = {"introduction": forms.Textarea(attrs={"rows": 8})}


class AddRecordForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(k, k) for k in RECORD_KINDS], error_messages={"invalid_choice": "Choose a kind of record."}
    )
    record = forms.IntegerField(min_value=1, max_value=2**63 - 1, error_messages={"invalid": "Choose a record."})
    note = forms.CharField(required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 3}))


class SectionForm(forms.Form):
    heading = forms.CharField(
        label="Heading", max_length=200, error_messages={"required": "Give the section a heading."}
    )
    body = forms.CharField(
        label="Text",
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"For example a reflective statement. {MARKDOWN_HINT}",
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note",
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Shown with the record: why it belongs in this portfolio. {MARKDOWN_HINT}",
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        label="Label",
        max_length=120,
        required=False,
        help_text="Only you see it: who the link is for, e.g. “Assessment panel”.",
    )
    days = forms.IntegerField(
        label="Valid for (days)",
        min_value=SHARE_DAYS_MIN,
        max_value=SHARE_DAYS_MAX,
        initial=SHARE_DAYS_DEFAULT,
        help_text=f"From {SHARE_DAYS_MIN} to {SHARE_DAYS_MAX} days.",
        error_messages={
            "required": "Say how many days the link works.",
            "invalid": "Enter a whole number of days.",
            "min_value": f"Choose at least {SHARE_DAYS_MIN} day.",
            "max_value": f"Choose at most {SHARE_DAYS_MAX} days (a year).",
        },
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Portfolio file (JSON)",
        help_text="A file exported from a Reading Room portfolio, at most 5 MB.",
        error_messages={"required": "Choose a file to import.", "empty": "The file is empty."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB.")
        return upload
