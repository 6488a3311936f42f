from __future__ import annotations

from django import forms
from django_countries import countries

from readingroom.accounts.models import CareerStage, Interest, Sector
from readingroom.network.queries import DirectoryFilters


class DirectoryFilterForm(forms.Form):
    """GET filters for the people directory; any invalid value is reported and ignored."""

    q = forms.CharField(
        label="Name, handle, headline or organisation",
        max_length=100,
        required=False,
        error_messages={"max_length": "Please search with at most 100 characters."},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    sector = forms.ChoiceField(label="Sector", required=False, choices=[("", "Any sector"), *Sector.choices])
    career_stage = forms.ChoiceField(
        label="Career stage", required=False, choices=[("", "Any career stage"), *CareerStage.choices]
    )
    interest = forms.ChoiceField(label="Interest", required=False)
    country = forms.ChoiceField(label="Country", required=False)
    open_to_mentoring = forms.BooleanField(label="Open to mentoring", required=False)
    seeking_mentor = forms.BooleanField(label="Looking for a mentor", required=False)
    open_to_collaborate = forms.BooleanField(label="Open to collaborate", required=False)

    def __init__(self, *args, interests: list[Interest], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interest"].choices = [("", "Any interest")] + [(i.slug, i.name) for i in interests]
        self.fields["country"].choices = [("", "Any country"), *countries]
        for name in ("interest", "sector", "career_stage", "country"):
            self.fields[name].error_messages["invalid_choice"] = "Please choose one of the options in the list."

    def filters(self) -> DirectoryFilters:
        """The valid filters (cleaned_data holds only the fields that passed)."""
        self.is_valid()
        data = self.cleaned_data
        return DirectoryFilters(**{name: data[name] for name in self.fields if name in data and data[name]})
