"""Sign-up, onboarding and profile forms. Every field is bounded and explains its errors."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.urls import reverse

from readingroom.accounts import actions, queries
from readingroom.accounts.models import HANDLE_VALIDATOR, RESERVED_HANDLES, Interest, Profile, ProfileLink

PASSWORD_MAX_LENGTH = 256
HANDLE_HELP = "Your @handle: 2 to 30 lower-case letters, digits and underscores. You can change it later."
FREE_TAGS_HELP = (
    f"Anything else, separated by commas (each up to {actions.MAX_FREE_TAG_LENGTH} characters; "
    f"{actions.MAX_INTERESTS} interests in all)."
)


def clean_handle_value(value: str, *, exclude_user_id: int | None = None) -> str:
    """Normalise a typed handle (drop '@', lower-case) and check it is valid, unreserved and free."""
    handle = value.strip().lstrip("@").lower()
    if len(handle) > 30:
        raise ValidationError("A handle is at most 30 characters.", code="max_length")
    HANDLE_VALIDATOR(handle)
    if handle in RESERVED_HANDLES:
        raise ValidationError("That handle is reserved. Please choose another.", code="reserved")
    if queries.handle_taken(handle, exclude_user_id=exclude_user_id):
        raise ValidationError("That handle is already taken. Please choose another.", code="taken")
    return handle


def handle_field(**kwargs) -> forms.CharField:
    # max_length leaves room for a leading '@' and spaces; clean_handle_value enforces 30.
    return forms.CharField(
        label="Handle",
        max_length=40,
        help_text=HANDLE_HELP,
        error_messages={"max_length": "A handle is at most 30 characters."},
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "autocapitalize": "none", "spellcheck": "false"}),
        **kwargs,
    )


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(
        label="Display name",
        max_length=80,
        help_text="Your name as others see it, e.g. “Ada Lovelace”.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    handle = handle_field()
    accept_conduct = forms.BooleanField(
        label="I have read the code of conduct and agree to follow it",
        error_messages={"required": "Please read and accept the code of conduct to join."},
    )
    field_order = ["display_name", "handle", "email", "password1", "password2", "accept_conduct"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["accept_conduct"].help_text = (
            f'<a href="{reverse("accounts:conduct")}" target="_blank" rel="noopener">Read the code of conduct</a>'
            " (opens in a new tab)."
        )
        # Bound the passwords too: hashing a huge one is needless work for the server.
        for name in ("password1", "password2"):
            field = self.fields[name]
            field.max_length = PASSWORD_MAX_LENGTH
            field.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
            field.error_messages["max_length"] = f"A password can be at most {PASSWORD_MAX_LENGTH} characters."

    def clean_display_name(self) -> str:
        value = " ".join(self.cleaned_data["display_name"].split())
        if not value:
            raise ValidationError("Please enter the name others will see.", code="required")
        return value

    def clean_handle(self) -> str:
        return clean_handle_value(self.cleaned_data["handle"])

    def save(self, request):
        # The user and their profile exist together or not at all.
        with transaction.atomic():
            return super().save(request)

    def custom_signup(self, request, user) -> None:
        actions.create_member_profile(
            user=user, handle=self.cleaned_data["handle"], display_name=self.cleaned_data["display_name"]
        )
        actions.record_conduct_accepted(user=user)


class InterestsFieldsMixin:
    """Vocabulary checkboxes plus comma-separated free tags, capped at MAX_INTERESTS in all."""

    def add_interest_fields(self, profile: Profile | None = None) -> None:
        self.fields["vocabulary"] = forms.ModelMultipleChoiceField(
            label="Choose from these interests",
            queryset=Interest.objects.filter(in_vocabulary=True).order_by("name"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.fields["free_tags"] = forms.CharField(
            label="Other interests", max_length=1000, required=False, help_text=FREE_TAGS_HELP
        )
        if profile is not None and not self.is_bound:
            interests = list(profile.interests.all())
            self.initial["vocabulary"] = [i.pk for i in interests if i.in_vocabulary]
            self.initial["free_tags"] = ", ".join(i.name for i in interests if not i.in_vocabulary)

    def clean_free_tags(self) -> list[str]:
        tags: dict[str, str] = {}
        for raw in self.cleaned_data["free_tags"].split(","):
            name = " ".join(raw.split()).lstrip("#").strip()
            if not name:
                continue
            if len(name) > actions.MAX_FREE_TAG_LENGTH:
                raise ValidationError(
                    f"“{name[:20]}…” is too long: each interest is at most {actions.MAX_FREE_TAG_LENGTH} characters."
                )
            slug = actions.free_tag_slug(name)
            if not slug:
                raise ValidationError(f"“{name}” needs at least one letter or digit.")
            tags.setdefault(slug, name)
        return list(tags.values())

    def clean(self):
        cleaned = super().clean()
        slugs = {i.slug for i in cleaned.get("vocabulary") or []}
        slugs |= {actions.free_tag_slug(t) for t in cleaned.get("free_tags") or []}
        if len(slugs) > actions.MAX_INTERESTS:
            self.add_error(None, f"Choose at most {actions.MAX_INTERESTS} interests in all (you chose {len(slugs)}).")
        return cleaned

    def interest_choices(self) -> tuple[list[int], list[str]]:
        return [i.pk for i in self.cleaned_data["vocabulary"]], self.cleaned_data["free_tags"]


class OnboardingDetailsForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    class Meta:
        model = Profile
        fields = ["headline", "sector", "career_stage", "time_zone", "country", "city"]
        help_texts = {
            "headline": "One line about your work, e.g. “Metadata librarian at a university library”.",
            "time_zone": "Used to show times of events and posts. UTC until you choose.",
        }


class OnboardingInterestsForm(InterestsFieldsMixin, forms.Form):
    def __init__(self, *args, profile: Profile | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.add_interest_fields(profile)


HIDE_LABELS = {
    "pronouns": "Hide my pronouns from others",
    "job_title": "Hide my role or job title from others",
    "organisation": "Hide my organisation from others",
    "sector": "Hide my sector from others",
    "career_stage": "Hide my career stage from others",
    "location": "Hide my location (city, region, country) from others",
    "time_zone": "Hide my time zone from others",
    "languages": "Hide my languages from others",
    "links": "Hide my links from others",
    "interests": "Hide my interests from others",
}
LINK_KIND_CHOICES = [("", "Choose a kind"), *ProfileLink.Kind.choices]


class ProfileForm(InterestsFieldsMixin, forms.ModelForm):
    avatar = forms.FileField(
        label="New profile picture",
        required=False,
        help_text="JPEG, PNG, WebP or GIF, up to 8 MB. It is cropped to a square.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    remove_avatar = forms.BooleanField(label="Remove my profile picture", required=False)

    class Meta:
        model = Profile
        fields = [f for f in actions.EDITABLE_FIELDS if f != "hidden_fields"]  # hide_* boxes set hidden_fields
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 8}),
            "visibility": forms.RadioSelect,
            "default_post_visibility": forms.RadioSelect,
        }
        labels = {"visibility": "Who can see my profile", "default_post_visibility": "Default audience of my posts"}
        help_texts = {
            "bio": "Markdown: *emphasis*, **strong**, [links](https://example.org), lists and ### headings.",
            "languages": "Languages you work in, separated by commas.",
            "time_zone": "An IANA time zone, e.g. Europe/London.",
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["handle"] = handle_field()
        self.fields["display_name"].error_messages["required"] = "Please enter the name others will see."
        self.add_interest_fields(self.instance)
        for name in Profile.HIDEABLE_FIELDS:
            self.fields[f"hide_{name}"] = forms.BooleanField(
                label=HIDE_LABELS[name], required=False, initial=not self.instance.shows(name)
            )
        links = list(self.instance.links.all())
        for i in range(actions.MAX_LINKS):
            link = links[i] if i < len(links) else None
            self.fields[f"link_{i}_kind"] = forms.ChoiceField(
                label=f"Link {i + 1}: kind", choices=LINK_KIND_CHOICES, required=False, initial=link and link.kind
            )
            self.fields[f"link_{i}_url"] = forms.URLField(
                label=f"Link {i + 1}: address",
                max_length=300,
                required=False,
                assume_scheme="https",
                initial=link and link.url,
                help_text="An https:// address.",
            )

    def clean_handle(self) -> str:
        return clean_handle_value(self.cleaned_data["handle"], exclude_user_id=self.instance.user_id)

    def clean_display_name(self) -> str:
        value = " ".join(self.cleaned_data["display_name"].split())
        if not value:
            raise ValidationError("Please enter the name others will see.", code="required")
        return value

    def clean(self):
        cleaned = super().clean()
        for i in range(actions.MAX_LINKS):
            kind, url = cleaned.get(f"link_{i}_kind"), cleaned.get(f"link_{i}_url")
            if url and not url.lower().startswith("https://"):
                self.add_error(f"link_{i}_url", "Links must start with https://.")
            elif url and not kind:
                self.add_error(f"link_{i}_kind", "Choose what kind of link this is.")
            elif kind and not url and f"link_{i}_url" not in self.errors:
                self.add_error(f"link_{i}_url", "Enter the address for this link, or choose no kind.")
        return cleaned

    @property
    def link_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"link_{i}_kind"], self[f"link_{i}_url"]) for i in range(actions.MAX_LINKS)]

    def profile_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        data["hidden_fields"] = [n for n in Profile.HIDEABLE_FIELDS if self.cleaned_data.get(f"hide_{n}")]
        return data

    def links(self) -> list[tuple[str, str]]:
        rows = [(self.cleaned_data[f"link_{i}_kind"], self.cleaned_data[f"link_{i}_url"]) for i in range(5)]
        return [(kind, url) for kind, url in rows if kind and url]
