"""Account pages: /signup, /login, /logout, /account, /team (invite), /invite/<token> (accept).

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

from survey.auth import operations, recovery
from survey.auth.forms import (
    AcceptInvitationForm,
    EndSessionsForm,
    ForgotPasswordForm,
    InviteForm,
    LoginForm,
    PasswordChangeForm,
    ResetPasswordForm,
    SignupForm,
)
from survey.emails import normalise_email
from survey.extensions import limiter
from survey.models import User

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
    days = current_app.permanent_session_lifetime.days
    return render_template(
        "auth/account.html", form=form, end_form=EndSessionsForm(), session_days=days
    )


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
    """The organisation's users, and a form to invite a colleague.

    The invitation link is shown once, in the response to the POST: only its hash is kept.
    """
    form = InviteForm()
    invite_url = None
    if form.validate_on_submit():
        try:
            invitation, token = operations.invite_colleague(current_user, form.email.data or "")
        except operations.AccountError as error:
            form.email.errors = [*form.email.errors, str(error)]
        else:
            invite_url = url_for("auth.accept_invitation", token=token, _external=True)
            form = InviteForm(formdata=None)
            return render_template(
                "auth/team.html", form=form, invite_url=invite_url, invited=invitation.email
            )
    return render_template("auth/team.html", form=form, invite_url=None, invited=None)


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
