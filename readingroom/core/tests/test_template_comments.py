"""Django's {# #} comments end at the line: one spread over lines is shown to members as text."""

from pathlib import Path

import readingroom

ROOT = Path(readingroom.__file__).parent


def test_no_template_has_a_multi_line_hash_comment():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in ROOT.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line[line.index("{#") :]
    ]
    assert offenders == [], "use {% comment %} for comments over several lines"
