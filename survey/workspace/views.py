"""Workspace pages: the portfolio (/), a client's trend, starting a review, a review and its
links.

Every lookup is scoped to the logged-in user's organisation: another organisation's
review is a 404, never a 403, so its existence is not revealed.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from survey import links, since
from survey.access import review_in_my_organisation
from survey.choices import SelectChoice, option_values, options
from survey.domain import portfolio_table as table
from survey.domain.loader import LoadedQuestionnaire
from survey.domain.model import PARTIES
from survey.extensions import db
from survey.invitations import reminder_recipients, side_invitees
from survey.models import LINK_SLOTS, Client, Review, ShareLink, client_name_key
from survey.questionnaires import catalogue, questionnaire_for
from survey.reveal import REVEAL_STATES, reveal_state
from survey.workspace import operations, portfolio
from survey.workspace.forms import (
    REMIND_OFF,
    ClientValueForm,
    ConfidentialityForm,
    ConfirmForm,
    DueDateForm,
    InviteeForm,
    LinkExpiryForm,
    NewReviewForm,
    ReminderScheduleForm,
)
from survey.workspace.presenters import (
    default_questionnaire,
    link_panels,
    listed_one_by_one,
    questionnaire_choices,
    respondent_rows,
    results_link_panel,
)

bp = Blueprint("workspace", __name__)


@bp.before_request
@login_required
def _require_login() -> None:
    """Every workspace page needs a logged-in vendor user."""


def _clients() -> list[Client]:
    return list(
        db.session.scalars(
            sa.select(Client)
            .where(Client.organisation_id == current_user.organisation_id)
            .options(selectinload(Client.reviews).selectinload(Review.respondents))
            .order_by(Client.name_key)
        )
    )


def _my_client(public_id: str) -> Client | None:
    """The client with this public id in the user's organisation, else None."""
    return db.session.scalar(
        sa.select(Client).where(
            Client.public_id == public_id,
            Client.organisation_id == current_user.organisation_id,
        )
    )


def _client_in_my_organisation(public_id: str) -> Client:
    """The client in the user's organisation; another's is a 404 (its existence stays hidden)."""
    client = _my_client(public_id)
    if client is None:
        abort(404)
    return client


@bp.route("/")
def index() -> ResponseReturnValue:
    """The portfolio: one row per client, sorted and filtered by the query string."""
    clients = _clients()
    today = date.today()
    rows = portfolio.portfolio_rows(clients, today)
    sort = request.args.get("sort", "client")
    sort = sort if sort in table.SORT_KEYS else "client"
    descending = request.args.get("dir") == "desc"
    show = request.args.get("show", "all")
    show = show if show in table.FILTERS else "all"
    shown = table.sort_rows(table.filter_rows(rows, show, today), sort, descending)
    return render_template(
        "workspace/index.html",
        clients=clients,
        rows=shown,
        total=len(rows),
        today=today,
        sort=sort,
        descending=descending,
        show=show,
        sort_labels=table.SORT_LABELS,
        filters={name: label for name, (label, _keep) in table.FILTERS.items()},
        attention=table.attention(rows, today),
        at_risk=table.value_at_risk(rows),
        valued=table.valued(rows),
    )


@bp.route("/clients/<client_public_id>")
def client(client_public_id: str) -> ResponseReturnValue:
    """One client's reviews over time: the trend of the engine's results, and a repeat."""
    return _render_client(_client_in_my_organisation(client_public_id))


def _render_client(found: Client, value_form: ClientValueForm | None = None) -> str:
    """The client page; a value form refused on POST is shown with its errors."""
    rows = portfolio.client_trend(found)
    chart = None
    if any(row.has_results for row in rows):
        labels = (current_user.organisation.name, found.name)
        chart = portfolio.trend_chart(rows, labels, uid=f"trend-{found.public_id}")
    latest = since.latest_with_results(found)
    last_change = since.since_last_review(latest) if latest is not None else None
    return render_template(
        "workspace/client.html",
        client=found,
        rows=rows,
        chart=chart,
        movement=portfolio.movement(rows),
        since=last_change,
        warnings=since.warnings_for(latest, since=last_change) if latest is not None else (),
        dimension_trends=since.dimension_trends(found, f"dimension-trend-{found.public_id}"),
        value_form=value_form or ClientValueForm(yearly_value=found.yearly_value),
    )


@bp.route("/clients/<client_public_id>/value", methods=["POST"])
def set_client_value(client_public_id: str) -> ResponseReturnValue:
    """Record the client's yearly value (empty clears it), then back to its page."""
    found = _client_in_my_organisation(client_public_id)
    form = ClientValueForm()
    if not form.validate_on_submit():
        return _render_client(found, form), 400
    operations.set_client_value(found, form.yearly_value.data)
    flash("Yearly value saved." if found.yearly_value is not None else "Yearly value cleared.")
    return redirect(url_for("workspace.client", client_public_id=found.public_id))


def _my_review(public_id: str) -> Review | None:
    """The review with this public id in the user's organisation, else None."""
    return db.session.scalar(
        sa.select(Review).where(
            Review.public_id == public_id,
            Review.organisation_id == current_user.organisation_id,
        )
    )


def _prefill(form: NewReviewForm) -> None:
    """Repeat a review: the client and questionnaire named in the query string, if known.

    With `previous` (a review of the user's organisation), its client, its questionnaire
    and its next-review date as the due date (when set and not past) are filled in, and
    the form offers to carry its open plan over and to close it.
    Only fills the form; the vendor still confirms by submitting it. An unknown or
    another organisation's client or review, or a questionnaire not installed, is simply
    not filled.
    """
    previous = _my_review(request.args.get("previous", ""))
    found = previous.client if previous is not None else _my_client(request.args.get("client", ""))
    if found is not None:
        form.client_name.data = found.name
    questionnaire_id = request.args.get("questionnaire", "") or (
        previous.questionnaire_id if previous is not None else ""
    )
    if questionnaire_id in option_values(form.questionnaire):
        form.questionnaire.data = questionnaire_id
    if previous is not None:
        form.previous.data = previous.public_id
        due = operations.carried_due_date(previous)
        if due is not None and due >= date.today():
            form.due_on.data = due


def _repeated(form: NewReviewForm) -> Review | None:
    """The review being repeated, when the form names one of the same client."""
    previous = _my_review(form.previous.data or "")
    if previous is None:
        return None
    if client_name_key(form.client_name.data or "") != previous.client.name_key:
        flash(
            f"Nothing was carried over: the review repeated is of {previous.client.name}.",
            "info",
        )
        return None
    return previous


def _start(form: NewReviewForm, item: LoadedQuestionnaire) -> Review:
    """Start the review the form describes, repeating the previous one when it names it."""
    previous = _repeated(form)
    if previous is None:
        review, _ = operations.start_review(
            current_user.organisation,
            current_user,
            item.questionnaire,
            item.source,
            form.client_name.data or "",
            form.due_on.data,
            form.setting(),
            form.min_respondents.data or 1,
        )
        return review
    repeat = operations.Repeat(previous, bool(form.carry_over.data), bool(form.close_previous.data))
    review, _, carried = operations.repeat_review(
        repeat,
        current_user,
        item.questionnaire,
        item.source,
        form.due_on.data,
        form.setting(),
        form.min_respondents.data or 1,
    )
    if carried:
        count = len(carried)
        flash(f"{count} open action{'' if count == 1 else 's'} carried over.", "success")
    return review


@bp.route("/reviews/new", methods=["GET", "POST"])
def new_review() -> ResponseReturnValue:
    """Pick a questionnaire, name the client, optionally a due date; then start the review."""
    loaded = catalogue()
    form = NewReviewForm()
    form.questionnaire.choices = options(
        SelectChoice(qid, f"{item.questionnaire.title} (version {item.questionnaire.version})")
        for qid, item in sorted(loaded.items(), key=lambda kv: kv[1].questionnaire.title)
    )
    installed = [item.questionnaire for item in loaded.values()]
    if not form.is_submitted():
        form.questionnaire.data = default_questionnaire(installed)
        _prefill(form)
    if form.validate_on_submit():
        review = _start(form, loaded[form.questionnaire.data])
        flash("Review started. Send each side its link.", "success")
        return redirect(url_for("workspace.review", public_id=review.public_id))
    previous = _my_review(form.previous.data or "")
    return render_template(
        "workspace/new_review.html",
        form=form,
        clients=_clients(),
        choices=questionnaire_choices(installed),
        previous=previous,
        to_carry=operations.items_to_carry(previous) if previous is not None else [],
    )


@bp.route("/reviews/<public_id>")
def review(public_id: str) -> ResponseReturnValue:
    """A review: both shared links with invitations, respondents, and its controls."""
    return _render_review(review_in_my_organisation(public_id))


def _render_review(
    review: Review,
    due_form: DueDateForm | None = None,
    expiry_forms: dict[str, LinkExpiryForm] | None = None,
    confidentiality_form: ConfidentialityForm | None = None,
    invitee_forms: dict[str, InviteeForm] | None = None,
) -> str:
    """The review page; a form passed in (refused on POST) is shown with its errors."""
    questionnaire = questionnaire_for(review)
    schedule_form = ReminderScheduleForm(formdata=None, prefix="schedule")
    schedule_form.days_before.data = str(review.remind_days_before or REMIND_OFF)
    results_url = url_for("results.page", public_id=review.public_id)
    return render_template(
        "workspace/review.html",
        review=review,
        questionnaire=questionnaire,
        panels=link_panels(review, questionnaire, current_user.name),
        rows=respondent_rows(review, questionnaire),
        listed=listed_one_by_one(review),
        due_form=_stored_due_form(review) if due_form is None else due_form,
        expiry_forms=_stored_expiry_forms(review) | (expiry_forms or {}),
        confidentiality_form=confidentiality_form or _stored_confidentiality_form(review),
        confidentiality_locked=operations.confidentiality_locked(review),
        action_form=ConfirmForm(),
        results_url=results_url,
        results_panel=results_link_panel(review),
        reveal=reveal_state(review),
        reveal_words=REVEAL_STATES,
        sides=side_invitees(review),
        invitee_forms={p: InviteeForm(formdata=None, prefix=p) for p in PARTIES}
        | (invitee_forms or {}),
        reminder_count=len(reminder_recipients(review)),
        schedule_form=schedule_form,
    )


def _stored_due_form(review: Review) -> DueDateForm:
    """The due-date form filled from the review, not from whatever else was posted."""
    form = DueDateForm(formdata=None)
    form.due_on.data = review.due_on
    return form


def _stored_confidentiality_form(review: Review) -> ConfidentialityForm:
    """The confidentiality form filled from the review."""
    form = ConfidentialityForm(formdata=None, prefix="confidentiality")
    form.names_to_other_side.data = review.names_to_other_side
    form.anonymity_threshold.data = review.anonymity_threshold
    return form


def _stored_expiry_forms(review: Review) -> dict[str, LinkExpiryForm]:
    """Each link's expiry form (prefixed by its slot), filled from its current link."""
    forms: dict[str, LinkExpiryForm] = {}
    for party in LINK_SLOTS:
        link = links.current_in_slot(review, party)
        form = LinkExpiryForm(formdata=None, prefix=party)
        form.expires_on.data = links.link_works_until(link) if link else None
        forms[party] = form
    return forms


LOCKED_MESSAGE = (
    "Confidentiality can no longer change: people have started answering under what "
    "their welcome page promised."
)


def _back(review: Review) -> ResponseReturnValue:
    return redirect(url_for("workspace.review", public_id=review.public_id))


def _confirmed() -> bool:
    """Whether a button's POST carries a valid CSRF token (else a 400 is better)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return True


@bp.route("/reviews/<public_id>/close", methods=["GET", "POST"])
def close(public_id: str) -> ResponseReturnValue:
    """Stop collecting answers; a GET asks first (the button on the review page is a link).

    Closing locks every response in progress, so it is confirmed on its own page, which
    works without JavaScript; the POST from there carries the CSRF token as before.
    """
    review = review_in_my_organisation(public_id)
    if request.method == "GET":
        if not review.is_open:
            return _back(review)
        return render_template("workspace/confirm_close.html", review=review)
    _confirmed()
    operations.close_review(review)
    flash("Collection closed: the links now say the review is closed.", "info")
    return _back(review)


@bp.route("/reviews/<public_id>/reopen", methods=["POST"])
def reopen(public_id: str) -> ResponseReturnValue:
    """Collect answers again."""
    review = review_in_my_organisation(public_id)
    _confirmed()
    operations.reopen_review(review)
    flash("Collection reopened.", "info")
    return _back(review)


#: How flashed messages name each link slot, and what it opens.
SLOT_WORDS = {
    "vendor": ("vendor link", "the survey"),
    "client": ("client link", "the survey"),
    "results": ("results link", "the results"),
}


def _party_or_404(slot: str) -> str:
    """A link slot of the URL (vendor, client, results), else 404."""
    if slot not in LINK_SLOTS:
        abort(404)
    return slot


def _confirm_link_change(review: Review, party: str, change: str) -> ResponseReturnValue:
    """Ask before a link stops working: people may hold it in their inbox."""
    if _live_link(review, _party_or_404(party)) is None:
        return _back(review)
    return render_template(
        "workspace/confirm_link.html",
        review=review,
        party=party,
        change=change,
        survey_name=questionnaire_for(review).title,
    )


@bp.route("/reviews/<public_id>/links/<party>/revoke", methods=["GET", "POST"])
def revoke_link(public_id: str, party: str) -> ResponseReturnValue:
    """Make a party's shared link stop working (personal resume links keep working).

    A GET asks first, like closing collection, on a page that works without JavaScript.
    """
    review = review_in_my_organisation(public_id)
    if request.method == "GET":
        return _confirm_link_change(review, party, "revoke")
    _confirmed()
    links.revoke_link(review, _party_or_404(party))
    name, opens = SLOT_WORDS[party]
    flash(f"The {name} no longer opens {opens}.", "info")
    return _back(review)


@bp.route("/reviews/<public_id>/links/<party>/reissue", methods=["GET", "POST"])
def reissue_link(public_id: str, party: str) -> ResponseReturnValue:
    """Replace a party's shared link with a new one (the old one stops working); GET asks first."""
    review = review_in_my_organisation(public_id)
    if request.method == "GET":
        return _confirm_link_change(review, party, "reissue")
    _confirmed()
    links.reissue_link(review, _party_or_404(party))
    flash(f"New {SLOT_WORDS[party][0]} issued; the old one no longer works.", "success")
    return _back(review)


def _live_link(review: Review, party: str) -> ShareLink | None:
    """The slot's current link unless it was revoked (then there is none to change)."""
    link = links.current_in_slot(review, party)
    return link if link is not None and link.is_active else None


@bp.route("/reviews/<public_id>/links/<party>/expiry", methods=["POST"])
def set_link_expiry(public_id: str, party: str) -> ResponseReturnValue:
    """Set or clear the last day a party's shared link opens."""
    review = review_in_my_organisation(public_id)
    link = _live_link(review, _party_or_404(party))
    if link is None:
        flash(f"The {SLOT_WORDS[party][0]} was revoked; issue a new one first.", "info")
        return _back(review)
    form = LinkExpiryForm(prefix=party)
    if not form.validate_on_submit():
        return _render_review(review, expiry_forms={party: form}), 400
    links.set_link_expiry(link, form.expires_on.data)
    until = form.expires_on.data
    name = SLOT_WORDS[party][0]
    if until is None:
        flash(f"The {name} no longer expires.", "success")
    else:
        flash(f"The {name} works until the end of {until:%-d %B %Y} (UTC).", "success")
    return _back(review)


@bp.route("/reviews/<public_id>/due", methods=["POST"])
def set_due(public_id: str) -> ResponseReturnValue:
    """Set or clear the due date."""
    review = review_in_my_organisation(public_id)
    form = DueDateForm()
    if form.validate_on_submit():
        operations.set_due_date(review, form.due_on.data)
        flash("Due date saved." if form.due_on.data else "Due date cleared.", "success")
        return _back(review)
    return _render_review(review, due_form=form), 400


@bp.route("/reviews/<public_id>/confidentiality", methods=["POST"])
def set_confidentiality(public_id: str) -> ResponseReturnValue:
    """Change who sees what, while nobody has started answering yet."""
    review = review_in_my_organisation(public_id)
    form = ConfidentialityForm(prefix="confidentiality")
    if not form.validate_on_submit():
        return _render_review(review, confidentiality_form=form), 400
    try:
        operations.set_confidentiality(review, form.setting())
    except operations.SettingLocked:
        flash(LOCKED_MESSAGE, "error")
        return _back(review)
    flash("Confidentiality saved: the welcome pages now say so.", "success")
    return _back(review)
