"""The gap bars: per dimension, how far the vendor's score is from the client's."""

from __future__ import annotations

from collections.abc import Sequence

from survey.domain.charts.svg import (
    ALIGNED_COLOUR,
    BLIND_SPOT_COLOUR,
    CHART_WIDTH,
    FONT_SIZE,
    GRID_COLOUR,
    HIDDEN_STRENGTH_COLOUR,
    INK,
    LINE_HEIGHT,
    TICK_SIZE,
    Chart,
    _el,
    _frame,
    _text,
    _uid,
    _wrapped_text,
    fit_lines,
    num,
    text_width,
)
from survey.domain.vocabulary import STATUS_WORDS

#: Each row's title is written above its bar, across the drawing, so the bars can use
#: the whole width: the axis runs from GAP_LABEL_WIDTH (its left end, the margin for the
#: "-100" tick) to GAP_LABEL_WIDTH + 2 * GAP_HALF_WIDTH.
GAP_LABEL_WIDTH = 30.0
GAP_HALF_WIDTH = (CHART_WIDTH - 2 * GAP_LABEL_WIDTH) / 2
GAP_ROW = 42.0  # a row with a one-line title; each more line adds a line's height
GAP_TOP = 34.0  # the first row's top, under one line of headings
GAP_MARGIN = 8.0  # between the words and the drawing's edges
GAP_BAR = 14.0  # a bar's height


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
    headings, extra = _gap_headings(labels)
    top = GAP_TOP + extra
    body, lines = [], []
    for title, gap, status in rows:
        row, top = _gap_row(top, title, gap, status, threshold)
        body.append(row)
        lines.append(_gap_line(title, gap, status))
    bottom = max(top, GAP_TOP + extra + GAP_ROW)
    body.insert(0, headings + _gap_ticks(bottom))
    desc = (
        f"Gap is the {labels[0]} score minus the {labels[1]} score; at least {num(threshold)} "
        "either way is a blind spot or a hidden strength. " + " ".join(lines)
    )
    height = int(bottom + 26)
    svg = _frame(
        uid, CHART_WIDTH, height, "Gaps between the two views", desc, "gaps", "".join(body)
    )
    return Chart(svg=svg, title="Gaps between the two views", lines=tuple(lines))


def _gap_headings(labels: tuple[str, str]) -> tuple[str, float]:
    """The two sides' headings, either side of the zero line, and how much lower than one
    line they reach (a long name wraps).

    The headings name who rates higher, not what that means: for a dimension that rates
    the client (``rates: client``) the engine turns the statuses round, so a bar on the
    vendor's side may be a hidden strength. Each bar carries its own status in words.
    """
    middle = gap_x(0)
    room = middle - 8 - GAP_MARGIN
    sides = [
        (f"{labels[1]} rates higher", middle - 8, "end", HIDDEN_STRENGTH_COLOUR, "hidden"),
        (f"{labels[0]} rates higher", middle + 8, "start", BLIND_SPOT_COLOUR, "blind"),
    ]
    parts = [
        _wrapped_text(
            x,
            18,
            words,
            room,
            text_anchor=anchor,
            fill=colour,
            font_weight="bold",
            class_=f"side side-{kind}",
        )
        for words, x, anchor, colour, kind in sides
    ]
    count = max(len(fit_lines(words, room, bold=True)) for words, *_ in sides)
    return "".join(parts), (count - 1) * LINE_HEIGHT * FONT_SIZE


def _gap_ticks(bottom: float) -> str:
    """The numbers under the axis."""
    return "".join(
        _text(
            gap_x(tick),
            bottom + 14,
            f"{tick:+d}" if tick else "0",
            text_anchor="middle",
            font_size=TICK_SIZE,
            fill="#5b6470",
            class_="tick",
        )
        for tick in (-100, -50, 0, 50, 100)
    )


def _gap_rules(y: float, threshold: float) -> str:
    """The zero line and the dashed threshold lines, across one row's bar."""
    top, bottom = y - GAP_BAR / 2 - 5, y + GAP_BAR / 2 + 5
    parts = [_el("line", x1=gap_x(0), y1=top, x2=gap_x(0), y2=bottom, stroke=INK, class_="zero")]
    for edge in (-threshold, threshold):
        parts.append(
            _el(
                "line",
                x1=gap_x(edge),
                y1=top,
                x2=gap_x(edge),
                y2=bottom,
                stroke=GRID_COLOUR,
                stroke_dasharray="4 3",
                class_="threshold",
            )
        )
    return "".join(parts)


def _gap_row(
    top: float, title: str, gap: float | None, status: str | None, threshold: float
) -> tuple[str, float]:
    """A row from `top`: its title and gap in words on one line, its bar under them; and
    where the next row starts."""
    colour = {"blind_spot": BLIND_SPOT_COLOUR, "hidden_strength": HIDDEN_STRENGTH_COLOUR}.get(
        status or "", ALIGNED_COLOUR
    )
    if gap is None:
        words, colour = "not compared", "#5b6470"
    else:
        words = f"{gap:+.1f}" + (
            f" {STATUS_WORDS[status]}" if status and status in STATUS_WORDS else ""
        )
    room = CHART_WIDTH - 2 * GAP_MARGIN - text_width(words) - 12
    titles = fit_lines(title, room)
    baseline = top + FONT_SIZE
    bar_y = baseline + (len(titles) - 1) * LINE_HEIGHT * FONT_SIZE + 5 + GAP_BAR / 2
    parts = [
        _wrapped_text(GAP_MARGIN, baseline, title, room, class_="row-title"),
        _text(
            CHART_WIDTH - GAP_MARGIN,
            baseline,
            words,
            text_anchor="end",
            fill=colour,
            class_="value",
        ),
        _gap_rules(bar_y, threshold),
    ]
    if gap is not None:
        start, end = sorted((gap_x(0), gap_x(gap)))
        parts.append(
            _el(
                "rect",
                x=start,
                y=bar_y - GAP_BAR / 2,
                width=max(end - start, 1.0),
                height=GAP_BAR,
                fill=colour,
                class_=f"bar bar-{status or 'none'}",
            )
        )
    next_top = top + GAP_ROW + (len(titles) - 1) * LINE_HEIGHT * FONT_SIZE
    return _el("g", "".join(parts), class_="gap-row"), next_top


def _gap_line(title: str, gap: float | None, status: str | None) -> str:
    if gap is None:
        return f"{title}: not compared."
    return f"{title}: gap {gap:+.1f}, {STATUS_WORDS.get(status or '', 'no status')}."
