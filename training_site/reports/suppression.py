"""Which figures to hide in a table that spans more than one borough: a pure function.

Practice followed:
- GSS/ONS statistical disclosure control guidance for tables from administrative
  sources: suppress small cells (primary suppression), then further cells (secondary or
  complementary suppression) so a suppressed cell cannot be worked out from the totals;
  https://gss.civilservice.gov.uk/guidances/methodology/statistical-disclosure-control/
  (now https://analysisfunction.civilservice.gov.uk/policy-store/statistical-disclosure-control/).
- NHS Digital's small-number rules for HES and other secondary care data: counts of 1 to
  7 (here 1 to 4) are suppressed, zeros are shown, and "the next smallest number" in the
  row or column is also suppressed so the first cannot be derived from a total;
  https://digital.nhs.uk/data-and-information/data-tools-and-services/data-services/hospital-episode-statistics/change-to-disclosure-control-methodology-for-hes-and-ecds-from-september-2018

The table is rows x columns of counts with each row's total, each column's total and the
grand total, all treated as published (a total that is not on the page can often be
worked out, so assuming it is known is the safe side). A zero is always shown: it
discloses nobody.

Hidden cells are chosen until, with every shown figure known:
1. every count from 1 to 4 is hidden (primary suppression);
2. no line (a row, a column, the totals row or the totals column) has exactly one hidden
   figure; a line whose total is shown hides at least two parts, together at least
   `SMALL_NUMBER` and more than one each (every hidden figure is known to be at least 1, so
   two hidden parts adding up to 2 would both be 1);
3. no hidden figure can be worked out by adding and subtracting lines. With the totals
   placed in an extra row and column, every line sums to zero, so a hidden figure is
   fixed exactly when it is a bridge of the graph whose nodes are the lines and whose
   edges are the hidden figures: such a figure is joined into a cycle by hiding the
   smallest other figure that closes one.
Each step hides the smallest non-zero figure that serves, so as little as possible is
lost. Hiding everything non-zero always satisfies all three, so the loop ends.

Each view is safe on its own. Two views with different filters can be differenced; a
lead who may see one borough's people may see them anyway, and views that are shared
beyond the boroughs (the page and its CSV) use the same suppression.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SMALL_NUMBER = 5
HIDDEN = "hidden"
# A row or column index meaning "the totals".
TOTAL = -1

Position = tuple[int, int]


@dataclass(frozen=True)
class Suppression:
    """The figures of one table to hide, by (row, column); `TOTAL` names a margin."""

    rows: int
    columns: int
    hidden: frozenset[Position]

    def is_hidden(self, row: int, column: int) -> bool:
        return (
            self.rows if row == TOTAL else row,
            self.columns if column == TOTAL else column,
        ) in (self.hidden)

    def margins(self) -> set[Position]:
        """The hidden totals, as (row, TOTAL), (TOTAL, column) or (TOTAL, TOTAL)."""
        return {
            (TOTAL if row == self.rows else row, TOTAL if column == self.columns else column)
            for row, column in self.hidden
            if row == self.rows or column == self.columns
        }


def primary(value: int) -> bool:
    """A count small enough to point at people."""
    return 0 < value < SMALL_NUMBER


def with_margins(counts: Sequence[Sequence[int]], columns: int) -> list[list[int]]:
    """The table with each row's total at its end and a last row of column totals."""
    grid = [[*row, sum(row)] for row in counts]
    grid.append([sum(row[column] for row in grid) for column in range(columns + 1)])
    return grid


def lines(rows: int, columns: int) -> list[tuple[list[Position], Position]]:
    """Every line as (its parts, its total), the totals row and column included."""
    found = [
        ([(row, column) for column in range(columns)], (row, columns)) for row in range(rows + 1)
    ]
    found += [
        ([(row, column) for row in range(rows)], (rows, column)) for column in range(columns + 1)
    ]
    return found


def line_fix(
    grid: list[list[int]], hidden: set[Position], parts: list[Position], total: Position
) -> Position | None:
    """The figure to hide next so this line gives no hidden figure away, or None."""
    hidden_parts = [position for position in parts if position in hidden]
    if total in hidden:
        if hidden_parts:
            return None
    else:
        if not hidden_parts:
            return None
        together = sum(grid[row][column] for row, column in hidden_parts)
        if len(hidden_parts) >= 2 and together >= SMALL_NUMBER and together > len(hidden_parts):
            return None
    shown = [
        position
        for position in parts
        if position not in hidden and grid[position[0]][position[1]] > 0
    ]
    if shown:
        return min(
            shown,
            key=lambda position: (
                not crossed(hidden, position, total),
                grid[position[0]][position[1]],
                position,
            ),
        )
    return total if total not in hidden and grid[total[0]][total[1]] > 0 else None


def crossed(hidden: set[Position], position: Position, total: Position) -> bool:
    """Whether the other line through `position` already hides a figure, so hiding it
    closes a cycle instead of opening a new line to fix."""
    row, column = position
    along_row = row == total[0]
    return any(
        (other_column == column if along_row else other_row == row)
        for other_row, other_column in hidden
    )


def bridges(hidden: set[Position]) -> list[Position]:
    """Hidden figures on no cycle of hidden figures (Tarjan's bridge search): the ones the
    lines fix exactly."""
    neighbours: dict[tuple[str, int], list[tuple[tuple[str, int], Position]]] = {}
    for row, column in sorted(hidden):
        neighbours.setdefault(("row", row), []).append((("column", column), (row, column)))
        neighbours.setdefault(("column", column), []).append((("row", row), (row, column)))
    order: dict[tuple[str, int], int] = {}
    low: dict[tuple[str, int], int] = {}
    found: list[Position] = []

    def visit(node, through: Position | None) -> None:
        order[node] = low[node] = len(order)
        for other, edge in neighbours[node]:
            if edge == through:
                continue
            if other in order:
                low[node] = min(low[node], order[other])
            else:
                visit(other, edge)
                low[node] = min(low[node], low[other])
                if low[other] > order[node]:
                    found.append(edge)

    for node in neighbours:
        if node not in order:
            visit(node, None)
    return sorted(found)


def bridge_fix(grid: list[list[int]], hidden: set[Position], bridge: Position) -> Position | None:
    """The smallest shown figure that puts `bridge` on a cycle, or failing that the
    smallest that grows either side of it."""
    others = hidden - {bridge}
    side = component(others, ("row", bridge[0]))
    far = component(others, ("column", bridge[1]))
    closing, growing = [], []
    for row, line in enumerate(grid):
        for column, value in enumerate(line):
            if value <= 0 or (row, column) in hidden:
                continue
            ends = {("row", row), ("column", column)}
            if ends & side and ends & far:
                closing.append((value, (row, column)))
            elif ends & (side | far):
                growing.append((value, (row, column)))
    best = min(closing or growing, default=None)
    return best[1] if best else None


def component(hidden: set[Position], start: tuple[str, int]) -> set[tuple[str, int]]:
    seen, todo = {start}, [start]
    while todo:
        kind, index = todo.pop()
        for row, column in hidden:
            if (kind == "row" and row == index) or (kind == "column" and column == index):
                other = ("column", column) if kind == "row" else ("row", row)
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
    return seen


def suppress(
    counts: Sequence[Sequence[int]], *, columns: int, also_hide: Iterable[Position] = ()
) -> Suppression:
    """The figures of `counts` (a list of rows of `columns` counts) to hide, margins
    included; `also_hide` are figures hidden elsewhere that this table must hide too (for
    example a total shared with another table)."""
    rows = len(counts)
    grid = with_margins(counts, columns)
    hidden = {
        (row, column)
        for row, line in enumerate(grid)
        for column, value in enumerate(line)
        if primary(value)
    }
    for row, column in also_hide:
        position = (rows if row == TOTAL else row, columns if column == TOTAL else column)
        if grid[position[0]][position[1]] > 0:
            hidden.add(position)
    every_line = lines(rows, columns)
    while True:
        fix = next(
            (
                found
                for parts, total in every_line
                if (found := line_fix(grid, hidden, parts, total)) is not None
            ),
            None,
        )
        if fix is None:
            fix = next(
                (
                    found
                    for bridge in bridges(hidden)
                    if (found := bridge_fix(grid, hidden, bridge))
                ),
                None,
            )
        if fix is None:
            return Suppression(rows=rows, columns=columns, hidden=frozenset(hidden))
        hidden.add(fix)
