"""From the database to the engine and back: what the comparison page and the PDF show.

Only *submitted* respondents count. Every number shown comes from the review's one result,
:func:`survey.reveal.review_result` (the engine, rounded by its ``to_dict()``, exactly as
`survey score` prints it); this module only arranges them for reading. The one exception
is a reading by stake (:func:`stake_readings`), the engine again on part of the client's
people, offered only where the anonymity threshold allows it. The spread within a
party is kept by the engine as it scores (each question's spreads), not a
second formula.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from survey import reveal
from survey.disclosure import Disclosure
from survey.domain import charts
from survey.domain.model import PARTIES, Party, Question, Questionnaire
from survey.domain.report import INDICATIVE_BELOW
from survey.domain.scoring import Proposal, ReviewAnswers, ReviewResult, visible_answers
from survey.extensions import db
from survey.models import STAKES, ActionItem, Review
from survey.questionnaires import questionnaire_for
from survey.reveal import disclosure_for, review_answers_for

# --- keys that tie plan items to suggestions ------------------------------------------------


def suggestion_key(action_id: str) -> str:
    return f"s:{action_id}"


def proposal_key(party: str, question: str, text: str) -> str:
    """A stable key for a proposal answer, so accepting it once hides it from the queue."""
    digest = hashlib.sha256(f"{party}\n{question}\n{text}".encode()).hexdigest()[:24]
    return f"p:{digest}"


@dataclass(frozen=True)
class Pending:
    """An engine suggestion or an answer's proposal not yet accepted or declined."""

    key: str
    source: str  # suggested | proposal
    rule_id: str
    title: str
    detail: str | None
    because: str | None
    owner: str
    proposed_by: str | None = None
    respondent: str | None = None
    said: str | None = None  # a proposal's answer as written


def pending_items(review: Review, result: ReviewResult) -> list[Pending]:
    """Suggestions (by priority, as the engine orders them), then proposals, not yet decided."""
    decided = set(
        db.session.scalars(
            sa.select(ActionItem.source_key).where(
                ActionItem.review_id == review.id, ActionItem.source_key.is_not(None)
            )
        )
    )
    found = [
        Pending(suggestion_key(a.id), "suggested", a.id, a.title, a.detail, a.because, a.owner)
        for a in result.actions
    ]
    questionnaire = questionnaire_for(review)
    disclosures = {party: disclosure_for(review, party) for party in PARTIES}
    found += [_proposal(questionnaire, review, p, disclosures[p.party]) for p in result.proposals]
    return [p for p in found if p.key not in decided]


TITLE_MAX = 300  # the plan's title column
# question id (or id prefix) -> (verb put in front, openings that already say it)
PROPOSAL_VERBS = {
    "continue": ("Keep doing", ("continue", "keep")),
    "stop": ("Stop", ("stop",)),
    "start": ("Start", ("start",)),
}


def proposal_title(question_id: str, text: str) -> tuple[str, str | None]:
    """The plan title of an answer (and the full answer as detail when it is too long).

    Answers to continue / stop / start questions ("Weekly status reports") read as actions
    only with their verb, so it is put in front unless the answer already starts with it.
    """
    words = " ".join(text.split())
    for key, (verb, openings) in PROPOSAL_VERBS.items():
        if question_id == key or question_id.startswith(f"{key}-"):
            if not words.lower().startswith(openings):
                words = f"{verb}: {words}"
            break
    if len(words) <= TITLE_MAX:
        return words, None
    cut = words[: TITLE_MAX - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…", text


def _proposal(
    questionnaire: Questionnaire, review: Review, proposal: Proposal, disclosure: Disclosure
) -> Pending:
    """An answer's proposal: titled as an action, saying which question it answers.

    `disclosure` is its own side's (:func:`disclosure_for`), made once for all proposals.
    """
    question = questionnaire.question(proposal.question)
    asked = question.text_for(proposal.party, review.vendor_name, review.client_name)
    title, detail = proposal_title(proposal.question, proposal.text)
    org = review.vendor_name if proposal.party == "vendor" else review.client_name
    # kept in the plan, which both sides read: named only when names reach the other side
    who = disclosure.shared_label(proposal.party, proposal.name, org)
    return Pending(
        proposal_key(proposal.party, proposal.question, proposal.text),
        "proposal",
        proposal.question,
        title,
        detail,
        f"In answer to: {asked} ({who})",
        question.proposal_owner,
        proposal.party,
        who,
        proposal.text,
    )


def plan_items(review: Review) -> list[ActionItem]:
    """The stored plan, open items first, then by due date and creation."""
    items = list(
        db.session.scalars(
            sa.select(ActionItem).where(ActionItem.review_id == review.id).order_by(ActionItem.id)
        )
    )
    rank = {"in_progress": 0, "planned": 1, "proposed": 2, "done": 3, "declined": 4}
    return sorted(items, key=lambda i: (rank.get(i.status, 9), i.due_on or date.max, i.id))


# --- the comparison -------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """Behind one row: how many of each side's people count, and which sides are split.

    `split` is the engine's flag (a side's own people 50 points or more apart) as the
    audience may see it: never for a side whose people it may not see one by one, since
    with two people a split says how far apart their two answers are.
    """

    n: dict[str, int]
    split: dict[str, bool]

    @property
    def split_sides(self) -> list[str]:
        """The parties shown as split, vendor first."""
        return [p for p in PARTIES if self.split[p]]


@dataclass(frozen=True)
class NpsRow:
    """One net promoter score row: the question as asked, and the engine's rounded numbers.

    The vendor's number is its prediction of the client's answer (rule 7), so the gap reads
    as how far the vendor's expectation is from the client's view.
    """

    id: str
    text: str
    vendor: float | None
    client: float | None
    gap: float | None
    sample: Sample


NO_SAMPLE = Sample({p: 0 for p in PARTIES}, {p: False for p in PARTIES})


def sample_of(entry: dict[str, Any], disclosure: Disclosure) -> Sample:
    """The `n` and `split` keys of one engine JSON entry, splits kept as `disclosure` allows."""
    return Sample(
        {p: entry["n"][p] for p in PARTIES},
        {p: entry["split"][p] and disclosure.shows_people_of(p) for p in PARTIES},
    )


@dataclass(frozen=True)
class QuestionRow:
    id: str
    text: str
    dimension: str
    counts_as: str
    vendor: float | None
    client: float | None
    gap: float | None
    status: str | None
    spread: dict[str, tuple[float, float] | None]
    # Importance questions only: "differ" (gap at least the threshold) or "agree". The
    # engine's blind-spot words are about performance, so they are not shown for these.
    importance_view: str | None = None
    sample: Sample = NO_SAMPLE
    #: Scored the other way round (`reverse: true`): its score rises as agreement falls.
    reverse: bool = False

    @property
    def is_importance(self) -> bool:
        return self.counts_as == "importance"


@dataclass(frozen=True)
class Verbatim:
    """A text or unscored choice question with each party's answers, side by side."""

    id: str
    text: str
    kind: str
    answers: dict[str, list[tuple[str, str]]]  # party -> [(respondent, answer)]


@dataclass
class Comparison:
    """Everything the results page and the PDF show for one review."""

    review: Review
    questionnaire: Questionnaire
    answers: ReviewAnswers
    result: ReviewResult
    disclosure: Disclosure
    numbers: dict[str, Any]  # the engine's JSON (rounded), the single source of shown numbers
    labels: dict[str, str]
    level_titles: dict[str, str]
    dimension_titles: dict[str, str]
    questions: list[QuestionRow] = field(default_factory=list)
    verbatims: list[Verbatim] = field(default_factory=list)
    charts: dict[str, charts.Chart] = field(default_factory=dict)

    @property
    def submitted(self) -> dict[str, int]:
        """Submitted respondents per side, as the engine counted them."""
        return dict(self.numbers["respondents"])

    @property
    def indicative(self) -> dict[str, bool]:
        """Per side: fewer than INDICATIVE_BELOW submitted, so its scores are indicative."""
        return {p: self.submitted[p] < INDICATIVE_BELOW for p in PARTIES}

    def indicative_notes(self) -> list[tuple[Party, str]]:
        """(party, sentence) for each indicative side, in the text report's words."""
        notes: list[tuple[Party, str]] = []
        for party in PARTIES:
            if self.indicative[party]:
                count, org = self.submitted[party], self.answers.org(party)
                people = f"{count} {'person' if count == 1 else 'people'}"
                notes.append(
                    (
                        party,
                        f"Indicative: {org}'s scores are based on {people}, a first "
                        f"impression, not {org}'s settled view.",
                    )
                )
        return notes

    def dimension_sample(self, dimension_id: str) -> Sample:
        """The n and (shown) splits behind one dimension's scores."""
        for entry in self.dimensions:
            if entry["id"] == dimension_id:
                return sample_of(entry, self.disclosure)
        raise KeyError(dimension_id)

    def priorities_on_unrated_importance(self) -> list[str]:
        """The dimensions whose priority takes an importance nobody rated as 100.

        The format's rule 5 counts a missing importance as full; the page names these
        dimensions under the table rather than show a number that looks rated.
        """
        importance = {d.id: d.importance.of(d.served) for d in self.result.dimensions}
        return [
            self.dimension_titles[entry["id"]]
            for entry in self.dimensions
            if entry["priority"] is not None and importance.get(entry["id"]) is None
        ]

    def gap_lists(self) -> dict[str, list[dict[str, Any]]]:
        """The dimensions the two sides see differently, by what the difference means.

        "blind" and "hidden" are about the vendor (it thinks better, or worse, of itself
        than the client does); "customer" holds those that rate the client as a customer
        (`rates: client`), whose statuses the engine turns round, so that they are never
        listed under a heading that says the opposite.
        """
        rates = {d.id: d.rates for d in self.result.dimensions}
        lists: dict[str, list[dict[str, Any]]] = {"blind": [], "hidden": [], "customer": []}
        for d in self.dimensions:
            if d["status"] not in ("blind_spot", "hidden_strength"):
                continue
            if rates[d["id"]] == "client":
                lists["customer"].append(d)
            else:
                lists["blind" if d["status"] == "blind_spot" else "hidden"].append(d)
        return lists

    @property
    def quadrant_cut(self) -> tuple[float, float]:
        """(importance, score) where the quadrant chart is cut: where the engine cut it."""
        return _vendor_cut(self)

    @property
    def nps_rows(self) -> list[NpsRow]:
        """Each `counts_as: nps` question: the client's score beside the vendor's prediction."""
        rows = []
        for entry in self.numbers["nps"]:
            question = self.questionnaire.question(entry["id"])
            rows.append(
                NpsRow(
                    id=entry["id"],
                    text=_question_text(self.questionnaire, question, self.answers),
                    vendor=entry["vendor"],
                    client=entry["client"],
                    gap=entry["gap"],
                    sample=sample_of(entry, self.disclosure),
                )
            )
        return rows

    @property
    def shows_splits(self) -> bool:
        """Whether any dimension or question row marks a split the audience may see."""
        rows = [self.dimension_sample(d["id"]) for d in self.dimensions]
        return any(s.split_sides for s in [*rows, *(q.sample for q in self.questions)])

    @property
    def levels(self) -> dict[str, Any]:
        return self.numbers["levels"]  # type: ignore[no-any-return]

    @property
    def dimensions(self) -> list[dict[str, Any]]:
        return self.numbers["dimensions"]  # type: ignore[no-any-return]

    def next_steps(self) -> list[dict[str, Any]]:
        """The next level's unmet requirements, with titles and party labels for reading."""
        nxt = self.levels["next"]
        if nxt is None:
            return []
        return [
            {
                **m,
                "title": self.dimension_titles.get(m["dimension"], "Overall"),
                "party_label": self.labels[m["party"]],
            }
            for m in nxt["missing"]
        ]

    @property
    def performance_questions(self) -> list[QuestionRow]:
        """How each side rates the relationship: the rows with blind spots and strengths."""
        return [q for q in self.questions if not q.is_importance]

    @property
    def importance_questions(self) -> list[QuestionRow]:
        """How much each side says something matters: compared, but never a blind spot."""
        return [q for q in self.questions if q.is_importance]

    def top_gaps(self, count: int = 3) -> list[dict[str, Any]]:
        """The widest dimension gaps, either way, that are not aligned (engine's statuses)."""
        wide = [d for d in self.dimensions if d["gap"] is not None and d["status"] != "aligned"]
        return sorted(wide, key=lambda d: -abs(d["gap"]))[:count]


def build_comparison(review: Review, audience: Party) -> Comparison:
    """Score the review's submitted answers and arrange everything `audience` may see.

    `audience` is the side reading (the vendor's pages, or the client's link): what it
    sees of the other side's people follows :func:`disclosure_for`.
    """
    questionnaire = questionnaire_for(review)
    answers = review_answers_for(review)
    disclosure = disclosure_for(review, audience)
    result = reveal.review_result(review)
    comparison = Comparison(
        review=review,
        questionnaire=questionnaire,
        answers=answers,
        result=result,
        disclosure=disclosure,
        numbers=result.to_dict(),
        labels={p: questionnaire.parties.label(p) for p in PARTIES},
        level_titles={level.id: level.title for level in questionnaire.levels},
        dimension_titles={d.id: d.title for d in questionnaire.dimensions},
    )
    comparison.questions = _question_rows(comparison)
    comparison.verbatims = _verbatims(questionnaire, answers, disclosure)
    comparison.charts = _charts(comparison, review.public_id)
    return comparison


def _question_text(questionnaire: Questionnaire, question: Question, names: ReviewAnswers) -> str:
    """The question in the client's words where it is asked of the client, else the vendor's."""
    party: Party = "client" if "client" in questionnaire.parties_asked(question.id) else "vendor"
    return question.text_for(party, names.vendor_org, names.client_org)


def _question_rows(comparison: Comparison) -> list[QuestionRow]:
    questionnaire = comparison.questionnaire
    spreads = party_spreads(comparison.result, comparison.disclosure)
    rows = []
    for entry in comparison.numbers["questions"]:
        question = questionnaire.question(entry["id"])
        rows.append(
            QuestionRow(
                id=entry["id"],
                text=_question_text(questionnaire, question, comparison.answers),
                dimension=comparison.dimension_titles.get(question.dimension or "", ""),
                counts_as=question.counts_as,
                vendor=entry["vendor"],
                client=entry["client"],
                gap=entry["gap"],
                status=entry["status"],
                spread=spreads.get(entry["id"], {}),
                importance_view=_importance_view(question, entry["status"]),
                sample=sample_of(entry, comparison.disclosure),
                reverse=question.reverse,
            )
        )
    return rows


def _importance_view(question: Question, status: str | None) -> str | None:
    """For an importance question: do the two sides differ on how much it matters?

    The engine's status already says whether the gap reaches the threshold either way;
    only its performance words (blind spot, hidden strength) are left out.
    """
    if question.counts_as != "importance" or status is None:
        return None
    return "agree" if status == "aligned" else "differ"


def party_spreads(
    result: ReviewResult, disclosure: Disclosure
) -> dict[str, dict[str, tuple[float, float] | None]]:
    """Per question and party, the lowest and highest respondent score.

    The engine keeps them as it scores (each question's :class:`Spreads`), so the range
    costs nothing more than the one scoring pass. A party whose people the audience may not
    see one by one (below the threshold) has no range at all: with two people, the lowest
    and highest *are* their answers.
    """
    spreads: dict[str, dict[str, tuple[float, float] | None]] = {}
    for question in result.questions:
        per: dict[str, tuple[float, float] | None] = {"vendor": None, "client": None}
        for party in PARTIES:
            if disclosure.shows_people_of(party):
                per[party] = question.spreads.of(party).rounded_range()
        if any(per.values()):
            spreads[question.id] = per
    return spreads


def _verbatims(
    questionnaire: Questionnaire, answers: ReviewAnswers, disclosure: Disclosure
) -> list[Verbatim]:
    """Text answers and unscored choices (relationship types ...), per party, in file order.

    Each answer is signed as the audience may see its author (:meth:`Disclosure.label`).
    Where names are hidden, a side's answers to each question are sorted by their text,
    so their order does not tie one person's answers together across questions.
    """
    shown = [
        q
        for q in questionnaire.questions()
        if q.kind == "text" or (q.kind == "choice" and not q.is_scored)
    ]
    visible = {
        p: [
            (
                disclosure.label(p, person.name, answers.org(p)),
                visible_answers(questionnaire, p, person.answers),
            )
            for person in answers.respondents(p)
        ]
        for p in PARTIES
    }
    rows = []
    for question in shown:
        per: dict[str, list[tuple[str, str]]] = {}
        for party in PARTIES:
            per[party] = [
                (who, _as_text(seen[question.id]))
                for who, seen in visible[party]
                if seen.get(question.id) not in (None, "", [])
            ]
            if not disclosure.shows_names_of(party):
                per[party].sort(key=lambda pair: pair[1])
        if any(per.values()):
            text = _question_text(questionnaire, question, answers)
            rows.append(Verbatim(question.id, text, question.kind, per))
    return rows


def _as_text(value: Any) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _vendor_cut(comparison: Comparison) -> tuple[float, float]:
    """(importance, performance) where the engine cut the quadrants of the dimensions
    rating the vendor, the ones the chart draws; 50 where a `mean` had nothing to average."""
    for d in comparison.result.dimensions:
        if d.rates == "vendor":
            imp, perf = d.cut.importance, d.cut.performance
            return (50.0 if imp is None else imp, 50.0 if perf is None else perf)
    return (50.0, 50.0)


def _charts(comparison: Comparison, uid: str) -> dict[str, charts.Chart]:
    """The four charts, all from the engine's rounded numbers."""
    labels = (comparison.labels["vendor"], comparison.labels["client"])
    levels = comparison.levels
    dims = comparison.dimensions
    titles = comparison.dimension_titles
    prefix = f"c{uid}"
    return {
        "levels": charts.s_curve(
            [(level.id, level.title) for level in comparison.questionnaire.levels],
            levels["vendor"],
            levels["client"],
            levels["agreed"],
            labels=labels,
            uid=f"{prefix}-levels",
        ),
        "radar": charts.radar(
            [(titles[d["id"]], d["vendor"], d["client"]) for d in dims],
            labels=labels,
            uid=f"{prefix}-radar",
        ),
        "gaps": charts.gap_bars(
            [(titles[d["id"]], d["gap"], d["status"]) for d in dims],
            comparison.questionnaire.gap_threshold,
            labels=labels,
            uid=f"{prefix}-gaps",
        ),
        "quadrant": charts.quadrant(
            [
                (titles[d["id"]], d["importance"]["client"], d["client"], d["quadrant"])
                for d in dims
            ],
            cut=_vendor_cut(comparison),
            uid=f"{prefix}-quadrant",
        ),
    }


@dataclass(frozen=True)
class StakeReading:
    """The client's scores from its people of one stake, if they may be read apart."""

    stake: str
    submitted: int
    readable: bool  # see Confidentiality.readable_apart
    overall: float | None = None
    dimensions: dict[str, float | None] = field(default_factory=dict)


def stake_readings(review: Review) -> list[StakeReading]:
    """Each stake of the client's submitted people, scored on its own where the review's
    anonymity threshold allows it (:meth:`Confidentiality.readable_apart`)."""
    counts = reveal.client_stake_counts(review)
    total = sum(counts.values())
    readings = []
    for stake in STAKES:
        count = counts.get(stake, 0)
        if count == 0:
            continue
        if not review.confidentiality.readable_apart(count, total - count):
            readings.append(StakeReading(stake, count, readable=False))
            continue
        numbers = reveal.stake_result(review, stake).to_dict()
        dimensions = {d["id"]: d["client"] for d in numbers["dimensions"]}
        readings.append(StakeReading(stake, count, True, numbers["overall"]["client"], dimensions))
    return readings
