"""Names as long as the form allows, in any direction, fit the certificate: every letter of
the name is drawn, inside the frame and clear of the QR code, which still scans; nothing
else on the page is pushed out of the frame."""

import io
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from hypothesis import given, settings
from hypothesis import strategies as st

from certificates.name_fit import NAME_BOX_WIDTH, SIZES, glyph_widths, name_layout
from certificates.pdf import certificate_pdf
from certificates.services import verify_url
from training_site.people.validators import FULL_NAME_MAX_LENGTH, validate_full_name

from .factories import driver_with_licence, issue

LONGEST_WORD = "W" * FULL_NAME_MAX_LENGTH  # W is the widest letter in the font
LONG_WORD = ("Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch" * 2)[:80]
LONGEST_NAMES = "Maximiliana Alexandrina Wilhelmina Featherstonehaugh-Montgomery van Wolstenholme"
# Words too long to share a line at the smallest size: the lines are filled letter by letter.
AWKWARD_WORDS = " ".join(["WWWWWWWWWWWWWWW"] * 5)
ARABIC = "محمد عبد الرحمن الهاشمي"
ARABIC_LONGEST = "عبد الرحمن بن محمد بن عبد الله بن إبراهيم بن عبد العزيز بن سليمان الهاشمي القرشي"
HEBREW = "אברהם בן דוד כהן"
URDU = "ثناء اللہ چودھری"

NAMES = {
    "longest single word": LONGEST_WORD,
    "long word": LONG_WORD,
    "longest multi-word name": LONGEST_NAMES,
    "words too long to pair": AWKWARD_WORDS,
    "Arabic": ARABIC,
    "Arabic, longest": ARABIC_LONGEST,
    "Hebrew": HEBREW,
    "Urdu": URDU,
}


def test_the_names_are_ones_the_form_accepts():
    for name in NAMES.values():
        validate_full_name(name)
        assert len(name) <= FULL_NAME_MAX_LENGTH
    assert len(LONGEST_WORD) == len(LONG_WORD) == FULL_NAME_MAX_LENGTH
    assert len(LONGEST_NAMES) == len(ARABIC_LONGEST) == FULL_NAME_MAX_LENGTH


Box = tuple[float, float, float, float]  # left, bottom, right, top, in points


@dataclass
class Drawn:
    pages: int
    text: str
    char_boxes: list[tuple[str, Box]]
    frame: Box
    qr: Box
    qr_codes: list[str]


def drawn(pdf: bytes) -> Drawn:
    document = pdfium.PdfDocument(io.BytesIO(pdf))
    page = document[0]
    textpage = page.get_textpage()
    chars = [
        (textpage.get_text_range(index, 1), textpage.get_charbox(index))
        for index in range(textpage.count_chars())
    ]
    objects = list(page.get_objects())
    paths = [o.get_bounds() for o in objects if o.type == pdfium_c.FPDF_PAGEOBJ_PATH]
    images = [o.get_bounds() for o in objects if o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE]
    assert len(images) == 1, "the QR code is the only image"
    # The frame is the border round the page's content: the box its lines span.
    frame = (
        min(box[0] for box in paths),
        min(box[1] for box in paths),
        max(box[2] for box in paths),
        max(box[3] for box in paths),
    )
    image = page.render(scale=2).to_pil()
    return Drawn(
        pages=len(document),
        text=textpage.get_text_range(),
        char_boxes=chars,
        frame=frame,
        qr=images[0],
        qr_codes=[result.text for result in zxingcpp.read_barcodes(image)],
    )


def inside(box: Box, outer: Box) -> bool:
    return box[0] >= outer[0] and box[1] >= outer[1] and box[2] <= outer[2] and box[3] <= outer[3]


def overlaps(box: Box, other: Box) -> bool:
    return box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]


def name_chars(page: Drawn) -> list[tuple[str, Box]]:
    """The characters drawn between "This certifies that" and the holder's role."""
    before = page.text.index("This certifies that") + len("This certifies that")
    after = page.text.index("Taxi and private hire driver")
    return [(char, box) for char, box in page.char_boxes[before:after] if not char.isspace()]


def letters(text: str) -> str:
    # Arabic is drawn in its joined forms (and "الله" as one ligature): compare what they are.
    return "".join(unicodedata.normalize("NFKC", text).split())


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_a_long_or_right_to_left_name_fits_inside_the_frame_and_clear_of_the_qr(name):
    certificate = issue(driver_with_licence(full_name=name))
    page = drawn(certificate_pdf(certificate))

    assert page.pages == 1
    assert [code.split("#")[0] for code in page.qr_codes] == [verify_url(certificate)]

    drawn_name = name_chars(page)
    assert letters("".join(char for char, _ in drawn_name)) == letters(name)
    frame_inside = (page.frame[0] + 3, page.frame[1] + 3, page.frame[2] - 3, page.frame[3] - 3)
    for char, box in drawn_name:
        assert inside(box, frame_inside), f"{char!r} at {box} is outside the frame"
        assert not overlaps(box, page.qr), f"{char!r} at {box} is over the QR code"
        assert box[2] < page.qr[0], f"{char!r} at {box} reaches the QR code's column"
    # Nor is anything else pushed out: the header above the name, the issuer below it.
    for char, box in page.char_boxes:
        if not char.isspace():
            assert inside(box, frame_inside), f"{char!r} at {box} is outside the frame"
    assert "SPOT THE SIGNS" in page.text
    assert "Issued by" in page.text


def test_an_ordinary_name_keeps_the_full_size():
    layout = name_layout("Łukasz Wiśniewski")
    assert layout.lines == ("Łukasz Wiśniewski",)
    assert layout.font_size == SIZES[0]


def test_right_to_left_names_are_marked_so_and_urdu_gets_a_font_that_draws_it():
    assert name_layout(HEBREW).right_to_left
    assert name_layout(URDU).right_to_left
    assert name_layout(URDU).font_file == "Amiri-Bold.ttf"
    assert not name_layout(LONGEST_NAMES).right_to_left


NAME_LETTERS = st.sampled_from(
    list("AaBbMmWwIilÉéŁłßØø") + list("محمدعبالرحنهشي") + list("אברהםדוכן")
)
WORDS = st.text(NAME_LETTERS, min_size=1, max_size=FULL_NAME_MAX_LENGTH)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=12))
def test_any_name_up_to_the_limit_takes_at_most_three_lines_that_fit(words):
    name = " ".join(words)[:FULL_NAME_MAX_LENGTH].strip()
    layout = name_layout(name)
    width = glyph_widths(layout.font_file)
    assert len(layout.lines) <= 3
    assert all(width(line, layout.font_size) <= NAME_BOX_WIDTH for line in layout.lines)
    assert "".join("".join(layout.lines).split()) == "".join(name.split())


BEFORE, LIMIT = ("certificates", "0006_learner_detached"), ("certificates", "0007_full_name_80")


@pytest.mark.django_db(transaction=True)
def test_the_migration_refuses_to_cut_a_longer_name_on_an_issued_certificate():
    certificate = issue(driver_with_licence())
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        state = executor.loader.project_state([BEFORE])
        old = state.apps.get_model("certificates", "Certificate")
        old.objects.filter(pk=certificate.pk).update(full_name="W" * 90)
        with pytest.raises(RuntimeError, match=r"^1 certificate\(s\) hold a name longer than 80"):
            MigrationExecutor(connection).migrate([LIMIT])
        assert old.objects.get(pk=certificate.pk).full_name == "W" * 90
    finally:
        type(certificate).objects.filter(pk=certificate.pk).update(full_name="Sam Jones")
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
