"""CSV exports stream in constant memory, keep names intact, and defuse formulas."""

import csv
import io
import tracemalloc

import pytest
from django.utils import timezone

from training_site.people.models import Borough
from training_site.reports.exports import cell_text, csv_lines
from training_site.reports.filters import ReportFilters
from training_site.reports.lists import people_list
from training_site.reports.synthetic import synthesise


def test_cells_that_spreadsheets_would_run_as_formulas_are_quoted():
    assert cell_text('=HYPERLINK("x")', for_csv=True) == '\'=HYPERLINK("x")'
    assert cell_text("+44 1484", for_csv=True) == "'+44 1484"
    assert cell_text("Zoë Ó Briain", for_csv=True) == "Zoë Ó Briain"
    assert cell_text("=page", for_csv=False) == "=page"


def test_csv_keeps_accents_and_starts_with_a_byte_order_mark():
    text = "".join(csv_lines(["Name"], [["Łukasz Wiśniewski"], ["Ayşe Yılmaz"]]))
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [
        ["Name"],
        ["Łukasz Wiśniewski"],
        ["Ayşe Yılmaz"],
    ]


@pytest.fixture
def synthetic_places(site_content):
    return synthesise(learners=15000, seed=3)


def test_export_streams_in_constant_memory_on_a_large_synthetic_set(synthetic_places):
    listing = people_list(
        filters=ReportFilters(borough_ids=tuple(Borough.objects.values_list("pk", flat=True))),
        figure="enrolled",
        today=timezone.localdate(),
    )
    rows = listing.count()
    assert rows == synthetic_places.enrolments > 15000

    tracemalloc.start()
    written = sum(len(line) for line in csv_lines(listing.columns, listing.rows()))
    _, streaming_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    tracemalloc.start()
    held = list(listing.queryset)
    _, holding_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert len(held) == rows
    assert written > 1_500_000
    # Streaming holds one chunk of rows at a time, never the whole list.
    assert streaming_peak < holding_peak / 3
