from __future__ import annotations

from django import forms
from django.conf import settings

from readingroom.core.models import Visibility
from readingroom.posts.actions import ALT_TEXT_MAX

VISIBILITY_CHOICES = [
    (Visibility.PUBLIC, "Public: anyone, including people not signed in"),
    (Visibility.MEMBERS, "Members: anyone signed in"),
    (Visibility.FOLLOWERS, "Followers only"),
]
IMAGE_SLOTS = range(1, settings.RR_MAX_IMAGES + 1)


def _body_field(required: bool) -> forms.CharField:
    limit = settings.RR_POST_MAX_CHARS
    return forms.CharField(
        label="Post",
        required=required,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": limit, "data-maxlength": limit}),
        error_messages={
            "max_length": f"A post can be at most {limit:,} characters; this one has %(show_value)s.",
            "required": "Write something before posting.",
        },
    )


class PostForm(forms.Form):
    """The composer: text, who can see it, and up to four images, each with a description."""

    body = _body_field(required=False)
    visibility = forms.ChoiceField(label="Who can see this", choices=VISIBILITY_CHOICES)
    reply_to = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    group = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, prefix_id: str = "compose", **kwargs):
        super().__init__(*args, **kwargs)
        counter = f"{prefix_id}-counter"
        self.fields["body"].widget.attrs["data-counter"] = counter
        self.fields["body"].widget.attrs["aria-describedby"] = counter
        self.counter_id = counter
        for n in IMAGE_SLOTS:
            self.fields[f"image_{n}"] = forms.FileField(
                label=f"Image {n}",
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
            )
            self.fields[f"alt_{n}"] = forms.CharField(
                label=f"Description of image {n} (alt text)",
                required=False,
                max_length=ALT_TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Describe the image for people who cannot see it. Required with an image.",
                error_messages={"max_length": f"A description can be at most {ALT_TEXT_MAX:,} characters."},
            )

    image_count = len(IMAGE_SLOTS)

    def image_slots(self):
        return [(self[f"image_{n}"], self[f"alt_{n}"]) for n in IMAGE_SLOTS]

    def clean(self):
        data = super().clean()
        images = []
        for n in IMAGE_SLOTS:
            upload, alt = data.get(f"image_{n}"), (data.get(f"alt_{n}") or "").strip()
            if upload and not alt:
                self.add_error(f"alt_{n}", "Describe this image before posting: alt text is required.")
            elif upload:
                images.append((upload, alt))
        data["images"] = images
        if not (data.get("body") or "").strip() and not images and not self.errors:
            self.add_error("body", "Write something before posting.")
        return data


class EditPostForm(forms.Form):
    body = _body_field(required=True)
    visibility = forms.ChoiceField(label="Who can see this", choices=VISIBILITY_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["data-counter"] = "edit-counter"
        self.fields["body"].widget.attrs["aria-describedby"] = "edit-counter"
        self.counter_id = "edit-counter"
