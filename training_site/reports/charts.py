"""Charts drawn on the server as accessible SVG: a title, a description, and the same
figures in a table beside them. They work without JavaScript and print."""

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    shown: str = ""  # what to print for the value (for example "hidden")
    hidden: bool = False  # too small to show: drawn as nothing

    @property
    def text(self) -> str:
        return self.shown or str(self.value)


def all_hidden(bars: list[Bar]) -> bool:
    """Every figure a chart could draw is hidden, so it would draw nothing: a page should
    say so in words instead."""
    return any(bar.hidden for bar in bars) and not any(bar.value for bar in bars)


def nice_ceiling(value: int) -> int:
    """The axis top: 1, 2 or 5 times a power of ten, at or above the largest bar."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return factor * step
        step *= 10


def bar_chart_svg(*, title: str, description: str, bars: list[Bar], chart_id: str) -> str:
    """Vertical bars, one per label, with the axis maximum marked. Labels that would crowd
    a phone screen are thinned to every third; the table gives every one."""
    width, height, left, bottom, top = 640, 260, 44, 44, 20
    plot_width, plot_height = width - left - 8, height - bottom - top
    ceiling = nice_ceiling(max((bar.value for bar in bars), default=0))
    slot = plot_width / max(len(bars), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<line x1="{left}" y1="{top + plot_height}" x2="{width - 8}" y2="{top + plot_height}" '
        'class="chart__axis"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" '
        f'class="chart__tick">{ceiling}</text>',
        f'<text x="{left - 4}" y="{top + plot_height}" text-anchor="end" '
        'class="chart__tick">0</text>',
    ]
    for index, bar in enumerate(bars):
        bar_height = plot_height * bar.value / ceiling
        x = left + index * slot + slot * 0.15
        y = top + plot_height - bar_height
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar_height:.1f}" '
            f'class="chart__bar"><title>{escape(bar.label)}: {escape(bar.text)}</title></rect>'
        )
        if index % max(1, len(bars) // 6) == 0:
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 22}" text-anchor="middle" '
                f'class="chart__label">{escape(bar.label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def share_bar_svg(*, title: str, description: str, bars: list[Bar], chart_id: str) -> str:
    """One horizontal bar split into shares (valid, expiring, expired), each labelled in
    words and patterned as well as coloured, so the split reads in black and white."""
    width, height = 640, 64
    total = sum(bar.value for bar in bars) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart chart--shares">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" class="chart__share--hatch"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="3"/></pattern></defs>',
    ]
    x = 0.0
    for index, bar in enumerate(bars):
        part_width = width * bar.value / total
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{part_width:.1f}" height="32" '
            f'class="chart__share chart__share--{index}"><title>{escape(bar.label)}: '
            f"{escape(bar.text)}</title></rect>"
        )
        if part_width > 150:
            parts.append(
                f'<text x="{x + 6:.1f}" y="56" class="chart__label">{escape(bar.label)} '
                f"{escape(bar.text)}</text>"
            )
        x += part_width
    parts.append("</svg>")
    return "".join(parts)
