"""The gap bars: per dimension, how far the vendor's score is from the client's."""

from __future__ import annotations

from collections.abc import Sequence

from survey.domain.charts.svg import (
    ALIGNED_COLOUR,
    BLIND_SPOT_COLOUR,
    GRID_COLOUR,
    HIDDEN_STRENGTH_COLOUR,
    INK,
    STATUS_WORDS,
    Chart,
    _el,
    _frame,
    _text,
    _uid,
    _wrapped_text,
    num,
)

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
