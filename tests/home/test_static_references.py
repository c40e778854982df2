"""Every static file a page names goes through `{% static %}`, so production's manifest
storage gives it a hashed name that WhiteNoise serves as immutable for a year. A path written
out by hand would be served unhashed, cached for a minute and never told when it changes."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("templates", "training_site", "courses", "certificates")
HAND_WRITTEN = re.compile(r"""(?:src|href|srcset|url\()\s*=?\s*["']?/static/""")


def test_no_template_or_stylesheet_writes_a_static_path_by_hand():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in SOURCES
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".html", ".css", ".js", ".txt"} and path.is_file()
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if HAND_WRITTEN.search(line)
    ]
    assert offenders == []
