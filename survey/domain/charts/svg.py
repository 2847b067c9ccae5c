"""The charts' shared pieces: colours, the :class:`Chart` result and small SVG helpers."""

from __future__ import annotations

import re
import unicodedata
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

#: Every chart is drawn this many units wide (a phone shows it at about 340 px, a desktop
#: at up to 30rem): its words stay about 10 px or more on a phone.
CHART_WIDTH = 420
FONT_SIZE = 13  # the drawing's text, in units
LINE_HEIGHT = 1.15  # a wrapped line's step, in ems
TICK_SIZE = 11  # the small grey numbers on the axes


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


#: Helvetica's advance widths (thousandths of an em) of the printable ASCII characters, from
#: " " to "~": the same as Arial's and Liberation Sans's, which stand in for it.
_HELVETICA = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722,
    722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
    556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,
    500, 334, 260, 334, 584,
)  # fmt: skip
_HELVETICA_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722,
    722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611,
    611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556,
    500, 389, 280, 389, 584,
)  # fmt: skip
_OTHER_WIDTH = 1000  # any other character (a dash, a CJK sign): as wide as an em
_SAFETY = 1.06  # a stand-in font a little wider than Helvetica still fits


def text_width(words: str, size: float = FONT_SIZE, *, bold: bool = False) -> float:
    """How wide `words` are drawn in Helvetica at `size` units, with a little to spare.

    >>> round(text_width("Vendor view", 13))
    76
    """
    table = _HELVETICA_BOLD if bold else _HELVETICA
    return sum(_advance(c, table) for c in words) * size / 1000 * _SAFETY


def _advance(letter: str, table: tuple[int, ...]) -> int:
    """A letter's width in thousandths of an em: an accented one as wide as its base letter."""
    base = unicodedata.normalize("NFD", letter)[:1]
    return table[ord(base) - 32] if 32 <= ord(base) < 127 else _OTHER_WIDTH


def chars_within(room: float, size: float = FONT_SIZE, *, bold: bool = False) -> int:
    """How many characters surely fit in `room` units: as many of the widest usual letters
    ("m" aside), at least 6 so that a word can still show."""
    return max(6, int(room / (size * (0.6 if bold else 0.56) * _SAFETY)))


def _longest_prefix(word: str, room: float, size: float, bold: bool) -> int:
    """How many of `word`'s first letters fit in `room` (one at least)."""
    fits = [n for n in range(1, len(word)) if text_width(word[:n], size, bold=bold) <= room]
    return max(fits, default=1)


def fit_lines(
    words: str, room: float, size: float = FONT_SIZE, *, bold: bool = False, most: int = 3
) -> list[str]:
    """`words` wrapped so that every line is at most `room` units wide, `most` lines at
    most (the last shortened with "…"); a word too long for a line is cut across lines."""
    lines: list[str] = []
    for whole in words.split():
        word = whole
        while len(word) > 1 and text_width(word, size, bold=bold) > room:
            cut = _longest_prefix(word, room, size, bold)
            lines.append(word[:cut])
            word = word[cut:]
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and text_width(joined, size, bold=bold) <= room:
            lines[-1] = joined
        else:
            lines.append(word)
    lines = lines or [""]
    if len(lines) > most:
        last = " ".join(lines[most - 1 :])
        while last and text_width(last + "…", size, bold=bold) > room:
            last = last[:-1].rstrip()
        lines = [*lines[: most - 1], last + "…"]
    return lines


def _wrapped_text(
    x: float, y: float, words: str, room: float, *, rise: bool = False, **attributes: str | float
) -> str:
    """A `<text>` of one line, or of up to three `<tspan>` lines no wider than `room` units,
    so long titles stay inside the drawing.

    `y` is the first line's baseline, or with `rise` the last one's (the lines grow upwards).
    """
    size = float(attributes.get("font_size", FONT_SIZE))
    lines = fit_lines(words, room, size, bold=attributes.get("font_weight") == "bold")
    if len(lines) == 1:
        return _text(x, y, lines[0], **attributes)
    if rise:
        y -= (len(lines) - 1) * LINE_HEIGHT * size
    spans = "".join(
        _el("tspan", escape(line), x=x, dy="0" if i == 0 else f"{LINE_HEIGHT}em")
        for i, line in enumerate(lines)
    )
    return _el("text", spans, x=x, y=y, **attributes)


def _fit_x(x: float, words: str, width: float, *, bold: bool = False) -> tuple[float, str]:
    """Where to anchor words centred on `x` so that they stay inside 0..`width`."""
    half = text_width(words, bold=bold) / 2
    if x - half < 4:
        return 4.0, "start"
    if x + half > width - 4:
        return width - 4.0, "end"
    return x, "middle"


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
        font_size=FONT_SIZE,
        fill=INK,
    )
    return (
        f"<svg {head}>"
        f'<title id="{title_id}">{escape(title)}</title>'
        f'<desc id="{desc_id}">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


LEGEND_STEP = 180.0  # from one legend item to the next, when they share a line
LEGEND_ROW = 20.0  # from one legend line to the next, when they do not


def _legend_rows(x: float, labels: tuple[str, str], width: float) -> int:
    """1 when both legend items fit side by side within `width`, else 2 (one under the other)."""
    second_end = x + LEGEND_STEP + 34 + text_width(labels[1])
    fits = text_width(labels[0]) + 34 + 12 <= LEGEND_STEP and second_end <= width - 8
    return 1 if fits else 2


def _legend(x: float, y: float, labels: tuple[str, str], width: float = CHART_WIDTH) -> str:
    """Vendor solid, client dashed: told apart by more than colour; on two lines when the
    names are too long for one, each shortened to the drawing's `width` if it must be."""
    rows = _legend_rows(x, labels, width)
    parts = []
    for i, (words, colour, dash) in enumerate(
        ((labels[0], VENDOR_COLOUR, "none"), (labels[1], CLIENT_COLOUR, "6 4"))
    ):
        left = x + i * LEGEND_STEP if rows == 1 else x
        top = y if rows == 1 else y + i * LEGEND_ROW
        shown = fit_lines(words, width - left - 42, most=1)[0]
        parts.append(
            _el(
                "line",
                x1=left,
                y1=top - 4,
                x2=left + 28,
                y2=top - 4,
                stroke=colour,
                stroke_width=3,
                stroke_dasharray=dash,
            )
        )
        parts.append(_text(left + 34, top, shown, class_="legend"))
    return _el("g", "".join(parts), class_="legend")


def _tick_label(x: float, y: float, value: int, anchor: str) -> str:
    """A small grey number on an axis."""
    return _text(
        x, y, str(value), text_anchor=anchor, font_size=TICK_SIZE, fill="#5b6470", class_="tick"
    )
