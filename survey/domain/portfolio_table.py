"""The portfolio table: one row per client, sorted, filtered, and what is at risk.

Pure (no Flask, no database). :mod:`survey.workspace.portfolio` builds the rows from the
engine's results (:mod:`survey.since`); this module only orders, filters and sums them, so
the rules are tested on plain data.

- **Sorting** (:func:`sort_rows`): by one of :data:`SORT_KEYS`; a row without a value for
  the key (no results yet, no date set) always comes last, whichever the direction.
- **Filtering** (:func:`filter_rows`): one of :data:`FILTERS` (``all`` keeps every row).
- **Value at risk** (:func:`value_at_risk`): seed 004's lifetime value, summed over the
  clients whose agreed level fell since the last review or who carry a relevance warning.
  Example: Globex 120 000 (level down), Initech 80 000 (relevance warning), Hooli 50 000
  (level up, no warning) give 200 000; a client with no value set adds nothing.
- **Attention** (:func:`attention`): what needs doing this week (the seven days from
  `today`): reviews due or overdue, actions due or overdue, warnings, and reviews still
  waiting on answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

Change = Literal["up", "down", "same"]

#: A week from today: what the attention strip covers.
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class PortfolioRow:
    """One client as the portfolio shows it; `level` and `nps` only with results."""

    public_id: str
    name: str
    level: str | None = None  # the agreed level's title
    level_rank: int | None = None  # its position in the levels, 1 the first
    level_change: Change | None = None  # since the last review; None without one
    level_words: str = ""  # e.g. "up 1 level from Vendor"
    nps: float | None = None  # the client's NPS (the engine's, rounded)
    nps_predicted: float | None = None  # the vendor's prediction
    last_review: date | None = None  # the day the latest review started
    latest_review_id: str | None = None
    next_due: date | None = None  # the next review date the latest plan set
    open_actions: int = 0
    overdue_actions: int = 0
    due_this_week_actions: int = 0
    warnings: tuple[str, ...] = ()  # the warnings' titles
    relevance_warning: bool = False
    waiting_on: tuple[str, ...] = ()  # organisation names a review in progress waits on
    yearly_value: int | None = None

    def next_overdue(self, today: date) -> bool:
        """The next review date has passed."""
        return self.next_due is not None and self.next_due < today

    @property
    def at_risk(self) -> bool:
        """The agreed level fell since the last review, or a relevance warning is on."""
        return self.level_change == "down" or self.relevance_warning


SORT_KEYS: dict[str, Callable[[PortfolioRow], Any]] = {
    "client": lambda row: row.name.casefold(),
    "level": lambda row: row.level_rank,
    "nps": lambda row: row.nps,
    "last": lambda row: row.last_review,
    "next": lambda row: row.next_due,
    "actions": lambda row: (row.overdue_actions, row.open_actions) if row.open_actions else None,
    "warnings": lambda row: len(row.warnings) or None,
    "value": lambda row: row.yearly_value,
}

#: What each sort key's column is called (for the links and the select).
SORT_LABELS: dict[str, str] = {
    "client": "Client",
    "level": "Agreed level",
    "nps": "NPS",
    "last": "Last review",
    "next": "Next review due",
    "actions": "Open actions",
    "warnings": "Warnings",
    "value": "Yearly value",
}


def sort_rows(
    rows: Sequence[PortfolioRow], key: str, descending: bool = False
) -> list[PortfolioRow]:
    """The rows sorted by `key` (unknown keys sort by client); rows without a value last.

    Ties keep the client order, so the table is stable between requests.
    """
    get = SORT_KEYS.get(key, SORT_KEYS["client"])
    by_name = sorted(rows, key=SORT_KEYS["client"])
    known = [row for row in by_name if get(row) is not None]
    unknown = [row for row in by_name if get(row) is None]
    return sorted(known, key=get, reverse=descending) + unknown


FILTERS: dict[str, tuple[str, Callable[[PortfolioRow, date], bool]]] = {
    "all": ("All clients", lambda row, today: True),
    "at-risk": ("Value at risk", lambda row, today: row.at_risk),
    "falling": ("Level fell", lambda row, today: row.level_change == "down"),
    "warnings": ("With warnings", lambda row, today: bool(row.warnings)),
    "overdue": (
        "Something overdue",
        lambda row, today: row.next_overdue(today) or row.overdue_actions > 0,
    ),
    "waiting": ("Waiting on answers", lambda row, today: bool(row.waiting_on)),
}


def filter_rows(rows: Sequence[PortfolioRow], name: str, today: date) -> list[PortfolioRow]:
    """The rows the filter `name` keeps (an unknown name keeps all)."""
    _label, keep = FILTERS.get(name, FILTERS["all"])
    return [row for row in rows if keep(row, today)]


def value_at_risk(rows: Sequence[PortfolioRow]) -> int:
    """The summed yearly value of the clients at risk (see :attr:`PortfolioRow.at_risk`)."""
    return sum(row.yearly_value or 0 for row in rows if row.at_risk)


def valued(rows: Sequence[PortfolioRow]) -> int:
    """The summed yearly value of every client with a value set."""
    return sum(row.yearly_value or 0 for row in rows)


@dataclass(frozen=True)
class Attention:
    """One thing to do this week, for one client."""

    kind: Literal["review", "actions", "warning", "waiting"]
    public_id: str
    client: str
    text: str


def _review_due(row: PortfolioRow, today: date) -> Attention | None:
    if row.next_due is None or row.next_due > today + WEEK:
        return None
    when = f"{row.next_due.day} {row.next_due:%b %Y}"
    text = f"review overdue since {when}" if row.next_overdue(today) else f"review due {when}"
    return Attention("review", row.public_id, row.name, text)


def _actions_due(row: PortfolioRow) -> Attention | None:
    if not row.overdue_actions and not row.due_this_week_actions:
        return None
    parts = []
    if row.overdue_actions:
        parts.append(f"{row.overdue_actions} overdue")
    if row.due_this_week_actions:
        parts.append(f"{row.due_this_week_actions} due this week")
    total = row.overdue_actions + row.due_this_week_actions
    text = f"action{'' if total == 1 else 's'}: {', '.join(parts)}"
    return Attention("actions", row.public_id, row.name, text)


def attention(rows: Sequence[PortfolioRow], today: date) -> list[Attention]:
    """What needs doing in the week from `today`, most urgent kind first."""
    found: list[Attention] = []
    for row in sorted(rows, key=SORT_KEYS["client"]):
        review = _review_due(row, today)
        found += [review] if review else []
        actions = _actions_due(row)
        found += [actions] if actions else []
        found += [Attention("warning", row.public_id, row.name, w) for w in row.warnings]
        if row.waiting_on:
            text = f"review waiting on answers from {' and '.join(row.waiting_on)}"
            found.append(Attention("waiting", row.public_id, row.name, text))
    order = {"review": 0, "actions": 1, "warning": 2, "waiting": 3}
    return sorted(found, key=lambda item: order[item.kind])
