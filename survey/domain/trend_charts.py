"""Small trend charts, one per dimension, over a client's reviews (issue 13, point 2).

Pure: numbers in, SVG markup out, drawn on the server for the client page and the PDF
alike. Like :mod:`survey.domain.charts`, every text is escaped here, no ``style``
attribute is written, and each chart carries a text alternative (one line per review).
The vendor's line is solid with circles, the client's dashed with squares, so they are
told apart by more than colour.

Only reviews of one questionnaire id are drawn in one chart (the caller picks them):
scores of different questionnaires measure different things.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from survey.domain.charts import CLIENT_COLOUR, GRID_COLOUR, INK, VENDOR_COLOUR, Chart, num
from survey.domain.charts.svg import _attrs, _el

WIDTH = 260
HEIGHT = 132
LEFT = 34.0
RIGHT = 14.0
TOP = 10.0
PLOT = 70.0  # the height of the 0–100 band
LABEL_CHARS = 16  # a party's name in the legend is shortened to this


@dataclass(frozen=True)
class DimensionPoint:
    """One review's scores for a dimension (the engine's numbers; None where missing)."""

    when: str
    vendor: float | None
    client: float | None


def x_of(index: int, count: int) -> float:
    """The x of the `index`-th of `count` reviews, oldest at the left."""
    span = WIDTH - LEFT - RIGHT
    if count <= 1:
        return LEFT + span / 2
    return LEFT + span * index / (count - 1)


def y_of(value: float) -> float:
    """The y of a score on 0–100; 100 at the top."""
    return TOP + PLOT * (1 - max(0.0, min(100.0, value)) / 100)


def _grid() -> str:
    parts = []
    for tick in (0, 50, 100):
        y = y_of(tick)
        parts.append(
            _el("line", x1=LEFT, y1=y, x2=WIDTH - RIGHT, y2=y, stroke=GRID_COLOUR, class_="grid")
        )
        parts.append(_el("text", str(tick), x=LEFT - 6, y=y + 4, text_anchor="end", font_size=10))
    return "".join(parts)


def _dates(points: Sequence[DimensionPoint]) -> str:
    """The first and the last date, kept inside the drawing by their anchors."""
    bottom = TOP + PLOT + 16
    if len(points) == 1:
        return _el("text", escape(points[0].when), x=x_of(0, 1), y=bottom, text_anchor="middle")
    first = _el("text", escape(points[0].when), x=LEFT, y=bottom, text_anchor="start")
    last = _el("text", escape(points[-1].when), x=WIDTH - RIGHT, y=bottom, text_anchor="end")
    return first + last


def _series(points: Sequence[DimensionPoint], party: str) -> str:
    colour = VENDOR_COLOUR if party == "vendor" else CLIENT_COLOUR
    coords = [
        (x_of(i, len(points)), y_of(value))
        for i, point in enumerate(points)
        if (value := point.vendor if party == "vendor" else point.client) is not None
    ]
    parts = []
    if len(coords) > 1:
        parts.append(
            _el(
                "polyline",
                points=" ".join(f"{num(x)},{num(y)}" for x, y in coords),
                fill="none",
                stroke=colour,
                stroke_width=2,
                stroke_dasharray="none" if party == "vendor" else "5 3",
                class_=f"series series-{party}",
            )
        )
    for x, y in coords:
        if party == "vendor":
            parts.append(_el("circle", cx=x, cy=y, r=3.5, fill=colour, class_="point-vendor"))
        else:
            parts.append(
                _el("rect", x=x - 3, y=y - 3, width=6, height=6, fill=colour, class_="point-client")
            )
    return "".join(parts)


def _legend(labels: tuple[str, str]) -> str:
    y = HEIGHT - 8
    parts = []
    for i, (words, colour, dash) in enumerate(
        ((labels[0], VENDOR_COLOUR, "none"), (labels[1], CLIENT_COLOUR, "5 3"))
    ):
        left = 6 + i * (WIDTH / 2)
        short = textwrap.shorten(words, LABEL_CHARS, placeholder="…")
        parts.append(
            _el(
                "line",
                x1=left,
                y1=y - 4,
                x2=left + 20,
                y2=y - 4,
                stroke=colour,
                stroke_width=2,
                stroke_dasharray=dash,
            )
        )
        parts.append(_el("text", escape(short), x=left + 25, y=y, font_size=10, class_="legend"))
    return _el("g", "".join(parts), class_="legend")


def _score(value: float | None) -> str:
    return "no score" if value is None else f"{value:.1f}"


def _line(point: DimensionPoint, labels: tuple[str, str]) -> str:
    return f"{point.when}: {labels[0]} {_score(point.vendor)}, {labels[1]} {_score(point.client)}."


def dimension_trend(
    title: str,
    points: Sequence[DimensionPoint],
    *,
    labels: tuple[str, str] = ("Vendor", "Client"),
    uid: str = "dimension-trend",
) -> Chart:
    """A small chart of one dimension's scores over a client's reviews, oldest first.

    >>> chart = dimension_trend("Listening", [DimensionPoint("3 Mar 2026", 75, 50)])
    >>> chart.lines
    ('3 Mar 2026: Vendor 75.0, Client 50.0.',)
    """
    uid = re.sub(r"[^a-zA-Z0-9-]", "-", uid).strip("-") or "dimension-trend"
    lines = tuple(_line(point, labels) for point in points)
    desc = f"{title}, scores from 0 to 100 of each review, oldest first. " + " ".join(lines)
    head = _attrs(
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {WIDTH} {HEIGHT}",
        width=WIDTH,
        height=HEIGHT,
        role="img",
        aria_labelledby=f"{uid}-title {uid}-desc",
        class_="chart chart-dimension-trend",
        font_family="Helvetica, Arial, sans-serif",
        font_size=11,
        fill=INK,
    )
    body = _grid() + _dates(points) + _series(points, "vendor") + _series(points, "client")
    svg = (
        f"<svg {head}>"
        f'<title id="{uid}-title">{escape(title)} over time</title>'
        f'<desc id="{uid}-desc">{escape(desc)}</desc>'
        f"{body}{_legend(labels)}</svg>"
    )
    return Chart(svg=svg, title=f"{title} over time", lines=lines)
