"""Scoring results as text: a readable terminal report, and the contract's JSON.

Pure (no Flask): `survey score` prints these; the web pages use the result objects.
The report quotes questions by their `label` (else their `ask` text), never by id, and
says how many respondents stand behind each number, so a reader can judge a 1-versus-2
comparison for what it is.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence

from survey.domain.model import PARTIES, Party, Question, Questionnaire
from survey.domain.scoring import (
    DimensionResult,
    NpsResult,
    QuestionResult,
    ReviewAnswers,
    ReviewResult,
    Spreads,
)
from survey.domain.vocabulary import QUADRANT_WORDS, STATUS_WORDS

DASH = "–"
WIDTH = 100
#: A side with fewer submitted respondents than this is "indicative" wherever it is shown.
INDICATIVE_BELOW = 3
#: Question texts longer than this are shortened in the tables (the label is the cure).
QUESTION_WIDTH = 40


def render_json(result: ReviewResult) -> str:
    """The contract's JSON document, indented, non-ASCII kept as is."""
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)


def _n(value: float | None) -> str:
    """A number as the report shows it: one decimal, or a dash when not computable."""
    return DASH if value is None else f"{round(value, 1) + 0.0:.1f}"


def _words(code: str | None) -> str:
    """A status or quadrant inside the report's lower-case table: "blind spot"."""
    return (STATUS_WORDS.get(code) or QUADRANT_WORDS.get(code, code)).lower() if code else DASH


def _names(questionnaire: Questionnaire, review: ReviewAnswers | None) -> tuple[str, str]:
    """The organisations' names, or the parties' labels when no answers file is known."""
    if review is not None:
        return review.vendor_org, review.client_org
    vendor, client = (questionnaire.parties.label(p) for p in PARTIES)
    return vendor, client


def render_text(
    result: ReviewResult, questionnaire: Questionnaire, review: ReviewAnswers | None = None
) -> str:
    """The whole report: header, levels, NPS, dimensions, questions, actions, proposals."""
    names = _names(questionnaire, review)
    parts = [
        _header(result, questionnaire, review),
        _levels(result, questionnaire),
        _nps(result, questionnaire, names),
        _dimensions(result, questionnaire),
        _questions(result, questionnaire, names),
        _actions(result),
        _proposals(result, questionnaire, names),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


def _people(count: int) -> str:
    return f"{count} respondent" + ("" if count == 1 else "s")


def _side(result: ReviewResult, party: Party) -> str:
    """ "2 respondents, indicative": how much weight one side's numbers can bear."""
    count = result.respondents[party]
    return _people(count) + (", indicative" if count < INDICATIVE_BELOW else "")


def _header(
    result: ReviewResult, questionnaire: Questionnaire, review: ReviewAnswers | None
) -> str:
    lines = [f"{questionnaire.title} ({result.questionnaire_id}, version {result.version})"]
    for party in PARTIES:
        label = questionnaire.parties.label(party)
        org = f" {review.org(party)}," if review is not None else ""
        lines.append(f"{label}:{org} {_side(result, party)}")
    lines.append("=" * max(len(line) for line in lines))
    if any(result.respondents[p] < INDICATIVE_BELOW for p in PARTIES):
        lines += _wrapped(
            f"Indicative: a side with fewer than {INDICATIVE_BELOW} respondents gives a first"
            " impression, not its organisation's settled view.",
            "",
        )
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


# --- tables ---------------------------------------------------------------------------------


def _table(rows: Sequence[tuple[str, ...]], numeric: set[int]) -> list[str]:
    """Rows (the first is the header) as aligned columns, numbers to the right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  " + "  ".join(cells).rstrip()

    return [line(rows[0]), "  " + "  ".join("-" * w for w in widths), *map(line, rows[1:])]


def _sample(spreads: Spreads, questionnaire: Questionnaire) -> tuple[str, str]:
    """The `n` cell ("1/3", vendor first) and the split cell (the sides split, or a dash)."""
    n = f"{spreads.vendor.n}/{spreads.client.n}"
    split = [questionnaire.parties.label(p) for p in PARTIES if spreads.of(p).split]
    return n, "/".join(split) if split else DASH


def _legend(questionnaire: Questionnaire, reversed_rows: bool = False) -> list[str]:
    vendor, client = (questionnaire.parties.label(p) for p in PARTIES)
    legend = _wrapped(
        f"n: respondents whose answers count ({vendor}/{client}). Split: a side whose own"
        " respondents are 50 points or more apart.",
        "  ",
    )
    if reversed_rows:
        legend += _wrapped(
            "(reversed): scored the other way round, so the more a side agrees with the"
            " statement, the lower its score.",
            "  ",
        )
    return legend


_COLUMNS = ("Dimension", "V", "C", "Gap", "Status", "Imp. V", "Imp. C", "Priority", "Quadrant")


def _row(d: DimensionResult, questionnaire: Questionnaire) -> tuple[str, ...]:
    title = d.title
    if d.rates == "client":
        title += f" (rates the {questionnaire.parties.label('client').lower()})"
    return (
        title,
        _n(d.vendor),
        _n(d.client),
        _n(d.gap),
        _words(d.status),
        _n(d.importance.vendor),
        _n(d.importance.client),
        _n(d.priority),
        _words(d.quadrant),
        *_sample(d.spreads, questionnaire),
    )


def _dimensions(result: ReviewResult, questionnaire: Questionnaire) -> str:
    vendor, client = (questionnaire.parties.label(p) for p in PARTIES)
    header = (_COLUMNS[0], vendor, client, *_COLUMNS[3:], "n", "Split")
    rows = [header, *(_row(d, questionnaire) for d in result.dimensions)]
    table = _table(rows, {1, 2, 3, 5, 6, 7, 9})
    return "DIMENSIONS\n" + "\n".join([*table, *_legend(questionnaire)])


def _shortened(text: str, width: int = QUESTION_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _quoted(questionnaire: Questionnaire, question: Question, names: tuple[str, str]) -> str:
    """The question as the report names it: its label, else the client's (or vendor's) ask."""
    asked = questionnaire.parties_asked(question.id)
    party: Party = "client" if "client" in asked else "vendor"
    return question.quoted(party, *names)


def _question_row(
    q: QuestionResult, questionnaire: Questionnaire, names: tuple[str, str]
) -> tuple[str, ...]:
    question = questionnaire.question(q.id)
    text = _quoted(questionnaire, question, names)
    text = _shortened(f"Importance: {text}" if q.counts_as == "importance" else text)
    if question.reverse:
        text += " (reversed)"
    return (
        text,
        _n(q.vendor),
        _n(q.client),
        _n(q.gap),
        _words(q.status),
        *_sample(q.spreads, questionnaire),
    )


def _questions(result: ReviewResult, questionnaire: Questionnaire, names: tuple[str, str]) -> str:
    if not result.questions:
        return ""
    vendor, client = (questionnaire.parties.label(p) for p in PARTIES)
    header = ("Question", vendor, client, "Gap", "Status", "n", "Split")
    rows = [header, *(_question_row(q, questionnaire, names) for q in result.questions)]
    reversed_rows = any(questionnaire.question(q.id).reverse for q in result.questions)
    legend = _legend(questionnaire, reversed_rows)
    return "QUESTIONS\n" + "\n".join([*_table(rows, {1, 2, 3, 5}), *legend])


def _nps_row(
    entry: NpsResult, questionnaire: Questionnaire, names: tuple[str, str]
) -> tuple[str, ...]:
    text = _shortened(_quoted(questionnaire, questionnaire.question(entry.id), names))
    return (
        text,
        _n(entry.vendor),
        _n(entry.client),
        _n(entry.gap),
        *_sample(entry.spreads, questionnaire),
    )


def _nps(result: ReviewResult, questionnaire: Questionnaire, names: tuple[str, str]) -> str:
    """Net promoter scores, the vendor's prediction beside the client's answer (rule 7)."""
    if not result.nps:
        return ""
    vendor, client = (questionnaire.parties.label(p) for p in PARTIES)
    header = ("Question", f"{vendor} (prediction)", client, "Gap", "n", "Split")
    rows = [header, *(_nps_row(entry, questionnaire, names) for entry in result.nps)]
    note = _wrapped(
        "Net promoter score, -100 to 100: % answering 9 or 10 minus % answering 0 to 6. The"
        f" {vendor.lower()}'s number is its prediction of the {client.lower()}'s.",
        "  ",
    )
    return "NPS\n" + "\n".join([*_table(rows, {1, 2, 3, 4}), *note])


# --- actions and proposals --------------------------------------------------------------------


def _wrapped(text: str, indent: str, hanging: str | None = None) -> list[str]:
    """Long sentences folded to the report's width, later lines indented by `hanging`."""
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=indent if hanging is None else hanging,
        break_on_hyphens=False,
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


def _proposals(result: ReviewResult, questionnaire: Questionnaire, names: tuple[str, str]) -> str:
    if not result.proposals:
        return "PROPOSALS\n  none"
    lines = ["PROPOSALS"]
    for proposal in result.proposals:
        label = questionnaire.parties.label(proposal.party)
        question = questionnaire.question(proposal.question).quoted(proposal.party, *names)
        lines += _wrapped(f"- {label}, {proposal.respondent}, on '{question}':", "  ", "    ")
        for paragraph in proposal.text.splitlines():
            lines += _wrapped(paragraph, "      ")
    return "\n".join(lines)
