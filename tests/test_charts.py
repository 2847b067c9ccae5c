"""Charts: numbers land where they should, hostile text stays text, the markup is valid XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from jinja2 import Environment
from markupsafe import escape

from survey.domain import charts

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script>&<img src=x onerror=alert(1)>"\''
LEVELS = [
    ("vendor", "Vendor"),
    ("confidant", "Confidant"),
    ("consultant", "Consultant"),
    ("virtual-partner", "Virtual partner"),
]


def parse(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(chart.svg)


def find_all(root: ET.Element, tag: str, css: str) -> list[ET.Element]:
    return [e for e in root.iter(SVG + tag) if css in (e.get("class") or "").split()]


def all_charts(title: str) -> list[charts.Chart]:
    return [
        charts.s_curve([("a", title), ("b", "B")], "a", "b", "a", labels=(title, title)),
        charts.radar(
            [(title, 50.0, 60.0), ("B", None, 10.0), ("C", 1.0, 2.0)], labels=(title, title)
        ),
        charts.gap_bars(
            [(title, 30.0, "blind_spot"), ("B", None, None)], 20, labels=(title, title)
        ),
        charts.quadrant([(title, 80.0, 20.0, "concentrate_here")]),
    ]


@pytest.mark.parametrize("index", range(4))
def test_every_chart_is_valid_labelled_svg(index: int) -> None:
    chart = all_charts("Listening")[index]
    root = parse(chart)
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    assert root.find(f"{SVG}title").get("id") == title_id  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").get("id") == desc_id  # type: ignore[union-attr]
    assert chart.lines and "style=" not in chart.svg
    assert chart.__html__() == chart.svg


@pytest.mark.parametrize("index", range(4))
def test_hostile_titles_stay_text(index: int) -> None:
    chart = all_charts(HOSTILE)[index]
    root = parse(chart)  # would raise on a raw "<" or "&"
    assert "<script" not in chart.svg and "<img" not in chart.svg
    texts = "".join(root.itertext())
    assert "<script>" in texts  # shown to the reader as the literal words
    assert not list(root.iter(SVG + "script")) and not list(root.iter("script"))
    # Jinja sees a pre-escaped object and does not escape it twice
    assert Environment(autoescape=True).from_string("{{ c }}").render(c=chart) == chart.svg
    assert HOSTILE in chart.text and escape(HOSTILE) not in chart.text


def test_uid_cannot_break_out_of_attributes() -> None:
    chart = charts.radar([("A", 1.0, 2.0)], uid='x" onload="alert(1)')
    root = parse(chart)
    assert root.get("onload") is None
    assert root.get("aria-labelledby", "").startswith("x--onload")


def test_s_curve_places_markers_on_their_levels() -> None:
    chart = charts.s_curve(LEVELS, "consultant", "confidant", "confidant")
    root = parse(chart)
    points = charts.level_points(4, curved=True)
    ring = find_all(root, "circle", "marker-agreed")[0]
    assert (float(ring.get("cx", "")), float(ring.get("cy", ""))) == pytest.approx(
        points[1], abs=0.06
    )
    vendor_tag = find_all(root, "text", "marker-vendor")[0]
    assert vendor_tag.get("data-level") == "consultant"
    assert float(vendor_tag.get("x", "")) == pytest.approx(points[2][0], abs=0.06)
    # the curve rises: every level sits higher (smaller y) than the one before
    ys = [y for _, y in points]
    assert ys == sorted(ys, reverse=True)
    assert "Agreed level: Confidant." in chart.lines
    assert "S-curve" in root.findtext(SVG + "desc", "")


def test_other_level_counts_are_drawn_as_steps() -> None:
    three = LEVELS[:3]
    chart = charts.s_curve(three, "vendor", None, "vendor")
    root = parse(chart)
    assert "steps" in root.findtext(SVG + "desc", "")
    points = charts.level_points(3, curved=False)
    assert len(find_all(root, "circle", "level-dot")) == 3
    # equal rises between steps
    assert points[0][1] - points[1][1] == pytest.approx(points[1][1] - points[2][1])
    assert "Client view: not known." in chart.lines
    assert not find_all(root, "text", "marker-client")


def test_radar_maps_scores_to_distance_from_centre() -> None:
    chart = charts.radar([("A", 100.0, 50.0), ("B", 0.0, None), ("C", 25.0, 75.0), ("D", 1, 1)])
    root = parse(chart)
    cx, cy = charts.RADAR_CENTRE
    first_vendor = find_all(root, "circle", "point-vendor")[0]
    assert float(first_vendor.get("cx", "")) == pytest.approx(cx, abs=0.06)
    assert float(first_vendor.get("cy", "")) == pytest.approx(cy - charts.RADAR_RADIUS, abs=0.06)
    first_client = find_all(root, "circle", "point-client")[0]
    assert float(first_client.get("cy", "")) == pytest.approx(
        cy - charts.RADAR_RADIUS / 2, abs=0.06
    )
    third_client = find_all(root, "circle", "point-client")[2]  # axis pointing down
    assert float(third_client.get("cy", "")) == pytest.approx(
        cy + 0.75 * charts.RADAR_RADIUS, abs=0.06
    )
    assert "B: Vendor 0.0, Client no score." in chart.lines


def test_gap_bars_diverge_from_the_middle_and_name_the_status() -> None:
    chart = charts.gap_bars(
        [
            ("Listening", 37.5, "blind_spot"),
            ("Trust", -25.0, "hidden_strength"),
            ("Reliability", 5.0, "aligned"),
        ],
        20,
    )
    root = parse(chart)
    middle = charts.gap_x(0)
    blind = find_all(root, "rect", "bar-blind_spot")[0]
    assert float(blind.get("x", "")) == pytest.approx(middle, abs=0.06)
    assert float(blind.get("width", "")) == pytest.approx(0.375 * charts.GAP_HALF_WIDTH, abs=0.1)
    hidden = find_all(root, "rect", "bar-hidden_strength")[0]
    assert float(hidden.get("x", "")) + float(hidden.get("width", "")) == pytest.approx(
        middle, abs=0.1
    )
    words = " ".join(root.itertext())
    assert "+37.5 blind spot" in words and "-25.0 hidden strength" in words
    assert chart.lines == (
        "Listening: gap +37.5, blind spot.",
        "Trust: gap -25.0, hidden strength.",
        "Reliability: gap +5.0, aligned.",
    )


def test_gap_headings_name_who_rates_higher_never_a_status_a_bar_may_contradict() -> None:
    # "Being a good customer" rates the client: the engine turns its status round, so a
    # gap to the vendor's side (the vendor rates the client higher) is a hidden strength.
    chart = charts.gap_bars(
        [("Listening", 30.0, "blind_spot"), ("Being a good customer", 25.0, "hidden_strength")],
        20,
        labels=("Acme", "Globex"),
    )
    headings = [t.text or "" for t in find_all(parse(chart), "text", "side")]
    assert sorted(headings) == ["Acme rates higher", "Globex rates higher"]
    assert "+25.0 hidden strength" in " ".join(parse(chart).itertext())


def test_quadrant_names_the_four_zones_and_places_points() -> None:
    chart = charts.quadrant(
        [("Listening", 100.0, 37.5, "concentrate_here"), ("Trust", None, 80.0, None)]
    )
    root = parse(chart)
    words = " ".join(root.itertext())
    for label in ("Concentrate here", "Keep it up", "Low priority", "Possible overkill"):
        assert label in words
    left, top, right, bottom = charts.QUADRANT_BOX
    pad = charts.QUADRANT_PAD
    points = find_all(root, "circle", "point")
    assert len(points) == 1  # the unrated dimension is not drawn
    assert float(points[0].get("cx", "")) == pytest.approx(
        left + pad + 0.375 * (right - left - 2 * pad), abs=0.06
    )
    assert float(points[0].get("cy", "")) == pytest.approx(top + pad, abs=0.06)
    assert not find_all(root, "line", "leader")  # a lone marker is not nudged
    assert chart.lines[0] == "1. Listening: importance 100.0, score 37.5 — concentrate here."
    assert chart.lines[1] == "Not placed (no importance or score): Trust."


def test_quadrant_names_the_unrated_together_on_wrapped_lines() -> None:
    """Many dimensions without importance share one note, wrapped, and take no numbers."""
    unrated = [(f"Behaviour number {i}", None, 50.0, None) for i in range(8)]
    chart = charts.quadrant([*unrated[:4], ("Value", 80.0, 60.0, "keep_it_up"), *unrated[4:]])
    assert chart.lines[0] == "1. Value: importance 80.0, score 60.0 — keep it up."
    note = " ".join(chart.lines[1:])
    assert note.startswith("Not placed (no importance or score): Behaviour number 0,")
    assert len(chart.lines) >= 3
    assert all(len(line) <= charts.QUADRANT_LEGEND_WIDTH for line in chart.lines)
    assert len(find_all(parse(chart), "circle", "point")) == 1


def _markers(root: ET.Element) -> list[tuple[float, float]]:
    return [
        (float(c.get("cx", "")), float(c.get("cy", ""))) for c in find_all(root, "circle", "point")
    ]


def test_quadrant_nudges_markers_on_the_same_spot_apart_deterministically() -> None:
    rows = [
        ("A", 80.0, 80.0, "keep_it_up"),
        ("B", 80.0, 80.0, "keep_it_up"),
        ("C", 81.0, 79.0, "keep_it_up"),
        ("D", 100.0, 100.0, "keep_it_up"),
        ("E", 100.0, 100.0, "keep_it_up"),
        ("F", 10.0, 40.0, "low_priority"),
    ]
    chart = charts.quadrant(rows)
    assert charts.quadrant(rows).svg == chart.svg  # same numbers, same drawing
    root = parse(chart)
    spots = _markers(root)
    assert len(spots) == 6
    for i, (x1, y1) in enumerate(spots):
        for x2, y2 in spots[i + 1 :]:
            assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= 2 * charts.QUADRANT_MARKER
    mid_x, mid_y = charts.quadrant_point(50, 50)
    left, top, right, bottom = charts.QUADRANT_BOX
    radius = charts.QUADRANT_MARKER
    for (x, y), (_, importance, score, _) in zip(spots, rows, strict=True):
        # each stays inside the plot and in its own quadrant
        assert left + radius <= x <= right - radius and top + radius <= y <= bottom - radius
        assert (x > mid_x) == (score > 50) and (y < mid_y) == (importance > 50)
    # pushed towards a cut line, a marker stops a radius short of it (no straddling)
    near = charts.quadrant([("A", 90.0, 52.8, None), ("B", 90.0, 54.2, None)])
    first, second = _markers(parse(near))
    true_x = charts.quadrant_point(90.0, 52.8)[0]
    assert mid_x < true_x < mid_x + radius  # already close: it stays put, the other moves
    assert first[0] == pytest.approx(true_x, abs=0.06) and second[0] - first[0] >= 2 * radius
    # nudged markers point back to their true place; the lone one is left alone
    assert len(find_all(root, "line", "leader")) == 5
    assert spots[5] == pytest.approx(charts.quadrant_point(10.0, 40.0), abs=0.06)
    # leaders and true-spot dots lie underneath every marker, so no number is covered
    order = [
        (e.get("class") or "").split()[0]
        for e in root.iter()
        if (e.get("class") or "").split()[:1] in (["leader"], ["true-spot"], ["point"])
    ]
    assert order.count("point") == 6 and order.count("true-spot") == 5
    last_leader = max(i for i, kind in enumerate(order) if kind != "point")
    assert last_leader < order.index("point")


def test_quadrant_names_sit_outside_the_markers_reach() -> None:
    root = parse(charts.quadrant([("A", 100.0, 0.0, None), ("B", 0.0, 100.0, None)]))
    _, top, _, bottom = charts.QUADRANT_BOX
    labels = find_all(root, "text", "zone-label")
    assert len(labels) == 4
    for label in labels:
        y = float(label.get("y", ""))
        assert y < top or y > bottom + 16  # above the plot, or below its tick numbers
    for _, y in _markers(root):
        assert top < y - charts.QUADRANT_MARKER and y + charts.QUADRANT_MARKER < bottom


@pytest.mark.parametrize("count", [3, 5, 6, 8])
def test_radar_ring_numbers_keep_clear_of_the_points(count: int) -> None:
    rows = [(f"D{i}", 25.0 * (i % 4), 25.0 * ((i + 1) % 4 + 1)) for i in range(count)]
    root = parse(charts.radar(rows))
    numbers = find_all(root, "text", "ring-label")
    assert [n.text for n in numbers] == ["25", "50", "75"]
    every_spot = [charts.radar_point(i, count, ring) for i in range(count) for ring in range(101)]
    for number in numbers:
        x, y = float(number.get("x", "")), float(number.get("y", "")) - 3
        nearest = min(((x - px) ** 2 + (y - py) ** 2) ** 0.5 for px, py in every_spot)
        assert nearest > 4 + 7  # a point's radius plus half the number's backing
    # drawn after the series, so no polygon covers them
    tags = [e.get("class") for e in root.iter() if e.get("class")]
    assert tags.index("ring-label") > max(i for i, t in enumerate(tags) if t and "series" in t)


# --- trend ------------------------------------------------------------------------------------


def trend_points(title: str = "Vendor value review") -> list[charts.TrendPoint]:
    """Three reviews: two of one questionnaire around a pulse of another, one score missing."""
    return [
        charts.TrendPoint("4 Mar 2024", "full", title, "Vendor", 40.0, 30.0),
        charts.TrendPoint("1 Sep 2024", "pulse", "Pulse", "Steady", 80.0, None),
        charts.TrendPoint("10 Mar 2025", "full", title, "Confidant", 62.5, 55.0),
    ]


def test_trend_is_valid_labelled_svg_without_style() -> None:
    chart = charts.trend(trend_points(), uid="trend-x")
    root = parse(chart)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "trend-x-title trend-x-desc"
    assert root.find(f"{SVG}title").text == "Overall scores over time"  # type: ignore[union-attr]
    assert "style=" not in chart.svg and chart.__html__() == chart.svg
    assert "chart-trend" in (root.get("class") or "").split()


def test_trend_places_scores_by_review_and_height() -> None:
    root = parse(charts.trend(trend_points()))
    vendor = find_all(root, "circle", "point-vendor")
    assert [(float(e.get("cx", "")), float(e.get("cy", ""))) for e in vendor] == [
        (charts.trend_x(0), charts.trend_y(40.0)),
        (charts.trend_x(1), charts.trend_y(80.0)),
        (charts.trend_x(2), charts.trend_y(62.5)),
    ]
    assert charts.trend_y(100) < charts.trend_y(50) < charts.trend_y(0)  # higher is better
    assert charts.trend_x(0) < charts.trend_x(1)  # oldest first
    client = find_all(root, "rect", "point-client")
    assert [e.get("data-index") for e in client] == ["0", "2"]  # no score, no marker


def test_trend_joins_only_points_of_the_same_questionnaire() -> None:
    chart = charts.trend(trend_points())
    root = parse(chart)
    lines = list(root.iter(SVG + "polyline"))
    assert sorted((e.get("class"), e.get("data-series")) for e in lines) == [
        ("series series-client", "full"),
        ("series series-vendor", "full"),
    ]
    vendor = next(e for e in lines if "series-vendor" in (e.get("class") or ""))
    x0, x2 = charts.num(charts.trend_x(0)), charts.num(charts.trend_x(2))
    assert vendor.get("points") == (
        f"{x0},{charts.num(charts.trend_y(40))} {x2},{charts.num(charts.trend_y(62.5))}"
    )
    desc = root.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert "Lines join only reviews of the same questionnaire; 2 questionnaires" in desc


def test_trend_text_alternative_tells_every_review() -> None:
    chart = charts.trend(trend_points(), labels=("Acme", "Globex"))
    assert chart.lines == (
        "4 Mar 2024, Vendor value review: agreed level Vendor; overall Acme 40.0, Globex 30.0.",
        "1 Sep 2024, Pulse: agreed level Steady; overall Acme 80.0, Globex no score.",
        "10 Mar 2025, Vendor value review: agreed level Confidant; overall Acme 62.5, Globex 55.0.",
    )
    desc = parse(chart).find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert all(line in desc for line in chart.lines)


def test_trend_hostile_text_stays_text() -> None:
    points = [
        charts.TrendPoint(HOSTILE, HOSTILE, HOSTILE, HOSTILE, 50.0, 50.0),
        charts.TrendPoint("later", HOSTILE, HOSTILE, None, 60.0, 40.0),
    ]
    chart = charts.trend(points, labels=(HOSTILE, HOSTILE), uid=HOSTILE)
    root = parse(chart)  # would raise on a raw "<" or "&"
    assert "<script" not in chart.svg and "<img" not in chart.svg
    assert "<script>" in "".join(root.itertext())
    assert not list(root.iter(SVG + "script"))
    assert root.find(f"{SVG}polyline").get("data-series") == HOSTILE  # type: ignore[union-attr]
    assert HOSTILE in chart.text and "no agreed level" in chart.text


def test_trend_without_points_is_still_a_labelled_chart() -> None:
    chart = charts.trend([])
    root = parse(chart)
    assert chart.lines == ()
    assert "No review has results yet." in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
    assert not list(root.iter(SVG + "polyline"))


def test_quadrant_is_cut_where_the_engine_cut_it() -> None:
    """With `quadrant_cut` {importance: 77.1, performance: 60}, a score of 54.2 at
    importance 91.7 is "concentrate here": left of the performance line, above the other."""
    chart = charts.quadrant(
        [("Business relevance", 91.7, 54.2, "concentrate_here")], cut=(77.1, 60.0)
    )
    root = parse(chart)
    mid_x, mid_y = charts.quadrant_point(77.1, 60.0)
    vertical, horizontal = find_all(root, "line", "cut")
    assert float(vertical.get("x1", "")) == pytest.approx(mid_x, abs=0.06)
    assert float(horizontal.get("y1", "")) == pytest.approx(mid_y, abs=0.06)
    ((x, y),) = _markers(root)
    assert x < mid_x and y < mid_y
    assert "cut at importance 77.1 and score 60.0" in chart.svg
    default = parse(charts.quadrant([("A", 80.0, 20.0, "concentrate_here")]))
    vertical, _ = find_all(default, "line", "cut")
    assert float(vertical.get("x1", "")) == pytest.approx(
        charts.quadrant_point(50, 50)[0], abs=0.06
    )


# --- words inside the drawing (issue 13, point 6) ---------------------------------------------

LONG_NAME = "Northwind Strategic Consulting Partners International"
LONG_TITLE = "Responsiveness to unplanned operational escalations"


def text_extents(root: ET.Element) -> list[tuple[str, float, float]]:
    """Every line of words in a chart with how far left and right it reaches, by the same
    Helvetica widths the charts wrap by (tests/browser measures the real fonts)."""
    out = []
    for text in root.iter(SVG + "text"):
        if text.get("transform"):  # the quadrant's upright axis title: checked by its height
            continue
        size = float(text.get("font-size") or root.get("font-size") or 0)
        bold = text.get("font-weight") == "bold"
        spans = list(text.iter(SVG + "tspan"))
        rows = [(float(t.get("x", "")), t.text or "") for t in spans] or [
            (float(text.get("x", "")), text.text or "")
        ]
        for x, words in rows:
            wide = charts.svg.text_width(words, size, bold=bold)
            anchor = text.get("text-anchor") or "start"
            left = {"start": x, "middle": x - wide / 2, "end": x - wide}[anchor]
            out.append((words, left, left + wide))
    return out


def long_charts() -> list[charts.Chart]:
    """Every chart with names and titles far longer than the demo's."""
    labels = (LONG_NAME, f"{LONG_NAME} Client")
    levels = [("a", LONG_TITLE), ("b", "Confidant"), ("c", "Consultant"), ("d", LONG_TITLE)]
    rows = [(f"{LONG_TITLE} {i}", 10.0 * i, 90.0 - 10 * i) for i in range(8)]
    return [
        charts.s_curve(levels, "d", "d", "d", labels=labels),
        charts.s_curve(levels[:3], "a", "a", "a", labels=labels),
        charts.radar(rows, labels=labels),
        charts.radar(rows[:5], labels=labels),
        charts.gap_bars(
            [(LONG_TITLE * 2, -100.0, "hidden_strength"), ("B", 100.0, "blind_spot")],
            20,
            labels=labels,
        ),
        charts.quadrant(
            [(LONG_TITLE, 100.0, 0.0, "concentrate_here"), (LONG_TITLE, None, 1.0, None)]
        ),
        charts.quadrant([("WIDE MEMBERSHIP WORKSHOPS " * 3, 50.0, 50.0, "keep_it_up")]),
        *(
            charts.trend(
                [charts.TrendPoint("10 Sep 2026", "s", LONG_TITLE, None, 50, 50)] * count,
                labels=labels,
            )
            for count in (1, 4, 5)
        ),
    ]


@pytest.mark.parametrize("index", range(10))
def test_long_names_and_titles_stay_inside_the_drawing(index: int) -> None:
    root = parse(long_charts()[index])
    width = float(root.get("viewBox", "").split()[2])
    assert width <= 420  # a phone shows it at about 340 px: 13-unit words at 10 px or more
    outside = [(w, round(a), round(b)) for w, a, b in text_extents(root) if a < 0 or b > width]
    assert not outside
    # nor above its top or below its bottom (a wrapped text's lines go down from its y)
    height = float(root.get("viewBox", "").split()[3])
    for text in root.iter(SVG + "text"):
        size = float(text.get("font-size") or root.get("font-size") or 0)
        first = float(text.get("y", ""))
        last = first + max(len(list(text.iter(SVG + "tspan"))) - 1, 0) * 1.15 * size
        if not text.get("transform"):
            assert first - 0.75 * size >= 0 and last + 0.25 * size <= height, text.text


@pytest.mark.parametrize("count", [5, 7])
def test_up_to_seven_reviews_share_the_width_and_their_labels_do_not_touch(count: int) -> None:
    points = [charts.TrendPoint("10 Sep 2026", "s", LONG_TITLE, None, 50, 50)] * count
    root = parse(charts.trend(points))
    assert float(root.get("viewBox", "").split()[2]) <= 420
    for kind in ("when", "series-title"):
        columns = []
        for text in find_all(root, "text", kind):
            sized = ET.Element(root.tag, {"font-size": root.get("font-size", "")})
            sized.append(text)
            extents = text_extents(sized)
            columns.append((min(e[1] for e in extents), max(e[2] for e in extents)))
        assert len(columns) == count, kind
        columns.sort()
        assert all(b[0] - a[1] >= 4 for a, b in zip(columns, columns[1:], strict=False)), kind
