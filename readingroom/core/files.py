"""Uploaded files that are not public images: checked by content (not by name or the browser's
word), bounded, stored outside MEDIA_ROOT and served only through a view that has already checked
the owning record. Learning evidence and discussion attachments both use this."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse


class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT (which /media/ serves to anyone). The location is read from
    settings on each use (not cached), so tests can point it at a temporary directory."""

    @property
    def base_location(self):
        return settings.RR_PRIVATE_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)


private_storage = PrivateStorage()

MAX_FILE_BYTES = 10 * 1024 * 1024

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


def clean_upload(upload) -> str:
    """The upload's content type; ValidationError (a message for the member) unless we keep it."""
    if upload is None:
        raise ValidationError("Choose a file.")
    if upload.size > MAX_FILE_BYTES:
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
                if sum(i.file_size for i in archive.infolist()) > 20 * MAX_FILE_BYTES:
                    raise ValidationError("That document is too large once unpacked.")
        except zipfile.BadZipFile as exc:
            raise ValidationError("That document could not be read.") from exc
        finally:
            upload.seek(0)
    return kind


def safe_name(name: str) -> str:
    base = PurePath(name or "file").name
    cleaned = "".join(c for c in base if c.isalnum() or c in "._- ").strip(" .") or "file"
    return cleaned[-120:]


def file_response(field, *, content_type: str, filename: str) -> FileResponse:
    """Serve a stored file to a viewer the caller has already checked. Downloaded, never rendered
    inline, except images and PDFs (nosniff is set by SecurityMiddleware)."""
    inline = content_type.startswith("image/") or content_type == "application/pdf"
    response = FileResponse(field.open("rb"), content_type=content_type, as_attachment=not inline, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@dataclass(frozen=True)
class CheckedAttachment:
    file: object  # a re-encoded image (ContentFile) or the upload itself
    name: str  # the member's file name, made safe
    content_type: str
    alt_text: str

    @property
    def stored_name(self) -> str:
        # A re-encoded image is named by its uuid; a document keeps the member's (safe) name.
        return self.file.name if self.content_type.startswith("image/") else self.name


def check_attachments(attachments: Sequence[tuple[object, str]], *, limit: int) -> list[CheckedAttachment]:
    """(upload, description) pairs, every one checked before anything is stored: a kind we keep,
    within size, and an image described for people who cannot see it. Images are re-encoded, so no
    camera metadata or location leaves the member's device with them."""
    from readingroom.core.images import process_image

    if len(attachments) > limit:
        raise ValidationError(f"Attach at most {limit} files.", code="too_many_files")
    checked = []
    for upload, alt_text in attachments:
        alt_text = " ".join((alt_text or "").split())
        if len(alt_text) > 1500:
            raise ValidationError("A description can be at most 1,500 characters.", code="alt_long")
        kind = clean_upload(upload)
        name = safe_name(getattr(upload, "name", "") or "file")
        if kind.startswith("image/"):
            if not alt_text:
                raise ValidationError(f"Describe the image “{name}” for people who cannot see it.", code="alt_missing")
            image, _, _ = process_image(upload, max_side=2000)
            kind = "image/png" if image.name.endswith(".png") else "image/jpeg"
            # Re-encoding may change the format: the name the member downloads says what it is now.
            name = f"{PurePath(name).stem}{PurePath(image.name).suffix}"
            checked.append(CheckedAttachment(image, name, kind, alt_text))
        else:
            upload.seek(0)
            checked.append(CheckedAttachment(upload, name, kind, alt_text))
    return checked
