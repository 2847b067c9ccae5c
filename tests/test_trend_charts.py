"""The small per-dimension trend charts: pure SVG with a text alternative."""

from __future__ import annotations

import re

from survey.domain.trend_charts import WIDTH, DimensionPoint, dimension_trend


def test_points_are_drawn_and_missing_scores_are_said_not_drawn() -> None:
    chart = dimension_trend(
        "Listening",
        [DimensionPoint("3 Mar 2026", 75, 50), DimensionPoint("9 Sep 2026", None, 62.5)],
        labels=("Acme", "Globex"),
    )
    assert chart.lines == (
        "3 Mar 2026: Acme 75.0, Globex 50.0.",
        "9 Sep 2026: Acme no score, Globex 62.5.",
    )
    assert chart.svg.count('class="point-vendor"') == 1
    assert chart.svg.count('class="point-client"') == 2
    assert 'class="series series-client"' in chart.svg
    assert 'class="series series-vendor"' not in chart.svg  # one vendor point: no line
    assert 'role="img"' in chart.svg and "Listening over time" in chart.svg


def test_hostile_text_is_escaped_and_no_style_is_written() -> None:
    chart = dimension_trend(
        "<script>x</script>", [DimensionPoint("<b>", 1, 2)], labels=("<i>", "A&B")
    )
    assert "<script>" not in chart.svg and "<b>" not in chart.svg and "<i>" not in chart.svg
    assert "&lt;script&gt;" in chart.svg
    assert "style=" not in chart.svg


def test_every_text_starts_inside_the_drawing() -> None:
    chart = dimension_trend(
        "Team", [DimensionPoint(f"{d} Mar 2026", 10 * d, 5 * d) for d in range(1, 6)]
    )
    xs = [float(x) for x in re.findall(r'<text x="([\d.]+)"', chart.svg)]
    assert xs and all(0 <= x <= WIDTH for x in xs)
