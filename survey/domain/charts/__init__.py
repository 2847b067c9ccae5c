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

from survey.domain.charts.gaps import (
    GAP_HALF_WIDTH,
    GAP_LABEL_WIDTH,
    GAP_ROW,
    GAP_TOP,
    gap_bars,
    gap_x,
)
from survey.domain.charts.levels import CURVE_BOX, LevelRef, level_points, s_curve
from survey.domain.charts.quadrant import (
    GOLDEN_ANGLE,
    QUADRANT_BOX,
    QUADRANT_LEGEND_WIDTH,
    QUADRANT_MARKER,
    QUADRANT_PAD,
    Box,
    quadrant,
    quadrant_point,
    spread_markers,
)
from survey.domain.charts.radar import (
    RADAR_CENTRE,
    RADAR_RADIUS,
    radar,
    radar_point,
    ring_label_point,
)
from survey.domain.charts.svg import (
    AGREED_COLOUR,
    ALIGNED_COLOUR,
    BLIND_SPOT_COLOUR,
    CLIENT_COLOUR,
    GRID_COLOUR,
    HIDDEN_STRENGTH_COLOUR,
    INK,
    VENDOR_COLOUR,
    Chart,
    num,
    score_text,
)
from survey.domain.charts.trend import (
    TREND_LEFT,
    TREND_PLOT_HEIGHT,
    TREND_STEP,
    TREND_TOP,
    TrendPoint,
    trend,
    trend_x,
    trend_y,
)
from survey.domain.vocabulary import QUADRANT_WORDS, STATUS_WORDS

__all__ = [
    "AGREED_COLOUR",
    "ALIGNED_COLOUR",
    "BLIND_SPOT_COLOUR",
    "Box",
    "CLIENT_COLOUR",
    "CURVE_BOX",
    "Chart",
    "GAP_HALF_WIDTH",
    "GAP_LABEL_WIDTH",
    "GAP_ROW",
    "GAP_TOP",
    "GOLDEN_ANGLE",
    "GRID_COLOUR",
    "HIDDEN_STRENGTH_COLOUR",
    "INK",
    "LevelRef",
    "QUADRANT_BOX",
    "QUADRANT_LEGEND_WIDTH",
    "QUADRANT_MARKER",
    "QUADRANT_PAD",
    "QUADRANT_WORDS",
    "RADAR_CENTRE",
    "RADAR_RADIUS",
    "STATUS_WORDS",
    "TREND_LEFT",
    "TREND_PLOT_HEIGHT",
    "TREND_STEP",
    "TREND_TOP",
    "TrendPoint",
    "VENDOR_COLOUR",
    "gap_bars",
    "gap_x",
    "level_points",
    "num",
    "quadrant",
    "quadrant_point",
    "radar",
    "radar_point",
    "ring_label_point",
    "s_curve",
    "score_text",
    "spread_markers",
    "trend",
    "trend_x",
    "trend_y",
]
