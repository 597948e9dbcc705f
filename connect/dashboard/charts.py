"""Server-rendered bar charts: the geometry of an SVG the template draws (no JavaScript).

Each chart is a horizontal bar per row, sized against the largest value; the template gives
it a <title> and <desc> and puts the same figures in a table beside it (screen readers, phones).
"""

from dataclasses import dataclass

# viewBox units: about the chart's drawn width (phone, or beside its table): text stays ~11 px
WIDTH = 240
ROW = 34  # a label line above each bar, so that long French labels fit on a phone
BAR = 14


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as written beside the bar and in the table
    y: int
    width: float

    @property
    def text_x(self) -> float:
        return self.width + 6


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    width: int = WIDTH
    bar_height: int = BAR

    @property
    def summary(self) -> str:
        """The chart in one sentence, for its <desc>."""
        return " ; ".join(f"{bar.label} : {bar.text}" for bar in self.bars) or "Aucune donnée."


def bar_chart(rows: list[tuple[str, float, str]]) -> Chart:
    """rows: (label, value, value as text)."""
    top = max((value for _, value, _ in rows), default=0) or 1
    room = WIDTH - 70  # the value's text after the bar
    bars = [
        Bar(label, value, text, y=index * ROW, width=round(max(value, 0) / top * room, 1))
        for index, (label, value, text) in enumerate(rows)
    ]
    return Chart(bars=bars, height=max(len(bars) * ROW, ROW))
