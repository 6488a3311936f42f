from django import forms

from readingroom.api.actions import NAME_MAX_LENGTH
from readingroom.api.models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        help_text="What will use it, e.g. “Reading list script”. Only you see this.",
        error_messages={
            "required": "Give the token a name, e.g. the app or script that will use it.",
            "max_length": f"A token name is at most {NAME_MAX_LENGTH} characters.",
        },
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the token may do.", "invalid_choice": "Choose what the token may do."},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
