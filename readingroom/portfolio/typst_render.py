"""Typeset one portfolio: document data (JSON) on stdin, the PDF on stdout.

Run by typeset.pdf_from_document as a child process (`python -m readingroom.portfolio.typst_render`)
so that Typst's fonts and layout caches (about 110 MB for a 200-entry portfolio) are returned to the
system when the PDF is done instead of staying in a web worker, and so that a runaway layout can be
stopped by a timeout. Imports neither Django nor the rest of Reading Room."""

from __future__ import annotations

import sys
from pathlib import Path

TEMPLATE = Path(__file__).parent / "typst" / "portfolio.typ"


def main() -> int:
    import typst

    data = sys.stdin.buffer.read().decode("utf-8")
    try:
        # The template's own folder is Typst's root: it can read nothing else from disk.
        pdf = typst.compile(str(TEMPLATE), root=str(TEMPLATE.parent), sys_inputs={"data": data}, pdf_standards=["ua-1"])
    except typst.TypstError as exc:
        sys.stderr.write(f"Typst could not set the portfolio: {exc}\n")
        return 1
    sys.stdout.buffer.write(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
