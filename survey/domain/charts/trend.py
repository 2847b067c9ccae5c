"""The trend over repeated reviews of one client."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from survey.domain.charts.svg import (
    CHART_WIDTH,
    CLIENT_COLOUR,
    GRID_COLOUR,
    LINE_HEIGHT,
    VENDOR_COLOUR,
    Chart,
    _el,
    _frame,
    _legend,
    _legend_rows,
    _tick_label,
    _uid,
    _wrapped_text,
    fit_lines,
    num,
    score_text,
)

TREND_LEFT = 44.0
TREND_TOP = 20.0
TREND_PLOT_HEIGHT = 180.0
TREND_STEP = 92.0  # horizontal distance between two reviews: four fit in the chart's width
TREND_MIN_STEP = 48.0  # the least, when more reviews share the width: "10 Sep" still fits


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


def trend_step(count: int) -> float:
    """From one review to the next when `count` are drawn: TREND_STEP for up to four; more
    share the chart's width (their dates wrap), at least TREND_MIN_STEP apart, past which
    the chart widens."""
    if count <= 4:
        return TREND_STEP
    room = CHART_WIDTH - TREND_LEFT - 40 - 1  # the last column's words keep 4 from the edge
    return max(TREND_MIN_STEP, room / (count - 0.5))


def trend_x(index: int, count: int = 0) -> float:
    """The x of the `index`-th review of `count` (0: four or fewer), oldest first."""
    return TREND_LEFT + 40 + index * trend_step(count)


def trend_y(value: float) -> float:
    """The y of an overall score (0–100); 100 is at the top."""
    clamped = max(0.0, min(100.0, value))
    return TREND_TOP + TREND_PLOT_HEIGHT * (100 - clamped) / 100


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
    count = max(len(points), 1)
    step = trend_step(count)
    width = max(CHART_WIDTH, round(trend_x(count - 1, count) + (step - 6) / 2 + 4))
    bottom = TREND_TOP + TREND_PLOT_HEIGHT
    dates = max((len(fit_lines(p.when, step - 6, 12)) for p in points), default=1)
    extra = (dates - 1) * LINE_HEIGHT * 12  # wrapped dates push the words under them down
    body = [_trend_axes(width)]
    for index, point in enumerate(points):
        body.append(_trend_label(index, len(points), point, bottom, extra))
    for party, colour, dash in (
        ("vendor", VENDOR_COLOUR, "none"),
        ("client", CLIENT_COLOUR, "6 4"),
    ):
        body += _trend_lines(points, party, colour, dash)
        body += _trend_markers(points, party, colour)
    body.append(_legend(TREND_LEFT, bottom + 80 + extra, labels, width))
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
    height = int(bottom + 92 + extra + 20 * (_legend_rows(TREND_LEFT, labels, width) - 1))
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


def _trend_label(index: int, count: int, point: TrendPoint, bottom: float, extra: float) -> str:
    """The date and questionnaire under a review's column, each wrapped to the column."""
    x, room = trend_x(index, count), trend_step(count) - 6
    return _el(
        "g",
        _wrapped_text(
            x, bottom + 18, point.when, room, text_anchor="middle", font_size=12, class_="when"
        )
        + _wrapped_text(
            x,
            bottom + 34 + extra,
            point.questionnaire,
            room,
            text_anchor="middle",
            font_size=11,
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
            spot = (trend_x(index, len(points)), trend_y(value))
            joined.setdefault(point.series, []).append(spot)
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
        x, y = trend_x(index, len(points)), trend_y(value)
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
