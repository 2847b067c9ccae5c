"""The portfolio over time: a client's reviews with their results, and where it is heading.

Vendors repeat the review with a client to see the trend. Every number here is the
engine's: a review's results are :func:`survey.reveal.review_result` (what the results page
shows, rounded by ``to_dict()``), and only for reviews that pass the reveal rule
(:func:`survey.reveal.results_ready`). Nothing is recomputed here.

Levels are compared by their rank in the review's pinned questionnaire, and only between
reviews of the same questionnaire id: another questionnaire's levels are another ladder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import sqlalchemy as sa

from survey import reveal, since
from survey.domain import charts
from survey.domain.portfolio_table import WEEK, PortfolioRow
from survey.extensions import db
from survey.models import ActionItem, Client, Review, as_utc
from survey.questionnaires import questionnaire_for
from survey.reveal import missing_parties, results_ready

Direction = Literal["up", "down", "same"]

DIRECTION_WORDS: dict[str, str] = {"up": "Up", "down": "Down", "same": "Same level"}
DIRECTION_ARROWS: dict[str, str] = {"up": "↑", "down": "↓", "same": "→"}


@dataclass(frozen=True)
class TrendRow:
    """One review of a client as the trend table shows it; numbers only with results."""

    public_id: str
    started: datetime
    questionnaire_id: str
    questionnaire: str
    version: int
    has_results: bool
    agreed_level: str | None = None  # the level's title
    level_rank: int | None = None  # its position in the questionnaire's levels, lowest 0
    vendor: float | None = None  # overall score, the engine's rounded number
    client: float | None = None

    @property
    def when(self) -> str:
        """The start date as people read it."""
        return f"{self.started:%-d %b %Y}"


@dataclass(frozen=True)
class Movement:
    """The latest agreed level of a client, and how it moved since the previous review
    with results of the same questionnaire (None when there is no such review)."""

    latest: TrendRow
    previous: TrendRow | None
    direction: Direction | None

    @property
    def words(self) -> str:
        """The direction in words, e.g. "Up from Vendor (3 Mar 2025)".

        With no earlier results of the same questionnaire there is nothing to compare:
        a quarterly pulse between two full reviews starts its own line.
        """
        if self.previous is None or self.direction is None:
            return "First results with this questionnaire"
        before = f"{self.previous.agreed_level} ({self.previous.when})"
        if self.direction == "same":
            return f"Same level as on {self.previous.when}"
        return f"{DIRECTION_WORDS[self.direction]} from {before}"

    @property
    def arrow(self) -> str:
        """A decorative arrow for the direction (the words carry the meaning)."""
        return DIRECTION_ARROWS.get(self.direction or "", "")


def review_numbers(review: Review) -> dict[str, Any]:
    """The engine's rounded results of a review (call only when results are ready)."""
    return reveal.review_result(review).to_dict()


def trend_row(review: Review) -> TrendRow:
    """A review as a trend row, with the engine's numbers when the reveal rule is met."""
    questionnaire = questionnaire_for(review)
    base: dict[str, Any] = {
        "public_id": review.public_id,
        "started": as_utc(review.created_at) or review.created_at,
        "questionnaire_id": review.questionnaire_id,
        "questionnaire": questionnaire.title,
        "version": review.questionnaire_version,
    }
    if not results_ready(review):
        return TrendRow(**base, has_results=False)
    numbers = review_numbers(review)
    ids = [level.id for level in questionnaire.levels]
    agreed = numbers["levels"]["agreed"]
    return TrendRow(
        **base,
        has_results=True,
        agreed_level=questionnaire.levels[ids.index(agreed)].title,
        level_rank=ids.index(agreed),
        vendor=numbers["overall"]["vendor"],
        client=numbers["overall"]["client"],
    )


def client_trend(client: Client) -> list[TrendRow]:
    """Every review of the client, oldest first."""
    return [trend_row(review) for review in client.reviews]


def movement(rows: list[TrendRow]) -> Movement | None:
    """The latest review with results and its direction; None when no review has results."""
    ready = [row for row in rows if row.has_results]
    if not ready:
        return None
    latest = ready[-1]
    earlier = [row for row in ready[:-1] if row.questionnaire_id == latest.questionnaire_id]
    if not earlier:
        return Movement(latest, None, None)
    previous = earlier[-1]
    return Movement(latest, previous, _direction(previous.level_rank, latest.level_rank))


def _direction(before: int | None, after: int | None) -> Direction | None:
    if before is None or after is None:
        return None
    return "up" if after > before else "down" if after < before else "same"


def client_movement(client: Client) -> Movement | None:
    """The dashboard's line for a client, scoring at most two reviews.

    The reveal rule and the questionnaire id need no scoring, so the latest review with
    results and the previous one of its questionnaire are found first and only they are
    scored.
    """
    ready = [review for review in client.reviews if results_ready(review)]
    if not ready:
        return None
    latest = ready[-1]
    same = [r for r in ready[:-1] if r.questionnaire_id == latest.questionnaire_id]
    return movement([trend_row(review) for review in [*same[-1:], latest]])


def trend_chart(rows: list[TrendRow], labels: tuple[str, str], uid: str) -> charts.Chart:
    """The trend chart of the rows with results (the engine's numbers, drawn as they are)."""
    points = [
        charts.TrendPoint(
            when=row.when,
            series=row.questionnaire_id,
            questionnaire=row.questionnaire,
            level=row.agreed_level,
            vendor=row.vendor,
            client=row.client,
        )
        for row in rows
        if row.has_results
    ]
    return charts.trend(points, labels=labels, uid=uid)


# --- the portfolio table ----------------------------------------------------------------------


def _open_actions(review: Review) -> list[ActionItem]:
    """The latest plan's agreed items still to do (proposals are not agreed yet)."""
    items = db.session.scalars(sa.select(ActionItem).where(ActionItem.review_id == review.id))
    return [item for item in items if item.is_open and item.status != "proposed"]


def _action_counts(review: Review, today: date) -> dict[str, int]:
    items = _open_actions(review)
    return {
        "open_actions": len(items),
        "overdue_actions": sum(1 for i in items if i.due_on is not None and i.due_on < today),
        "due_this_week_actions": sum(
            1 for i in items if i.due_on is not None and today <= i.due_on <= today + WEEK
        ),
    }


def _result_facts(review: Review) -> dict[str, Any]:
    """The agreed level, its change, the NPS and the warnings of a review with results.

    The result from :func:`survey.reveal.review_result`, its comparison and warnings from
    :mod:`survey.since`, for the vendor: only combined scores of sides past the reveal rule,
    never one person's.
    """
    result = reveal.review_result(review)
    found = since.since_last_review(review, "vendor", result)
    warnings = since.warnings_for(review, "vendor", result, found)
    levels = questionnaire_for(review).levels
    ids = [level.id for level in levels]
    facts: dict[str, Any] = {
        "level": levels[ids.index(result.levels.agreed)].title,
        "level_rank": ids.index(result.levels.agreed) + 1,
        "warnings": tuple(w.title for w in warnings),
        "relevance_warning": any(w.code == "relevance_drop" for w in warnings),
    }
    if result.nps:
        numbers = result.nps[0].to_dict()
        facts |= {"nps": numbers["client"], "nps_predicted": numbers["vendor"]}
    if found is not None:
        change = found.comparison.level("agreed")
        facts |= {
            "level_change": change.direction,
            "level_words": f"{change.words} since {found.previous_on:%-d %b %Y}",
        }
    return facts


def portfolio_row(client: Client, today: date) -> PortfolioRow:
    """The client's row: its latest review, the latest with results, and their plan."""
    row: dict[str, Any] = {
        "public_id": client.public_id,
        "name": client.name,
        "yearly_value": client.yearly_value,
    }
    if not client.reviews:
        return PortfolioRow(**row)
    latest = client.reviews[-1]
    row |= {
        "last_review": latest.created_at.date(),
        "latest_review_id": latest.public_id,
        "next_due": latest.next_review_on,
        **_action_counts(latest, today),
    }
    if latest.is_open and not results_ready(latest):
        names = latest.org_names
        row["waiting_on"] = tuple(names[party] for party in missing_parties(latest))
    with_results = since.latest_with_results(client)
    if with_results is not None:
        row |= _result_facts(with_results)
    return PortfolioRow(**row)


def portfolio_rows(clients: list[Client], today: date) -> list[PortfolioRow]:
    """One row per client (see :func:`portfolio_row`)."""
    return [portfolio_row(client, today) for client in clients]
