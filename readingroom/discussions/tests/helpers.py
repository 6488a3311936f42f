"""Topics, replies and uploads for the discussions tests (and the security batteries above them),
made through the real actions."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from readingroom.discussions import actions


def start(author, group, *, title="How do you catalogue zines?", body="Any tips welcome.", **fields):
    return actions.start_topic(author=author, group=group, title=title, body=body, **fields)


def jpeg_with_exif(name="photo.jpg") -> SimpleUploadedFile:
    """A JPEG carrying a camera make and a GPS position in its EXIF block."""
    image = Image.new("RGB", (80, 60), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Co"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf_upload(name="slides.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")
