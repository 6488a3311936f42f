from __future__ import annotations

from django import forms

from readingroom.pln import checkin
from readingroom.pln.actions import MAX_MINUTES_PER_WEEK


class CheckInForm(forms.Form):
    """One radio group per question in pln.checkin; the same messages as checkin.clean_answers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in checkin.QUESTIONS:
            self.fields[question.key] = forms.ChoiceField(
                label=question.text,
                choices=[(o.key, o.label) for o in question.options],
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choose the answer that fits you best.",
                    "invalid_choice": "Choose one of the answers offered.",
                },
            )

    def questions(self):
        return [self[q.key] for q in checkin.QUESTIONS]


class TimeIntentionForm(forms.Form):
    minutes_per_week = forms.IntegerField(
        label="Minutes a week",
        min_value=0,
        max_value=MAX_MINUTES_PER_WEEK,
        help_text="The time you mean to give your learning network each week: reading, replying and "
        "learning from it. 0 to 3000 (50 hours). For example, 60 is an hour a week.",
        error_messages={
            "required": "Enter the minutes you mean to give each week, for example 60.",
            "invalid": "Enter a whole number of minutes, for example 60.",
            "min_value": "Enter 0 or more minutes.",
            "max_value": "Enter at most 3000 minutes (50 hours) a week.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_MINUTES_PER_WEEK}),
    )
