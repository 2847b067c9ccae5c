"""Routes of the respondent journey: welcome, survey pages, review, submit, thank-you.

Everything here is reached through a capability token (a shared link, or a personal
resume link), so every response carries :data:`~survey.links.LINK_HEADERS` (set once, by the
app, for every route with a token).
Nothing a respondent typed is lost: each page post saves before moving, the page script
autosaves while typing, and an expired session or CSRF token re-renders the page with the
posted answers filled in instead of dropping them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.exceptions import HTTPException

from survey import invitations
from survey.disclosure import promises
from survey.domain.effort import effort
from survey.domain.model import fill_names
from survey.extensions import csrf, limiter
from survey.faults import DATABASE_FAULTS, RETRY_AFTER, forget_failed_transaction
from survey.limits import (
    RESUME_LIMIT,
    SHARED_LINK_LIMIT,
    link_and_address,
    personal_link,
    token_misses,
)
from survey.links import (
    came_by_token,
    find_respondent,
    find_shared_link,
    install_log_redaction,
    link_error_page,
    live_link_token,
    remember_resume_token,
    remembered_respondent,
)
from survey.models import Invitee, Review, ShareLink
from survey.questionnaires import questionnaire_for
from survey.respond.fields import (
    Journey,
    Reading,
    fingerprint,
    question_views,
    read_page,
    summary,
)
from survey.respond.forms import PageForm, StartForm, SubmitForm
from survey.respond.operations import (
    CLEAR,
    MissingAnswers,
    ResponseLocked,
    answers_of,
    missing_required,
    save_answers,
    start_invited_response,
    start_response,
    submit_response,
)
from survey.reveal import open_to, preparer, reveal_state

bp = Blueprint("respond", __name__, url_prefix="/r")
bp.record_once(lambda _state: install_log_redaction())

EXPIRED_MESSAGE = "Your session had expired; we kept your answers — press {button} again."
#: The only accepted value of ``next``: after saving, go back to "check your answers".
#: Anything else is ignored, so the parameter can never send anyone elsewhere.
RETURN_TO_REVIEW = "review"


# --- the door to the results -------------------------------------------------------------


@dataclass(frozen=True)
class ResultsDoor:
    """Where a respondent's side sees the comparison and the joint plan."""

    url: str
    ready: bool  # open to this side now (the reveal rule, survey.reveal)
    login: bool  # the vendor's results page: vendor staff log in to see it
    state: str = "collecting"  # survey.reveal.reveal_state
    preparer: str = ""  # who prepares the results, for the client's words


def results_door(review: Review, party: str, shared_token: str | None) -> ResultsDoor | None:
    """The results page for this side, or None when it has none to offer.

    The client sees results through its own results link (`/r/<results token>/results`),
    offered here only to a visitor who holds the client's live survey link: `shared_token`
    is the shared link they opened, or for a respondent on a resume page the link they
    came by while it still opens (:func:`came_by_token`); never through a replaced one.
    A vendor respondent is vendor staff: never the client's door, but the vendor results
    page, which asks for a login.
    """
    state = reveal_state(review)
    if party == "vendor":
        url = url_for("results.page", public_id=review.public_id)
        return ResultsDoor(url, open_to(review, "vendor"), login=True, state=state)
    results_token = live_link_token(review, "client", "results")
    if shared_token is None or results_token is None:
        return None
    url = url_for("shared_results.shared_page", token=results_token)
    ready = open_to(review, "client")
    return ResultsDoor(url, ready, login=False, state=state, preparer=preparer(review))


def _journey_door(journey: Journey) -> ResultsDoor | None:
    """The results door of a respondent on their own pages (see :func:`results_door`)."""
    return results_door(journey.review, journey.party, came_by_token(journey.respondent))


# --- shared link -------------------------------------------------------------------------


@bp.route("/<token>", methods=["GET", "POST"])
@token_misses
@limiter.limit(SHARED_LINK_LIMIT, key_func=link_and_address)
def welcome(token: str) -> ResponseReturnValue:
    """The party's welcome page; posting it starts a response and remembers it."""
    link = find_shared_link(token)
    remembered = remembered_respondent(link)
    if request.method == "GET" and remembered and not remembered[0].is_submitted:
        return redirect(url_for(".resume", token=remembered[1]))
    door = results_door(link.review, link.party, token)
    if not link.review.is_open:
        return _closed(answers_kept=remembered is not None, door=door)
    form = StartForm()
    if form.validate_on_submit():
        g.unsaved_labels = {field.name: field.label.text for field in (form.name, form.role)}
        try:
            _, resume_token = start_response(link, form.name.data, form.role.data)
        except ResponseLocked:
            return _closed(answers_kept=False, door=door)
        response = redirect(url_for(".page", token=resume_token, number=1))
        remember_resume_token(response, link, resume_token)
        return response
    return _render_welcome(link, form, submitted=remembered, door=door)


def _render_welcome(
    source: ShareLink | Invitee,
    form: StartForm,
    submitted: Any = None,
    message: str | None = None,
    door: ResultsDoor | None = None,
) -> ResponseReturnValue:
    """The welcome page of a shared link, or of an invitee's personal link."""
    review = source.review
    questionnaire = questionnaire_for(review)
    party = source.party
    invited = isinstance(source, Invitee)
    info = questionnaire.parties.vendor if party == "vendor" else questionnaire.parties.client
    asked = effort(questionnaire, party)
    intro = info.intro and fill_names(
        info.intro, vendor=review.vendor_name, client=review.client_name
    )
    earlier = None
    if submitted and submitted[0].is_submitted:
        earlier = url_for(".thanks", token=submitted[1])
    return render_template(
        "respond/welcome.html",
        review=review,
        questionnaire=questionnaire,
        party_label=info.label,
        org_name=review.vendor_name if party == "vendor" else review.client_name,
        intro=intro,
        count=asked.questions,
        follow_ups=asked.follow_ups,
        minutes=asked.minutes,
        form=form,
        earlier=earlier,
        promises=promises(review.confidentiality, party, review.org_names, invited=invited),
        invited=invited,
        message=message,
        door=door if door is not None and door.state != "collecting" else None,
    ), (400 if message else 200)


# --- an invitee's personal link ----------------------------------------------------------


def _invitee(token: str) -> Invitee:
    invitee = invitations.find_invitee(token)
    if invitee is None:
        abort(404)
    return invitee


@bp.route("/invited/<token>", methods=["GET", "POST"])
@token_misses
@limiter.limit(RESUME_LIMIT, key_func=personal_link)
def invited(token: str) -> ResponseReturnValue:
    """The link in an invitation mail: a welcome page with the name filled in; once the
    person has started, their answers (the same token is their resume link)."""
    invitee = _invitee(token)
    if invitee.respondent is not None:
        return redirect(url_for(".resume", token=token))
    review = invitee.review
    door = results_door(review, invitee.party, live_link_token(review, invitee.party))
    if not review.is_open:
        return _closed(answers_kept=False, door=door)
    form = StartForm()
    if request.method == "GET":
        form.name.data = invitee.name
    if form.validate_on_submit():
        g.unsaved_labels = {field.name: field.label.text for field in (form.name, form.role)}
        try:
            start_invited_response(invitee, form.name.data, form.role.data)
        except ResponseLocked:
            return _closed(answers_kept=False, door=door)
        return redirect(url_for(".page", token=token, number=1))
    return _render_welcome(invitee, form, door=door)


@bp.route("/stop/<token>", methods=["GET", "POST"])
@csrf.exempt
@token_misses
@limiter.limit(RESUME_LIMIT, key_func=personal_link)
def stop_reminders(token: str) -> ResponseReturnValue:
    """Stop reminders for one invitee of one review: the link in every reminder.

    The POST is exempt from CSRF on purpose: mail programs send RFC 8058's one-click
    "unsubscribe" as a bare POST. The signed token is the authority, and all it can do is
    stop reminders, which doing twice changes nothing.
    """
    invitee = invitations.invitee_for_stop(token)
    if invitee is None:
        abort(404)
    if request.method == "POST":
        invitations.stop_reminders(invitee)
    return render_template(
        "respond/stop_reminders.html",
        invitee=invitee,
        review=invitee.review,
        stopped=invitee.reminders_stopped_at is not None,
    )


# --- personal resume link ----------------------------------------------------------------


def _journey(token: str) -> Journey:
    respondent = find_respondent(token)
    return Journey(respondent, token, questionnaire_for(respondent.review))


def _locked(journey: Journey) -> ResponseReturnValue | None:
    """The answer to give when the response can no longer change, else None."""
    if journey.respondent.is_submitted:
        if request.method == "GET":
            return redirect(url_for(".thanks", token=journey.token))
        message = "Your response was already submitted, so it can no longer be changed."
        return _render_thanks(journey, message=message, status=409)
    if not journey.review.is_open:
        return _closed(answers_kept=True, door=_journey_door(journey))
    return None


@bp.get("/resume/<token>")
@token_misses
@limiter.limit(RESUME_LIMIT, key_func=personal_link)
def resume(token: str) -> ResponseReturnValue:
    """Where a personal link lands: the first page with an open question, else the review."""
    journey = _journey(token)
    locked = _locked(journey)
    if locked is not None:
        return locked
    number = journey.first_open_page(answers_of(journey.respondent))
    if number is None:
        return redirect(url_for(".review", token=token))
    return redirect(url_for(".page", token=token, number=number))


@bp.route("/resume/<token>/page/<int:number>", methods=["GET", "POST"])
@token_misses
@limiter.limit(RESUME_LIMIT, key_func=personal_link)
def page(token: str, number: int) -> ResponseReturnValue:
    """One section of the survey; Back and Next both save the page's answers first."""
    journey = _journey(token)
    if journey.page(number) is None:
        abort(404)
    locked = _locked(journey)
    if locked is not None:
        return locked
    if request.method == "POST":
        return _save_page(journey, number)
    stored = answers_of(journey.respondent)
    return _render_page(journey, number, stored, stored, returning=_returning(request.args))


def _returning(source: Any) -> bool:
    """Whether the person came from "check your answers" (``next=review``) and goes back.

    Only the one known value counts, so ``next`` can never redirect anywhere else.
    """
    return bool(source.get("next") == RETURN_TO_REVIEW)


def _save_page(journey: Journey, number: int) -> ResponseReturnValue:
    section, questions = journey.page(number)  # type: ignore[misc]
    _remember_questions(journey, questions)
    returning = _returning(request.form)
    reading = read_page(journey.questionnaire, questions, request.form)
    try:
        dropped = save_answers(journey.respondent, journey.questionnaire, reading.changes)
    except ResponseLocked:
        return _locked(journey) or abort(409)
    stored = answers_of(journey.respondent)
    if dropped:
        flash(_dropped_message(len(dropped)), "info")
    if reading.errors or reading.notices:
        status = 422 if reading.errors else 200
        return _render_page(
            journey, number, stored, stored, reading, status=status, returning=returning
        )
    if _follow_ups_appeared(journey, questions, stored):
        flash("Your answer opened a follow-up question on this page.", "info")
        back = RETURN_TO_REVIEW if returning else None  # url_for leaves out None
        return redirect(url_for(".page", token=journey.token, number=number, next=back))
    _flash_open_required(journey, section.title, questions, stored)
    nav = request.form.get("nav", "next")
    if returning and nav == "next":
        return redirect(url_for(".review", token=journey.token))
    return redirect(_destination(journey, number, nav))


def _dropped_message(count: int) -> str:
    noun = "question no longer applies" if count == 1 else "questions no longer apply"
    return f"After your change, {count} {noun}; the answer given to it was removed."


def _follow_ups_appeared(journey: Journey, questions: list[Any], stored: dict[str, Any]) -> bool:
    """A question revealed by this post was hidden when the page was drawn (no script)."""
    shown = journey.shown_ids(stored)
    return any(
        q.show_if is not None
        and q.id in shown
        and q.id not in stored
        and f"_was-{q.id}" not in request.form
        for q in questions
    )


def _flash_open_required(
    journey: Journey, title: str, questions: list[Any], stored: dict[str, Any]
) -> None:
    on_page = {q.id for q in questions}
    still_open = [
        q for q in missing_required(journey.questionnaire, journey.party, stored) if q.id in on_page
    ]
    if still_open:
        noun = "question" if len(still_open) == 1 else "questions"
        flash(
            f"Saved. {len(still_open)} required {noun} in “{title}” still open — "
            "you can come back to it before submitting.",
            "warning",
        )


def _destination(journey: Journey, number: int, nav: str) -> str:
    if nav == "back" and number > 1:
        return url_for(".page", token=journey.token, number=number - 1)
    if nav == "back":
        return url_for(".page", token=journey.token, number=number)
    if number < len(journey.pages):
        return url_for(".page", token=journey.token, number=number + 1)
    return url_for(".review", token=journey.token)


def _render_page(
    journey: Journey,
    number: int,
    stored: dict[str, Any],
    state: dict[str, Any],
    reading: Reading | None = None,
    message: str | None = None,
    status: int = 200,
    returning: bool = False,
) -> ResponseReturnValue:
    section, questions = journey.page(number)  # type: ignore[misc]
    views = question_views(journey, questions, stored, state, reading)
    problems = [
        (v.input_id, f"{v.text} — {v.error or v.notice}") for v in views if v.error or v.notice
    ]
    return render_template(
        "respond/page.html",
        journey=journey,
        number=number,
        total=len(journey.pages),
        section=section,
        views=views,
        problems=problems,
        message=message,
        form=PageForm(),
        returning=returning,
        resume_url=url_for(".resume", token=journey.token, _external=True),
        autosave_url=url_for(".autosave", token=journey.token),
    ), status


@bp.post("/resume/<token>/autosave")
@token_misses
@limiter.limit(RESUME_LIMIT, key_func=personal_link)
def autosave(token: str) -> ResponseReturnValue:
    """Save what the page script sends while the person types; answers in JSON."""
    journey = _journey(token)
    if journey.respondent.is_submitted or not journey.review.is_open:
        reason = "submitted" if journey.respondent.is_submitted else "closed"
        return jsonify(status="locked", reason=reason), 409
    found = journey.page(request.form.get("_page", 0, type=int))
    if found is None:
        return jsonify(status="invalid", message="unknown page"), 400
    _remember_questions(journey, found[1])
    reading = read_page(journey.questionnaire, found[1], request.form)
    try:
        dropped = save_answers(journey.respondent, journey.questionnaire, reading.changes)
    except ResponseLocked as locked:
        return jsonify(status="locked", reason=locked.reason), 409
    stored = answers_of(journey.respondent)
    return jsonify(
        status="saved" if not reading.errors else "invalid",
        was={q.id: fingerprint(stored.get(q.id, CLEAR)) for q in found[1]},
        errors=reading.errors,
        notices=reading.notices,
        dropped=dropped,
    )


# --- review, submit, thank-you -----------------------------------------------------------


@bp.route("/resume/<token>/review", methods=["GET", "POST"])
@token_misses
@limiter.limit(RESUME_LIMIT, key_func=personal_link)
def review(token: str) -> ResponseReturnValue:
    """All answers per section with "change" links, and the final submit."""
    journey = _journey(token)
    if journey.respondent.is_submitted:
        return redirect(url_for(".thanks", token=token))  # a double submit lands here
    locked = _locked(journey)
    if locked is not None:
        return locked
    if request.method == "POST":
        try:
            submit_response(journey.respondent, journey.questionnaire)
        except MissingAnswers as missing:
            return _render_review(journey, missing=missing.questions, status=422)
        except ResponseLocked:
            return _locked(journey) or abort(409)
        return redirect(url_for(".thanks", token=token))
    return _render_review(journey)


def _render_review(
    journey: Journey,
    missing: list[Any] | None = None,
    message: str | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    answers = answers_of(journey.respondent)
    still_open = missing_required(journey.questionnaire, journey.party, answers)
    return render_template(
        "respond/review.html",
        journey=journey,
        pages=summary(journey, answers),
        missing=[
            {"question": q, "text": journey.text_of(q), "page": journey.page_of(q.id)}
            for q in (missing or [])
        ],
        still_open=len(still_open),
        message=message,
        form=SubmitForm(),
        resume_url=url_for(".resume", token=journey.token, _external=True),
    ), status


@bp.get("/resume/<token>/done")
@token_misses
@limiter.limit(RESUME_LIMIT, key_func=personal_link)
def thanks(token: str) -> ResponseReturnValue:
    """After submit: thanks, and the response shown read-only."""
    journey = _journey(token)
    if not journey.respondent.is_submitted:
        return _locked(journey) or redirect(url_for(".review", token=token))
    return _render_thanks(journey)


def _render_thanks(
    journey: Journey, message: str | None = None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "respond/thanks.html",
        journey=journey,
        pages=summary(journey, answers_of(journey.respondent)),
        message=message,
        door=_journey_door(journey),
        resume_url=url_for(".resume", token=journey.token, _external=True),
    ), status


def _closed(answers_kept: bool, door: ResultsDoor | None = None) -> ResponseReturnValue:
    return render_template("respond/closed.html", answers_kept=answers_kept, door=door), 403


# --- errors ------------------------------------------------------------------------------

LINK_ERRORS = (404, 410)


@bp.errorhandler(404)
@bp.errorhandler(410)
def link_error(error: HTTPException) -> ResponseReturnValue:
    """A clear page for unknown (404) and revoked, replaced or expired (410) links."""
    return link_error_page(error, "a survey")


@bp.errorhandler(CSRFError)
def session_expired(error: CSRFError) -> ResponseReturnValue:
    """Keep what was posted when the session or CSRF token expired: show it again.

    The posted answers are drawn back into the page with a fresh token; pressing the
    button again saves them (the fingerprints still name what is stored, so they count
    as changes). Autosave gets a fresh token in JSON and retries.
    """
    try:
        return _keep_posted(request.view_args or {})
    except HTTPException as exc:  # unknown, revoked or expired link
        return link_error(exc) if exc.code in LINK_ERRORS else exc


def _keep_posted(args: dict[str, Any]) -> ResponseReturnValue:
    if request.endpoint == "respond.autosave":
        return jsonify(status="expired", csrf_token=generate_csrf()), 400
    if request.endpoint == "respond.page":
        return _expired_page(args["token"], args["number"])
    if request.endpoint == "respond.review":
        journey = _journey(args["token"])
        if journey.respondent.is_submitted:
            return redirect(url_for(".thanks", token=journey.token))
        message = EXPIRED_MESSAGE.format(button="Submit")
        return _locked(journey) or _render_review(journey, message=message, status=400)
    if request.endpoint == "respond.invited":
        return _expired_invited_start(args["token"])
    if request.endpoint == "respond.welcome":
        link = find_shared_link(args["token"])
        message = "Your session had expired — press Start again."
        door = results_door(link.review, link.party, args["token"])
        return _render_welcome(link, StartForm(), message=message, door=door)
    return render_template(
        "respond/link_error.html",
        title="Please try again",
        detail=EXPIRED_MESSAGE.format(button="the button"),
    ), 400


def _expired_invited_start(token: str) -> ResponseReturnValue:
    invitee = _invitee(token)
    if invitee.respondent is not None:
        return redirect(url_for(".resume", token=token))
    message = "Your session had expired — press Start again."
    return _render_welcome(invitee, StartForm(), message=message)


def _expired_page(token: str, number: int) -> ResponseReturnValue:
    journey = _journey(token)
    if journey.page(number) is None:
        abort(404)
    locked = _locked(journey)
    if locked is not None:
        return locked
    stored = answers_of(journey.respondent)
    reading = read_page(journey.questionnaire, journey.page(number)[1], request.form)  # type: ignore[index]
    state = {**stored, **reading.posted}
    message = EXPIRED_MESSAGE.format(button="Save")
    return _render_page(
        journey,
        number,
        stored,
        state,
        reading,
        message=message,
        status=400,
        returning=_returning(request.form),
    )


# --- the database is unreachable ---------------------------------------------------------

#: What autosave and the page say when the database cannot take the answers just now.
UNSAVED_MESSAGE = (
    "We could not save your answers just now: they are NOT saved yet. "
    "They are kept on this page; try again in a minute."
)
#: The same for the final submit: the answers were saved page by page, the submit was not.
UNSUBMITTED_MESSAGE = (
    "We could not record your submission just now: your response is NOT submitted yet. "
    "The answers you saved are kept; try again in a minute."
)
#: Posted fields that are not answers (the form's own bookkeeping).
FORM_FIELDS = {"csrf_token", "nav", "next"}
RETRY = {"Retry-After": RETRY_AFTER}


@dataclass(frozen=True)
class PostedAnswer:
    """One answer as it was posted, with the question it answers when known."""

    name: str
    question: str
    values: list[str]


def _remember_questions(journey: Journey, questions: list[Any]) -> None:
    """Keep the page's question texts in memory, should the database fail while saving."""
    review = journey.review
    g.unsaved_labels = {
        q.id: q.text_for(journey.party, review.vendor_name, review.client_name) for q in questions
    }


def posted_answers() -> list[PostedAnswer]:
    """The answers of the posted form, in the order posted (no database needed)."""
    labels: dict[str, str] = g.get("unsaved_labels", {})
    return [
        PostedAnswer(name, labels.get(name, name), request.form.getlist(name))
        for name in dict.fromkeys(request.form.keys())
        if name not in FORM_FIELDS and not name.startswith("_")
    ]


def database_unavailable(error: Exception) -> ResponseReturnValue:
    """The database is unreachable: 503, and the posted answers shown again, not lost.

    Nothing here touches the database. The page lists what was posted and carries it in
    hidden fields, so "Try again" posts exactly the same answers; autosave gets the same
    message in JSON and keeps the answers on the page.
    """
    forget_failed_transaction(error)
    if request.endpoint == "respond.autosave":
        return jsonify(status="unavailable", message=UNSAVED_MESSAGE), 503, RETRY
    posted = request.method == "POST"
    return (
        render_template(
            "respond/unsaved.html",
            posted=posted,
            answers=posted_answers() if posted else [],
            hidden=[(k, v) for k, v in request.form.items(multi=True) if k != "csrf_token"],
            message=UNSAVED_MESSAGE,
        ),
        503,
        RETRY,
    )


for _fault in DATABASE_FAULTS:
    bp.register_error_handler(_fault, database_unavailable)
