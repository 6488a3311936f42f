"""Read the text back out of a PDF WeasyPrint made (no PDF reader is installed here; poppler's
pdftotext is used when present). Enough of PDF for WeasyPrint's output: flate streams, object
streams, Type0 fonts with ToUnicode maps, and text shown with Tj/TJ."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib

OBJ_RE = re.compile(rb"(\d+)\s+0\s+obj\b(.*?)\bendobj", re.S)
STREAM_RE = re.compile(rb"^(.*?)stream\r?\n", re.S)


def _objects(pdf: bytes) -> dict[int, bytes]:
    """Object number -> its bytes, with a stream's data decompressed and appended."""
    out: dict[int, bytes] = {}
    for match in OBJ_RE.finditer(pdf):
        number, body = int(match.group(1)), match.group(2)
        head = STREAM_RE.match(body)
        if head:
            data = body[head.end() :].rsplit(b"endstream", 1)[0]
            if b"/FlateDecode" in head.group(1):
                data = zlib.decompressobj().decompress(data)
            if b"/ObjStm" in head.group(1):
                out.update(_object_stream(head.group(1), data))
                continue
            body = head.group(1) + b"\nstream\n" + data
        out[number] = body
    return out


def _object_stream(header: bytes, data: bytes) -> dict[int, bytes]:
    first = int(re.search(rb"/First\s+(\d+)", header).group(1))
    numbers = [int(n) for n in data[:first].split()]
    pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
    found = {}
    for i, (number, offset) in enumerate(pairs):
        end = pairs[i + 1][1] if i + 1 < len(pairs) else len(data) - first
        found[number] = data[first + offset : first + end]
    return found


def _cmap(text: bytes) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            mapping[src.decode().lower()] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            width, start = len(lo), int(dst, 16)
            for n, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[f"{code:0{width}x}"] = chr(start + n)
    return mapping


def _fonts(objects: dict[int, bytes]) -> dict[str, dict[str, str]]:
    """Font resource name -> code -> text, through each font dictionary's ToUnicode map."""
    by_object = {}
    for number, body in objects.items():
        match = re.search(rb"/ToUnicode\s+(\d+)\s+0\s+R", body)
        if match and b"/Font" in body:
            by_object[number] = _cmap(objects.get(int(match.group(1)), b""))
    fonts: dict[str, dict[str, str]] = {}
    for body in objects.values():
        for name, ref in re.findall(rb"/([A-Za-z0-9_.+-]+)\s+(\d+)\s+0\s+R", body):
            if int(ref) in by_object:
                fonts[name.decode()] = by_object[int(ref)]
    return fonts


TOKEN_RE = re.compile(
    rb"/([A-Za-z0-9_.+-]+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj|(\bET\b)|(\bTd\b|\bTm\b|T\*)", re.S
)


def _show(hexes: list[bytes], cmap: dict[str, str]) -> str:
    out = []
    for h in hexes:
        code = h.decode().lower()
        for i in range(0, len(code), 4):
            out.append(cmap.get(code[i : i + 4], ""))
    return "".join(out)


def pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()  # noqa: S603, S607
    objects = _objects(pdf)
    fonts = _fonts(objects)
    lines: list[str] = []
    for body in objects.values():
        if b" Tf" not in body or b"stream" not in body:
            continue
        cmap: dict[str, str] = {}
        line = ""
        for font, tj, tj_single, end, move in TOKEN_RE.findall(body):
            if font:
                cmap = fonts.get(font.decode(), {})
            elif tj:
                line += _show(re.findall(rb"<([0-9a-fA-F]*)>", tj), cmap)
            elif tj_single:
                line += _show([tj_single], cmap)
            elif (end or move) and line:
                lines.append(line)
                line = ""
        if line:
            lines.append(line)
    return "\n".join(lines)


def page_count(pdf: bytes) -> int:
    return sum(1 for body in _objects(pdf).values() if re.search(rb"/Type\s*/Page\b(?!s)", body))
