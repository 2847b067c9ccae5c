"""The radar: each side's score per dimension on one web."""

from __future__ import annotations

import math
from collections.abc import Sequence

from survey.domain.charts.svg import (
    CLIENT_COLOUR,
    GRID_COLOUR,
    VENDOR_COLOUR,
    Chart,
    _el,
    _frame,
    _legend,
    _text,
    _uid,
    _wrapped_text,
    num,
    score_text,
)

RADAR_CENTRE = (300.0, 210.0)
RADAR_RADIUS = 140.0


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
    for i, (title, _, _) in enumerate(dimensions):
        x, y = radar_point(i, count, 100)
        dx = x - RADAR_CENTRE[0]
        anchor = "middle" if abs(dx) < 1 else ("start" if dx > 0 else "end")
        lx = x + (8 if dx > 1 else -8 if dx < -1 else 0)
        ly = y + (-22 if y < RADAR_CENTRE[1] - 1 else 16 if y > RADAR_CENTRE[1] + 1 else 4)
        body.append(_wrapped_text(lx, ly, title, 18, text_anchor=anchor, class_="axis-title"))
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
    body.append(_legend(20, 400, labels))
    lines = [
        f"{title}: {labels[0]} {score_text(v)}, {labels[1]} {score_text(c)}."
        for title, v, c in dimensions
    ]
    desc = "Dimension scores from 0 to 100, both parties. " + " ".join(lines)
    svg = _frame(uid, 600, 420, "Dimension scores", desc, "radar", "".join(body))
    return Chart(svg=svg, title="Dimension scores", lines=tuple(lines))


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
        x, y + 3, str(ring), text_anchor="middle", font_size=9, fill="#5b6470", class_="ring-label"
    )
    return backing + words
