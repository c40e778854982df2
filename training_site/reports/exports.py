"""CSV files streamed row by row, and the text of a cell for a page or a spreadsheet."""

import csv
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from django.http import StreamingHttpResponse
from django.utils import dateformat, timezone

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value, *, for_csv: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value.isoformat() if for_csv else dateformat.format(value, "j M Y")
    if isinstance(value, list):
        # Licences kept on a certificate: [{"authority": ..., "number": ...}]
        return "; ".join(f"{item['number']} ({item['authority']})" for item in value)
    text = str(value)
    if for_csv and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def labelled_rows(columns, rows) -> list[list[tuple[str, str]]]:
    """Rows for a page: each cell as text beside its column's name."""
    return [
        [(column, cell_text(value)) for column, value in zip(columns, row, strict=True)]
        for row in rows
    ]


class Echo:
    """A file-like object that hands back what is written, for csv.writer."""

    def write(self, value):
        return value


def csv_lines(columns: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield "\ufeff"  # so spreadsheet programs read the names' accents as UTF-8
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([cell_text(value, for_csv=True) for value in row])


def csv_response(*, filename: str, columns: Iterable[str], rows: Iterable[Iterable]):
    response = StreamingHttpResponse(
        csv_lines(columns, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response
