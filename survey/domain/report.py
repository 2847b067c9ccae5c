"""Scoring results as text: a readable terminal report, and the contract's JSON.

Pure (no Flask): `survey score` prints these; the web pages use the result objects.
"""

from __future__ import annotations

import json
import textwrap

from survey.domain.model import PARTIES, Questionnaire
from survey.domain.scoring import DimensionResult, ReviewAnswers, ReviewResult

DASH = "–"
WIDTH = 100


def render_json(result: ReviewResult) -> str:
    """The contract's JSON document, indented, non-ASCII kept as is."""
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)


def _n(value: float | None) -> str:
    """A number as the report shows it: one decimal, or a dash when not computable."""
    return DASH if value is None else f"{round(value, 1) + 0.0:.1f}"


def _words(code: str | None) -> str:
    return DASH if code is None else code.replace("_", " ")


def render_text(
    result: ReviewResult, questionnaire: Questionnaire, review: ReviewAnswers | None = None
) -> str:
    """The whole report: header, levels, dimensions table, actions, proposals."""
    parts = [
        _header(result, questionnaire, review),
        _levels(result, questionnaire),
        _dimensions(result, questionnaire),
        _actions(result),
        _proposals(result, questionnaire),
    ]
    return "\n\n".join(parts) + "\n"


def _header(
    result: ReviewResult, questionnaire: Questionnaire, review: ReviewAnswers | None
) -> str:
    lines = [f"{questionnaire.title} ({result.questionnaire_id}, version {result.version})"]
    if review is not None:
        vendor, client = (questionnaire.parties.label(p) for p in PARTIES)
        lines.append(f"{vendor}: {review.vendor_org}    {client}: {review.client_org}")
    lines.append("=" * max(len(line) for line in lines))
    return "\n".join(lines)


def _level_title(questionnaire: Questionnaire, level_id: str) -> str:
    return next(level.title for level in questionnaire.levels if level.id == level_id)


def _levels(result: ReviewResult, questionnaire: Questionnaire) -> str:
    levels = result.levels
    lines = ["LEVELS"]
    for party in PARTIES:
        label = questionnaire.parties.label(party)
        lines.append(f"  {label + ':':<10}{_level_title(questionnaire, levels.of(party))}")
    lines.append(f"  {'Agreed:':<10}{_level_title(questionnaire, levels.agreed)}")
    if levels.next is None:
        lines.append(f"  {'Next:':<10}none, this is the top level")
    else:
        lines.append(f"  {'Next:':<10}{levels.next.title}, which still needs:")
        for need in levels.next.missing:
            what = _requirement_title(questionnaire, need.dimension)
            label = questionnaire.parties.label(need.party)
            score = "no score" if need.score is None else f"{_n(need.score)}"
            lines.append(f"            {what}: {label} {score}, needs {need.needed:g}")
    overall = "    ".join(
        f"{questionnaire.parties.label(p)} {_n(result.overall.of(p))}" for p in PARTIES
    )
    lines.append(f"  {'Overall:':<10}{overall}")
    return "\n".join(lines)


def _requirement_title(questionnaire: Questionnaire, key: str) -> str:
    for dimension in questionnaire.dimensions:
        if dimension.id == key:
            return dimension.title
    return "Overall" if key == "overall" else key


_COLUMNS = ("Dimension", "V", "C", "Gap", "Status", "Imp. V", "Imp. C", "Priority", "Quadrant")


def _row(d: DimensionResult) -> tuple[str, ...]:
    return (
        d.title,
        _n(d.vendor),
        _n(d.client),
        _n(d.gap),
        _words(d.status),
        _n(d.importance.vendor),
        _n(d.importance.client),
        _n(d.priority),
        _words(d.quadrant),
    )


def _dimensions(result: ReviewResult, questionnaire: Questionnaire) -> str:
    vendor, client = (questionnaire.parties.label(p) for p in PARTIES)
    header = (_COLUMNS[0], vendor, client, *_COLUMNS[3:])
    rows = [header, *(_row(d) for d in result.dimensions)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    numeric = {1, 2, 3, 5, 6, 7}

    def line(row: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  " + "  ".join(cells).rstrip()

    table = [line(header), "  " + "  ".join("-" * w for w in widths)]
    table += [line(row) for row in rows[1:]]
    return "DIMENSIONS\n" + "\n".join(table)


def _wrapped(text: str, indent: str) -> list[str]:
    """Long sentences folded to the report's width, every line indented alike."""
    return textwrap.wrap(
        text, WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    ) or [indent.rstrip()]


def _actions(result: ReviewResult) -> str:
    if not result.actions:
        return "ACTIONS\n  none suggested"
    lines = ["ACTIONS"]
    for number, action in enumerate(result.actions, start=1):
        lines.append(f"  {number}. {action.title} [{action.owner}]")
        indent = " " * (len(str(number)) + 4)
        if action.detail:
            lines += _wrapped(action.detail, indent)
        lines += _wrapped(f"because {action.because}", indent)
    return "\n".join(lines)


def _proposals(result: ReviewResult, questionnaire: Questionnaire) -> str:
    if not result.proposals:
        return "PROPOSALS\n  none"
    lines = ["PROPOSALS"]
    for proposal in result.proposals:
        label = questionnaire.parties.label(proposal.party)
        lines.append(f"  - {label}, {proposal.respondent}, on {proposal.question}:")
        for paragraph in proposal.text.splitlines():
            lines += _wrapped(paragraph, "      ")
    return "\n".join(lines)
