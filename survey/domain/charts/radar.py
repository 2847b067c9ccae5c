"""The radar: each side's score per dimension on one web."""

from __future__ import annotations

import math
from collections.abc import Sequence

from survey.domain.charts.svg import (
    CHART_WIDTH,
    CLIENT_COLOUR,
    FONT_SIZE,
    GRID_COLOUR,
    LINE_HEIGHT,
    VENDOR_COLOUR,
    Chart,
    _el,
    _frame,
    _legend,
    _legend_rows,
    _text,
    _uid,
    _wrapped_text,
    num,
    score_text,
)

#: as small as lets the ring number 25 keep clear of the points with eight axes
RADAR_RADIUS = 116.0
#: room above the web for a three-line title of the axis pointing up
RADAR_CENTRE = (CHART_WIDTH / 2, RADAR_RADIUS + 62.0)
RADAR_TITLE_ROOM = 150.0  # units, at most, of an axis title's line


def radar_point(index: int, count: int, value: float | None) -> tuple[float, float]:
    """Where a score (0–100) sits on axis `index` of `count`; the first axis points up."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = RADAR_RADIUS * max(0.0, min(100.0, value or 0.0)) / 100
    cx, cy = RADAR_CENTRE
    return cx + distance * math.cos(angle), cy + distance * math.sin(angle)


def radar(
    dimensions: Sequence[tuple[str, float | None, float | None]],
    *,
    labels: tuple[str, str] = ("Vendor", "Client"),
    uid: str = "radar",
) -> Chart:
    """Both parties' dimension scores (0–100) on one radar; `dimensions` are (title, v, c)."""
    uid = _uid(uid)
    count = max(len(dimensions), 1)
    body = [_radar_grid(count)]
    body += [_axis_title(i, count, title) for i, (title, _, _) in enumerate(dimensions)]
    for party, colour, dash in (
        ("vendor", VENDOR_COLOUR, "none"),
        ("client", CLIENT_COLOUR, "6 4"),
    ):
        values = [row[1] if party == "vendor" else row[2] for row in dimensions]
        points = [radar_point(i, count, value) for i, value in enumerate(values)]
        body.append(
            _el(
                "polygon",
                points=" ".join(f"{num(x)},{num(y)}" for x, y in points),
                fill=colour,
                fill_opacity="0.12",
                stroke=colour,
                stroke_width=2.5,
                stroke_dasharray=dash,
                class_=f"series series-{party}",
            )
        )
        for i, (x, y) in enumerate(points):
            body.append(
                _el(
                    "circle",
                    cx=x,
                    cy=y,
                    r=4,
                    fill=colour,
                    class_=f"point point-{party}",
                    data_index=str(i),
                )
            )
    body += [_ring_label(count, ring) for ring in (25, 50, 75)]  # above the series
    legend_y = RADAR_CENTRE[1] + RADAR_RADIUS + 16 + 3 * LINE_HEIGHT * FONT_SIZE + 20
    body.append(_legend(20, legend_y, labels))
    height = int(legend_y + 12 + 20 * (_legend_rows(20, labels, CHART_WIDTH) - 1))
    lines = [
        f"{title}: {labels[0]} {score_text(v)}, {labels[1]} {score_text(c)}."
        for title, v, c in dimensions
    ]
    desc = "Dimension scores from 0 to 100, both parties. " + " ".join(lines)
    svg = _frame(uid, CHART_WIDTH, height, "Dimension scores", desc, "radar", "".join(body))
    return Chart(svg=svg, title="Dimension scores", lines=tuple(lines))


def _axis_title(index: int, count: int, title: str) -> str:
    """An axis's title beyond its end, wrapped to the room between it and the drawing's edge;
    titles above the centre grow upwards, away from the web."""
    x, y = radar_point(index, count, 100)
    dx = x - RADAR_CENTRE[0]
    lx = x + (8 if dx > 1 else -8 if dx < -1 else 0)
    if abs(dx) < 1:
        anchor, room = "middle", 2 * min(lx, CHART_WIDTH - lx) - 8
    elif dx > 0:
        anchor, room = "start", CHART_WIDTH - lx - 4
    else:
        anchor, room = "end", lx - 4
    width = min(RADAR_TITLE_ROOM, room)
    above, below = y < RADAR_CENTRE[1] - 1, y > RADAR_CENTRE[1] + 1
    ly = y + (-12 if above else 18 if below else 4)
    return _wrapped_text(lx, ly, title, width, rise=above, text_anchor=anchor, class_="axis-title")


def _radar_grid(count: int) -> str:
    cx, cy = RADAR_CENTRE
    parts = []
    for ring in (25, 50, 75, 100):
        ring_points = [radar_point(i, count, ring) for i in range(count)]
        if count < 3:
            parts.append(
                _el(
                    "circle",
                    cx=cx,
                    cy=cy,
                    r=RADAR_RADIUS * ring / 100,
                    fill="none",
                    stroke=GRID_COLOUR,
                    class_="grid",
                )
            )
        else:
            parts.append(
                _el(
                    "polygon",
                    points=" ".join(f"{num(x)},{num(y)}" for x, y in ring_points),
                    fill="none",
                    stroke=GRID_COLOUR,
                    class_="grid",
                )
            )
    for i in range(count):
        x, y = radar_point(i, count, 100)
        parts.append(_el("line", x1=cx, y1=cy, x2=x, y2=y, stroke=GRID_COLOUR, class_="axis"))
    return "".join(parts)


def ring_label_point(count: int, ring: float) -> tuple[float, float]:
    """Where a ring's number sits: on the bisector between the first two axes.

    Scores are drawn only on the axes, so halfway between two of them no point can hide a
    ring number.
    """
    angle = -math.pi / 2 + math.pi / count
    distance = RADAR_RADIUS * ring / 100
    cx, cy = RADAR_CENTRE
    return cx + distance * math.cos(angle), cy + distance * math.sin(angle)


def _ring_label(count: int, ring: int) -> str:
    """A small ring number on a pale backing, so a series line crossing it stays legible."""
    x, y = ring_label_point(count, ring)
    backing = _el(
        "rect",
        x=x - 7,
        y=y - 6,
        width=14,
        height=11,
        rx=2,
        fill="#ffffff",
        fill_opacity="0.85",
        class_="ring-backing",
    )
    words = _text(
        x, y + 3, str(ring), text_anchor="middle", font_size=10, fill="#5b6470", class_="ring-label"
    )
    return backing + words
