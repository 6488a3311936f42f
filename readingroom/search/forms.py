from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django_countries import countries

from readingroom.accounts.models import CareerStage, Interest, Sector
from readingroom.posts.actions import clean_hashtag_name
from readingroom.search.engine import MAX_TERMS, Terms, parse_terms
from readingroom.search.queries import PeopleFilters

MAX_QUERY_CHARS = 200
SHOW_CHOICES = [("all", "Everything"), ("people", "People"), ("posts", "Posts"), ("hashtags", "Hashtags")]
SORT_CHOICES = [("newest", "Newest first"), ("relevance", "Most relevant")]
UTC_OFFSETS = range(-12, 15)


def _offset_label(hours: int) -> str:
    return "UTC" + ("−" if hours < 0 else "+") + str(abs(hours))


OFFSET_CHOICES = [("", "Any")] + [(str(h), _offset_label(h)) for h in UTC_OFFSETS]


class QuickSelect(forms.Select):
    """A <select> written in Python: Django renders each <option> through a template, which cost
    over half of a search page (250 countries, the interests, the offsets) for identical markup."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value[0] if isinstance(value, list | tuple) and value else value)
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) == chosen else ""}>{escape(label)}</option>'
            for key, label in self.choices
        )
        attributes = flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        return mark_safe(f"<select{attributes}>{options}</select>")  # noqa: S308 - values escaped above


class SearchForm(forms.Form):
    """GET form of the search page (and the header's box, which sends only q). Invalid filters are
    reported and ignored; an invalid query is reported and not run."""

    q = forms.CharField(
        label="Search",
        max_length=MAX_QUERY_CHARS,
        required=False,
        error_messages={"max_length": f"Please search with at most {MAX_QUERY_CHARS} characters."},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    show = forms.ChoiceField(widget=QuickSelect, label="Show", choices=SHOW_CHOICES, required=False)
    sort = forms.ChoiceField(widget=QuickSelect, label="Order posts by", choices=SORT_CHOICES, required=False)
    sector = forms.ChoiceField(
        widget=QuickSelect, label="Sector", required=False, choices=[("", "Any sector"), *Sector.choices]
    )
    career_stage = forms.ChoiceField(
        widget=QuickSelect,
        label="Career stage",
        required=False,
        choices=[("", "Any career stage"), *CareerStage.choices],
    )
    interest = forms.ChoiceField(widget=QuickSelect, label="Interest", required=False)
    country = forms.ChoiceField(widget=QuickSelect, label="Country", required=False)
    utc_from = forms.ChoiceField(widget=QuickSelect, label="Time zone from", required=False, choices=OFFSET_CHOICES)
    utc_to = forms.ChoiceField(widget=QuickSelect, label="Time zone to", required=False, choices=OFFSET_CHOICES)
    open_to_mentoring = forms.BooleanField(label="Open to mentoring", required=False)

    FILTER_FIELDS = ("sector", "career_stage", "interest", "country", "utc_from", "utc_to", "open_to_mentoring")

    def __init__(self, *args, interests: list[Interest], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interest"].choices = [("", "Any interest")] + [(i.slug, i.name) for i in interests]
        self.fields["country"].choices = [("", "Any country"), *countries]
        for name in ("show", "sort", "interest", "sector", "career_stage", "country", "utc_from", "utc_to"):
            self.fields[name].error_messages["invalid_choice"] = "Please choose one of the options in the list."
        self.post_terms: Terms | None = None
        self.people_terms: Terms | None = None

    def clean_q(self) -> str:
        q = self.cleaned_data["q"]
        try:
            self.post_terms = parse_terms(q)
            self.people_terms = parse_terms(q, allow_prefix=True)
        except ValueError:
            raise forms.ValidationError(f"Please search with at most {MAX_TERMS} words.") from None
        if q and self.post_terms is None:
            raise forms.ValidationError("Type at least one letter or digit to search for.")
        return q

    def clean(self):
        data = super().clean()
        low, high = data.get("utc_from"), data.get("utc_to")
        if low and high and int(low) > int(high):
            self.add_error("utc_to", "The second time zone offset must not be before the first.")
        return data

    # --- What the view runs -----------------------------------------------------------------------

    def valid(self, name: str):
        """A field's cleaned value, or its empty value when it is missing or invalid."""
        self.is_valid()
        return self.cleaned_data.get(name) or ""

    def query_ok(self) -> bool:
        self.is_valid()
        return "q" not in self.errors

    def chosen_show(self) -> str:
        return self.valid("show") or "all"

    def chosen_sort(self) -> str:
        return self.valid("sort") or "newest"

    def people_filters(self) -> PeopleFilters:
        self.is_valid()

        def offset(name: str) -> int | None:
            value = self.cleaned_data.get(name)
            return int(value) if value and "utc_to" not in self.errors else None

        return PeopleFilters(
            sector=self.valid("sector"),
            career_stage=self.valid("career_stage"),
            interest=self.valid("interest"),
            country=self.valid("country"),
            open_to_mentoring=bool(self.valid("open_to_mentoring")),
            utc_offset_min=offset("utc_from"),
            utc_offset_max=offset("utc_to"),
        )

    def hashtag_prefix(self) -> str:
        """The query as the start of a hashtag name ("#Digital Pres" -> "digitalpres"), or ""."""
        q = "".join(self.valid("q").split()) if self.query_ok() else ""
        try:
            return clean_hashtag_name(q) if q else ""
        except Http404:
            return ""
