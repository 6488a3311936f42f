"""Fixtures and uploads for the messaging tests: members, a committing block, and files made the
way a member's device makes them (a JPEG with camera and GPS metadata, a PDF, a disguised program)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from readingroom.messaging import actions
from readingroom.messaging.models import Participant
from readingroom.testing.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run a block's on-commit callbacks (notifications, live updates) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def ana(db):
    return UserFactory(profile__handle="ana", profile__display_name="Ana Archivist")


@pytest.fixture
def ben(db):
    return UserFactory(profile__handle="ben", profile__display_name="Ben Binder")


@pytest.fixture
def cas(db):
    return UserFactory(profile__handle="cas", profile__display_name="Cas Cataloguer")


def fresh(user):
    """The member anew from the database (a user object caches its participations)."""
    return get_user_model().objects.select_related("profile").get(pk=user.pk)


def seat(user, conversation) -> Participant:
    return Participant.objects.get(conversation=conversation, user=user)


def say(sender, conversation, body="Another message", **kwargs):
    return actions.send_message(sender=fresh(sender), conversation=conversation, body=body, **kwargs)


def jpeg_with_exif(name="photo.jpg") -> SimpleUploadedFile:
    """A JPEG carrying a camera make and a GPS position in its EXIF block."""
    image = Image.new("RGB", (80, 60), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Co"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf_upload(name="minutes.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def program_upload(name="invoice.pdf") -> SimpleUploadedFile:
    """A Windows program named and labelled as a PDF."""
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 8
    return SimpleUploadedFile(name, program, content_type="application/pdf")


def stored_files(settings) -> list:
    root = settings.RR_PRIVATE_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
