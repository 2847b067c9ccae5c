"""Who may see what of each side's people: the one place that decides it.

A review's confidentiality setting (:class:`Confidentiality`) is chosen when the review
starts and locked once anyone has started answering. Every page, the PDF and the exports ask a
:class:`Disclosure` (the setting, the audience reading, and how many people submitted on
each side) instead of deciding for themselves:

- names and roles of a side reach the *other* side only when the setting says so; the own
  side always sees its own names;
- below the anonymity threshold N of submitted people on a side, nothing per person of that
  side (ranges, per-person rows, "the one respondent answered …") reaches the other side,
  and the engine's reasons speak of the side as a whole (:meth:`Disclosure.side_worded`);
- a person not named is "someone at {organisation}", everywhere.

The welcome page's promises (:func:`promises`) are written from the same setting, so the
sentence a respondent reads and the rule every output follows cannot drift apart.

Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from survey.domain.model import PARTIES, Party

THRESHOLD_DEFAULT = 3
THRESHOLD_MIN = 1
THRESHOLD_MAX = 10


def other_side(party: Party) -> Party:
    """The other party of a review.

    >>> other_side("vendor")
    'client'
    """
    return "client" if party == "vendor" else "vendor"


def someone_at(org: str) -> str:
    """The one way an unnamed (or unnamed-to-you) person is named.

    >>> someone_at("Globex")
    'someone at Globex'
    """
    return f"someone at {org}"


@dataclass(frozen=True)
class Confidentiality:
    """A review's setting: names to the other side or not, and the anonymity threshold."""

    names_to_other_side: bool = False
    anonymity_threshold: int = THRESHOLD_DEFAULT

    def __post_init__(self) -> None:
        if not THRESHOLD_MIN <= self.anonymity_threshold <= THRESHOLD_MAX:
            raise ValueError(
                f"the anonymity threshold is from {THRESHOLD_MIN} to {THRESHOLD_MAX}, "
                f"not {self.anonymity_threshold}"
            )

    def below_threshold(self, submitted: int) -> bool:
        """Whether a side with this many submitted people is too few to tell apart safely.

        >>> Confidentiality(False, 3).below_threshold(2)
        True
        """
        return submitted < self.anonymity_threshold

    def readable_apart(self, group: int, rest: int) -> bool:
        """Whether part of a side (its people of one stake) may be scored on its own for
        the other side: the part has N or more submitted people, and so has the rest of
        the side, or no one is left. Otherwise the part's score beside the side's would
        give away the few people outside it (the difference of two means).

        >>> setting = Confidentiality(False, 3)
        >>> setting.readable_apart(3, 0), setting.readable_apart(3, 3)
        (True, True)
        >>> setting.readable_apart(3, 1), setting.readable_apart(2, 5)
        (False, False)
        """
        return not self.below_threshold(group) and (rest == 0 or not self.below_threshold(rest))


@dataclass(frozen=True)
class Disclosure:
    """What one audience (a side reading results) may see of each side's people.

    >>> d = Disclosure("vendor", Confidentiality(False, 3), {"vendor": 1, "client": 2})
    >>> d.shows_names_of("vendor"), d.shows_names_of("client")
    (True, False)
    >>> d.shows_people_of("vendor"), d.shows_people_of("client")
    (True, False)
    >>> sorted(d.side_worded())
    ['client', 'vendor']
    """

    audience: Party
    setting: Confidentiality
    submitted: Mapping[Party, int]

    def shows_names_of(self, party: Party) -> bool:
        """Names and roles of `party`'s people: always to their own side, else by setting."""
        return party == self.audience or self.setting.names_to_other_side

    def shows_people_of(self, party: Party) -> bool:
        """Per-person values (ranges, per-person rows) of `party`: own side, or N or more."""
        return party == self.audience or not self.setting.below_threshold(self.submitted[party])

    def side_worded(self) -> frozenset[Party]:
        """Sides whose reasons speak of the side, not of a respondent (below N).

        Reasons are one text read by both sides (and kept in the plan), so this does not
        depend on the audience.
        """
        return frozenset(
            p for p in PARTIES if self.setting.below_threshold(self.submitted.get(p, 0))
        )

    def label(self, party: Party, name: str | None, org: str) -> str:
        """How this audience sees one person of `party`: the name, or "someone at {org}"."""
        if name and self.shows_names_of(party):
            return name
        return someone_at(org)

    def shared_label(self, party: Party, name: str | None, org: str) -> str:
        """A person named in text kept for both sides (the plan): by the stricter rule."""
        if name and self.setting.names_to_other_side:
            return name
        return someone_at(org)


@dataclass(frozen=True)
class Promise:
    """One sentence the welcome page promises, with a stable code tests find it by."""

    code: str
    text: str


def promises(
    setting: Confidentiality, party: Party, orgs: Mapping[Party, str], invited: bool = False
) -> list[Promise]:
    """What a respondent of `party` is told about who sees what, in plain words.

    An `invited` person (a personal link from an invitation mail) is also told that the
    vendor, who keeps the list, sees whether they have started and submitted.
    """
    own, other = orgs[party], orgs[other_side(party)]
    n = setting.anonymity_threshold
    found = [
        Promise(
            "own-names",
            f"People at {own} who see the results may see your name and role with your answers.",
        )
    ]
    if setting.names_to_other_side:
        found.append(
            Promise("names-shown", f"{other} sees your name and role with your written answers.")
        )
    else:
        found.append(
            Promise(
                "names-hidden",
                f"{other} never sees your name or role: your written answers reach "
                f"{other} as written by {someone_at(own)}.",
            )
        )
    if n == 1:
        found.append(
            Promise(
                "threshold",
                f"{other} sees the range of answers at {own} and each person's scores, "
                "from the first person who submits.",
            )
        )
    else:
        found.append(
            Promise(
                "threshold",
                f"Until at least {n} people at {own} have submitted, {other} sees only "
                f"{own}'s combined scores: no ranges, and no scores of one person. Written "
                "answers and picked choices are still shown.",
            )
        )
    if invited:
        found.append(
            Promise(
                "invited",
                f"{orgs['vendor']} invited you by name, so the people there who run this "
                "review see whether you have started and submitted, and can remind you.",
            )
        )
    found.append(
        Promise(
            "told-apart",
            f"With few people answering for {own}, your answers may still be told apart "
            "from the combined scores and from your written answers.",
        )
    )
    return found


def export_key(disclosure: Disclosure, orgs: Mapping[Party, str]) -> list[str]:
    """What an export made for `disclosure.audience` includes, one line per side.

    >>> d = Disclosure("vendor", Confidentiality(False, 3), {"vendor": 2, "client": 1})
    >>> for line in export_key(d, {"vendor": "Acme", "client": "Globex"}): print(line)
    Made for Acme.
    Acme: 2 people, one by one, with names and roles.
    Globex: left out, because fewer than 3 people there have submitted.
    Keep it within Acme: it holds names of Acme's people that Globex is not shown.
    """
    audience = disclosure.audience
    lines = [f"Made for {orgs[audience]}."]
    for party in PARTIES:
        count = disclosure.submitted[party]
        people = f"{count} {'person' if count == 1 else 'people'}"
        if not disclosure.shows_people_of(party):
            lines.append(
                f"{orgs[party]}: left out, because fewer than "
                f"{disclosure.setting.anonymity_threshold} people there have submitted."
            )
        elif disclosure.shows_names_of(party):
            lines.append(f"{orgs[party]}: {people}, one by one, with names and roles.")
        else:
            lines.append(f"{orgs[party]}: {people}, one by one, without names or roles.")
    if not disclosure.setting.names_to_other_side:
        other = orgs[other_side(audience)]
        lines.append(
            f"Keep it within {orgs[audience]}: it holds names of {orgs[audience]}'s people "
            f"that {other} is not shown."
        )
    return lines


def setting_words(setting: Confidentiality, orgs: Mapping[Party, str]) -> list[str]:
    """The setting in plain words, as the vendor's review page shows it.

    >>> names, threshold = setting_words(Confidentiality(), {"vendor": "A", "client": "G"})
    >>> names.startswith("Names: A and G see each other's written answers without names")
    True
    >>> threshold.startswith("Anonymity threshold: 3. Until 3 people on a side")
    True
    """
    vendor, client = orgs["vendor"], orgs["client"]
    if setting.names_to_other_side:
        names = f"Names: {vendor} and {client} see each other's names and roles with the answers."
    else:
        names = (
            f"Names: {vendor} and {client} see each other's written answers without names or "
            "roles; each side sees its own people's names."
        )
    n = setting.anonymity_threshold
    if n == 1:
        threshold = (
            "Anonymity threshold: none. Each side sees the other side's ranges and each "
            "person's scores from the first submission on."
        )
    else:
        threshold = (
            f"Anonymity threshold: {n}. Until {n} people on a side have submitted, the other "
            "side sees only that side's combined scores: no ranges, no one person's scores."
        )
    return [names, threshold]
