"""Stamps per month per department as geometry for an inline SVG heat map: the template draws
it, so every label is escaped by the template engine and no script is needed."""

from dataclasses import dataclass

LABEL_WIDTH = 130
CELL_WIDTH = 34
CELL_HEIGHT = 22
HEADER_HEIGHT = 30


@dataclass
class Cell:
    x: int
    y: int
    value: int
    opacity: float
    title: str


@dataclass
class MonthChart:
    title: str
    width: int
    height: int
    month_labels: list  # [(x, label)]
    row_labels: list  # [(y, label)]
    cells: list
    cell_width: int = CELL_WIDTH
    cell_height: int = CELL_HEIGHT
    label_width: int = LABEL_WIDTH


def month_chart(title, grid):
    """A MonthGrid (evaluation.reports) as cells shaded by their share of the largest month."""
    largest = grid.largest or 1
    cells, row_labels = [], []
    for row_index, (label, values) in enumerate(grid.rows):
        y = HEADER_HEIGHT + row_index * CELL_HEIGHT
        row_labels.append((y + CELL_HEIGHT - 6, label))
        for column, (month, value) in enumerate(zip(grid.months, values, strict=True)):
            cells.append(
                Cell(
                    x=LABEL_WIDTH + column * CELL_WIDTH,
                    y=y,
                    value=value,
                    opacity=round(0.08 + 0.92 * value / largest, 2) if value else 0,
                    title=f"{label} {month:%Y年%m月}：用印 {value} 次",
                )
            )
    month_labels = [
        (LABEL_WIDTH + column * CELL_WIDTH + CELL_WIDTH // 2, f"{month:%y.%m}")
        for column, month in enumerate(grid.months)
    ]
    return MonthChart(
        title=title,
        width=LABEL_WIDTH + len(grid.months) * CELL_WIDTH + 4,
        height=HEADER_HEIGHT + max(len(grid.rows), 1) * CELL_HEIGHT + 4,
        month_labels=month_labels,
        row_labels=row_labels,
        cells=cells,
    )
