"""The importance-performance quadrant: what the client values against how it rates it."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

from survey.domain.charts.svg import (
    CHART_WIDTH,
    CLIENT_COLOUR,
    GRID_COLOUR,
    INK,
    Chart,
    _el,
    _frame,
    _text,
    _tick_label,
    _uid,
    chars_within,
    fit_lines,
    num,
)
from survey.domain.vocabulary import QUADRANT_WORDS

QUADRANT_BOX = (56.0, 40.0, 404.0, 300.0)  # left, top, right, bottom of the plot
QUADRANT_MARKER = 10.0  # marker radius
QUADRANT_PAD = QUADRANT_MARKER + 4  # scores map inside the frame, so markers never cross it
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def quadrant_point(importance: float, score: float) -> tuple[float, float]:
    """Performance (the client's score) runs left to right, importance bottom to top.

    0–100 maps onto the frame less a margin as wide as a marker, so a marker at 0 or 100
    stays inside the frame and clear of the quadrant names written outside it.
    """
    left, top, right, bottom = QUADRANT_BOX
    pad = QUADRANT_PAD
    return (
        left + pad + max(0.0, min(100.0, score)) / 100 * (right - left - 2 * pad),
        bottom - pad - max(0.0, min(100.0, importance)) / 100 * (bottom - top - 2 * pad),
    )


Box = tuple[float, float, float, float]  # x-min, y-min, x-max, y-max


def _home_cell(x: float, y: float, mid: tuple[float, float]) -> Box:
    """Where a nudged marker may go: its own quadrant, so it never seems to change quadrant.

    A nudge may bring a marker no nearer a cut line than a marker's radius (or than it
    already is), so a marker pushed towards the line does not end up sitting on it.
    """
    left, top, right, bottom = QUADRANT_BOX
    pad, reach = QUADRANT_PAD, QUADRANT_MARKER
    mid_x, mid_y = mid
    xs = (left + pad, right - pad)
    if x < mid_x:
        xs = (left + pad, max(x, mid_x - reach))
    elif x > mid_x:
        xs = (min(x, mid_x + reach), right - pad)
    ys = (top + pad, bottom - pad)
    if y < mid_y:
        ys = (top + pad, max(y, mid_y - reach))
    elif y > mid_y:
        ys = (min(y, mid_y + reach), bottom - pad)
    return xs[0], ys[0], xs[1], ys[1]


def spread_markers(
    points: Sequence[tuple[float, float]],
    distance: float,
    bounds: Sequence[Box],
    *,
    rounds: int = 200,
) -> list[tuple[float, float]]:
    """Nudge markers apart until no two centres are closer than `distance`.

    Deterministic: pairs are pushed apart along the line between them, half each way, in
    index order; markers on the very same spot part along a golden-angle direction given by
    their indices. Each marker stays within its own `bounds` box.
    """
    placed = [[x, y] for x, y in points]
    for _ in range(rounds):
        moved = False
        for i in range(len(placed)):
            for j in range(i + 1, len(placed)):
                dx, dy = placed[j][0] - placed[i][0], placed[j][1] - placed[i][1]
                apart = math.hypot(dx, dy)
                if apart >= distance - 1e-6:
                    continue
                if apart < 1e-6:
                    angle = GOLDEN_ANGLE * (i + j + 1)
                    dx, dy, apart = math.cos(angle), math.sin(angle), 0.0
                else:
                    dx, dy = dx / apart, dy / apart
                push = (distance - apart) / 2 + 0.05
                placed[i][0] -= dx * push
                placed[i][1] -= dy * push
                placed[j][0] += dx * push
                placed[j][1] += dy * push
                moved = True
        for (x0, y0, x1, y1), spot in zip(bounds, placed, strict=True):
            spot[0] = min(max(spot[0], x0), x1)
            spot[1] = min(max(spot[1], y0), y1)
        if not moved:
            break
    return [(x, y) for x, y in placed]


def quadrant(
    points: Sequence[tuple[str, float | None, float | None, str | None]],
    *,
    cut: tuple[float, float] = (50.0, 50.0),
    uid: str = "quadrant",
) -> Chart:
    """The client's importance against its score, with the four quadrants named.

    `cut` is (importance, performance), where the engine cut the quadrants (the file's
    `quadrant_cut`, a `mean` already worked out), so a marker sits in the box the tables
    name.

    `points` are (title, importance, score, quadrant) with the engine's quadrant id; the
    points with both numbers are numbered, drawn and listed one a line; those without are
    named together on one last line and not drawn (a questionnaire may rate importance for
    few of its dimensions). Markers on or near the same spot are nudged apart (a thin line
    ties each to its true place), and the quadrant names sit outside the plot, where no
    marker reaches.
    """
    uid = _uid(uid)
    mid = quadrant_point(*cut)
    body = [_quadrant_frame(mid)]
    rated = [p for p in points if p[1] is not None and p[2] is not None]
    unrated = [
        title for title, importance, score, _ in points if importance is None or score is None
    ]
    lines = [
        _quadrant_line(number, title, importance, score, where)
        for number, (title, importance, score, where) in enumerate(rated, start=1)
    ]
    shown = [part for line in lines for part in _legend_parts(line)]
    if unrated:
        names = f"Not placed (no importance or score): {', '.join(unrated)}."
        lines.extend(textwrap.wrap(names, QUADRANT_LEGEND_WIDTH))
        shown += _legend_parts(names)  # wrapped once, by its widths
    body.append(_quadrant_legend(shown))
    drawn = [
        (number, quadrant_point(importance, score))
        for number, (_, importance, score, _) in enumerate(rated, start=1)
        if importance is not None and score is not None
    ]
    spots = spread_markers(
        [spot for _, spot in drawn],
        2 * QUADRANT_MARKER + 2,
        [_home_cell(*spot, mid) for _, spot in drawn],
    )
    # All leaders first, then all markers: a nudged marker's true spot often lies under
    # another marker, and a dot drawn over that marker would hide its number.
    placed = list(zip(drawn, spots, strict=True))
    body.extend(_quadrant_leader(true, shown) for (_, true), shown in placed)
    body.extend(_quadrant_marker(number, shown) for (number, _), shown in placed)
    height = int(QUADRANT_LEGEND_TOP + QUADRANT_LEGEND_LINE * max(len(shown), 1) - 6)
    where = f"cut at importance {cut[0]:.1f} and score {cut[1]:.1f}"
    desc = f"Client importance against client score, {where}. " + " ".join(lines)
    svg = _frame(
        uid, CHART_WIDTH, height, "Importance and performance", desc, "quadrant", "".join(body)
    )
    return Chart(svg=svg, title="Importance and performance", lines=tuple(lines))


def _quadrant_leader(true: tuple[float, float], shown: tuple[float, float]) -> str:
    """For a nudged marker, a dot where it really is and a thin line to where it is shown;
    nothing for a marker left in place. Drawn before (so underneath) every marker."""
    (x0, y0), (x, y) = true, shown
    if math.hypot(x - x0, y - y0) <= 1:
        return ""
    return _el("line", x1=x0, y1=y0, x2=x, y2=y, stroke=INK, stroke_width=1, class_="leader") + _el(
        "circle", cx=x0, cy=y0, r=2.5, fill=INK, class_="true-spot"
    )


def _quadrant_marker(number: int, shown: tuple[float, float]) -> str:
    """A numbered marker where it is shown (its true place, or nudged from it)."""
    x, y = shown
    parts = [
        _el(
            "circle",
            cx=x,
            cy=y,
            r=QUADRANT_MARKER,
            fill=CLIENT_COLOUR,
            stroke="#ffffff",
            stroke_width=1.5,
            class_="point",
            data_index=str(number),
        ),
        _text(
            x,
            y + 4,
            str(number),
            text_anchor="middle",
            fill="#ffffff",
            font_size=11,
            font_weight="bold",
            class_="point-number",
        ),
    ]
    return "".join(parts)


def _quadrant_frame(mid: tuple[float, float]) -> str:
    """The plot area cut at `mid`, its four zones' names, the axis titles and ticks."""
    return _quadrant_zones(mid) + _quadrant_corner_names() + _quadrant_ticks()


def _quadrant_zones(mid: tuple[float, float]) -> str:
    left, top, right, bottom = QUADRANT_BOX
    mid_x, mid_y = mid
    parts = [
        _el(
            "rect",
            x=left,
            y=top,
            width=right - left,
            height=bottom - top,
            fill="#fbfbfc",
            stroke=GRID_COLOUR,
            class_="plot",
        ),
        _el(
            "rect",
            x=left,
            y=top,
            width=mid_x - left,
            height=mid_y - top,
            fill="#fdecea",
            class_="zone zone-concentrate_here",
        ),
        _el("line", x1=mid_x, y1=top, x2=mid_x, y2=bottom, stroke=INK, class_="cut"),
        _el("line", x1=left, y1=mid_y, x2=right, y2=mid_y, stroke=INK, class_="cut"),
        _text(
            (left + right) / 2,
            bottom + 58,
            "Client score (performance)",
            text_anchor="middle",
            class_="axis-title",
        ),
        _text(
            18,
            (top + bottom) / 2,
            "Importance to the client",
            text_anchor="middle",
            transform=f"rotate(-90 18 {num((top + bottom) / 2)})",
            class_="axis-title",
        ),
    ]
    return "".join(parts)


def _quadrant_corner_names() -> str:
    """The names sit outside the plot, above and below their corner, where no marker reaches."""
    left, top, right, bottom = QUADRANT_BOX
    corners = {
        "concentrate_here": (left, top - 10, "start"),
        "keep_it_up": (right, top - 10, "end"),
        "low_priority": (left, bottom + 36, "start"),
        "possible_overkill": (right, bottom + 36, "end"),
    }
    return "".join(
        _text(
            x,
            y,
            QUADRANT_WORDS[key],
            text_anchor=anchor,
            font_weight="bold",
            class_=f"zone-label zone-label-{key}",
        )
        for key, (x, y, anchor) in corners.items()
    )


def _quadrant_ticks() -> str:
    left, _, _, bottom = QUADRANT_BOX
    parts = []
    for tick in (0, 50, 100):
        x, _ = quadrant_point(0, tick)
        _, y = quadrant_point(tick, 0)
        parts.append(_tick_label(x, bottom + 16, tick, "middle"))
        parts.append(_tick_label(left - 6, y + 4, tick, "end"))
    return "".join(parts)


QUADRANT_LEGEND_LEFT = 8.0
QUADRANT_LEGEND_TOP = QUADRANT_BOX[3] + 86  # the first legend line's baseline
#: characters in one line of the text alternative's note of the dimensions not placed
#: (the drawn legend wraps each line again by its words' widths)
QUADRANT_LEGEND_WIDTH = chars_within(CHART_WIDTH - 2 * QUADRANT_LEGEND_LEFT)
QUADRANT_LEGEND_LINE = 16.0  # from one legend line to the next
QUADRANT_LEGEND_INDENT = 18.0  # a point's later legend lines, past its number


def _quadrant_legend(shown: list[tuple[float, str]]) -> str:
    """The legend's lines, as (x, words), one under the other below the plot."""
    return "".join(
        _text(x, QUADRANT_LEGEND_TOP + QUADRANT_LEGEND_LINE * index, words, class_="legend-line")
        for index, (x, words) in enumerate(shown)
    )


def _legend_parts(line: str) -> list[tuple[float, str]]:
    """A legend line as drawn, as (x, words): wrapped to the drawing by the words' widths,
    a point's later lines indented under its words (past its number), so each point's
    lines read as one entry."""
    room = CHART_WIDTH - 2 * QUADRANT_LEGEND_LEFT
    first, *rest = fit_lines(line, room, most=len(line) + 1)
    if not rest or not line[:1].isdigit():
        return [(QUADRANT_LEGEND_LEFT, part) for part in (first, *rest)]
    indent = QUADRANT_LEGEND_LEFT + QUADRANT_LEGEND_INDENT
    more = fit_lines(line[len(first) :].strip(), room - QUADRANT_LEGEND_INDENT, most=len(line))
    return [(QUADRANT_LEGEND_LEFT, first), *((indent, part) for part in more)]


def _quadrant_line(
    number: int, title: str, importance: float | None, score: float | None, where: str | None
) -> str:
    assert importance is not None and score is not None  # unrated points share one line
    place = QUADRANT_WORDS.get(where or "", "no quadrant").lower()
    return f"{number}. {title}: importance {importance:.1f}, score {score:.1f} — {place}."
