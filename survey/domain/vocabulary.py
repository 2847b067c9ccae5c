"""The words for the codes people see: statuses, quadrants, plan states, owners and roles.

One place, so the results page, the PDF, the charts, the plan's history and ``survey score``
all say "blind spot", "Concentrate here" and "in progress" the same way. Each map is
lower case where a word sits inside a sentence; :func:`capitalised` gives the form that
opens a badge or a table cell. The app registers :data:`FILTERS` as Jinja filters.

Pure: no Flask.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

#: A dimension's or question's status (contract rule 4).
STATUS_WORDS: Mapping[str, str] = {
    "blind_spot": "blind spot",
    "hidden_strength": "hidden strength",
    "aligned": "aligned",
}
#: The importance-performance quadrants (contract rule 5), as the chart labels them.
QUADRANT_WORDS: Mapping[str, str] = {
    "concentrate_here": "Concentrate here",
    "keep_it_up": "Keep it up",
    "low_priority": "Low priority",
    "possible_overkill": "Possible overkill",
}
#: The states of an item of the joint action plan.
PLAN_STATUS_WORDS: Mapping[str, str] = {
    "proposed": "proposed",
    "planned": "planned",
    "in_progress": "in progress",
    "done": "done",
    "declined": "declined",
}
#: Who owns an action, inside a sentence ("owner changed from vendor to both").
OWNER_WORDS: Mapping[str, str] = {"vendor": "vendor", "client": "client", "joint": "both"}
#: The fields of a plan item, as its history names them.
PLAN_FIELD_WORDS: Mapping[str, str] = {
    "title": "title",
    "detail": "detail",
    "owner": "owner",
    "due_on": "due date",
    "status": "status",
}
#: A user's role in their organisation's team.
ROLE_WORDS: Mapping[str, str] = {"admin": "admin", "member": "member"}
#: The part an invited person plays in the relationship (the needs pyramid's buyers: the
#: one who decides, those who sway the decision, those who use what is bought).
STAKE_WORDS: Mapping[str, str] = {
    "decision_maker": "decision maker",
    "influencer": "influencer",
    "user": "user",
    "other": "other",
}
#: What a missing code reads as in a table.
DASH = "–"


def capitalised(words: str) -> str:
    """The first letter upper case, the rest as written ("in progress" → "In progress")."""
    return words[:1].upper() + words[1:]


def status_words(code: str | None) -> str:
    """ "blind spot"; a dash for no status."""
    return STATUS_WORDS.get(code, DASH) if code else DASH


def quadrant_words(code: str | None) -> str:
    """ "Concentrate here"; a dash for no quadrant."""
    return QUADRANT_WORDS.get(code, DASH) if code else DASH


def plan_status_words(code: str | None) -> str:
    """ "in progress"; an unknown state as written, a dash for none."""
    return PLAN_STATUS_WORDS.get(code, code) if code else DASH


def role_words(code: str | None) -> str:
    """ "admin"; an unknown role as written, a dash for none."""
    return ROLE_WORDS.get(code, code) if code else DASH


def stake_words(code: str | None) -> str:
    """ "decision maker"; a dash for no stake (someone who came by the shared link)."""
    return STAKE_WORDS.get(code, code) if code else DASH


def owner_words(owner: str, vendor: str, client: str) -> str:
    """Who owns an action, by name: "Acme Analytics", "Globex" or "Both, jointly"."""
    return {"vendor": vendor, "client": client, "joint": "Both, jointly"}.get(owner, owner)


#: The Jinja filters the app registers: ``{{ d.status | status_words | capitalised }}``.
FILTERS: Mapping[str, Callable[..., str]] = {
    "status_words": status_words,
    "quadrant_words": quadrant_words,
    "plan_status_words": plan_status_words,
    "owner_words": owner_words,
    "role_words": role_words,
    "stake_words": stake_words,
    "capitalised": capitalised,
}
