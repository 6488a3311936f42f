"""Forms of a group's discussions. Every field is bounded in the browser (maxlength) and here;
the actions check the same rules again (title and body lengths, tags, files, descriptions)."""

from __future__ import annotations

from django import forms
from django.conf import settings

from readingroom.core import forms as core_forms
from readingroom.core.forms import bounded_text as _text
from readingroom.discussions.actions import MAX_TOPIC_TAGS
from readingroom.discussions.models import TopicKind, WatchLevel
from readingroom.discussions.queries import SORTS

TITLE_MAX = 150
TAGS_MAX = 300
SEARCH_MAX = 200
BIG_NUMBER = 2**31 - 1


def _body_field(label: str = "Reply") -> forms.CharField:
    limit = settings.RR_REPLY_MAX_CHARS
    return forms.CharField(
        label=label,
        max_length=limit,
        strip=False,  # Markdown: leading spaces of a code block matter (the action trims the ends)
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": limit}),
        help_text=f"Markdown: **bold**, _italic_, > quote, # heading, lists, `code`. At most {limit:,} characters.",
        error_messages={
            "max_length": f"A reply can be at most {limit:,} characters; this one has %(show_value)s.",
            "required": "Write something before posting.",
        },
    )


class AttachmentsMixin(core_forms.AttachmentsMixin):
    file_slots_count = settings.RR_MAX_ATTACHMENTS


class StartTopicForm(AttachmentsMixin, forms.Form):
    title = _text("Title", TITLE_MAX, required=True)
    kind = forms.ChoiceField(
        label="What kind of topic",
        choices=TopicKind.choices,
        initial=TopicKind.DISCUSSION,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a discussion or a question.",
            "invalid_choice": "Choose a discussion or a question.",
        },
    )
    tags = _text("Tags", TAGS_MAX, help_text=f"Up to {MAX_TOPIC_TAGS}, separated by commas: cataloguing, zines.")
    body = _body_field("Opening post")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_file_fields()


class ReplyForm(AttachmentsMixin, forms.Form):
    body = _body_field()
    parent = forms.IntegerField(required=False, min_value=1, max_value=BIG_NUMBER, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_file_fields()


class EditReplyForm(forms.Form):
    """A reply's text; the opening post's form also carries the topic's title and tags."""

    body = _body_field("Text")

    def __init__(self, *args, opening: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if opening:
            self.fields = {
                "title": _text("Title", TITLE_MAX, required=True),
                "tags": _text(
                    "Tags", TAGS_MAX, help_text=f"Up to {MAX_TOPIC_TAGS}, separated by commas: cataloguing, zines."
                ),
                **self.fields,
            }


class TopicListForm(forms.Form):
    sort = forms.ChoiceField(
        label="Order",
        required=False,
        choices=[(s, {"latest": "Latest activity", "top": "Most replies"}[s]) for s in SORTS],
    )
    tag = _text("Tag", 40)
    archived = forms.BooleanField(label="The archive", required=False)
    unanswered = forms.BooleanField(label="Only unanswered questions", required=False)
    q = _text("Search this group's topics", SEARCH_MAX)

    def clean_tag(self):
        return " ".join((self.cleaned_data.get("tag") or "").split()).lower().lstrip("#")

    def clean_q(self):
        return " ".join((self.cleaned_data.get("q") or "").split())


class WatchForm(forms.Form):
    level = forms.ChoiceField(label="Notify me of", choices=WatchLevel.choices, widget=forms.RadioSelect)


class ModerateForm(forms.Form):
    ACTIONS = {
        "pin": {"pinned": True},
        "unpin": {"pinned": False},
        "lock": {"locked": True},
        "unlock": {"locked": False},
        "archive": {"archived": True},
        "unarchive": {"archived": False},
    }
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])

    def flags(self) -> dict[str, bool]:
        return self.ACTIONS[self.cleaned_data["action"]]


class AcceptForm(forms.Form):
    """A reply's number to accept as the answer; `clear` (or no number) clears the accepted one."""

    number = forms.IntegerField(required=False, min_value=2, max_value=BIG_NUMBER)
    clear = forms.BooleanField(required=False)
