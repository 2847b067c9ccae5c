"""What the engine returns: results per question, dimension, level and action."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from survey.domain.model import (
    PARTIES,
    Party,
    Quadrant,
    Status,
)

#: A party's respondents are split on a number when their scores span at least this much.
SPLIT_POINTS = 50.0


def _r(value: float | None) -> float | None:
    """Round to one decimal for output (and never print -0.0)."""
    return None if value is None else round(value, 1) + 0.0


def _num(value: float) -> int | float:
    """A threshold as the file wrote it: 60 rather than 60.0."""
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True)
class PartyPair:
    """One number per party (a score, an importance ...), None where not computable."""

    vendor: float | None
    client: float | None

    def of(self, party: Party) -> float | None:
        return self.vendor if party == "vendor" else self.client

    def to_dict(self) -> dict[str, float | None]:
        return {"vendor": _r(self.vendor), "client": _r(self.client)}


@dataclass(frozen=True)
class Spread:
    """The respondents of one party behind one number: how many count, lowest and highest.

    Worked example: client answers of raw 1, 3 and 5 on a five-point scale score 0, 50
    and 100, so ``n`` is 3, the range is 100 and the client is ``split`` (range ≥ 50).
    """

    n: int
    low: float | None = None
    high: float | None = None

    def rounded_range(self) -> tuple[float, float] | None:
        """(lowest, highest), rounded as the JSON rounds a score; None without a value."""
        low, high = _r(self.low), _r(self.high)
        return (low, high) if low is not None and high is not None else None

    @property
    def split(self) -> bool:
        """Whether the party's own people disagree by SPLIT_POINTS or more."""
        if self.low is None or self.high is None:
            return False
        return self.high - self.low >= SPLIT_POINTS


def _spread(values: Iterable[float | None]) -> Spread:
    """Count the respondents with a value and keep the lowest and highest of those values."""
    kept = [v for v in values if v is not None]
    return Spread(len(kept), min(kept), max(kept)) if kept else Spread(0)


@dataclass(frozen=True)
class Spreads:
    """One :class:`Spread` per party, written out as the additive `n` and `split` keys."""

    vendor: Spread
    client: Spread

    def of(self, party: Party) -> Spread:
        return self.vendor if party == "vendor" else self.client

    def n(self) -> dict[str, int]:
        return {"vendor": self.vendor.n, "client": self.client.n}

    def split(self) -> dict[str, bool]:
        return {"vendor": self.vendor.split, "client": self.client.split}


NO_SPREADS = Spreads(Spread(0), Spread(0))


@dataclass(frozen=True)
class QuestionResult:
    id: str
    dimension: str | None
    counts_as: str
    vendor: float | None
    client: float | None
    gap: float | None
    status: Status | None
    spreads: Spreads = NO_SPREADS

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "vendor": _r(self.vendor),
            "client": _r(self.client),
            "gap": _r(self.gap),
            "status": self.status,
            "n": self.spreads.n(),
            "split": self.spreads.split(),
        }


@dataclass(frozen=True)
class NpsResult:
    """A net promoter score per party (rule 7); the vendor's is its prediction."""

    id: str
    vendor: float | None
    client: float | None
    gap: float | None
    spreads: Spreads = NO_SPREADS

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "vendor": _r(self.vendor),
            "client": _r(self.client),
            "gap": _r(self.gap),
            "n": self.spreads.n(),
            "split": self.spreads.split(),
        }


@dataclass(frozen=True)
class Cut:
    """Where one dimension's quadrant is cut, as used (a `mean` cut already worked out)."""

    importance: float | None
    performance: float | None
    importance_is_mean: bool = False
    performance_is_mean: bool = False


@dataclass(frozen=True)
class DimensionResult:
    id: str
    title: str
    vendor: float | None
    client: float | None
    gap: float | None
    status: Status | None
    importance: PartyPair
    priority: float | None
    quadrant: Quadrant | None
    spreads: Spreads = NO_SPREADS
    rates: Party = "vendor"
    cut: Cut = Cut(50.0, 50.0)

    @property
    def served(self) -> Party:
        """The party whose importance and score rank the dimension (rule 6)."""
        return "vendor" if self.rates == "client" else "client"

    def score(self, party: Party) -> float | None:
        return self.vendor if party == "vendor" else self.client

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "vendor": _r(self.vendor),
            "client": _r(self.client),
            "gap": _r(self.gap),
            "status": self.status,
            "importance": self.importance.to_dict(),
            "priority": _r(self.priority),
            "quadrant": self.quadrant,
            "n": self.spreads.n(),
            "split": self.spreads.split(),
        }


@dataclass(frozen=True)
class MissingRequirement:
    """A requirement of the next level that one party does not meet yet."""

    dimension: str
    party: Party
    score: float | None
    needed: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "party": self.party,
            "score": _r(self.score),
            "needed": _num(self.needed),
        }


@dataclass(frozen=True)
class NextLevel:
    id: str
    title: str
    missing: tuple[MissingRequirement, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "missing": [m.to_dict() for m in self.missing]}


@dataclass(frozen=True)
class Levels:
    vendor: str
    client: str
    agreed: str
    next: NextLevel | None

    def of(self, party: Party) -> str:
        return self.vendor if party == "vendor" else self.client

    def to_dict(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "client": self.client,
            "agreed": self.agreed,
            "next": None if self.next is None else self.next.to_dict(),
        }


@dataclass(frozen=True)
class SuggestedAction:
    id: str
    owner: str
    title: str
    detail: str | None
    because: str
    priority: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "owner": self.owner, "title": self.title, "because": self.because}


@dataclass(frozen=True)
class Proposal:
    """A `proposes: action` answer; `respondent` is the name, or "someone at {org}", and
    `name` the name as given (None when none was), for callers that must hide it."""

    party: Party
    question: str
    text: str
    respondent: str
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"party": self.party, "question": self.question, "text": self.text}


@dataclass(frozen=True)
class ReviewResult:
    """Everything the results page, the PDF and `survey score` show, unrounded."""

    questionnaire_id: str
    version: int
    levels: Levels
    overall: PartyPair
    dimensions: tuple[DimensionResult, ...]
    questions: tuple[QuestionResult, ...]
    actions: tuple[SuggestedAction, ...]
    proposals: tuple[Proposal, ...]
    nps: tuple[NpsResult, ...] = ()
    respondents: dict[Party, int] = field(default_factory=lambda: {"vendor": 0, "client": 0})

    def dimension(self, dimension_id: str) -> DimensionResult:
        """The result for one dimension (KeyError when there is none)."""
        for result in self.dimensions:
            if result.id == dimension_id:
                return result
        raise KeyError(dimension_id)

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON, keys in its order, numbers rounded to one decimal.

        Additive keys (the project's, not the contract's) come after the contract's keys
        of their object: `n` and `split` on dimensions, questions and NPS entries, and
        `respondents` (submitted respondents per party) at the end of the document.
        """
        return {
            "questionnaire": {"id": self.questionnaire_id, "version": self.version},
            "levels": self.levels.to_dict(),
            "overall": self.overall.to_dict(),
            "nps": [n.to_dict() for n in self.nps],
            "dimensions": [d.to_dict() for d in self.dimensions],
            "questions": [q.to_dict() for q in self.questions],
            "actions": [a.to_dict() for a in self.actions],
            "proposals": [p.to_dict() for p in self.proposals],
            "respondents": {p: self.respondents[p] for p in PARTIES},
        }
