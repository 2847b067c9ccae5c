"""The charts' shared pieces: colours, the :class:`Chart` result and small SVG helpers."""

from __future__ import annotations

import re
import textwrap
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


def _tick_label(x: float, y: float, value: int, anchor: str) -> str:
    """A small grey number on an axis."""
    return _text(x, y, str(value), text_anchor=anchor, font_size=10, fill="#5b6470", class_="tick")
