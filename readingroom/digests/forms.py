from __future__ import annotations

from django import forms

from readingroom.digests.models import Frequency, Weekday

HOURS = [(h, f"{h:02d}:00") for h in range(24)]


class DigestSettingsForm(forms.Form):
    """How often the digest comes, on which day (weekly) and at what hour of the member's day."""

    frequency = forms.ChoiceField(
        label="How often",
        choices=[
            (Frequency.WEEKLY, "Weekly"),
            (Frequency.DAILY, "Daily"),
            (Frequency.OFF, "Off: no digest emails"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often.", "invalid_choice": "Choose weekly, daily or off."},
    )
    weekday = forms.TypedChoiceField(
        label="Day (weekly digest)",
        choices=Weekday.choices,
        coerce=int,
        error_messages={"required": "Choose a day.", "invalid_choice": "Choose a day of the week."},
    )
    hour = forms.TypedChoiceField(
        label="Time",
        choices=HOURS,
        coerce=int,
        error_messages={"required": "Choose a time.", "invalid_choice": "Choose a whole hour from 00:00 to 23:00."},
    )
