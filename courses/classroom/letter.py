"""The letter to parents and carers a school downloads, edits and sends home before the
lessons: one page of plain English, as a Rich Text file any word processor opens.

Rich Text is written by hand here because it is a page of text: every value is escaped
for RTF (backslash, braces, and anything beyond ASCII as a Unicode escape), so a school's
name can never break the file or smuggle in RTF control words.
"""

from django.template.loader import render_to_string
from django.utils import timezone


def rtf_escape(text: str) -> str:
    escaped = []
    for character in str(text):
        if character in "\\{}":
            escaped.append("\\" + character)
        elif character == "\n":
            escaped.append("\\line ")
        elif ord(character) < 32:
            continue
        elif ord(character) < 128:
            escaped.append(character)
        else:
            # RTF's \uN takes a signed 16-bit number; characters beyond it go as surrogates.
            for unit in character.encode("utf-16-le").hex(" ", 2).split():
                value = int.from_bytes(bytes.fromhex(unit), "little")
                escaped.append(f"\\u{value - 65536 if value > 32767 else value}?")
    return "".join(escaped)


def parents_letter(*, school, course, lessons) -> bytes:
    """The letter for this school and these lessons, ready to edit."""
    values = {
        "school": school.name,
        "borough": school.borough.name,
        "course": course.title,
        "date": f"{timezone.localdate():%-d %B %Y}",
    }
    context = {name: rtf_escape(value) for name, value in values.items()}
    context["lessons"] = [rtf_escape(lesson.title) for lesson in lessons]
    return render_to_string("classroom/parents_letter.rtf", context).encode("ascii")
