import io

import html5lib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from readingroom.core.models import Visibility
from readingroom.posts import actions


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Create a post through the real action, running its on-commit fan-out as production would."""

    def _publish(author, body="Hello, reading room", visibility=Visibility.PUBLIC, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return actions.create_post(author=author, body=body, visibility=visibility, **kwargs)

    return _publish


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run a block's on-commit callbacks (fan-out, file deletion) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def png_upload(name="photo.png", size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def parse(html: str):
    return html5lib.parse(html, namespaceHTMLElements=False)


def executable_constructs(html: str) -> list[str]:
    """Script elements, event-handler attributes and javascript: URLs found by parsing."""
    found = []
    for element in parse(html).iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in {"script", "iframe", "object", "embed", "style"}:
            found.append(element.tag)
        for name, value in element.attrib.items():
            if name.lower().startswith("on") or value.strip().lower().startswith(("javascript:", "data:text")):
                found.append(f"{element.tag}@{name}")
    return found
