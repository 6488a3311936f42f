"""Forms of direct messages. Every field is bounded in the browser (maxlength) and here; the
actions check the same rules again (who may be messaged, lengths, files and their descriptions)."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from readingroom.accounts.models import Profile
from readingroom.core import forms as core_forms
from readingroom.core.forms import bounded_text as _text
from readingroom.messaging.actions import MAX_MESSAGE_FILES
from readingroom.messaging.models import MAX_PARTICIPANTS, WhoMayMessage

TITLE_MAX = 80
MAX_RECIPIENTS = MAX_PARTICIPANTS - 1
HANDLES_MAX = MAX_RECIPIENTS * 33  # "@" + 30 characters + ", " each
_HANDLE = re.compile(r"^[a-z0-9_]{2,30}$")


def _body_field() -> forms.CharField:
    limit = settings.RR_MESSAGE_MAX_CHARS
    return forms.CharField(
        label="Message",
        max_length=limit,
        required=False,  # a message of files alone is fine; the action says when both are missing
        strip=False,  # Markdown: leading spaces of a code block matter (the action trims the ends)
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": limit}),
        help_text=f"Markdown: **bold**, _italic_, > quote, lists, `code`. At most {limit:,} characters.",
        error_messages={"max_length": f"A message can be at most {limit:,} characters; this one has %(show_value)s."},
    )


def members_by_handle(text: str, *, limit: int) -> list:
    """The members named in "@ana, ben" (the order typed, each once); ValidationError naming any
    handle nobody has, or too many."""
    wanted: list[str] = []
    for part in re.split(r"[\s,;]+", text or ""):
        handle = part.strip().removeprefix("@").lower()
        if handle and handle not in wanted:
            wanted.append(handle)
    if not wanted:
        raise ValidationError("Name at least one member by their handle, e.g. @ana.", code="required")
    if len(wanted) > limit:
        raise ValidationError(f"You can name at most {limit} people; you named {len(wanted)}.", code="too_many")
    malformed = [h for h in wanted if not _HANDLE.match(h)]
    found = {
        p.handle: p.user
        for p in Profile.objects.select_related("user").filter(
            handle__in=[h for h in wanted if h not in malformed], user__is_active=True
        )
    }
    unknown = [h for h in wanted if h not in found]
    if unknown:
        names = ", ".join(f"@{h[:31]}" for h in unknown)
        raise ValidationError(f"No member has the handle {names}. Check the spelling.", code="unknown")
    return [found[h] for h in wanted]


class AttachmentsMixin(core_forms.AttachmentsMixin):
    file_slots_count = MAX_MESSAGE_FILES


class MessageForm(AttachmentsMixin, forms.Form):
    body = _body_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_file_fields()


class StartForm(AttachmentsMixin, forms.Form):
    to = _text(
        "To",
        HANDLES_MAX,
        required=True,
        help_text=f"Handles of up to {MAX_RECIPIENTS} members, separated by commas: @ana, @ben.",
    )
    title = _text("Name of the conversation (optional)", TITLE_MAX, help_text="For a conversation of three or more.")
    body = _body_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].widget.attrs["autocomplete"] = "off"
        self.add_file_fields()

    def clean_to(self):
        self.recipients = members_by_handle(self.cleaned_data["to"], limit=MAX_RECIPIENTS)
        return self.cleaned_data["to"]


class AddPeopleForm(forms.Form):
    handles = _text("Add people", HANDLES_MAX, required=True, help_text="Handles separated by commas: @ana, @ben.")

    def clean_handles(self):
        self.people = members_by_handle(self.cleaned_data["handles"], limit=MAX_RECIPIENTS)
        return self.cleaned_data["handles"]


class PreferenceForm(forms.Form):
    who_may_message = forms.ChoiceField(
        label="Who may send me direct messages",
        choices=WhoMayMessage.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose any member, only people you follow, or nobody.",
            "invalid_choice": "Choose any member, only people you follow, or nobody.",
        },
    )
