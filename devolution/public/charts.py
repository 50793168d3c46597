"""Bar charts as geometry for inline SVG: the template draws them, so every label is escaped by
the template engine and the page needs no script or external asset."""

from dataclasses import dataclass

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 190
BAR_AREA = 360
VALUE_WIDTH = 60


@dataclass
class Bar:
    label: str
    value: int
    y: int
    width: int
    url: str = ""

    @property
    def text_y(self):
        return self.y + BAR_HEIGHT - 6


@dataclass
class BarChart:
    title: str
    bars: list
    height: int
    label_width: int = LABEL_WIDTH
    bar_area: int = BAR_AREA
    bar_height: int = BAR_HEIGHT

    @property
    def width(self):
        return self.label_width + self.bar_area + VALUE_WIDTH


def bar_chart(title, rows):
    """rows: (label, value) or (label, value, url); bars are scaled to the largest value."""
    rows = list(rows)
    largest = max((row[1] for row in rows), default=0) or 1
    bars = []
    for index, (label, value, *rest) in enumerate(rows):
        bars.append(
            Bar(
                label=label,
                value=value,
                y=index * (BAR_HEIGHT + BAR_GAP),
                width=round(BAR_AREA * value / largest),
                url=rest[0] if rest else "",
            )
        )
    return BarChart(title=title, bars=bars, height=max(len(bars) * (BAR_HEIGHT + BAR_GAP), 1))


@dataclass
class Progress:
    """One reform safeguard's completion, e.g. 12 of 29 handovers complete."""

    label: str
    done: int
    total: int
    unit: str = ""

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def bar_width(self):
        return round(BAR_AREA * self.done / self.total) if self.total else 0
