"""Evidence files: checked by content (not by name or the browser's word), bounded, stored outside
MEDIA_ROOT and served only through a view that has already checked the owning record."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse

from readingroom.learning.models import EvidenceFile

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

# Office Open XML and OpenDocument files are zip archives; the member's file name decides which.
_ZIP_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
ACCEPTED_DESCRIPTION = "PDF, PNG, JPEG, WebP, plain text, Word, Excel, PowerPoint or OpenDocument, up to 10 MB"


def sniff(head: bytes, name: str) -> str | None:
    """The content type the bytes are, or None when we do not accept them."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _ZIP_TYPES.get(PurePath(name).suffix.lower())
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(head) - 4:
            return None
    if b"\x00" in head:
        return None
    return "text/plain"


def clean_upload(upload) -> None:
    """Raise ValidationError (a message for the member) unless the upload is an evidence file we keep."""
    if upload is None:
        raise ValidationError("Choose a file.")
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(f"That file is {upload.size / 1048576:.1f} MB; the limit is 10 MB.")
    if upload.size == 0:
        raise ValidationError("That file is empty.")
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    kind = sniff(head, upload.name or "")
    if kind is None:
        raise ValidationError(f"That kind of file is not accepted. Accepted: {ACCEPTED_DESCRIPTION}.")
    if kind in _ZIP_TYPES.values():
        try:
            with zipfile.ZipFile(upload) as archive:
                # A zip bomb or a broken archive is refused before it is stored.
                if sum(i.file_size for i in archive.infolist()) > 20 * MAX_EVIDENCE_BYTES:
                    raise ValidationError("That document is too large once unpacked.")
        except zipfile.BadZipFile as exc:
            raise ValidationError("That document could not be read.") from exc
        finally:
            upload.seek(0)


def safe_name(name: str) -> str:
    base = PurePath(name or "file").name
    cleaned = "".join(c for c in base if c.isalnum() or c in "._- ").strip(" .") or "file"
    return cleaned[-120:]


def store(*, owner, upload) -> EvidenceFile:
    """Check and store an upload (call inside the caller's transaction)."""
    clean_upload(upload)
    data = upload.read()
    upload.seek(0)
    kind = sniff(data[:4096], upload.name or "")
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
    """Serve a stored file to a viewer the caller has already checked. Downloaded, never rendered
    inline, except images and PDFs (nosniff is set by SecurityMiddleware)."""
    inline = record.content_type.startswith("image/") or record.content_type == "application/pdf"
    response = FileResponse(
        record.file.open("rb"),
        content_type=record.content_type,
        as_attachment=not inline,
        filename=record.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def read_bytes(record: EvidenceFile) -> bytes:
    with record.file.open("rb") as fh:
        return fh.read()


__all__ = ["clean_upload", "store", "file_response", "read_bytes", "sniff"]
