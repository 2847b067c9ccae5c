"""Named invitees (issue 12, points 1 and 2): invitations and reminders by e-mail, personal
links, the response rate, and stopping reminders with one click.

Mails go through a real SMTP server in the test process; each test reads the received
message, follows its link with the test client, and checks the headers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from factories import MadeReview, Persona
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from smtp_box import SmtpServer, html_of, links_in, text_of
from xss_payloads import PAYLOADS

from survey import invitations
from survey.extensions import db
from survey.mail import outbox
from survey.models import Invitee, OutboxMail, Respondent, Review, User, utcnow
from survey.respond import operations as respond_ops
from survey.workspace import operations as workspace_ops


@pytest.fixture
def mail_app(app: Flask, smtp_server: SmtpServer) -> Flask:
    app.config.update(smtp_server.settings)
    return app


def deliver(app: Flask) -> outbox.Delivery:
    with app.app_context():
        return outbox.deliver_due()


def path_of(link: str) -> str:
    return urlsplit(link).path


def invite(
    client: FlaskClient,
    review: MadeReview,
    name: str,
    email: str,
    party: str = "client",
    stake: str = "decision_maker",
) -> Any:
    return client.post(
        f"/reviews/{review.public_id}/invitees/{party}",
        data={f"{party}-name": name, f"{party}-email": email, f"{party}-stake": stake},
    )


def personal_token_of(app: Flask, name: str | None = None) -> str:
    """The personal token of the (first, or named) invitee, as their mail carries it."""
    with app.app_context():
        query = sa.select(Invitee).order_by(Invitee.id)
        if name is not None:
            query = query.where(Invitee.name == name)
        invitee = db.session.scalar(query)
        assert invitee is not None
        return invitations.personal_token(invitee)


def public_id_of(app: Flask) -> str:
    with app.app_context():
        found = db.session.scalar(sa.select(Invitee.public_id).order_by(Invitee.id))
        assert found is not None
        return found


def only_mail(smtp_server: SmtpServer, address: str) -> EmailMessage:
    [message] = smtp_server.mailbox.to(address)
    return message


def answer_everything(client: FlaskClient, app: Flask, token: str) -> None:
    """Fill in the flagship's example answers for this respondent and submit."""
    from test_results import example_people

    answers = next(a for party, _, a in example_people() if party == "client")
    with app.app_context():
        respondent = db.session.scalar(
            sa.select(Respondent).where(Respondent.resume_token_hash == _hash(token))
        )
        assert respondent is not None
        respond_ops.save_answers(respondent, _questionnaire(respondent), answers)
    assert client.post(f"/r/resume/{token}/review").status_code == 302


def _hash(token: str) -> str:
    from survey.models import hash_token

    return hash_token(token)


def _questionnaire(respondent: Respondent) -> Any:
    from survey.questionnaires import questionnaire_for

    return questionnaire_for(respondent.review)


@pytest.fixture
def review(vendor_a: Persona, make_review: Callable[..., MadeReview]) -> MadeReview:
    return make_review(vendor_a, due_on=date.today() + timedelta(days=10))


# --- invitations ----------------------------------------------------------------------------


def test_an_invitation_arrives_and_its_link_is_the_persons_own(
    mail_app: Flask, vendor_client: FlaskClient, smtp_server: SmtpServer, review: MadeReview
) -> None:
    response = invite(vendor_client, review, "Ana Lopez", "Ana@Globex.example")
    assert response.status_code == 302
    assert "#invitees-client" in response.headers["Location"]
    assert smtp_server.mailbox.messages == []  # the request only wrote the outbox
    assert deliver(mail_app).sent == 1

    message = only_mail(smtp_server, "ana@globex.example")
    assert message["Subject"] == "How could Acme Analytics be a more valued vendor?"
    assert message.get_content_type() == "multipart/alternative"
    assert "List-Unsubscribe" not in message  # an invitation is not a reminder
    [link] = links_in(message)
    assert link in html_of(message) and "Ana Lopez" in text_of(message)
    assert "src=" not in html_of(message)  # no remote images, no tracking pixel
    token = path_of(link).rsplit("/", 1)[1]
    assert len(token) * 6 >= 128

    visitor = mail_app.test_client()
    welcome = visitor.get(path_of(link))
    body = welcome.get_data(as_text=True)
    assert welcome.status_code == 200 and welcome.headers["Referrer-Policy"] == "no-referrer"
    assert 'value="Ana Lopez"' in body  # the name is filled in, and can be changed
    assert 'data-promise="invited"' in body  # told that the vendor sees whether they answered
    started = visitor.post(path_of(link), data={"name": "Ana Lopez", "role": "CFO"})
    assert started.headers["Location"].endswith(f"/r/resume/{token}/page/1")
    # the same link now resumes the same response, from any browser
    again = mail_app.test_client().get(path_of(link))
    assert again.headers["Location"].endswith(f"/r/resume/{token}")
    with mail_app.app_context():
        invitee = db.session.scalar(sa.select(Invitee))
        assert invitee is not None and invitee.respondent is not None
        assert invitee.respondent.stake == "decision_maker"  # kept with the response
        assert invitee.respondent.role == "CFO"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Respondent)) == 1


def test_starting_twice_records_one_response(
    app: Flask, vendor_client: FlaskClient, review: MadeReview
) -> None:
    invite(vendor_client, review, "Ana", "ana@globex.example")
    token = personal_token_of(app)
    visitor = app.test_client()
    first = visitor.post(f"/r/invited/{token}", data={"name": "Ana"})
    second = visitor.post(f"/r/invited/{token}", data={"name": "Ana"})
    assert first.status_code == second.status_code == 302
    with app.app_context():
        invitee = db.session.scalar(sa.select(Invitee))
        assert invitee is not None
        assert respond_ops.start_invited_response(invitee, "Ana", None).id == invitee.respondent_id
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Respondent)) == 1


def test_one_address_is_invited_once_per_review(
    app: Flask, vendor_client: FlaskClient, review: MadeReview
) -> None:
    assert invite(vendor_client, review, "Ana", "ana@globex.example").status_code == 302
    again = invite(vendor_client, review, "Ana", " ANA@globex.example ", party="vendor")
    assert again.status_code == 409
    assert "ana@globex.example is already invited to this review." in again.get_data(as_text=True)
    wrong = invite(vendor_client, review, "Bo", "not-an-address")
    assert wrong.status_code == 400
    assert "Enter an email address like name@example.com." in wrong.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitee)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 1


def test_nobody_is_invited_while_collection_is_closed(
    app: Flask, vendor_client: FlaskClient, review: MadeReview
) -> None:
    with app.app_context():
        workspace_ops.close_review(db.session.get(Review, review.id))
    refused = invite(vendor_client, review, "Ana", "ana@globex.example")
    assert refused.status_code == 409
    assert "Collection is closed" in refused.get_data(as_text=True)


def test_removing_someone_stops_their_link_and_their_unsent_mail(
    app: Flask, vendor_client: FlaskClient, review: MadeReview
) -> None:
    invite(vendor_client, review, "Ana", "ana@globex.example")
    token = personal_token_of(app)
    public_id = public_id_of(app)
    removed = vendor_client.post(f"/reviews/{review.public_id}/invitees/{public_id}/remove")
    assert removed.status_code == 302
    assert app.test_client().get(f"/r/invited/{token}").status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMail)) == 0


def test_someone_who_started_stays_on_the_list(
    app: Flask, vendor_client: FlaskClient, review: MadeReview
) -> None:
    invite(vendor_client, review, "Ana", "ana@globex.example")
    token = personal_token_of(app)
    public_id = public_id_of(app)
    app.test_client().post(f"/r/invited/{token}", data={"name": "Ana"})
    vendor_client.post(f"/reviews/{review.public_id}/invitees/{public_id}/remove")
    page = vendor_client.get(f"/reviews/{review.public_id}").get_data(as_text=True)
    assert "Ana has started answering, so they stay on the list" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitee)) == 1


def test_another_organisation_cannot_touch_the_list(
    app: Flask,
    client: FlaskClient,
    login: Callable[..., None],
    vendor_client: FlaskClient,
    vendor_b: Persona,
    review: MadeReview,
) -> None:
    invite(vendor_client, review, "Ana", "ana@globex.example")
    with app.app_context():
        public_id = db.session.scalar(sa.select(Invitee.public_id))
    other = app.test_client()
    login(other, vendor_b)
    assert invite(other, review, "Eve", "eve@evil.example").status_code == 404
    remove = other.post(f"/reviews/{review.public_id}/invitees/{public_id}/remove")
    assert remove.status_code == 404
    assert other.get(f"/reviews/{review.public_id}/reminders").status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitee)) == 1


# --- the response rate ----------------------------------------------------------------------


def test_the_review_page_shows_invited_started_submitted_and_the_rate(
    app: Flask,
    vendor_client: FlaskClient,
    review: MadeReview,
    make_respondent: Callable[..., Any],
) -> None:
    for name in ("Ana", "Ben", "Cy"):
        invite(vendor_client, review, name, f"{name.lower()}@globex.example")
    with app.app_context():
        tokens = [invitations.personal_token(i) for i in db.session.scalars(sa.select(Invitee))]
    visitor = app.test_client()
    visitor.post(f"/r/invited/{tokens[0]}", data={"name": "Ana"})
    answer_everything(visitor, app, tokens[0])
    visitor.post(f"/r/invited/{tokens[1]}", data={"name": "Ben"})
    # one more person answers through the shared link: counted apart, not in the rate
    make_respondent(review, "client", submit=True, answers=_client_answers())
    page = vendor_client.get(f"/reviews/{review.public_id}").get_data(as_text=True)
    rate = _between(page, 'data-rate="client"', "</p>")
    assert "1 of 3 invited submitted (33%)" in rate
    assert "3 invited, 2 started, 1 submitted" in rate
    assert "1 more submitted through the shared link" in rate
    assert "Nobody invited by name" in _between(page, 'data-rate="vendor"', "</p>")


def _client_answers() -> dict[str, Any]:
    from test_results import example_people

    return next(a for party, _, a in example_people() if party == "client")


def _between(text: str, start: str, end: str) -> str:
    head = text.index(start)
    return text[head : text.index(end, head)]


# --- reminders ------------------------------------------------------------------------------


def test_a_reminder_is_previewed_then_sent_once_with_a_one_click_stop(
    mail_app: Flask, vendor_client: FlaskClient, smtp_server: SmtpServer, review: MadeReview
) -> None:
    invite(vendor_client, review, "Ana", "ana@globex.example")
    invite(vendor_client, review, "Ben", "ben@acme.example", party="vendor")
    invite(vendor_client, review, "Cy", "cy@globex.example")
    deliver(mail_app)
    cy_token = personal_token_of(mail_app, "Cy")
    done = mail_app.test_client()
    done.post(f"/r/invited/{cy_token}", data={"name": "Cy"})
    answer_everything(done, mail_app, cy_token)

    preview = vendor_client.get(f"/reviews/{review.public_id}/reminders")
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200
    recipients = _between(body, "data-recipients", "</ul>")
    assert "ana@globex.example" in recipients and "ben@acme.example" in recipients
    assert "cy@globex.example" not in recipients  # submitted: not reminded
    assert "[their personal link]" in body  # the vendor never sees anyone's link
    with mail_app.app_context():
        for invitee in db.session.scalars(sa.select(Invitee)):
            assert invitations.personal_token(invitee) not in body

    assert vendor_client.post(f"/reviews/{review.public_id}/reminders").status_code == 302
    assert vendor_client.post(f"/reviews/{review.public_id}/reminders").status_code == 302
    assert deliver(mail_app).sent == 2  # the second press the same day sends nothing more
    reminder = smtp_server.mailbox.to("ana@globex.example")[-1]
    assert reminder["Subject"].startswith("Reminder — Acme Analytics and Globex")
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    stop = reminder["List-Unsubscribe"].strip("<>")
    personal, stop_in_text = links_in(reminder)
    assert stop_in_text == stop and "/r/invited/" in personal
    assert mail_app.test_client().get(path_of(personal)).status_code == 200

    # the mail program's one-click unsubscribe: a bare POST, no cookie, no CSRF token
    one_click = mail_app.test_client().post(path_of(stop), data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    assert "No more reminders" in one_click.get_data(as_text=True)
    with mail_app.app_context():
        ana = db.session.scalar(sa.select(Invitee).where(Invitee.name == "Ana"))
        assert ana is not None and ana.reminders_stopped_at is not None
        review_row = db.session.get(Review, review.id)
        assert [i.name for i in invitations.reminder_recipients(review_row)] == ["Ben"]


def test_the_stop_page_asks_first_and_a_forged_stop_link_opens_nothing(
    app: Flask, vendor_client: FlaskClient, review: MadeReview
) -> None:
    invite(vendor_client, review, "Ana", "ana@globex.example")
    with app.app_context():
        invitee = db.session.scalar(sa.select(Invitee))
        assert invitee is not None
        token = invitations.stop_token(invitee)
    visitor = app.test_client()
    page = visitor.get(f"/r/stop/{token}")
    assert page.status_code == 200 and "Stop reminders?" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Invitee.reminders_stopped_at)) is None  # GET: asks
    assert visitor.get(f"/r/stop/{token[:-2]}xx").status_code == 404
    assert visitor.post(f"/r/stop/{token[:-2]}xx").status_code == 404


def test_automatic_reminders_go_out_before_the_due_date_and_on_it(
    app: Flask, vendor_client: FlaskClient, review: MadeReview
) -> None:
    invite(vendor_client, review, "Ana", "ana@globex.example")
    saved = vendor_client.post(
        f"/reviews/{review.public_id}/reminders/schedule", data={"schedule-days_before": "3"}
    )
    assert saved.status_code == 302
    due = date.today() + timedelta(days=10)
    with app.app_context():
        assert invitations.send_due_reminders(due - timedelta(days=4)) == 0
        assert invitations.send_due_reminders(due - timedelta(days=3)) == 1
        assert invitations.send_due_reminders(due - timedelta(days=3)) == 0  # once that day
        assert invitations.send_due_reminders(due) == 1
        assert invitations.send_due_reminders(due + timedelta(days=1)) == 0
        reminders = db.session.scalars(
            sa.select(OutboxMail).where(OutboxMail.event_key.like("reminder:%"))
        ).all()
        assert len(reminders) == 2
        assert all(m.headers and "List-Unsubscribe" in m.headers for m in reminders)


def test_automatic_reminders_are_off_until_asked_for_and_need_the_public_address(
    app: Flask, vendor_client: FlaskClient, review: MadeReview
) -> None:
    invite(vendor_client, review, "Ana", "ana@globex.example")
    due = date.today() + timedelta(days=10)
    with app.app_context():
        for day in range(12):
            assert invitations.send_due_reminders(date.today() + timedelta(days=day)) == 0
        row = db.session.get(Review, review.id)
        assert row is not None and row.remind_days_before is None
        invitations.set_reminder_schedule(row, 1)
        app.config["SERVER_NAME"] = None
        assert invitations.send_due_reminders(due) == 0


def test_the_worker_runs_the_reminders_every_hour(app: Flask) -> None:
    from survey.tasks import queue_of

    queue = queue_of(app)
    at_five = utcnow().replace(minute=5, second=0, microsecond=0, tzinfo=None)
    due = {task.name for task in queue.huey.read_periodic(at_five)}
    assert "due_reminders" in due
    later = {task.name for task in queue.huey.read_periodic(at_five.replace(minute=6))}
    assert "due_reminders" not in later and "sweep_outbox" in later


# --- hostile names, and what a deleted review leaves ------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_invitee_names_stay_text_everywhere(
    mail_app: Flask,
    vendor_client: FlaskClient,
    smtp_server: SmtpServer,
    review: MadeReview,
    payload: str,
) -> None:
    assert invite(vendor_client, review, payload, "x@globex.example").status_code == 302
    deliver(mail_app)
    pages = [
        vendor_client.get(f"/reviews/{review.public_id}").get_data(as_text=True),
        vendor_client.get(f"/reviews/{review.public_id}/reminders").get_data(as_text=True),
        html_of(only_mail(smtp_server, "x@globex.example")),
    ]
    token = personal_token_of(mail_app)
    pages.append(mail_app.test_client().get(f"/r/invited/{token}").get_data(as_text=True))
    escaped = str(escape(" ".join(payload.split())))  # a name's blanks are collapsed
    for page in pages:
        assert escaped in page  # shown, as text
        if "<" in payload:
            assert payload not in page


def test_deleting_a_review_deletes_its_invitees_and_their_mails(
    app: Flask, vendor_client: FlaskClient, review: MadeReview
) -> None:
    invite(vendor_client, review, "Ana", "ana@globex.example")
    token = personal_token_of(app)
    app.test_client().post(f"/r/invited/{token}", data={"name": "Ana"})
    with app.app_context():
        workspace_ops.delete_review(db.session.get(Review, review.id))
        for model in (Invitee, Respondent, OutboxMail):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


# --- notices --------------------------------------------------------------------------------


def _vendor_answers() -> dict[str, Any]:
    from test_results import example_people

    return next(a for party, _, a in example_people() if party == "vendor")


def _mails(app: Flask, prefix: str) -> list[OutboxMail]:
    with app.app_context():
        found = db.session.scalars(
            sa.select(OutboxMail).where(OutboxMail.event_key.like(f"{prefix}%"))
        ).all()
        db.session.expunge_all()
        return list(found)


def test_the_owner_hears_once_that_the_results_are_ready(
    mail_app: Flask,
    vendor_client: FlaskClient,
    smtp_server: SmtpServer,
    vendor_a: Persona,
    review: MadeReview,
    make_respondent: Callable[..., Any],
) -> None:
    make_respondent(review, "vendor", submit=True, answers=_vendor_answers())
    assert _mails(mail_app, "results-ready") == []  # the client side has not answered yet
    make_respondent(review, "client", submit=True, answers=_client_answers())
    make_respondent(review, "client", submit=True, answers=_client_answers())
    assert len(_mails(mail_app, "results-ready")) == 1
    deliver(mail_app)
    message = only_mail(smtp_server, vendor_a.email)
    assert message["Subject"] == "Results are ready: Globex"
    [link] = links_in(message)
    assert vendor_client.get(path_of(link)).status_code == 200


def test_the_clients_invitees_hear_when_the_results_are_shared(
    mail_app: Flask,
    vendor_client: FlaskClient,
    smtp_server: SmtpServer,
    review: MadeReview,
    make_respondent: Callable[..., Any],
) -> None:
    invite(vendor_client, review, "Ana", "ana@globex.example")
    invite(vendor_client, review, "Ben", "ben@acme.example", party="vendor")
    make_respondent(review, "vendor", submit=True, answers=_vendor_answers())
    make_respondent(review, "client", submit=True, answers=_client_answers())
    assert vendor_client.post(f"/reviews/{review.public_id}/results/share").status_code == 302
    vendor_client.post(f"/reviews/{review.public_id}/results/unshare")
    vendor_client.post(f"/reviews/{review.public_id}/results/share")  # shared again: no new mail
    assert [m.recipient for m in _mails(mail_app, "results-shared")] == ["ana@globex.example"]
    deliver(mail_app)
    message = smtp_server.mailbox.to("ana@globex.example")[-1]
    assert message["Subject"] == "Acme Analytics shared the results of your review"
    [link] = links_in(message)
    assert path_of(link) == f"/r/{review.results_token}/results"
    page = mail_app.test_client().get(path_of(link))
    assert page.status_code == 200 and 'id="plan"' in page.get_data(as_text=True)


def test_the_owner_hears_when_the_client_comments_or_proposes_without_their_words(
    mail_app: Flask,
    vendor_client: FlaskClient,
    smtp_server: SmtpServer,
    vendor_a: Persona,
    review: MadeReview,
    make_respondent: Callable[..., Any],
    share_results: Callable[[MadeReview], None],
) -> None:
    make_respondent(review, "vendor", submit=True, answers=_vendor_answers())
    make_respondent(review, "client", submit=True, answers=_client_answers())
    share_results(review)
    visitor = mail_app.test_client()
    base = f"/r/{review.results_token}/results"
    proposed = visitor.post(f"{base}/propose", data={"propose-title": "Secret-plan-words"})
    assert proposed.status_code == 302
    with mail_app.app_context():
        from survey.models import ActionItem

        item = db.session.scalar(sa.select(ActionItem.public_id))
    said = visitor.post(f"{base}/plan/{item}/comment", data={f"c-{item}-text": "Candid-words"})
    assert said.status_code == 302
    vendor_client.post(  # the vendor's own comment tells nobody
        f"/reviews/{review.public_id}/results/plan/{item}/comment",
        data={f"c-{item}-text": "Noted"},
    )
    deliver(mail_app)
    subjects = sorted(m["Subject"] for m in smtp_server.mailbox.to(vendor_a.email))
    assert subjects == [
        "Globex commented",
        "Globex proposed an action",
        "Results are ready: Globex",
    ]
    for message in smtp_server.mailbox.to(vendor_a.email):
        assert "Secret-plan-words" not in text_of(message) + html_of(message)
        assert "Candid-words" not in text_of(message) + html_of(message)


def test_the_report_gives_the_same_response_rate_as_the_review_page(
    app: Flask,
    vendor_client: FlaskClient,
    review: MadeReview,
    make_respondent: Callable[..., Any],
) -> None:
    invite(vendor_client, review, "Ana", "ana@globex.example")
    invite(vendor_client, review, "Cy", "cy@globex.example")
    token = personal_token_of(app)
    visitor = app.test_client()
    visitor.post(f"/r/invited/{token}", data={"name": "Ana"})
    answer_everything(visitor, app, token)
    make_respondent(review, "vendor", submit=True, answers=_vendor_answers())
    results = vendor_client.get(f"/reviews/{review.public_id}/results").get_data(as_text=True)
    side = _between(results, 'data-method-side="client"', "</span>")
    assert "1 of 2 invited submitted (50%)" in side
    page = vendor_client.get(f"/reviews/{review.public_id}").get_data(as_text=True)
    assert "1 of 2 invited submitted (50%)" in _between(page, 'data-rate="client"', "</p>")
    from test_confidentiality import pdf_html

    for audience in ("vendor", "client"):  # the PDF's "How to read this", for either side
        report = pdf_html(app, review.id, audience)
        assert "1 of 2 invited submitted (50%)" in _between(
            report, 'data-method-side="client"', "</span>"
        )


# --- results by role ------------------------------------------------------------------------


def _invited_people_answer(app: Flask, review: MadeReview, stakes: list[str]) -> None:
    """One invited client person per stake answers (Hiro's answers for decision makers,
    Maria's for everyone else), and the example's vendor people answer."""
    from test_results import example_people

    people = example_people()
    hiro, maria, _third = (answers for party, _, answers in people if party == "client")
    with app.app_context():
        row = db.session.get(Review, review.id)
        owner = row.created_by
        for number, stake in enumerate(stakes):
            invitee = invitations.add_invitee(
                row, "client", f"P{number}", f"p{number}@globex.example", stake, owner
            )
            respondent = respond_ops.start_invited_response(invitee, None, None)
            answers = hiro if stake == "decision_maker" else maria
            respond_ops.save_answers(respondent, _questionnaire(respondent), answers)
            respond_ops.submit_response(respondent)
        for party, _, answers in people:
            if party == "vendor":
                link = row.current_link("vendor")
                respondent, _token = respond_ops.start_response(link, None, None)
                respond_ops.save_answers(respondent, _questionnaire(respondent), answers)
                respond_ops.submit_response(respondent)


def _role_cells(page: str, row: str) -> list[float]:
    import re

    line = _between(page, f'<th scope="row">{row}</th>', "</tr>")
    return [float(v) for v in re.findall(r'<td class="num">([0-9.]+)', line)]


def test_the_clients_scores_read_by_role_agree_with_the_whole_side(
    app: Flask, vendor_client: FlaskClient, review: MadeReview
) -> None:
    _invited_people_answer(app, review, ["decision_maker"] * 3 + ["user"] * 3)
    results = vendor_client.get(f"/reviews/{review.public_id}/results").get_data(as_text=True)
    assert f"/reviews/{review.public_id}/results/roles" in results
    page = vendor_client.get(f"/reviews/{review.public_id}/results/roles").get_data(as_text=True)
    assert 'data-stake="decision_maker"' in page and 'data-stake="user"' in page
    vendor, everyone, deciders, users = _role_cells(page, "Overall")
    assert deciders != users
    # each side's score is the mean of its people: three and three make the average
    assert abs(everyone - (deciders + users) / 2) <= 0.1


def test_a_role_too_small_to_read_apart_is_named_without_numbers(
    app: Flask, vendor_client: FlaskClient, review: MadeReview
) -> None:
    _invited_people_answer(app, review, ["decision_maker"] * 3 + ["user"])
    page = vendor_client.get(f"/reviews/{review.public_id}/results/roles").get_data(as_text=True)
    # three decision makers beside one user: showing them apart would give the user away
    assert 'data-stake="decision_maker"' not in page and 'id="role-table"' not in page
    assert 'data-hidden-stake="decision_maker"' in page and 'data-hidden-stake="user"' in page
    assert "each have at least 3 people who submitted, so that nobody's answers" in page


def test_new_reviews_remind_automatically_only_where_mail_is_sent_for_real(
    app: Flask, vendor_a: Persona, make_review: Callable[..., MadeReview], smtp_server: SmtpServer
) -> None:
    development = make_review(vendor_a, client_name="Initrode")
    app.config.update(smtp_server.settings)
    production = make_review(vendor_a, client_name="Umbrella")
    with app.app_context():
        assert db.session.get(Review, development.id).remind_days_before is None
        days = db.session.get(Review, production.id).remind_days_before
        assert days == invitations.DEFAULT_REMIND_DAYS


def test_a_submission_after_the_results_opened_does_not_say_ready_again(
    app: Flask, review: MadeReview, make_respondent: Callable[..., Any]
) -> None:
    app.config["SERVER_NAME"] = None  # a command without SURVEY_BASE_URL: no notice
    make_respondent(review, "vendor", submit=True, answers=_vendor_answers())
    make_respondent(review, "client", submit=True, answers=_client_answers())
    app.config["SERVER_NAME"] = "localhost"
    make_respondent(review, "client", submit=True, answers=_client_answers())
    assert _mails(app, "results-ready") == []  # they opened before this one


def test_a_removed_owner_hears_nothing(
    app: Flask, vendor_a: Persona, review: MadeReview, make_respondent: Callable[..., Any]
) -> None:
    with app.app_context():
        db.session.get(User, vendor_a.id).removed_at = utcnow()
        db.session.commit()
    make_respondent(review, "vendor", submit=True, answers=_vendor_answers())
    make_respondent(review, "client", submit=True, answers=_client_answers())
    assert _mails(app, "results-ready") == []


# --- who is who stays hidden ----------------------------------------------------------------


def test_the_review_page_lists_hidden_named_people_only_as_counts(
    app: Flask, vendor_client: FlaskClient, review: MadeReview, make_respondent: Callable[..., Any]
) -> None:
    invite(vendor_client, review, "Ana", "ana@globex.example")
    token = personal_token_of(app)
    app.test_client().post(f"/r/invited/{token}", data={"name": "Ana"})
    make_respondent(review, "vendor", name="Dana")
    page = vendor_client.get(f"/reviews/{review.public_id}").get_data(as_text=True)
    table = _between(page, 'aria-labelledby="respondents-title"', "</section>")
    assert "Dana" in table and "someone at Globex" not in table
    assert "Globex: 1 started, 0 submitted." in table


def _export_order(app: Flask, review: MadeReview, seeds: list[int]) -> list[int]:
    """Where each seed's person comes in the vendor's JSON export (client side)."""
    import json

    from survey.commands.demo import generated_answers
    from survey.questionnaires import questionnaire_for
    from survey.results.exports import export_json

    with app.app_context():
        row = db.session.get(Review, review.id)
        questionnaire = questionnaire_for(row)
        made = {}
        for seed in seeds:
            answers = generated_answers(questionnaire, "client", seed=seed)
            link = row.current_link("client")
            person, _token = respond_ops.start_response(link, f"P{seed}", None)
            respond_ops.save_answers(person, questionnaire, answers)
            respond_ops.submit_response(person, questionnaire)
            made[seed] = respond_ops.answers_of(person)
        listed = json.loads(export_json(db.session.get(Review, review.id), "vendor"))
    order = []
    for person in listed["client"]["respondents"]:
        shown = person["answers"]
        order.append(next(s for s, a in made.items() if a == shown))
    return order


def test_exports_list_hidden_named_people_by_their_answers_not_when_they_started(
    app: Flask, vendor_a: Persona, make_review: Callable[..., MadeReview]
) -> None:
    seeds = list(range(1, 9))
    hidden = _export_order(app, make_review(vendor_a, client_name="Initrode"), seeds)
    assert sorted(hidden) == seeds and hidden != seeds  # not the order they started
    again = _export_order(app, make_review(vendor_a, client_name="Umbrella"), seeds[::-1])
    assert again == hidden  # the same answers, the same places, whoever started first
    shown = _export_order(
        app, make_review(vendor_a, client_name="Hooli", names_to_other_side=True), seeds
    )
    assert shown == seeds  # names shown: when they started is no secret


@pytest.mark.parametrize("app", [{"WTF_CSRF_ENABLED": True}], indirect=True)
def test_an_expired_session_on_the_personal_welcome_page_says_so_and_starts_nothing(
    app: Flask, vendor_a: Persona, review: MadeReview
) -> None:
    with app.app_context():
        row = db.session.get(Review, review.id)
        invitations.add_invitee(row, "client", "Ana", "ana@globex.example", "user", row.created_by)
    token = personal_token_of(app)
    response = app.test_client().post(f"/r/invited/{token}", data={"name": "Ana"})
    assert response.status_code == 400
    assert "Your session had expired — press Start again." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Respondent)) == 0
