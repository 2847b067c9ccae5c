"""Charts as pure functions: numbers in, SVG markup out.

The comparison page and the PDF draw the very same charts, so they are made here, on the
server, from the engine's numbers; no script runs in the browser. Every text that reaches
the markup (titles, labels) goes through :func:`html.escape`, so a hostile dimension title
cannot inject markup. No ``style`` attributes are written (a strict Content-Security-Policy
must hold): colours are presentation attributes (``fill``, ``stroke``) and classes.

Each function returns a :class:`Chart`: the SVG (``role="img"`` labelled by its
``<title>`` and ``<desc>``) and a text alternative, one line per fact, for readers who
cannot see the drawing. ``Chart`` renders itself in Jinja through ``__html__``.

Pure: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

VENDOR_COLOUR = "#1f5f8b"
CLIENT_COLOUR = "#c4561b"
AGREED_COLOUR = "#2d6a4f"
BLIND_SPOT_COLOUR = "#b3261e"
HIDDEN_STRENGTH_COLOUR = "#2e7d4f"
ALIGNED_COLOUR = "#7a7f87"
GRID_COLOUR = "#c9ced6"
INK = "#1d232b"

STATUS_WORDS = {
    "blind_spot": "blind spot",
    "hidden_strength": "hidden strength",
    "aligned": "aligned",
}
QUADRANT_WORDS = {
    "concentrate_here": "Concentrate here",
    "keep_it_up": "Keep it up",
    "low_priority": "Low priority",
    "possible_overkill": "Possible overkill",
}

LevelRef = tuple[str, str]  # (id, title)


@dataclass(frozen=True)
class Chart:
    """An SVG drawing and its text alternative (one sentence per line)."""

    svg: str
    title: str
    lines: tuple[str, ...]

    def __html__(self) -> str:
        """Jinja renders the markup as is: every text inside was escaped when it was built."""
        return self.svg

    @property
    def text(self) -> str:
        """The text alternative as one paragraph."""
        return " ".join(self.lines)


# --- small helpers -----------------------------------------------------------------------


def num(value: float) -> str:
    """A coordinate or score as short text: ``12.5``, ``40`` (never ``40.0``)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def score_text(value: float | None) -> str:
    """A score for people: one decimal, or "no score"."""
    return "no score" if value is None else f"{value:.1f}"


def _uid(raw: str) -> str:
    """An id safe for XML attributes and unique-enough prefixes (letters, digits, dashes)."""
    cleaned = re.sub(r"[^a-zA-Z0-9-]", "-", raw).strip("-")
    return cleaned or "chart"


def _attrs(**attributes: str | float) -> str:
    """XML attributes, escaped; a trailing underscore in a name becomes nothing, ``_`` a dash."""
    parts = []
    for name, value in attributes.items():
        key = name.rstrip("_").replace("_", "-")
        shown = num(value) if isinstance(value, float | int) else value
        parts.append(f'{key}="{escape(str(shown), quote=True)}"')
    return " ".join(parts)


def _el(tag: str, body: str = "", **attributes: str | float) -> str:
    attrs = _attrs(**attributes)
    if body:
        return f"<{tag} {attrs}>{body}</{tag}>"
    return f"<{tag} {attrs}/>"


def _text(x: float, y: float, words: str, **attributes: str | float) -> str:
    """A `<text>` element; `words` are escaped here."""
    return _el("text", escape(words), x=x, y=y, **attributes)


def _wrapped_text(x: float, y: float, words: str, width: int, **attributes: str | float) -> str:
    """A `<text>` with up to three `<tspan>` lines, so long titles stay inside the drawing."""
    lines = textwrap.wrap(words, width) or [""]
    if len(lines) > 3:
        lines = [*lines[:2], textwrap.shorten(" ".join(lines[2:]), width, placeholder="…")]
    spans = "".join(
        _el("tspan", escape(line), x=x, dy="0" if i == 0 else "1.15em")
        for i, line in enumerate(lines)
    )
    return _el("text", spans, x=x, y=y, **attributes)


def _frame(uid: str, width: int, height: int, title: str, desc: str, kind: str, body: str) -> str:
    """The `<svg>` element around a chart, labelled for assistive technology."""
    title_id, desc_id = f"{uid}-title", f"{uid}-desc"
    head = _attrs(
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width} {height}",
        width=width,
        height=height,
        role="img",
        aria_labelledby=f"{title_id} {desc_id}",
        class_=f"chart chart-{kind}",
        font_family="Helvetica, Arial, sans-serif",
        font_size=12,
        fill=INK,
    )
    return (
        f"<svg {head}>"
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


# --- relationship levels ------------------------------------------------------------------

CURVE_BOX = (40.0, 30.0, 600.0, 230.0)  # left, top, right, bottom of the drawing area


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
            _wrapped_text(x, y + 30, level_title, 16, text_anchor="middle", class_="level-title")
        )
    body += _level_markers(levels, points, vendor_level, client_level, agreed_level, labels)
    lines = _level_lines(levels, vendor_level, client_level, agreed_level, labels)
    shape = "an S-curve" if curved else "steps"
    desc = f"Relationship levels drawn as {shape}, lowest first. " + " ".join(lines[1:])
    svg = _frame(uid, 640, 300, "Relationship level", desc, "levels", "".join(body))
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
        out.append(
            _text(
                x,
                y - 20 - 15 * height,
                words,
                text_anchor="middle",
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


# --- radar --------------------------------------------------------------------------------

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


def _legend(x: float, y: float, labels: tuple[str, str]) -> str:
    """Vendor solid, client dashed: told apart by more than colour."""
    parts = []
    for i, (words, colour, dash) in enumerate(
        ((labels[0], VENDOR_COLOUR, "none"), (labels[1], CLIENT_COLOUR, "6 4"))
    ):
        left = x + i * 200
        parts.append(
            _el(
                "line",
                x1=left,
                y1=y - 4,
                x2=left + 28,
                y2=y - 4,
                stroke=colour,
                stroke_width=3,
                stroke_dasharray=dash,
            )
        )
        parts.append(_text(left + 34, y, words, class_="legend"))
    return _el("g", "".join(parts), class_="legend")


# --- gaps ---------------------------------------------------------------------------------

GAP_LABEL_WIDTH = 190.0
GAP_HALF_WIDTH = 190.0
GAP_ROW = 30.0
GAP_TOP = 52.0


def gap_x(gap: float) -> float:
    """The x of a gap (−100..100) on the diverging axis; zero is the middle."""
    middle = GAP_LABEL_WIDTH + GAP_HALF_WIDTH
    return middle + max(-100.0, min(100.0, gap)) / 100 * GAP_HALF_WIDTH


def gap_bars(
    rows: Sequence[tuple[str, float | None, str | None]],
    threshold: float,
    *,
    labels: tuple[str, str] = ("Vendor", "Client"),
    uid: str = "gaps",
) -> Chart:
    """Diverging bars of gaps (vendor − client), each named blind spot, hidden strength or
    aligned; `rows` are (title, gap, status) with the engine's status."""
    uid = _uid(uid)
    height = GAP_TOP + GAP_ROW * max(len(rows), 1) + 30
    body = [_gap_axes(len(rows), threshold, labels)]
    lines = []
    for i, (title, gap, status) in enumerate(rows):
        y = GAP_TOP + i * GAP_ROW
        body.append(_gap_row(y, title, gap, status))
        lines.append(_gap_line(title, gap, status))
    desc = (
        f"Gap is the {labels[0]} score minus the {labels[1]} score; at least {num(threshold)} "
        "either way is a blind spot or a hidden strength. " + " ".join(lines)
    )
    svg = _frame(uid, 760, int(height), "Gaps between the two views", desc, "gaps", "".join(body))
    return Chart(svg=svg, title="Gaps between the two views", lines=tuple(lines))


def _gap_axes(count: int, threshold: float, labels: tuple[str, str]) -> str:
    """The two sides' headings, the zero line, the threshold lines and the ticks.

    The headings name who rates higher, not what that means: for a dimension that rates
    the client (``rates: client``) the engine turns the statuses round, so a bar on the
    vendor's side may be a hidden strength. Each bar carries its own status in words.
    """
    bottom = GAP_TOP + GAP_ROW * max(count, 1)
    middle = gap_x(0)
    parts = [
        _text(
            middle - 8,
            18,
            f"{labels[1]} rates higher",
            text_anchor="end",
            fill=HIDDEN_STRENGTH_COLOUR,
            font_weight="bold",
            class_="side side-hidden",
        ),
        _text(
            middle + 8,
            18,
            f"{labels[0]} rates higher",
            text_anchor="start",
            fill=BLIND_SPOT_COLOUR,
            font_weight="bold",
            class_="side side-blind",
        ),
        _el("line", x1=middle, y1=GAP_TOP - 14, x2=middle, y2=bottom, stroke=INK, class_="zero"),
    ]
    for edge in (-threshold, threshold):
        parts.append(
            _el(
                "line",
                x1=gap_x(edge),
                y1=GAP_TOP - 14,
                x2=gap_x(edge),
                y2=bottom,
                stroke=GRID_COLOUR,
                stroke_dasharray="4 3",
                class_="threshold",
            )
        )
    for tick in (-100, -50, 0, 50, 100):
        parts.append(
            _text(
                gap_x(tick),
                bottom + 16,
                f"{tick:+d}" if tick else "0",
                text_anchor="middle",
                font_size=10,
                fill="#5b6470",
                class_="tick",
            )
        )
    return "".join(parts)


def _gap_row(y: float, title: str, gap: float | None, status: str | None) -> str:
    colour = {"blind_spot": BLIND_SPOT_COLOUR, "hidden_strength": HIDDEN_STRENGTH_COLOUR}.get(
        status or "", ALIGNED_COLOUR
    )
    parts = [
        _wrapped_text(GAP_LABEL_WIDTH - 10, y + 4, title, 28, text_anchor="end", class_="row-title")
    ]
    if gap is None:
        parts.append(_text(gap_x(0) + 6, y + 4, "not compared", fill="#5b6470", class_="value"))
        return _el("g", "".join(parts), class_="gap-row")
    start, end = sorted((gap_x(0), gap_x(gap)))
    parts.append(
        _el(
            "rect",
            x=start,
            y=y - 9,
            width=max(end - start, 1.0),
            height=18,
            fill=colour,
            class_=f"bar bar-{status or 'none'}",
        )
    )
    words = f"{gap:+.1f}" + (f" {STATUS_WORDS[status]}" if status in STATUS_WORDS else "")
    if gap >= 0:
        parts.append(_text(end + 6, y + 4, words, fill=colour, class_="value"))
    else:
        parts.append(_text(start - 6, y + 4, words, text_anchor="end", fill=colour, class_="value"))
    return _el("g", "".join(parts), class_="gap-row")


def _gap_line(title: str, gap: float | None, status: str | None) -> str:
    if gap is None:
        return f"{title}: not compared."
    return f"{title}: gap {gap:+.1f}, {STATUS_WORDS.get(status or '', 'no status')}."


# --- importance-performance ---------------------------------------------------------------

QUADRANT_BOX = (70.0, 56.0, 370.0, 356.0)  # left, top, right, bottom of the plot
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
    if unrated:
        names = f"Not placed (no importance or score): {', '.join(unrated)}."
        lines.extend(textwrap.wrap(names, QUADRANT_LEGEND_WIDTH))
    legend_y = QUADRANT_BOX[3] + 84
    for index, line in enumerate(lines):
        body.append(_text(QUADRANT_BOX[0], legend_y + 18 * index, line, class_="legend-line"))
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
    height = int(legend_y + 18 * max(len(lines), 1))
    where = f"cut at importance {cut[0]:.1f} and score {cut[1]:.1f}"
    desc = f"Client importance against client score, {where}. " + " ".join(lines)
    svg = _frame(uid, 640, height, "Importance and performance", desc, "quadrant", "".join(body))
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
            font_size=10,
            font_weight="bold",
            class_="point-number",
        ),
    ]
    return "".join(parts)


def _tick_label(x: float, y: float, value: int, anchor: str) -> str:
    """A small grey number on an axis."""
    return _text(x, y, str(value), text_anchor=anchor, font_size=10, fill="#5b6470", class_="tick")


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


QUADRANT_LEGEND_WIDTH = 95  # characters in one legend line of the 640-wide chart


def _quadrant_line(
    number: int, title: str, importance: float | None, score: float | None, where: str | None
) -> str:
    assert importance is not None and score is not None  # unrated points share one line
    place = QUADRANT_WORDS.get(where or "", "no quadrant").lower()
    return f"{number}. {title}: importance {importance:.1f}, score {score:.1f} — {place}."


# --- trend over repeated reviews --------------------------------------------------------------

TREND_LEFT = 60.0
TREND_TOP = 30.0
TREND_PLOT_HEIGHT = 200.0
TREND_STEP = 110.0  # horizontal distance between two reviews


@dataclass(frozen=True)
class TrendPoint:
    """One review with results, as the trend shows it (numbers are the engine's).

    `series` is the questionnaire id: only points of the same series are joined by a line,
    because scores of different questionnaires measure different things.
    """

    when: str
    series: str
    questionnaire: str
    level: str | None
    vendor: float | None
    client: float | None


def trend_x(index: int) -> float:
    """The x of the `index`-th review, oldest first."""
    return TREND_LEFT + 40 + index * TREND_STEP


def trend_y(value: float) -> float:
    """The y of an overall score (0–100); 100 is at the top."""
    clamped = max(0.0, min(100.0, value))
    return TREND_TOP + TREND_PLOT_HEIGHT * (1 - clamped / 100)


def trend(
    points: Sequence[TrendPoint],
    *,
    labels: tuple[str, str] = ("Vendor", "Client"),
    uid: str = "trend",
) -> Chart:
    """Both parties' overall scores over a client's reviews, oldest first.

    Every point is drawn; lines join a party's points only within one questionnaire (the
    `series`), so a pulse survey between two full reviews is shown but not connected.
    A missing score is listed in the text and not drawn.
    """
    uid = _uid(uid)
    width = max(480, int(trend_x(max(len(points), 1) - 1) + 80))
    bottom = TREND_TOP + TREND_PLOT_HEIGHT
    body = [_trend_axes(width)]
    for index, point in enumerate(points):
        body.append(_trend_label(index, point, bottom))
    for party, colour, dash in (
        ("vendor", VENDOR_COLOUR, "none"),
        ("client", CLIENT_COLOUR, "6 4"),
    ):
        body += _trend_lines(points, party, colour, dash)
        body += _trend_markers(points, party, colour)
    body.append(_legend(TREND_LEFT, bottom + 78, labels))
    lines = [_trend_line(point, labels) for point in points]
    series = len({point.series for point in points})
    joined = "Lines join only reviews of the same questionnaire" + (
        f"; {series} questionnaires are shown. " if series > 1 else ". "
    )
    desc = (
        "Overall scores from 0 to 100 of each review with results, oldest first. "
        + joined
        + (" ".join(lines) if lines else "No review has results yet.")
    )
    height = int(bottom + 92)
    svg = _frame(uid, width, height, "Overall scores over time", desc, "trend", "".join(body))
    return Chart(svg=svg, title="Overall scores over time", lines=tuple(lines))


def _trend_axes(width: int) -> str:
    parts = []
    for tick in (0, 25, 50, 75, 100):
        y = trend_y(tick)
        parts.append(
            _el(
                "line",
                x1=TREND_LEFT,
                y1=y,
                x2=width - 20,
                y2=y,
                stroke=GRID_COLOUR,
                stroke_dasharray="none" if tick in (0, 100) else "3 3",
                class_="grid",
            )
        )
        parts.append(_tick_label(TREND_LEFT - 8, y + 4, tick, "end"))
    return "".join(parts)


def _trend_label(index: int, point: TrendPoint, bottom: float) -> str:
    """The date and questionnaire under a review's column."""
    x = trend_x(index)
    return _el(
        "g",
        _text(x, bottom + 18, point.when, text_anchor="middle", class_="when")
        + _wrapped_text(
            x,
            bottom + 34,
            point.questionnaire,
            16,
            text_anchor="middle",
            font_size=10,
            fill="#5b6470",
            class_="series-title",
        ),
        class_="review",
        data_series=point.series,
    )


def _trend_lines(points: Sequence[TrendPoint], party: str, colour: str, dash: str) -> list[str]:
    """One polyline per questionnaire, through that party's drawn points, in time order."""
    joined: dict[str, list[tuple[float, float]]] = {}
    for index, point in enumerate(points):
        value = point.vendor if party == "vendor" else point.client
        if value is not None:
            joined.setdefault(point.series, []).append((trend_x(index), trend_y(value)))
    return [
        _el(
            "polyline",
            points=" ".join(f"{num(x)},{num(y)}" for x, y in coords),
            fill="none",
            stroke=colour,
            stroke_width=2.5,
            stroke_dasharray=dash,
            class_=f"series series-{party}",
            data_series=series,
        )
        for series, coords in joined.items()
        if len(coords) > 1
    ]


def _trend_markers(points: Sequence[TrendPoint], party: str, colour: str) -> list[str]:
    """A circle (vendor) or a square (client) per score: told apart by more than colour."""
    out = []
    for index, point in enumerate(points):
        value = point.vendor if party == "vendor" else point.client
        if value is None:
            continue
        x, y = trend_x(index), trend_y(value)
        common = {"fill": colour, "class_": f"point point-{party}", "data_index": str(index)}
        if party == "vendor":
            out.append(_el("circle", cx=x, cy=y, r=4.5, **common))
        else:
            out.append(_el("rect", x=x - 4, y=y - 4, width=8, height=8, **common))
    return out


def _trend_line(point: TrendPoint, labels: tuple[str, str]) -> str:
    level = f"agreed level {point.level}" if point.level else "no agreed level"
    return (
        f"{point.when}, {point.questionnaire}: {level}; overall {labels[0]} "
        f"{score_text(point.vendor)}, {labels[1]} {score_text(point.client)}."
    )
