from __future__ import annotations

from django import forms

from readingroom.accounts.queries import profile_by_handle
from readingroom.learning import queries
from readingroom.learning.models import MentorshipStatus
from readingroom.learning.permissions import can_pair

MESSAGE_MAX = 500


class AskMentorForm(forms.Form):
    """Ask a member, by handle, to be your mentor. Members one may not ask are "not found", so
    the form tells nobody more about a member than their profile would."""

    handle = forms.CharField(
        label="Their handle",
        max_length=31,
        help_text="For example @ana. You can ask anyone whose profile you can see and who can see yours.",
        error_messages={
            "required": "Enter the handle of the member you want to ask.",
            "max_length": "Handles are at most 30 characters.",
        },
    )
    message = forms.CharField(
        label="Message (optional)",
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Say why you are asking and what you hope to learn. Up to 500 characters.",
        error_messages={"max_length": "Keep the message to 500 characters or fewer."},
    )

    def __init__(self, *args, asker, **kwargs):
        super().__init__(*args, **kwargs)
        self.asker = asker

    def clean_handle(self):
        handle = self.cleaned_data["handle"].strip().lstrip("@")
        profile = profile_by_handle(handle)
        if profile is not None and profile.user_id == self.asker.pk:
            raise forms.ValidationError("You cannot be your own mentor.")
        if profile is None or not can_pair(self.asker, profile.user):
            raise forms.ValidationError(f"We could not find a member @{handle} you can ask.")
        existing = queries.open_between(mentee=self.asker, mentor=profile.user)
        if existing is not None:
            if existing.status == MentorshipStatus.ACTIVE:
                raise forms.ValidationError(f"{profile.display_name} is already your mentor.")
            raise forms.ValidationError(f"You have already asked {profile.display_name}; they have not answered yet.")
        self.cleaned_data["mentor"] = profile.user
        return handle

    def clean_message(self):
        message = self.cleaned_data["message"]
        if "\x00" in message:
            raise forms.ValidationError("The message may not contain the NUL character.")
        return message.strip()
