"""Account pages: /signup, /login, /logout, /account, /team, /invite/<token> (accept).

The Team page lists the organisation's members and open invitations to everyone in it;
only an admin may invite, withdraw an invitation, remove a colleague or change a role (a
member gets 403 on those posts). Another organisation's users and invitations are never
found (404). An organisation always keeps at least one admin.

Sessions: logging in starts a new session (nothing from before survives, the CSRF secret
included), and it ends after `SURVEY_SESSION_DAYS` without a visit. Each cookie carries
the user's session version: logging out, a new password or "log out on every device"
raises it, which ends every cookie made before, copies included.

Signing up and accepting an invitation answer the same way whether or not the address
already has an account, so neither tells anybody which addresses are known.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
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
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import Forbidden

from survey.auth import operations, recovery
from survey.auth.forms import (
    AcceptInvitationForm,
    EndSessionsForm,
    ForgotPasswordForm,
    InviteForm,
    LoginForm,
    NameForm,
    PasswordChangeForm,
    ResetPasswordForm,
    RoleForm,
    SignupForm,
    TeamActionForm,
)
from survey.domain.vocabulary import ROLE_WORDS
from survey.emails import normalise_email
from survey.extensions import limiter
from survey.models import Role, User

bp = Blueprint("auth", __name__)

LOGIN_LIMIT = "10 per minute"
SIGNUP_LIMIT = "10 per hour"
INVITE_LIMIT = "30 per hour"
#: Asking for a reset link: per address of the visitor (each account also gets at most one
#: mail per ten minutes, whoever asks).
FORGOT_LIMIT = "5 per 15 minutes"
#: What signing up and accepting an invitation say, whether or not the address was new.
NEXT_STEP = (
    "Next, log in with {email} and the password you chose. "
    "(An address that already had an account keeps it as it was.)"
)


def start_session(user: User) -> None:
    """A new session for this user: nothing of the visitor's earlier one survives."""
    session.clear()
    login_user(user)
    session.permanent = True  # PERMANENT_SESSION_LIFETIME: days without a visit


def end_session() -> None:
    """Log out; every cookie of the user made so far stops working, on every device."""
    if current_user.is_authenticated:
        operations.end_sessions(current_user)
    logout_user()
    session.clear()


def _safe_next(target: str | None) -> str:
    """Where to go after logging in: only a path on this site, never another host."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("workspace.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login() -> ResponseReturnValue:
    """Log a vendor user in; one message for a wrong email or a wrong password."""
    if current_user.is_authenticated:
        return redirect(url_for("workspace.index"))
    form = LoginForm()
    if request.method == "GET" and not form.email.data:
        form.email.data = request.args.get("email", "")[:254]
    if form.validate_on_submit():
        user = operations.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            start_session(user)
            return redirect(_safe_next(request.args.get("next")))
        form.form_errors.append("That email and password do not match an account.")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    """Log out (POST with CSRF, so a link elsewhere cannot log anyone out)."""
    end_session()
    flash("You are logged out, on this device and on any other.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> ResponseReturnValue:
    """Change the password (every other session then ends); log out on every device."""
    form = PasswordChangeForm()
    user = current_user._get_current_object()  # the row itself, kept across the new session
    if form.validate_on_submit():
        try:
            operations.change_password(user, form.current.data or "", form.password.data or "")
        except operations.AccountError as error:
            form.current.errors = [*form.current.errors, str(error)]
        else:
            start_session(user)
            flash("Your password is changed. Every other session has ended.", "success")
            return redirect(url_for(".account"))
    return _account_page(form=form)


def _account_page(
    form: PasswordChangeForm | None = None, name_form: NameForm | None = None
) -> ResponseReturnValue:
    """The Account page, with whichever of its forms was just posted (and its errors)."""
    if name_form is None:
        name_form = NameForm(formdata=None, name=current_user.name)
    return render_template(
        "auth/account.html",
        form=form or PasswordChangeForm(formdata=None),
        name_form=name_form,
        end_form=EndSessionsForm(),
        session_days=current_app.permanent_session_lifetime.days,
    )


@bp.route("/account/name", methods=["POST"])
@login_required
def change_name() -> ResponseReturnValue:
    """Change one's own name (what colleagues see); nothing else about the account."""
    form = NameForm()
    if form.validate_on_submit():
        operations.change_name(current_user, form.name.data or "")
        flash("Your name is changed.", "success")
        return redirect(url_for(".account"))
    return _account_page(name_form=form)


@bp.route("/account/sessions/end", methods=["POST"])
@login_required
def end_sessions() -> ResponseReturnValue:
    """End every session of this account, this one included."""
    if EndSessionsForm().validate_on_submit():
        end_session()
        flash("You are logged out on every device.", "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for(".account"))


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(SIGNUP_LIMIT, methods=["POST"])
def signup() -> ResponseReturnValue:
    """Create a new vendor organisation and its first account, then ask to log in."""
    if not current_app.config.get("SURVEY_SIGNUP", True):
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("workspace.index"))
    form = SignupForm()
    if form.validate_on_submit():
        email = normalise_email(form.email.data or "")
        operations.sign_up(
            form.organisation.data or "", form.name.data or "", email, form.password.data or ""
        )
        return _log_in_next(email)
    return render_template("auth/signup.html", form=form)


def _log_in_next(email: str) -> ResponseReturnValue:
    """The one answer to a signup or an accepted invitation: log in now."""
    flash(NEXT_STEP.format(email=email), "success")
    return redirect(url_for("auth.login", email=email))


@bp.route("/team", methods=["GET", "POST"])
@limiter.limit(INVITE_LIMIT, methods=["POST"])
@login_required
def team() -> ResponseReturnValue:
    """The organisation's members and open invitations; an admin's form to invite a colleague.

    The invitation is mailed to the colleague; its link is also shown once, in the response
    to the POST (only its hash is kept), for when the mail goes astray.
    """
    form = InviteForm()
    if request.method == "POST":
        _admins_only()
    if form.validate_on_submit():
        try:
            invitation, token = operations.invite_colleague(current_user, form.email.data or "")
        except operations.AccountError as error:
            form.email.errors = [*form.email.errors, str(error)]
        else:
            invite_url = url_for("auth.accept_invitation", token=token, _external=True)
            return _team_page(InviteForm(formdata=None), invite_url, invitation.email)
    return _team_page(form)


def _team_page(
    form: InviteForm, invite_url: str | None = None, invited: str | None = None
) -> ResponseReturnValue:
    organisation = current_user.organisation
    return render_template(
        "auth/team.html",
        form=form,
        invite_url=invite_url,
        invited=invited,
        members=operations.members(organisation),
        invitations=operations.pending_invitations(organisation),
        other_role={"admin": "member", "member": "admin"},
    )


def _admins_only() -> None:
    """403 unless the current user is an admin of their organisation."""
    if not current_user.is_admin:
        abort(403)


@bp.errorhandler(operations.NotAllowed)
def _not_allowed(_: operations.NotAllowed) -> ResponseReturnValue:
    """An operation refused a member (made one between the page's check and the write)."""
    return current_app.handle_http_exception(Forbidden())


def _team_done(message: str, category: str = "success") -> ResponseReturnValue:
    flash(message, category)
    return redirect(url_for(".team"))


@bp.route("/team/invitations/<invitation_id>/revoke", methods=["POST"])
@login_required
def revoke_invitation(invitation_id: str) -> ResponseReturnValue:
    """Withdraw an invitation of one's organisation: its link stops opening at once."""
    _admins_only()
    invitation = operations.find_team_invitation(current_user.organisation, invitation_id)
    if invitation is None:
        abort(404)
    if TeamActionForm().validate_on_submit():
        try:
            operations.revoke_invitation(current_user, invitation)
        except operations.AccountError as error:
            return _team_done(str(error), "error")
        return _team_done(f"The invitation for {invitation.email} is withdrawn.")
    return redirect(url_for(".team"))


@bp.route("/team/members/<member_id>/remove", methods=["POST"])
@login_required
def remove_member(member_id: str) -> ResponseReturnValue:
    """Remove a colleague: their sessions end at once and they can no longer log in."""
    _admins_only()
    member = _member_or_404(member_id)
    if TeamActionForm().validate_on_submit():
        try:
            operations.remove_member(current_user, member)
        except operations.AccountError as error:
            return _team_done(str(error), "error")
        return _team_done(f"{member.name} ({member.email}) is removed from the team.")
    return redirect(url_for(".team"))


@bp.route("/team/members/<member_id>/role", methods=["POST"])
@login_required
def change_role(member_id: str) -> ResponseReturnValue:
    """Make a colleague an admin, or an admin a member (the last admin stays one)."""
    _admins_only()
    member = _member_or_404(member_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _team_done("Choose a role: admin or member.", "error")
    role: Role = "admin" if form.role.data == "admin" else "member"
    try:
        operations.change_role(current_user, member, role)
    except operations.AccountError as error:
        return _team_done(str(error), "error")
    return _team_done(f"{member.name} is now {ROLE_WORDS[role]}.")


def _member_or_404(member_id: str) -> User:
    member = operations.find_member(current_user.organisation, member_id)
    if member is None:
        abort(404)
    return member


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit("60 per minute")
def accept_invitation(token: str) -> ResponseReturnValue:
    """Join the inviting organisation by choosing a name and a password."""
    invitation = operations.find_invitation(token)
    if invitation is None:
        abort(404)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        email = invitation.email
        operations.accept_invitation(invitation, form.name.data or "", form.password.data or "")
        return _log_in_next(email)
    return render_template("auth/accept.html", form=form, invitation=invitation)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(FORGOT_LIMIT, methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    """Ask for a reset link; the answer is the same whether or not the address is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = normalise_email(form.email.data or "")
        recovery.request_reset(email)
        return render_template("auth/forgot_sent.html", email=email)
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour")
def reset_password(token: str) -> ResponseReturnValue:
    """Choose a new password through a reset link (once, within the hour)."""
    user = recovery.user_for_reset(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        email = user.email
        recovery.reset_password(user, form.password.data or "")
        flash("Your password is changed. Log in with it; every other session has ended.", "success")
        return redirect(url_for("auth.login", email=email))
    return render_template("auth/reset.html", form=form, email=user.email)
