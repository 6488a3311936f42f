"""Uploaded images: type checked from content, size and dimension capped, resized, re-encoded.

Re-encoding from decoded pixels drops every byte of metadata (EXIF, GPS, XMP, comments), and
whatever was appended to or hidden in the original file.
"""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def process_image(upload, *, max_side: int, square: bool = False) -> tuple[ContentFile, int, int]:
    """Return (file, width, height) of a clean re-encoded image, or raise ValidationError."""
    if upload.size > settings.RR_IMAGE_MAX_BYTES:
        raise ValidationError("That image is larger than 8 MB. Please choose a smaller file.", code="too_large")
    Image.MAX_IMAGE_PIXELS = settings.RR_IMAGE_MAX_PIXELS
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError("Please upload a JPEG, PNG, WebP or GIF image.", code="bad_type")
            if probe.width * probe.height > settings.RR_IMAGE_MAX_PIXELS:
                raise ValidationError("That image has too many pixels (40 megapixels at most).", code="too_big")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.seek(0)  # first frame only: animated images become stills
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
            if square:
                image = ImageOps.fit(image, (max_side, max_side))
            else:
                image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            if image.mode == "RGBA":
                image.save(out, format="PNG", optimize=True)
                ext = "png"
            else:
                image.save(out, format="JPEG", quality=85, optimize=True)
                ext = "jpg"
            width, height = image.size
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ValidationError("That file is not an image we can read.", code="unreadable") from exc
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ext}"), width, height
