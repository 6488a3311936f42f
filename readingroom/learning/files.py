"""Evidence files: checked by content (not by name or the browser's word), bounded, stored outside
MEDIA_ROOT and served only through a view that has already checked the owning record."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.http import FileResponse

from readingroom.core import files
from readingroom.core.files import ACCEPTED_DESCRIPTION, MAX_FILE_BYTES, clean_upload, safe_name, sniff
from readingroom.learning.models import EvidenceFile

MAX_EVIDENCE_BYTES = MAX_FILE_BYTES


def store(*, owner, upload) -> EvidenceFile:
    """Check and store an upload (call inside the caller's transaction)."""
    kind = clean_upload(upload)
    data = upload.read()
    upload.seek(0)
    name = safe_name(upload.name)
    record = EvidenceFile(
        owner=owner,
        original_name=name,
        content_type=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    record.file.save(name, ContentFile(data), save=False)
    record.save()
    return record


def file_response(record: EvidenceFile) -> FileResponse:
    return files.file_response(record.file, content_type=record.content_type, filename=record.original_name)


def read_bytes(record: EvidenceFile) -> bytes:
    with record.file.open("rb") as fh:
        return fh.read()


__all__ = [
    "ACCEPTED_DESCRIPTION",
    "MAX_EVIDENCE_BYTES",
    "clean_upload",
    "store",
    "file_response",
    "read_bytes",
    "sniff",
]
