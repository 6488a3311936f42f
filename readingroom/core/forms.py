"""Form pieces several apps share: a bounded text field whose messages name it, and a set of file
inputs each with a description (discussion replies and direct messages attach files alike)."""

from __future__ import annotations

from django import forms

from readingroom.core.files import ACCEPTED_DESCRIPTION

DESCRIPTION_MAX = 1500
FILE_ACCEPT = (
    ".pdf,.png,.jpg,.jpeg,.webp,.txt,.docx,.xlsx,.pptx,.odt,.ods,.odp,"
    "application/pdf,image/png,image/jpeg,image/webp,text/plain"
)


def bounded_text(
    label: str, limit: int, *, required: bool = False, rows: int = 0, help_text: str = ""
) -> forms.CharField:
    attrs = {"maxlength": limit}
    widget = forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        strip=True,
        widget=widget,
        help_text=help_text,
        error_messages={
            "max_length": f"{label} can be at most {limit:,} characters (it has %(show_value)s).",
            "required": f"{label} is required.",
        },
    )


class AttachmentsMixin:
    """`file_slots_count` file inputs, each with a description (required for images: the action
    says so by name, as it alone knows which file is an image). Render with
    "core/_attachment_fields.html"; call add_file_fields() in __init__."""

    file_slots_count = 4
    accepted_files = ACCEPTED_DESCRIPTION

    @property
    def file_count(self) -> int:
        return self.file_slots_count

    def _slots(self) -> range:
        return range(1, self.file_slots_count + 1)

    def add_file_fields(self) -> None:
        for n in self._slots():
            self.fields[f"file_{n}"] = forms.FileField(
                label=f"File {n}", required=False, max_length=200, widget=forms.FileInput(attrs={"accept": FILE_ACCEPT})
            )
            self.fields[f"description_{n}"] = bounded_text(
                f"Description of file {n}",
                DESCRIPTION_MAX,
                rows=2,
                help_text="Required for an image: describe it for people who cannot see it.",
            )

    def file_slots(self):
        return [(n, self[f"file_{n}"], self[f"description_{n}"]) for n in self._slots()]

    def attachments(self) -> list[tuple[object, str]]:
        data = self.cleaned_data
        return [(data[f"file_{n}"], data.get(f"description_{n}") or "") for n in self._slots() if data.get(f"file_{n}")]
