"""Account pages: /signup, /login, /logout, /team (invite), /invite/<token> (accept)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from survey.auth import operations
from survey.auth.forms import AcceptInvitationForm, InviteForm, LoginForm, SignupForm
from survey.extensions import limiter

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Where to go after logging in: only a path on this site, never another host."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("workspace.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login() -> ResponseReturnValue:
    """Log a vendor user in; one message for a wrong email or a wrong password."""
    if current_user.is_authenticated:
        return redirect(url_for("workspace.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = operations.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.form_errors.append("That email and password do not match an account.")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    """Log out (POST with CSRF, so a link elsewhere cannot log anyone out)."""
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> ResponseReturnValue:
    """Create a new vendor organisation and its first account."""
    if not current_app.config.get("SURVEY_SIGNUP", True):
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("workspace.index"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = operations.create_account(
                form.organisation.data or "",
                form.name.data or "",
                form.email.data or "",
                form.password.data or "",
            )
        except operations.AccountError as error:
            form.email.errors = [*form.email.errors, str(error)]
        else:
            login_user(user)
            flash(f"Welcome, {user.name}. Start your first review below.", "success")
            return redirect(url_for("workspace.index"))
    return render_template("auth/signup.html", form=form)


@bp.route("/team", methods=["GET", "POST"])
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
        try:
            user = operations.accept_invitation(
                invitation, form.name.data or "", form.password.data or ""
            )
        except operations.AccountError as error:
            form.form_errors.append(str(error))
        else:
            login_user(user)
            flash(f"Welcome to {user.organisation.name}, {user.name}.", "success")
            return redirect(url_for("workspace.index"))
    return render_template("auth/accept.html", form=form, invitation=invitation)
