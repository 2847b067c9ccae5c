"""Results pages: the side-by-side comparison, the joint action plan, the PDF and exports.

Two doors to the same results. The vendor comes in logged in, scoped to its organisation
(`/reviews/<public_id>/results`); the client comes in through its own results link
(`/r/<results token>/results`, never a survey link). The staged reveal
(:mod:`survey.reveal`): nobody sees anything until both sides have enough submitted
respondents; then the vendor prepares, and the client sees what the vendor shares, while
it shares it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException

from survey import reveal, since
from survey.access import review_in_my_organisation
from survey.domain.model import Party
from survey.extensions import db, limiter
from survey.links import find_shared_link, link_error_page
from survey.models import ActionEvent, ActionItem, Review, ShareLink
from survey.results import exports, operations, report
from survey.results.data import (
    Comparison,
    Pending,
    build_comparison,
    pending_items,
    plan_items,
    stake_readings,
)
from survey.results.forms import (
    ActionForm,
    ConfirmForm,
    NextReviewForm,
    ProposeForm,
    comment_form,
    link_comment_form,
    response_form,
)
from survey.results.operations import Actor, PlanError
from survey.results.pdf import DEFAULT_TIMEOUT, PdfError, PdfTimeout, render_pdf
from survey.reveal import (
    missing_parties,
    preparer,
    results_ready,
    reveal_state,
    shared_with_client,
)

bp = Blueprint("results", __name__)
link_bp = Blueprint("shared_results", __name__, url_prefix="/r")

LINK_LIMIT = "60/minute"
PDF_LIMIT = "10/minute"


@bp.before_request
@login_required
def _require_login() -> None:
    """Every vendor results page needs a logged-in vendor user."""


@link_bp.errorhandler(404)
@link_bp.errorhandler(410)
def link_error(error: HTTPException) -> ResponseReturnValue:
    """A clear page for unknown (404) and revoked, replaced or expired (410) results links."""
    return link_error_page(error, "the results")


# --- lookups with the access check ----------------------------------------------------------


def _client_review(token: str) -> tuple[ShareLink, Review]:
    """The review behind a live results link (else 404, or 410 when revoked or replaced)."""
    link = find_shared_link(token, purpose="results")
    return link, link.review


def _item(review: Review, item_id: str) -> ActionItem:
    item: ActionItem | None = db.session.scalar(
        sa.select(ActionItem).where(
            ActionItem.public_id == item_id, ActionItem.review_id == review.id
        )
    )
    if item is None:
        abort(404)
    return item


def _ready_or_404(review: Review) -> None:
    """Writes and downloads exist only once the results do."""
    if not results_ready(review):
        abort(404)


def _shared_or_404(review: Review) -> None:
    """For the client, the results exist only while the vendor shares them."""
    if not shared_with_client(review):
        abort(404)


def _me() -> Actor:
    return Actor(user=current_user._get_current_object())


# --- shared page context ----------------------------------------------------------------------


def _history(review: Review) -> list[ActionEvent]:
    return list(
        db.session.scalars(
            sa.select(ActionEvent)
            .where(ActionEvent.review_id == review.id)
            .order_by(ActionEvent.at.desc(), ActionEvent.id.desc())
        )
    )


def _waiting(review: Review, audience: str) -> str:
    """Who is still missing; for the client also "being prepared" or "no longer shared"."""
    return render_template(
        "results/waiting.html",
        review=review,
        missing=missing_parties(review),
        audience=audience,
        state=reveal_state(review),
        preparer=preparer(review),
    )


def _pending_form(pending: Pending) -> ActionForm:
    form = ActionForm(prefix=_prefix(pending.key), formdata=None)
    form.title.data = pending.title
    form.owner.data = pending.owner
    return form


def _prefix(key: str) -> str:
    return "k-" + key.replace(":", "-")


PLAN_PLACES = ("plan", "pending", "next-review", "add-action", "propose", "sharing")


def _notice_at(items: list[ActionItem], pending: list[Pending]) -> str | None:
    """Where the page shows its flashed messages: next to what the last change touched.

    The plan is far down a long page, so a confirmation at the top would be out of sight;
    the redirect names the place (``?at=item-…``) and the template puts the message there.
    None (no or an unknown place) keeps the messages at the top, as on every other page.
    """
    wanted = request.args.get("at")
    places = {
        *PLAN_PLACES,
        *(f"item-{i.public_id}" for i in items),
        *(_prefix(p.key) for p in pending),
    }
    if wanted == "pending" and not pending:
        return "plan"
    return wanted if wanted in places else None


def _over_time(review: Review, comparison: Comparison) -> dict[str, Any]:
    """Since last review and seed 003's warnings, for the side reading (survey.since), and
    the headline and method box made from the same objects (survey.results.report)."""
    audience = comparison.disclosure.audience
    found = since.since_last_review(review, audience, comparison.result)
    return {
        "since": found,
        "warnings": since.warnings_for(review, audience, comparison.result, found),
        "headline": report.headline_for(comparison, found),
        "method": report.method_for(review, comparison),
    }


#: Suggestions and proposals listed at first; the rest behind "Show all" (``?pending=all``).
#: A review of hundreds of people brings one proposal per written answer: listing them all
#: would make the page megabytes long (the bulk buttons still decide them all).
PENDING_SHOWN = 25


#: Written answers listed per side and question; all of them on request (``?answers=all``).
VERBATIMS_SHOWN = 10


def _verbatim_limit() -> int | None:
    """How many written answers each side lists per question on this view of the page."""
    return None if request.args.get("answers") == "all" else VERBATIMS_SHOWN


def _shown_pending(pending: list[Pending], notice_at: str | None) -> list[Pending]:
    """The first PENDING_SHOWN (all of them on request), and the one a message is about."""
    if request.args.get("pending") == "all" or len(pending) <= PENDING_SHOWN:
        return pending
    shown = pending[:PENDING_SHOWN]
    touched = [p for p in pending[PENDING_SHOWN:] if _prefix(p.key) == notice_at]
    return shown + touched


def _vendor_context(review: Review, comparison: Comparison) -> dict[str, Any]:
    pending = pending_items(review, comparison.result)
    items = plan_items(review)
    notice_at = _notice_at(items, pending)
    shown = _shown_pending(pending, notice_at)
    return {
        **_over_time(review, comparison),
        "first_actions": report.first_actions(items),
        "c": comparison,
        "review": review,
        "audience": "vendor",
        "has_roles": any(stake for stake in reveal.client_stake_counts(review)),
        "notice_at": notice_at,
        "pending": [(p, _prefix(p.key)) for p in shown],
        "pending_total": len(pending),
        "pending_suggested": sum(1 for p in pending if p.source == "suggested"),
        "pending_more": len(pending) - len(shown),
        "verbatim_limit": _verbatim_limit(),
        "items": items,
        "comment_forms": {i.public_id: comment_form(i.public_id) for i in items},
        "response_forms": {
            i.public_id: response_form(i) for i in items if i.proposed_by == "client"
        },
        "reveal": reveal_state(review),
        "preparer": preparer(review),
        "add_form": ActionForm(prefix="new", formdata=None),
        "next_form": NextReviewForm(next_review_on=review.next_review_on, formdata=None),
        "history": _history(review),
    }


# --- vendor pages ---------------------------------------------------------------------------


@bp.route("/reviews/<public_id>/results")
def page(public_id: str) -> ResponseReturnValue:
    """The comparison and the plan, or who is still missing."""
    review = review_in_my_organisation(public_id)
    if not results_ready(review):
        return _waiting(review, "vendor")
    return render_template(
        "results/vendor.html", **_vendor_context(review, build_comparison(review, "vendor"))
    )


@bp.route("/reviews/<public_id>/results/roles")
def by_role(public_id: str) -> ResponseReturnValue:
    """The client's scores read by the part its people play, beside the whole sides.

    Only stakes the anonymity threshold lets be read apart get numbers; the others are
    named with the reason, so no reading gives away a few people's answers.
    """
    review = review_in_my_organisation(public_id)
    if not results_ready(review):
        return _waiting(review, "vendor")
    comparison = build_comparison(review, "vendor")
    return render_template(
        "results/roles.html", review=review, c=comparison, readings=stake_readings(review)
    )


def _back(review: Review, anchor: str = "plan") -> ResponseReturnValue:
    """Back to the results page, at the changed place, with the message shown there."""
    return redirect(url_for("results.page", public_id=review.public_id, at=anchor, _anchor=anchor))


def _flash_errors(form: Any) -> None:
    for field_errors in form.errors.values():
        for message in field_errors:
            flash(str(message), "error")


def _pending_or_back(review: Review, key: str) -> Pending | None:
    """The undecided suggestion or proposal `key`; None (and a message) once decided."""
    target = {p.key: p for p in pending_items(review, reveal.review_result(review))}.get(key)
    if target is None:
        flash("That suggestion was already decided.", "info")
    return target


@bp.route("/reviews/<public_id>/results/plan/pending/<key>", methods=["POST"])
def decide_pending(public_id: str, key: str) -> ResponseReturnValue:
    """Accept or decline one engine suggestion or answer's proposal.

    The compact list posts the decision alone (accepted as suggested); the edit page, or a
    form carrying the item's fields, accepts it with the wording, owner and date given.
    """
    review = review_in_my_organisation(public_id)
    _ready_or_404(review)
    target = _pending_or_back(review, key)
    if target is None:
        return _back(review)
    if request.form.get("decision") == "decline":  # CSRFProtect has checked the token
        operations.decline_action(review, target, _me())
        flash(f"Declined: {target.title}", "success")
        return _back(review, "pending")
    edits: dict[str, Any] = {}
    if f"{_prefix(key)}-title" in request.form:
        form = ActionForm(prefix=_prefix(key))
        if not form.validate_on_submit():
            _flash_errors(form)
            return redirect(url_for("results.edit_pending", public_id=public_id, key=key))
        edits = _pending_edits(form)
    item = operations.accept_action(review, target, _me(), edits)
    flash(f"Added to the plan: {item.title}", "success")
    return _back(review, f"item-{item.public_id}")


def _pending_edits(form: ActionForm) -> dict[str, Any]:
    return {k: v for k, v in form.fields_dict().items() if k in ("title", "owner", "due_on")}


@bp.route("/reviews/<public_id>/results/plan/pending/<key>/edit", methods=["GET", "POST"])
def edit_pending(public_id: str, key: str) -> ResponseReturnValue:
    """One suggestion's form: adjust its wording, owner and date, then accept it."""
    review = review_in_my_organisation(public_id)
    _ready_or_404(review)
    target = _pending_or_back(review, key)
    if target is None:
        return _back(review)
    form = ActionForm(prefix=_prefix(key)) if request.method == "POST" else _pending_form(target)
    if form.validate_on_submit():
        item = operations.accept_action(review, target, _me(), _pending_edits(form))
        flash(f"Added to the plan: {item.title}", "success")
        return _back(review, f"item-{item.public_id}")
    return render_template("results/edit_pending.html", review=review, pending=target, form=form)


@bp.route("/reviews/<public_id>/results/plan/accept-suggested", methods=["POST"])
def accept_suggested(public_id: str) -> ResponseReturnValue:
    """Accept every undecided engine suggestion as suggested (not the proposals people made)."""
    review, made = _decide_every_pending(public_id, operations.accept_all_suggested)
    if made:
        flash(f"Added to the plan: {_count(made, 'suggestion')}.", "success")
    else:
        flash("No suggestion was left to accept; nothing changed.", "info")
    return _back(review, "plan")


@bp.route("/reviews/<public_id>/results/plan/decline-rest", methods=["POST"])
def decline_rest(public_id: str) -> ResponseReturnValue:
    """Decline every suggestion and proposal still undecided."""
    review, declined = _decide_every_pending(public_id, operations.decline_all_pending)
    if declined:
        flash(f"Declined the {_count(declined, 'item')} left to decide.", "success")
    else:
        flash("Nothing was left to decide; nothing changed.", "info")
    return _back(review, "plan")


def _decide_every_pending(
    public_id: str, decide: Callable[[Review, list[Pending], operations.Actor], list[Any]]
) -> tuple[Review, int]:
    """Run one bulk decision on what is still to decide; the review and how many it made."""
    review = review_in_my_organisation(public_id)
    _ready_or_404(review)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return review, len(decide(review, pending_items(review, reveal.review_result(review)), _me()))


def _count(number: int, noun: str) -> str:
    """``1 suggestion``, ``3 suggestions``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


@bp.route("/reviews/<public_id>/results/plan/<item_id>/decide", methods=["POST"])
def decide_item(public_id: str, item_id: str) -> ResponseReturnValue:
    """Accept or decline a proposal the client made through its link."""
    review = review_in_my_organisation(public_id)
    _ready_or_404(review)
    item = _item(review, item_id)
    if request.form.get("decision") == "decline":
        operations.decline_action(review, item, _me())
        flash(f"Declined: {item.title}", "success")
    else:
        operations.accept_action(review, item, _me())
        flash(f"Added to the plan: {item.title}", "success")
    return _back(review, f"item-{item.public_id}")


@bp.route("/reviews/<public_id>/results/plan/<item_id>/response", methods=["POST"])
def respond(public_id: str, item_id: str) -> ResponseReturnValue:
    """The vendor's response to a client proposal ("you said / we propose")."""
    review = review_in_my_organisation(public_id)
    _ready_or_404(review)
    item = _item(review, item_id)
    if item.proposed_by != "client":
        abort(404)
    form = response_form(item, formdata=request.form)
    if not form.validate_on_submit():
        _flash_errors(form)
    elif operations.respond_to_proposal(item, _me(), form.response.data):
        flash("Response saved." if item.vendor_response else "Response removed.", "success")
    else:
        flash("Nothing changed.", "info")
    return _back(review, f"item-{item.public_id}")


@bp.route("/reviews/<public_id>/results/share", methods=["POST"])
def share(public_id: str) -> ResponseReturnValue:
    """Share the prepared results with the client (its results link then shows them)."""
    review = review_in_my_organisation(public_id)
    _ready_or_404(review)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    operations.share_results(review, _me())
    flash(f"Shared with {review.client_name}: its results link now shows them.", "success")
    return _back(review, "sharing")


@bp.route("/reviews/<public_id>/results/unshare", methods=["POST"])
def unshare(public_id: str) -> ResponseReturnValue:
    """Stop sharing the results with the client; its results link then says so."""
    review = review_in_my_organisation(public_id)
    _ready_or_404(review)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    operations.stop_sharing(review, _me())
    flash(f"{review.client_name} no longer sees the results.", "info")
    return _back(review, "sharing")


@bp.route("/reviews/<public_id>/results/plan/add", methods=["POST"])
def add(public_id: str) -> ResponseReturnValue:
    """The vendor's own action."""
    review = review_in_my_organisation(public_id)
    _ready_or_404(review)
    form = ActionForm(prefix="new")
    if not form.validate_on_submit():
        _flash_errors(form)
        return _back(review, "add-action")
    item = operations.add_action(review, _me(), form.fields_dict())
    flash(f"Added to the plan: {item.title}", "success")
    return _back(review, f"item-{item.public_id}")


@bp.route("/reviews/<public_id>/results/plan/<item_id>/edit", methods=["GET", "POST"])
def edit(public_id: str, item_id: str) -> ResponseReturnValue:
    """Edit an item's title, detail, owner, due date and status."""
    review = review_in_my_organisation(public_id)
    _ready_or_404(review)
    item = _item(review, item_id)
    form = ActionForm(obj=item)
    if form.validate_on_submit():
        try:
            changes = operations.update_action(item, _me(), form.fields_dict())
        except PlanError as error:
            form.form_errors.append(str(error))
        else:
            flash("Saved: " + "; ".join(changes) if changes else "Nothing changed.", "success")
            return _back(review, f"item-{item.public_id}")
    return render_template("results/edit_action.html", review=review, item=item, form=form)


@bp.route("/reviews/<public_id>/results/plan/<item_id>/comment", methods=["POST"])
def comment(public_id: str, item_id: str) -> ResponseReturnValue:
    """A vendor user's comment on an item."""
    review = review_in_my_organisation(public_id)
    _ready_or_404(review)
    item = _item(review, item_id)
    form = comment_form(item.public_id)
    if form.validate_on_submit():
        operations.comment_on_action(item, _me(), form.text.data or "")
        flash("Comment added.", "success")
    else:
        _flash_errors(form)
    return _back(review, f"item-{item.public_id}")


@bp.route("/reviews/<public_id>/results/next-review", methods=["POST"])
def next_review(public_id: str) -> ResponseReturnValue:
    """Set the date of the next relationship review."""
    review = review_in_my_organisation(public_id)
    _ready_or_404(review)
    form = NextReviewForm()
    if form.validate_on_submit():
        operations.set_next_review(review, _me(), form.next_review_on.data)
        flash("Next review date saved.", "success")
    else:
        _flash_errors(form)
    return _back(review, "next-review")


@bp.route("/reviews/<public_id>/results/report.pdf")
@limiter.limit(PDF_LIMIT)
def vendor_pdf(public_id: str) -> ResponseReturnValue:
    """The report as PDF, for the vendor."""
    review = review_in_my_organisation(public_id)
    _ready_or_404(review)
    return _pdf_response(review, "vendor")


@bp.route("/reviews/<public_id>/results/export.json")
def export_json(public_id: str) -> ResponseReturnValue:
    """The submitted answers as an answers file (`survey score` reproduces the page)."""
    review = review_in_my_organisation(public_id)
    _ready_or_404(review)
    return _download(
        exports.export_json(review, "vendor"), "application/json", review, "answers.json"
    )


@bp.route("/reviews/<public_id>/results/answers.csv")
def export_csv(public_id: str) -> ResponseReturnValue:
    """Every submitted answer as CSV, formulas neutralised."""
    review = review_in_my_organisation(public_id)
    _ready_or_404(review)
    return _download(exports.export_csv(review, "vendor"), "text/csv", review, "answers.csv")


def _filename(review: Review, suffix: str) -> str:
    """``rapport-<client>-<day>-<suffix>``: the client's letters and digits, in any script."""
    name = unicodedata.normalize("NFC", review.client_name)
    safe = "".join(ch if ch.isalnum() else "-" for ch in name).strip("-").lower()
    return f"rapport-{safe[:40] or 'review'}-{review.created_at:%Y-%m-%d}-{suffix}"


def attachment(filename: str) -> str:
    """A Content-Disposition value for any filename (RFC 6266): ASCII throughout.

    ``filename=`` is an ASCII fallback (accents dropped, other letters replaced), and
    ``filename*=UTF-8''…`` carries the real name for every browser since 2011.

    >>> print(attachment("rapport-łódź.pdf"))
    attachment; filename="rapport-lodz.pdf"; filename*=UTF-8''rapport-%C5%82%C3%B3d%C5%BA.pdf
    """
    ascii_name = unicodedata.normalize("NFKD", filename.translate(_ASCII_LOOKALIKES))
    fallback = "".join(
        ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-"
        for ch in ascii_name
        if not unicodedata.combining(ch)
    )
    fallback = re.sub(r"-{2,}", "-", fallback)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


#: Letters NFKD does not take apart into an ASCII letter and a mark.
_ASCII_LOOKALIKES = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d"})


def _download(body: str | bytes, mimetype: str, review: Review, suffix: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = attachment(_filename(review, suffix))
    response.headers["Cache-Control"] = "no-store"
    return response


# --- the PDF ----------------------------------------------------------------------------------


def _report_html(review: Review, comparison: Comparison) -> str:
    items = [i for i in plan_items(review) if i.status != "declined"]
    top = report.first_actions(items)
    audience = comparison.disclosure.audience
    trends = since.dimension_trends(
        review.client, f"pdf-trend-{review.public_id}", until=review, audience=audience
    )
    return render_template(
        "pdf/report.html",
        **_over_time(review, comparison),
        dimension_trends=trends,
        c=comparison,
        review=review,
        items=items,
        top_actions=top,
        suggestions=list(comparison.result.actions[:3]) if not top else [],
        today=date.today(),
    )


def _pdf_response(review: Review, audience: Party) -> ResponseReturnValue:
    """Render in a child process; a clear page (503) when it fails or runs out of time.

    The report is made for the side downloading it (`audience`), as its page is.
    """
    html = _report_html(review, build_comparison(review, audience))
    timeout = float(current_app.config.get("SURVEY_PDF_TIMEOUT", DEFAULT_TIMEOUT))
    try:
        pdf = render_pdf(html, Path(current_app.static_folder or "static"), timeout=timeout)
    except PdfTimeout:
        current_app.logger.warning("PDF report timed out for review %s", review.public_id)
        return render_template("results/pdf_error.html", review=review, timed_out=True), 503
    except PdfError as error:
        current_app.logger.error("PDF report failed for review %s: %s", review.public_id, error)
        return render_template("results/pdf_error.html", review=review, timed_out=False), 503
    return _download(pdf, "application/pdf", review, "report.pdf")


# --- the client's door ----------------------------------------------------------------------


def _client_context(token: str, review: Review, comparison: Comparison) -> dict[str, Any]:
    items = plan_items(review)
    return {
        "verbatim_limit": _verbatim_limit(),
        **_over_time(review, comparison),
        "first_actions": report.first_actions(items),
        "c": comparison,
        "review": review,
        "audience": "client",
        "token": token,
        "items": items,
        "notice_at": _notice_at(items, []),
        "comment_forms": {
            i.public_id: link_comment_form(i.public_id, _author_name(review)) for i in items
        },
        "propose_form": _propose_form(review),
        "history": _history(review),
    }


@link_bp.route("/<token>/results")
@limiter.limit(LINK_LIMIT)
def shared_page(token: str) -> ResponseReturnValue:
    """The same comparison and plan, for the client, through its results link."""
    _, review = _client_review(token)
    if not shared_with_client(review):
        return _waiting(review, "client")
    return render_template(
        "results/client.html",
        **_client_context(token, review, build_comparison(review, "client")),
    )


def _author_key(review: Review) -> str:
    return f"author-name:{review.public_id}"


def _author_name(review: Review) -> str | None:
    """The name this browser last signed a comment or proposal with on this review."""
    remembered = session.get(_author_key(review))
    return remembered if isinstance(remembered, str) else None


def _remember_author(review: Review, name: str | None) -> Actor:
    """Keep the name given (in the signed session cookie) and act under it through the link."""
    actor = Actor.client_link(name)
    if actor.author_name:
        session[_author_key(review)] = actor.author_name
    else:
        session.pop(_author_key(review), None)
    return actor


def _propose_form(review: Review) -> ProposeForm:
    form = ProposeForm(prefix="propose", formdata=None)
    form.author_name.data = _author_name(review)
    return form


def _back_to_link(token: str, anchor: str = "plan") -> ResponseReturnValue:
    return redirect(url_for("shared_results.shared_page", token=token, at=anchor, _anchor=anchor))


@link_bp.route("/<token>/results/plan/<item_id>/comment", methods=["POST"])
@limiter.limit(LINK_LIMIT)
def shared_comment(token: str, item_id: str) -> ResponseReturnValue:
    """The client comments on an action."""
    _, review = _client_review(token)
    _shared_or_404(review)
    item = _item(review, item_id)
    form = link_comment_form(item.public_id)
    if form.validate_on_submit():
        actor = _remember_author(review, form.author_name.data)
        operations.comment_on_action(item, actor, form.text.data or "")
        flash("Thank you, your comment was added.", "success")
    else:
        _flash_errors(form)
    return _back_to_link(token, f"item-{item.public_id}")


@link_bp.route("/<token>/results/propose", methods=["POST"])
@limiter.limit(LINK_LIMIT)
def shared_propose(token: str) -> ResponseReturnValue:
    """The client proposes a new action; the vendor accepts or declines it."""
    _, review = _client_review(token)
    _shared_or_404(review)
    form = ProposeForm(prefix="propose")
    if form.validate_on_submit():
        actor = _remember_author(review, form.author_name.data)
        item = operations.propose_action(review, actor, form.title.data or "", form.detail.data)
        flash("Thank you, your proposal was added to the plan.", "success")
        return _back_to_link(token, f"item-{item.public_id}")
    _flash_errors(form)
    return _back_to_link(token, "propose")


@link_bp.route("/<token>/results/export.json")
@limiter.limit(LINK_LIMIT)
def shared_export_json(token: str) -> ResponseReturnValue:
    """The answers file as the client may have it (while the vendor shares the results).

    Made for the client: the vendor's people only as far as the review's confidentiality
    setting allows, with the key of what it includes.
    """
    _, review = _client_review(token)
    _shared_or_404(review)
    return _download(
        exports.export_json(review, "client"), "application/json", review, "answers.json"
    )


@link_bp.route("/<token>/results/answers.csv")
@limiter.limit(LINK_LIMIT)
def shared_export_csv(token: str) -> ResponseReturnValue:
    """Every answer the client may read, as CSV (see :func:`shared_export_json`)."""
    _, review = _client_review(token)
    _shared_or_404(review)
    return _download(exports.export_csv(review, "client"), "text/csv", review, "answers.csv")


@link_bp.route("/<token>/results/report.pdf")
@limiter.limit(PDF_LIMIT)
def shared_pdf(token: str) -> ResponseReturnValue:
    """The report as PDF, for the client (while the vendor shares the results)."""
    _, review = _client_review(token)
    _shared_or_404(review)
    return _pdf_response(review, "client")
