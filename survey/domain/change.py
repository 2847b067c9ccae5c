"""Since last review: what changed between two scored reviews of the same client.

Pure (no Flask, no database). :func:`compare` takes the previous and the current review,
each as its pinned questionnaire and its :class:`~survey.domain.scoring.ReviewResult`, and
returns each party's level, every dimension and every NPS question with the change in
points and its direction.

The rule (issue 13): reviews are compared only when they use the same questionnaire id.
When the versions differ, only the dimensions (and NPS questions) both versions have are
compared, the overall score is not (it is made of different dimensions), and
:attr:`Comparison.only_shared` says so, with :meth:`Comparison.note` in words.

Worked example: the client scored Business relevance 72.5 last time and 60.0 now, so its
change is −12.5, direction ``down``; a level going from Confidant (second level) to
Consultant (third) moved one step, direction ``up``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from survey.domain.model import PARTIES, Party, Questionnaire
from survey.domain.scoring import PartyPair, ReviewResult

Direction = Literal["up", "down", "same"]
LevelParty = Literal["vendor", "client", "agreed"]
LEVEL_PARTIES: tuple[LevelParty, ...] = ("vendor", "client", "agreed")

#: Words for a direction, for pages and the PDF.
DIRECTION_WORDS: dict[Direction, str] = {"up": "up", "down": "down", "same": "unchanged"}


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1) + 0.0


def direction_of(change: float | None) -> Direction | None:
    """``up``, ``down`` or ``same`` for a change, judged on the one decimal shown.

    A change of 0.04 points is shown as 0.0, so it is ``same``; None stays None.
    """
    if change is None:
        return None
    shown = round(change, 1)
    if shown > 0:
        return "up"
    return "down" if shown < 0 else "same"


@dataclass(frozen=True)
class Delta:
    """One number last time and now; `change` is now − before, None when either is missing."""

    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def direction(self) -> Direction | None:
        return direction_of(self.change)

    @property
    def words(self) -> str:
        """The change for reading: "up 7.0", "down 12.5", "unchanged", "not comparable"."""
        if self.change is None:
            return "not comparable"
        if self.direction == "same":
            return "unchanged"
        return f"{self.direction} {abs(self.change):.1f}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": _r(self.before),
            "after": _r(self.after),
            "change": _r(self.change),
            "direction": self.direction,
        }


@dataclass(frozen=True)
class PartyDeltas:
    """A :class:`Delta` per party."""

    vendor: Delta
    client: Delta

    def of(self, party: Party) -> Delta:
        return self.vendor if party == "vendor" else self.client

    def to_dict(self) -> dict[str, Any]:
        return {p: self.of(p).to_dict() for p in PARTIES}


def _pair_deltas(before: PartyPair, after: PartyPair) -> PartyDeltas:
    return PartyDeltas(
        vendor=Delta(before.vendor, after.vendor), client=Delta(before.client, after.client)
    )


@dataclass(frozen=True)
class LevelChange:
    """A party's (or the agreed) level then and now; `steps` counts levels climbed.

    Ranks are positions in each review's own list of levels (1 = the first level), so a
    comparison across versions still counts steps on the curve.
    """

    party: LevelParty
    before: str
    before_title: str
    before_rank: int
    after: str
    after_title: str
    after_rank: int

    @property
    def steps(self) -> int:
        return self.after_rank - self.before_rank

    @property
    def direction(self) -> Direction:
        return "up" if self.steps > 0 else "down" if self.steps < 0 else "same"

    @property
    def words(self) -> str:
        """The move for reading: "up 1 level", "down 2 levels", "unchanged"."""
        if self.steps == 0:
            return "unchanged"
        count = abs(self.steps)
        return f"{self.direction} {count} level{'' if count == 1 else 's'}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "before": self.before,
            "after": self.after,
            "steps": self.steps,
            "direction": self.direction,
        }


@dataclass(frozen=True)
class DimensionChange:
    """One dimension both reviews have: each party's score then and now."""

    id: str
    title: str
    rates: Party
    scores: PartyDeltas

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, **self.scores.to_dict()}


@dataclass(frozen=True)
class NpsChange:
    """One NPS question both reviews have: the client's score and the vendor's prediction."""

    id: str
    scores: PartyDeltas

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, **self.scores.to_dict()}


@dataclass(frozen=True)
class Comparison:
    """Since last review: levels, overall, dimensions and NPS, then and now."""

    questionnaire_id: str
    previous_version: int
    current_version: int
    levels: tuple[LevelChange, ...]
    overall: PartyDeltas | None
    dimensions: tuple[DimensionChange, ...]
    nps: tuple[NpsChange, ...]
    left_out: tuple[str, ...] = ()

    @property
    def only_shared(self) -> bool:
        """True when the versions differ, so only what both versions have is compared."""
        return self.previous_version != self.current_version

    def level(self, party: LevelParty) -> LevelChange:
        """The level change of `vendor`, `client` or `agreed`."""
        return next(change for change in self.levels if change.party == party)

    def dimension(self, dimension_id: str) -> DimensionChange:
        """The change of one dimension (KeyError when the two reviews do not share it)."""
        for change in self.dimensions:
            if change.id == dimension_id:
                return change
        raise KeyError(dimension_id)

    def note(self) -> str | None:
        """Across versions, the sentence that says only shared dimensions are compared."""
        if not self.only_shared:
            return None
        sentence = (
            f"The questionnaire changed from version {self.previous_version} to version"
            f" {self.current_version}: only the {len(self.dimensions)} dimensions both"
            " versions have are compared, and the overall score is not."
        )
        if self.left_out:
            sentence += f" Not compared: {', '.join(self.left_out)}."
        return sentence

    def to_dict(self) -> dict[str, Any]:
        return {
            "questionnaire": self.questionnaire_id,
            "versions": {"previous": self.previous_version, "current": self.current_version},
            "only_shared": self.only_shared,
            "levels": [change.to_dict() for change in self.levels],
            "overall": None if self.overall is None else self.overall.to_dict(),
            "dimensions": [change.to_dict() for change in self.dimensions],
            "nps": [change.to_dict() for change in self.nps],
            "left_out": list(self.left_out),
        }


def _rank(questionnaire: Questionnaire, level_id: str) -> tuple[str, int]:
    for index, level in enumerate(questionnaire.levels, start=1):
        if level.id == level_id:
            return level.title, index
    raise KeyError(level_id)


def _levels(
    before_q: Questionnaire, before: ReviewResult, after_q: Questionnaire, after: ReviewResult
) -> tuple[LevelChange, ...]:
    changes = []
    for party in LEVEL_PARTIES:
        was = before.levels.agreed if party == "agreed" else before.levels.of(party)
        now = after.levels.agreed if party == "agreed" else after.levels.of(party)
        was_title, was_rank = _rank(before_q, was)
        now_title, now_rank = _rank(after_q, now)
        changes.append(LevelChange(party, was, was_title, was_rank, now, now_title, now_rank))
    return tuple(changes)


def _dimensions(before: ReviewResult, after: ReviewResult) -> tuple[DimensionChange, ...]:
    earlier = {result.id: result for result in before.dimensions}
    return tuple(
        DimensionChange(
            id=now.id,
            title=now.title,
            rates=now.rates,
            scores=_pair_deltas(
                PartyPair(earlier[now.id].vendor, earlier[now.id].client),
                PartyPair(now.vendor, now.client),
            ),
        )
        for now in after.dimensions
        if now.id in earlier
    )


def _left_out(before: ReviewResult, after: ReviewResult) -> tuple[str, ...]:
    now = {result.id for result in after.dimensions}
    earlier = {result.id for result in before.dimensions}
    gone = [result.title for result in before.dimensions if result.id not in now]
    new = [result.title for result in after.dimensions if result.id not in earlier]
    return tuple(gone + new)


def _nps(before: ReviewResult, after: ReviewResult) -> tuple[NpsChange, ...]:
    earlier = {result.id: result for result in before.nps}
    return tuple(
        NpsChange(
            id=now.id,
            scores=_pair_deltas(
                PartyPair(earlier[now.id].vendor, earlier[now.id].client),
                PartyPair(now.vendor, now.client),
            ),
        )
        for now in after.nps
        if now.id in earlier
    )


def compare(
    previous_questionnaire: Questionnaire,
    previous: ReviewResult,
    questionnaire: Questionnaire,
    current: ReviewResult,
) -> Comparison | None:
    """Since last review, or None when the two reviews use different questionnaire ids.

    Each review comes with the questionnaire it pinned. Same version: everything is
    compared. Different versions: only dimensions and NPS questions both have, no overall.
    """
    if previous.questionnaire_id != current.questionnaire_id:
        return None
    same = previous.version == current.version
    return Comparison(
        questionnaire_id=current.questionnaire_id,
        previous_version=previous.version,
        current_version=current.version,
        levels=_levels(previous_questionnaire, previous, questionnaire, current),
        overall=_pair_deltas(previous.overall, current.overall) if same else None,
        dimensions=_dimensions(previous, current),
        nps=_nps(previous, current),
        left_out=() if same else _left_out(previous, current),
    )
