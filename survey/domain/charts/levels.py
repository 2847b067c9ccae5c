"""The relationship levels: the S-curve with each side's level and the agreed one."""

from __future__ import annotations

import math
from collections.abc import Sequence

from survey.domain.charts.svg import (
    AGREED_COLOUR,
    CHART_WIDTH,
    CLIENT_COLOUR,
    GRID_COLOUR,
    INK,
    VENDOR_COLOUR,
    Chart,
    _el,
    _fit_x,
    _frame,
    _text,
    _uid,
    _wrapped_text,
    fit_lines,
    num,
)

LevelRef = tuple[str, str]  # (id, title)


#: left, top, right, bottom of the curve: room above for three stacked tags on the highest
#: level, below for a three-line title under the lowest
CURVE_BOX = (20.0, 70.0, 400.0, 196.0)
LEVELS_HEIGHT = 266


def _logistic(t: float) -> float:
    """The S-curve on [0, 1] → [0, 1], flat at both ends."""
    low, high = 1 / (1 + math.exp(5)), 1 / (1 + math.exp(-5))
    return (1 / (1 + math.exp(-10 * (t - 0.5))) - low) / (high - low)


def level_points(count: int, curved: bool) -> list[tuple[float, float]]:
    """Where each level sits: on the S-curve (four levels) or on the middle of its step."""
    left, top, right, bottom = CURVE_BOX
    width, height = right - left, bottom - top
    points = []
    for i in range(count):
        t = (i + 0.5) / count
        rise = _logistic(t) if curved else (i + 1) / count
        points.append((left + t * width, bottom - rise * height * 0.9))
    return points


def _curve_path(count: int, curved: bool) -> str:
    """The S-curve, or the staircase of `count` steps."""
    left, top, right, bottom = CURVE_BOX
    width, height = right - left, bottom - top
    if curved:
        steps = [i / 48 for i in range(49)]
        coords = [(left + t * width, bottom - _logistic(t) * height * 0.9) for t in steps]
    else:
        coords = [(left, bottom)]
        for i in range(count):
            y = bottom - (i + 1) / count * height * 0.9
            coords += [(left + i / count * width, y), (left + (i + 1) / count * width, y)]
    return "M " + " L ".join(f"{num(x)} {num(y)}" for x, y in coords)


def s_curve(
    levels: Sequence[LevelRef],
    vendor_level: str | None,
    client_level: str | None,
    agreed_level: str | None,
    *,
    labels: tuple[str, str] = ("Vendor", "Client"),
    uid: str = "levels",
) -> Chart:
    """The relationship levels on an S-curve (four levels) or as steps, with three markers.

    `levels` are ``(id, title)`` pairs, lowest first; the three level arguments are ids
    (or None when unknown). The agreed level is a ring, each party's view a tag above it.
    """
    uid = _uid(uid)
    curved = len(levels) == 4
    points = level_points(len(levels), curved)
    body = [
        _el(
            "path",
            d=_curve_path(len(levels), curved),
            fill="none",
            stroke=GRID_COLOUR,
            stroke_width=4,
            class_="curve",
        )
    ]
    spacing = (CURVE_BOX[2] - CURVE_BOX[0]) / max(len(levels), 1)
    for (level_id, level_title), (x, y) in zip(levels, points, strict=True):
        body.append(
            _el(
                "circle",
                cx=x,
                cy=y,
                r=6,
                fill="#ffffff",
                stroke=INK,
                stroke_width=1.5,
                class_="level-dot",
                data_level=level_id,
            )
        )
        body.append(
            _wrapped_text(
                x, y + 30, level_title, spacing - 8, text_anchor="middle", class_="level-title"
            )
        )
    body += _level_markers(levels, points, vendor_level, client_level, agreed_level, labels)
    lines = _level_lines(levels, vendor_level, client_level, agreed_level, labels)
    shape = "an S-curve" if curved else "steps"
    desc = f"Relationship levels drawn as {shape}, lowest first. " + " ".join(lines[1:])
    svg = _frame(
        uid, CHART_WIDTH, LEVELS_HEIGHT, "Relationship level", desc, "levels", "".join(body)
    )
    return Chart(svg=svg, title="Relationship level", lines=tuple(lines))


def _level_markers(
    levels: Sequence[LevelRef],
    points: list[tuple[float, float]],
    vendor_level: str | None,
    client_level: str | None,
    agreed_level: str | None,
    labels: tuple[str, str],
) -> list[str]:
    """Agreed ring plus a stack of tags ("Agreed", each party's view) above each level."""
    index = {level_id: i for i, (level_id, _) in enumerate(levels)}
    stacks: dict[int, int] = {}
    out = []
    tags = [
        ("agreed", agreed_level, "Agreed", AGREED_COLOUR),
        ("vendor", vendor_level, f"{labels[0]} view", VENDOR_COLOUR),
        ("client", client_level, f"{labels[1]} view", CLIENT_COLOUR),
    ]
    for kind, level_id, words, colour in tags:
        if level_id not in index:
            continue
        x, y = points[index[level_id]]
        if kind == "agreed":
            out.append(
                _el(
                    "circle",
                    cx=x,
                    cy=y,
                    r=12,
                    fill="none",
                    stroke=colour,
                    stroke_width=3,
                    class_="marker marker-agreed",
                    data_level=level_id,
                )
            )
        height = stacks.get(index[level_id], 0)
        stacks[index[level_id]] = height + 1
        words = fit_lines(words, CHART_WIDTH - 8, bold=True, most=1)[0]  # a very long name
        tag_x, anchor = _fit_x(x, words, CHART_WIDTH, bold=True)
        out.append(
            _text(
                tag_x,
                y - 20 - 15 * height,
                words,
                text_anchor=anchor,
                fill=colour,
                font_weight="bold",
                class_=f"marker marker-{kind}",
                data_level=level_id,
            )
        )
    return out


def _level_lines(
    levels: Sequence[LevelRef],
    vendor_level: str | None,
    client_level: str | None,
    agreed_level: str | None,
    labels: tuple[str, str],
) -> list[str]:
    titles = dict(levels)
    return [
        "Levels, lowest first: " + ", ".join(title for _, title in levels) + ".",
        f"Agreed level: {titles.get(agreed_level or '', 'not known')}.",
        f"{labels[0]} view: {titles.get(vendor_level or '', 'not known')}.",
        f"{labels[1]} view: {titles.get(client_level or '', 'not known')}.",
    ]
