"""What the review page shows, computed from a review: link panels and respondent rows.

Kept apart from the views so the invitation wording and counts are plain functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

from survey.dates import long_date
from survey.disclosure import Disclosure
from survey.domain.effort import Effort, effort, progress
from survey.domain.model import PARTIES, Party, Questionnaire
from survey.invitations import invitation_opening, invitation_subject
from survey.links import link_is_showable, link_token, link_works_until, shared_link_url
from survey.models import Respondent, Review, ShareLink, as_utc


@dataclass(frozen=True)
class LinkPanel:
    """One party's shared link as the review page shows it."""

    party: Party
    label: str
    link: ShareLink | None
    url: str | None  # None when revoked, or not derivable after a key rotation
    questions: int  # always asked (the count the respondent's welcome page gives)
    follow_ups: int  # may appear depending on answers (show_if)
    minutes: int
    started: int
    submitted: int
    subject: str
    body: str
    works_until: date | None = None  # last day (UTC) the link opens; None: no expiry
    expired: bool = False  # past that day: the link answers 410 Gone

    @property
    def mailto(self) -> str:
        """A mailto: URL with subject and body, percent-encoded (RFC 6068)."""
        body = self.body.replace("\n", "\r\n")
        return f"mailto:?subject={quote(self.subject, safe='')}&body={quote(body, safe='')}"

    @property
    def state(self) -> str:
        """'active', 'revoked', 'unshowable' (key rotated) or 'missing'."""
        return link_state(self.link, self.url)


def link_state(link: ShareLink | None, url: str | None) -> str:
    """'active', 'revoked', 'unshowable' (key rotated) or 'missing' (none issued yet)."""
    if link is None:
        return "missing"
    if not link.is_active:
        return "revoked"
    return "active" if url else "unshowable"


def invitation(
    review: Review,
    party: Party,
    url: str,
    minutes: int,
    sender: str,
    works_until: date | None = None,
) -> tuple[str, str]:
    """Subject and body of the ready-to-send invitation for one party."""
    due = f" by {long_date(review.due_on)}" if review.due_on else ""
    until = ""
    if works_until:
        until = f"\nThis link works until the end of {works_until:%A %-d %B %Y} (UTC).\n"
    subject = invitation_subject(review, party)
    opening = invitation_opening(review, party, shared_link=True)
    body = (
        f"Hello,\n\n{opening}\n\nIt takes about {minutes} minutes. Please answer{due} here:\n"
        f"{url}\n{until}\nThank you,\n{sender}"
    )
    return subject, body


def _panel(review: Review, questionnaire: Questionnaire, party: Party, sender: str) -> LinkPanel:
    link = review.current_link(party)
    url = None
    if link is not None and link.is_active and link_is_showable(link):
        url = shared_link_url(link_token(link))
    asked = effort(questionnaire, party)
    works_until = link_works_until(link) if link is not None else None
    subject, body = invitation(review, party, url or "", asked.minutes, sender, works_until)
    mine = review.respondents_of(party)
    return LinkPanel(
        party=party,
        label=questionnaire.parties.label(party),
        link=link,
        url=url,
        questions=asked.questions,
        follow_ups=asked.follow_ups,
        minutes=asked.minutes,
        started=len(mine),
        submitted=sum(1 for r in mine if r.is_submitted),
        subject=subject,
        body=body,
        works_until=works_until,
        expired=link is not None and link.has_expired(),
    )


@dataclass(frozen=True)
class ResultsLinkPanel:
    """The client's results link as the review page shows it (its own link, see LINK_SLOTS)."""

    link: ShareLink | None
    url: str | None  # None when revoked, or not derivable after a key rotation
    works_until: date | None = None
    expired: bool = False

    party = "results"  # the link slot, for the expiry form and the URLs

    @property
    def state(self) -> str:
        """'active', 'revoked', 'unshowable' or 'missing' (a review older than results links)."""
        return link_state(self.link, self.url)


def results_link_panel(review: Review) -> ResultsLinkPanel:
    """The client's results link: its URL while it opens, its last day."""
    link = review.current_link("client", "results")
    url = None
    if link is not None and link.is_active and link_is_showable(link):
        url = shared_link_url(link_token(link)) + "/results"
    return ResultsLinkPanel(
        link=link,
        url=url,
        works_until=link_works_until(link) if link is not None else None,
        expired=link is not None and link.has_expired(),
    )


def link_panels(review: Review, questionnaire: Questionnaire, sender: str) -> list[LinkPanel]:
    """Both parties' panels, vendor first."""
    return [_panel(review, questionnaire, party, sender) for party in PARTIES]


@dataclass(frozen=True)
class RespondentRow:
    """One line of the respondents table."""

    party_label: str
    name: str
    role: str
    started_at: datetime | None
    submitted_at: datetime | None
    answered: int  # "not applicable" counts as an answer
    asked: int  # questions shown to this respondent (follow-ups only once they appear)


def listed_one_by_one(review: Review) -> dict[Party, bool]:
    """Whether the review page lists a side's people one by one (else it gives counts).

    The vendor's own people always; the client's only where the vendor may see their
    names. An anonymous row with its times and progress, beside the list of people the
    vendor invited by name and their status, would tell who is who.
    """
    disclosure = _vendor_view(review)
    return {party: disclosure.shows_names_of(party) for party in PARTIES}


def _vendor_view(review: Review) -> Disclosure:
    return Disclosure("vendor", review.confidentiality, {"vendor": 0, "client": 0})


def respondent_rows(review: Review, questionnaire: Questionnaire) -> list[RespondentRow]:
    """The respondents of the sides listed one by one (:func:`listed_one_by_one`), vendor
    side first, in the order they started."""
    disclosure = _vendor_view(review)
    rows = []
    for party in PARTIES:
        if not disclosure.shows_names_of(party):
            continue  # counts only, see listed_one_by_one
        label = questionnaire.parties.label(party)
        rows += [
            _row(r, questionnaire, party, label, review, disclosure)
            for r in review.respondents_of(party)
        ]
    return rows


def _row(
    respondent: Respondent,
    questionnaire: Questionnaire,
    party: Party,
    label: str,
    review: Review,
    disclosure: Disclosure,
) -> RespondentRow:
    stored = {a.question_id: a.value for a in respondent.answers}
    answered, asked = progress(questionnaire, party, stored)
    named = disclosure.shows_names_of(party)
    return RespondentRow(
        party_label=label,
        name=disclosure.label(party, respondent.name, review.org_names[party]),
        role=(respondent.role or "") if named else "",
        started_at=as_utc(respondent.started_at),
        submitted_at=as_utc(respondent.submitted_at),
        answered=answered,
        asked=asked,
    )


@dataclass(frozen=True)
class QuestionnaireChoice:
    """One installed questionnaire as the "start a review" page describes it."""

    id: str
    title: str
    summary: str | None
    vendor: Effort
    client: Effort


def questionnaire_choices(questionnaires: list[Questionnaire]) -> list[QuestionnaireChoice]:
    """What each questionnaire is about and how much it asks of each side, by title."""
    return [
        QuestionnaireChoice(q.id, q.title, q.summary, effort(q, "vendor"), effort(q, "client"))
        for q in sorted(questionnaires, key=lambda q: q.title)
    ]


#: The questionnaire a new review starts with unless the vendor picks another.
FLAGSHIP = "vendor-value-review"


def default_questionnaire(questionnaires: list[Questionnaire]) -> str | None:
    """The flagship when installed, else the first by title (None when there is none).

    The select would otherwise fall on whichever sorts first (the short quarterly pulse),
    while a first review wants the full one.
    """
    ids = [q.id for q in questionnaires]
    if FLAGSHIP in ids:
        return FLAGSHIP
    return questionnaire_choices(questionnaires)[0].id if questionnaires else None
