from __future__ import annotations

from datetime import time

from django import forms

from readingroom.core.pagination import MAX_ID
from readingroom.notifications import kinds
from readingroom.notifications.kinds import Delivery


def _field_name(kind: kinds.Kind) -> str:
    return f"delivery_{kind.slug}"


class PreferencesForm(forms.Form):
    """One choice of delivery per registered kind, and optional quiet hours (both times or neither)."""

    quiet_start = forms.TimeField(
        label="Quiet from", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_end = forms.TimeField(
        label="Quiet until", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args, deliveries: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds.all_kinds():
            self.fields[_field_name(kind)] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.help_text,
                choices=Delivery.choices,
                initial=deliveries.get(kind.slug, kind.default_delivery),
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose how you want to hear about this."},
            )
        # Radio groups first, in registration order; quiet hours last.
        self.order_fields([_field_name(k) for k in kinds.all_kinds()])

    def delivery_fields(self):
        return [self[_field_name(k)] for k in kinds.all_kinds()]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("quiet_start"), cleaned.get("quiet_end")
        if (start is None) != (end is None) and not self.errors.get("quiet_start") and not self.errors.get("quiet_end"):
            raise forms.ValidationError("Give both a start and an end time for quiet hours, or leave both empty.")
        if start is not None and start == end:
            raise forms.ValidationError("Quiet hours need different start and end times.")
        return cleaned

    def deliveries(self) -> dict[str, str]:
        return {k.slug: self.cleaned_data[_field_name(k)] for k in kinds.all_kinds()}

    def quiet(self) -> tuple[time, time] | None:
        start, end = self.cleaned_data.get("quiet_start"), self.cleaned_data.get("quiet_end")
        return (start, end) if start is not None and end is not None else None


class MarkAllReadForm(forms.Form):
    kind = forms.CharField(required=False, max_length=30)
    up_to = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def clean_kind(self) -> str | None:
        slug = self.cleaned_data["kind"]
        return slug if slug and kinds.get(slug) is not None else None
