from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from readingroom.accounts.models import Sector
from readingroom.groups.actions import INVITATION_DAYS, MAX_TAGS, clean_tags
from readingroom.groups.models import Privacy, Role
from readingroom.groups.queries import SIZES, SORTS

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


def _text(label: str, limit: int, *, rows: int = 0, required: bool = False, help_text: str = "") -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows, "maxlength": limit}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        widget=widget,
        help_text=help_text,
        error_messages={"max_length": f"{label} can be at most {limit:,} characters (it has %(show_value)s)."},
    )


class GroupForm(forms.Form):
    name = _text("Name", 80, required=True)
    summary = _text("One-line summary", 200, help_text="Shown in the group directory.")
    privacy = forms.ChoiceField(label="Who can see and join it", choices=Privacy.choices, widget=forms.RadioSelect)
    about = _text("About", 5000, rows=6, help_text="Markdown: what the group is for, who it is for.")
    conduct = _text(
        "Code of conduct",
        5000,
        rows=6,
        help_text="Markdown. Members accept it when they join. Leave it empty to use none beyond the site's.",
    )
    sector = forms.ChoiceField(label="Sector", choices=[("", "Any sector"), *Sector.choices], required=False)
    tags = _text("Tags", 440, help_text=f"Up to {MAX_TAGS}, separated by commas: cohort 2027, cataloguing.")
    avatar = forms.FileField(
        label="Group picture", required=False, widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT})
    )
    banner = forms.FileField(
        label="Banner image", required=False, widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT})
    )
    banner_alt = _text("Banner description (alt text)", 300, help_text="Required with a banner image.")

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("Give the group a name.")
        return name

    def clean_tags(self):
        return clean_tags(self.cleaned_data.get("tags") or "")

    def clean(self):
        data = super().clean()
        if data.get("banner") and not (data.get("banner_alt") or "").strip():
            self.add_error("banner_alt", "Describe the banner image for people who cannot see it.")
        return data


class DirectoryForm(forms.Form):
    q = _text("Search groups", 100)
    tag = _text("Tag", 40)
    sector = forms.ChoiceField(label="Sector", choices=[("", "Any sector"), *Sector.choices], required=False)
    size = forms.ChoiceField(
        label="Size",
        required=False,
        choices=[
            ("", "Any size"),
            *((k, {"small": "Under 20", "medium": "20–199", "large": "200 or more"}[k]) for k in SIZES),
        ],
    )
    sort = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[(s, {"active": "Most active", "largest": "Largest", "newest": "Newest"}[s]) for s in SORTS],
    )
    mine = forms.BooleanField(label="Only my groups", required=False)

    def clean_tag(self):
        return " ".join((self.cleaned_data.get("tag") or "").split()).lower().lstrip("#")

    def clean_q(self):
        return " ".join((self.cleaned_data.get("q") or "").split())


class JoinForm(forms.Form):
    accept_conduct = forms.BooleanField(label="I have read the code of conduct and will follow it", required=False)
    message = _text("A note for the moderators (optional)", 500, rows=3)


class InvitationForm(forms.Form):
    days = forms.TypedChoiceField(
        label="The link works for",
        coerce=int,
        choices=[(d, f"{d} day{'s' if d > 1 else ''}") for d in INVITATION_DAYS],
        initial=7,
    )
    max_uses = forms.IntegerField(
        label="Number of uses", required=False, min_value=1, max_value=1000, help_text="Empty: no limit."
    )
    note = _text("Note for yourself", 120, help_text="For example: the 2027 cohort's first-week email.")


class RemoveForm(forms.Form):
    ban = forms.BooleanField(label="Also ban them from rejoining", required=False)
    reason = _text("Reason", 500, rows=3, help_text="Required for a ban. Moderators see it in the bans list.")


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class ResourceForm(forms.Form):
    title = _text("Title", 120, required=True)
    url = forms.URLField(label="Link", max_length=500, assume_scheme="https")
    note = _text("Note", 300)


class HomePreferenceForm(forms.Form):
    show_in_home = forms.BooleanField(label="Show this group's posts in my home timeline", required=False)
