"""The team (issue 12, point 3): roles, invitations by e-mail that can be withdrawn, removing a
colleague, the last admin, and one's own name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from factories import Persona
from flask import Flask
from flask.testing import FlaskClient
from smtp_box import SmtpServer, html_of, links_in, text_of

from survey.auth import operations as auth_ops
from survey.auth import views as auth_views
from survey.cli import main
from survey.extensions import db
from survey.mail import outbox
from survey.models import Invitation, OutboxMail, User, utcnow

NEW_PASSWORD = "another long one"


@pytest.fixture
def member_a(make_user: Callable[..., Persona]) -> Persona:
    """Persona: a colleague of vendor A who is a member, not an admin."""
    return make_user("Acme Analytics", name="Sam Member", email="sam@acme.example")


def _client_as(app: Flask, login: Callable[..., None], person: Persona) -> FlaskClient:
    client = app.test_client()
    login(client, person)
    return client


def _user(app: Flask, email: str) -> User:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        assert user is not None
        db.session.expunge(user)
        return user


def _invitation(app: Flask, email: str) -> Invitation:
    with app.app_context():
        found = db.session.scalar(sa.select(Invitation).where(Invitation.email == email))
        assert found is not None
        db.session.expunge(found)
        return found


def _mails(app: Flask) -> list[OutboxMail]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id)))
        db.session.expunge_all()
        return found


def _invite(client: FlaskClient, email: str) -> str:
    """Invite through the Team page; the link the page shows once."""
    page = client.post("/team", data={"email": email}).get_data(as_text=True)
    assert f"Invitation sent to {email.strip().lower()}." in page
    return page.split('id="invite-link" value="')[1].split('"')[0]


def _path(link: str) -> str:
    return urlsplit(link).path


def _accept(app: Flask, link: str, name: str = "Pat") -> None:
    data = {"name": name, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert app.test_client().post(_path(link), data=data).status_code == 302


# --- roles ---------------------------------------------------------------------------------------


def test_the_first_user_is_an_admin_and_an_invited_colleague_a_member(
    app: Flask, client: FlaskClient, login: Callable[..., None]
) -> None:
    signup = {
        "organisation": "Acme Analytics",
        "name": "Dana",
        "email": "dana@acme.example",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    client.post("/signup", data=signup)
    assert _user(app, "dana@acme.example").role == "admin"
    client.post("/login", data={"email": "dana@acme.example", "password": NEW_PASSWORD})
    _accept(app, _invite(client, "pat@acme.example"))
    pat = _user(app, "pat@acme.example")
    assert pat.role == "member" and not pat.is_admin


# --- invitations by e-mail -----------------------------------------------------------------------


def test_the_invitation_mail_is_queued_once_with_the_link_that_works(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Persona,
    smtp_server: SmtpServer,
    login: Callable[..., None],
) -> None:
    app.config.update(smtp_server.settings)
    shown = _invite(vendor_client, "Pat@Acme.example ")
    [mail] = _mails(app)
    invitation = _invitation(app, "pat@acme.example")
    assert mail.recipient == "pat@acme.example"
    assert mail.event_key == f"colleague-invitation:{invitation.public_id}"
    assert mail.subject == "Dana Vendor invites you to join Acme Analytics on Rapport"
    assert smtp_server.mailbox.messages == []  # the request only wrote the outbox

    with app.app_context():
        assert outbox.deliver_due().sent == 1
    [message] = smtp_server.mailbox.to("pat@acme.example")
    [link] = links_in(message)
    assert link == shown and link in html_of(message) and link in text_of(message)
    assert "Dana Vendor" in text_of(message) and "14 days" in text_of(message)
    assert _mails(app)[0].text_body is None  # the body (and its link) dropped once sent

    joining = app.test_client()
    assert "Join Acme Analytics" in joining.get(_path(link)).get_data(as_text=True)
    _accept(app, link, name="Pat")
    pat = _user(app, "pat@acme.example")
    assert pat.organisation_id == vendor_a.organisation_id and pat.role == "member"
    assert len(_mails(app)) == 1


def test_a_refused_invitation_queues_no_mail(
    app: Flask, vendor_client: FlaskClient, member_a: Persona
) -> None:
    page = vendor_client.post("/team", data={"email": member_a.email}).get_data(as_text=True)
    assert f"{member_a.email} is already in your team." in page
    assert 'id="invite-link"' not in page
    assert _mails(app) == []


# --- the Team page -------------------------------------------------------------------------------


def test_the_team_page_lists_members_with_roles_and_the_invitations_still_open(
    app: Flask, vendor_client: FlaskClient, vendor_a: Persona, member_a: Persona
) -> None:
    _invite(vendor_client, "pat@acme.example")
    _invite(vendor_client, "old@acme.example")
    _accept(app, _invite(vendor_client, "joined@acme.example"), name="Jo Joined")
    with app.app_context():  # one invitation ran out
        db.session.execute(
            sa.update(Invitation)
            .where(Invitation.email == "old@acme.example")
            .values(expires_at=utcnow() - timedelta(days=1))
        )
        db.session.commit()
    page = vendor_client.get("/team").get_data(as_text=True)
    members = page.split('id="members-title"')[1].split('id="invitations-title"')[0]
    waiting = page.split('id="invitations-title"')[1].split('id="invite-title"')[0]
    for who, role in ((vendor_a, "Admin"), (member_a, "Member")):
        [row] = [row for row in members.split("<tr>") if who.email in row]
        assert who.name in row and f"<td>{role}</td>" in row
    assert "Jo Joined" in members
    assert "pat@acme.example" in waiting and "Dana Vendor" in waiting
    expires = _invitation(app, "pat@acme.example").expires_at
    assert expires is not None and f"{expires.day} {expires:%B %Y}" in waiting
    assert "old@acme.example" not in waiting  # expired
    assert "joined@acme.example" not in waiting  # accepted
    assert waiting.count("Withdraw") == 2  # the heading's column and pat's button


def test_a_withdrawn_invitation_no_longer_opens(
    app: Flask, vendor_client: FlaskClient, vendor_a: Persona
) -> None:
    link = _invite(vendor_client, "pat@acme.example")
    invitation = _invitation(app, "pat@acme.example")
    response = vendor_client.post(
        f"/team/invitations/{invitation.public_id}/revoke", follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "The invitation for pat@acme.example is withdrawn." in page
    assert "No invitation is waiting to be accepted." in page
    assert app.test_client().get(_path(link)).status_code == 404
    data = {"name": "Pat", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert app.test_client().post(_path(link), data=data).status_code == 404
    with app.app_context():
        assert auth_ops.find_invitation(_path(link).removeprefix("/invite/")) is None
        assert db.session.scalar(sa.select(User).where(User.email == "pat@acme.example")) is None
    again = vendor_client.post(
        f"/team/invitations/{invitation.public_id}/revoke", follow_redirects=True
    )
    assert "The invitation for pat@acme.example was no longer open." in again.get_data(as_text=True)


# --- who may manage the team ---------------------------------------------------------------------


def test_a_member_sees_the_team_and_gets_403_on_every_change(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Persona,
    member_a: Persona,
    login: Callable[..., None],
) -> None:
    _invite(vendor_client, "pat@acme.example")
    invitation = _invitation(app, "pat@acme.example")
    sam = _client_as(app, login, member_a)
    page = sam.get("/team").get_data(as_text=True)
    assert vendor_a.email in page and "pat@acme.example" in page
    assert "Only an admin of Acme Analytics can invite colleagues." in page
    assert "Send invitation" not in page and "/revoke" not in page and "/remove" not in page
    posts = {
        "/team": {"email": "eve@acme.example"},
        f"/team/invitations/{invitation.public_id}/revoke": {},
        f"/team/members/{vendor_a.public_id}/remove": {},
        f"/team/members/{vendor_a.public_id}/role": {"role": "member"},
        f"/team/members/{member_a.public_id}/role": {"role": "admin"},
    }
    for url, data in posts.items():
        assert sam.post(url, data=data).status_code == 403, url
    assert _invitation(app, "pat@acme.example").revoked_at is None
    assert _user(app, vendor_a.email).role == "admin"
    assert _user(app, member_a.email).role == "member"
    assert [mail.recipient for mail in _mails(app)] == ["pat@acme.example"]
    with app.app_context(), pytest.raises(auth_ops.NotAllowed):
        sam_row = db.session.get(User, member_a.id)
        assert sam_row is not None
        auth_ops.invite_colleague(sam_row, "eve@acme.example")


def test_the_operations_refuse_a_member_even_past_the_page_check(
    app: Flask,
    vendor_a: Persona,
    member_a: Persona,
    login: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Made a member between the view's check and the write: the operation says 403 too."""
    monkeypatch.setattr(auth_views, "_admins_only", lambda: None)
    sam = _client_as(app, login, member_a)
    url = f"/team/members/{vendor_a.public_id}/remove"
    assert sam.post(url).status_code == 403
    assert sam.post("/team", data={"email": "eve@acme.example"}).status_code == 403
    assert _user(app, vendor_a.email).removed_at is None
    assert _mails(app) == []


def test_another_organisation_never_finds_our_people_or_invitations(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Persona,
    vendor_b: Persona,
    member_a: Persona,
    login: Callable[..., None],
) -> None:
    _invite(vendor_client, "pat@acme.example")
    invitation = _invitation(app, "pat@acme.example")
    bill = _client_as(app, login, vendor_b)  # an admin, of Initech
    page = bill.get("/team").get_data(as_text=True)
    assert vendor_a.email not in page and member_a.email not in page
    assert "pat@acme.example" not in page
    for url, data in {
        f"/team/invitations/{invitation.public_id}/revoke": {},
        f"/team/members/{member_a.public_id}/remove": {},
        f"/team/members/{member_a.public_id}/role": {"role": "admin"},
        f"/team/members/{vendor_a.public_id}/role": {"role": "member"},
    }.items():
        assert bill.post(url, data=data).status_code == 404, url
    assert _invitation(app, "pat@acme.example").revoked_at is None
    assert _user(app, member_a.email).removed_at is None
    assert _user(app, member_a.email).role == "member"


# --- removing a colleague ------------------------------------------------------------------------


def test_a_removed_member_cannot_log_in_and_their_session_ends_at_once(
    app: Flask,
    vendor_client: FlaskClient,
    member_a: Persona,
    login: Callable[..., None],
) -> None:
    sam = _client_as(app, login, member_a)
    assert sam.get("/team").status_code == 200
    response = vendor_client.post(
        f"/team/members/{member_a.public_id}/remove", follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Sam Member (sam@acme.example) is removed from the team." in page
    assert member_a.email not in page.split('id="members-title"')[1].split("</table>")[0]

    assert sam.get("/team").headers["Location"].startswith("/login")  # the session ended
    again = sam.post("/login", data={"email": member_a.email, "password": member_a.password})
    assert again.status_code == 200
    assert "That email and password do not match an account." in again.get_data(as_text=True)
    with app.app_context():
        assert auth_ops.authenticate(member_a.email, member_a.password) is None
    assert sam.post("/password/forgot", data={"email": member_a.email}).status_code == 200
    assert _mails(app) == []  # no reset link for a removed account
    removed = _user(app, member_a.email)
    assert removed.removed_at is not None and removed.session_version == 2


def test_the_user_loader_refuses_a_removed_user_even_with_a_current_cookie(
    app: Flask, member_a: Persona, login: Callable[..., None]
) -> None:
    sam = _client_as(app, login, member_a)
    with app.app_context():  # removed without the session version raised
        db.session.execute(
            sa.update(User).where(User.id == member_a.id).values(removed_at=utcnow())
        )
        db.session.commit()
    assert sam.get("/team").status_code == 302


def test_a_removed_colleague_can_be_invited_back_as_a_member(
    app: Flask, vendor_client: FlaskClient, member_a: Persona, login: Callable[..., None]
) -> None:
    vendor_client.post(f"/team/members/{member_a.public_id}/remove")
    _accept(app, _invite(vendor_client, member_a.email), name="Sam Again")
    back = _user(app, member_a.email)
    assert back.removed_at is None and back.role == "member" and back.name == "Sam Again"
    client = app.test_client()
    client.post("/login", data={"email": member_a.email, "password": NEW_PASSWORD})
    assert client.get("/team").status_code == 200


# --- the last admin ------------------------------------------------------------------------------


def test_the_last_admin_can_be_neither_removed_nor_made_a_member(
    app: Flask, vendor_client: FlaskClient, vendor_a: Persona, member_a: Persona
) -> None:
    refusal = (
        "Dana Vendor is the only admin of Acme Analytics, so cannot be {}. "
        "Make another member an admin first."
    )
    removed = vendor_client.post(
        f"/team/members/{vendor_a.public_id}/remove", follow_redirects=True
    )
    assert refusal.format("removed") in removed.get_data(as_text=True)
    demoted = vendor_client.post(
        f"/team/members/{vendor_a.public_id}/role",
        data={"role": "member"},
        follow_redirects=True,
    )
    assert refusal.format("made a member") in demoted.get_data(as_text=True)
    dana = _user(app, vendor_a.email)
    assert dana.role == "admin" and dana.removed_at is None
    assert vendor_client.get("/team").status_code == 200  # still logged in


def test_an_admin_makes_a_member_admin_and_an_admin_a_member(
    app: Flask,
    vendor_client: FlaskClient,
    vendor_a: Persona,
    member_a: Persona,
    login: Callable[..., None],
) -> None:
    promoted = vendor_client.post(
        f"/team/members/{member_a.public_id}/role", data={"role": "admin"}, follow_redirects=True
    )
    assert "Sam Member is now admin." in promoted.get_data(as_text=True)
    assert _user(app, member_a.email).role == "admin"
    sam = _client_as(app, login, member_a)  # now Sam may manage the team: Dana stops being admin
    demoted = sam.post(
        f"/team/members/{vendor_a.public_id}/role", data={"role": "member"}, follow_redirects=True
    )
    assert "Dana Vendor is now member." in demoted.get_data(as_text=True)
    assert _user(app, vendor_a.email).role == "member"
    assert vendor_client.post("/team", data={"email": "x@acme.example"}).status_code == 403
    odd = sam.post(f"/team/members/{vendor_a.public_id}/role", data={"role": "owner"})
    assert odd.status_code == 302 and _user(app, vendor_a.email).role == "member"


def test_the_last_admin_rule_counts_only_colleagues_not_removed(
    app: Flask, vendor_client: FlaskClient, vendor_a: Persona, member_a: Persona
) -> None:
    vendor_client.post(f"/team/members/{member_a.public_id}/role", data={"role": "admin"})
    vendor_client.post(f"/team/members/{member_a.public_id}/remove")
    assert _user(app, member_a.email).removed_at is not None
    vendor_client.post(f"/team/members/{vendor_a.public_id}/role", data={"role": "member"})
    assert _user(app, vendor_a.email).role == "admin"
    assert vendor_client.post(f"/team/members/{member_a.public_id}/remove").status_code == 404


# --- one's own name ------------------------------------------------------------------------------


def test_a_user_changes_their_own_name_on_the_account_page(
    app: Flask, vendor_client: FlaskClient, vendor_a: Persona
) -> None:
    page = vendor_client.get("/account").get_data(as_text=True)
    assert 'action="/account/name"' in page and f'value="{vendor_a.name}"' in page
    response = vendor_client.post(
        "/account/name", data={"name": "  Dana Renamed "}, follow_redirects=True
    )
    assert "Your name is changed." in response.get_data(as_text=True)
    assert _user(app, vendor_a.email).name == "Dana Renamed"
    assert "Dana Renamed" in vendor_client.get("/team").get_data(as_text=True)
    empty = vendor_client.post("/account/name", data={"name": " "})
    assert empty.status_code == 200 and "Enter your name." in empty.get_data(as_text=True)
    too_long = vendor_client.post("/account/name", data={"name": "x" * 201})
    assert too_long.status_code == 200
    assert _user(app, vendor_a.email).name == "Dana Renamed"
    assert vendor_client.get("/team").status_code == 200  # the session goes on


# --- the operator's command ----------------------------------------------------------------------


def test_create_user_joins_as_a_member_unless_told_admin(app: Flask) -> None:
    runner = app.test_cli_runner()
    base = ["create-user", "--organisation", "Acme", "--password", "a long password"]
    made = [
        runner.invoke(main, [*base, "--email", "dana@acme.example", "--name", "Dana"]),
        runner.invoke(main, [*base, "--email", "sam@acme.example", "--name", "Sam"]),
        runner.invoke(main, [*base, "--email", "ada@acme.example", "--name", "Ada", "--admin"]),
    ]
    assert [result.exit_code for result in made] == [0, 0, 0], [r.output for r in made]
    assert "(admin) in the new organisation" in made[0].output
    assert "(member) in the existing organisation" in made[1].output
    roles = [_user(app, f"{who}@acme.example").role for who in ("dana", "sam", "ada")]
    assert roles == ["admin", "member", "admin"]
