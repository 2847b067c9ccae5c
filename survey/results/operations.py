"""Named write operations on the joint action plan; each commits at its boundary.

Every change records who made it (a vendor user, or the client's link) and when, as an
:class:`~survey.models.ActionEvent`, so the plan's history can be shown to both sides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from survey.database import write_operation
from survey.domain.vocabulary import OWNER_WORDS, PLAN_FIELD_WORDS, PLAN_STATUS_WORDS
from survey.extensions import db
from survey.models import (
    ACTION_OWNERS,
    ACTION_STATUSES,
    AUTHOR_NAME_MAX,
    ActionComment,
    ActionEvent,
    ActionItem,
    Review,
    User,
    utcnow,
)
from survey.notices import notify_client_said, notify_results_shared
from survey.results.data import Pending

#: Fields whose history line names the values; title and detail are only said to change.
NAMED_FIELDS = ("owner", "due_on", "status")


class PlanError(ValueError):
    """A change the plan does not allow (unknown owner or status, empty title ...)."""


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a vendor user, or (user None) someone through the client's link,
    with the name they gave (optional; shown as "someone at {client}" when empty)."""

    user: User | None
    name: str | None = None

    @property
    def via_link(self) -> bool:
        return self.user is None

    @property
    def author_name(self) -> str | None:
        """The name kept with a change through the link (none for a vendor user)."""
        if not self.via_link:
            return None
        given = " ".join((self.name or "").split())[:AUTHOR_NAME_MAX]
        return given or None

    @classmethod
    def client_link(cls, name: str | None = None) -> Actor:
        return cls(user=None, name=name)


def _stamp(item: ActionItem, actor: Actor, *, created: bool = False) -> None:
    now = utcnow()
    item.updated_by_id = actor.user.id if actor.user else None
    item.updated_via_link = actor.via_link
    item.updated_at = now
    if created:
        item.created_by_id = item.updated_by_id
        item.created_via_link = actor.via_link
        item.created_at = now


def _record(review: Review, actor: Actor, what: str, item: ActionItem | None = None) -> None:
    db.session.add(
        ActionEvent(
            review_id=review.id,
            item=item,
            user_id=actor.user.id if actor.user else None,
            via_link=actor.via_link,
            author_name=actor.author_name,
            what=what,
            at=utcnow(),
        )
    )


def _check(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate the editable fields; titles are required, owner and status from their lists."""
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            raise PlanError("An action needs a title.")
    if "detail" in fields:
        fields["detail"] = (fields["detail"] or "").strip() or None
    if "owner" in fields and fields["owner"] not in ACTION_OWNERS:
        raise PlanError(f"Owner must be one of {', '.join(ACTION_OWNERS)}.")
    if "status" in fields and fields["status"] not in ACTION_STATUSES:
        raise PlanError(f"Status must be one of {', '.join(ACTION_STATUSES)}.")
    if (
        "due_on" in fields
        and fields["due_on"] is not None
        and not isinstance(fields["due_on"], date)
    ):
        raise PlanError("The due date must be a date.")
    return fields


def _describe(name: str, value: Any) -> str:
    """A field's value in the words of the plan's history.

    >>> _describe("due_on", date(2027, 1, 10)), _describe("owner", "joint")
    ('10 January 2027', 'both')
    """
    if value is None or value == "":
        return "none"
    if name == "status":
        return PLAN_STATUS_WORDS.get(value, str(value))
    if name == "owner":
        return OWNER_WORDS.get(value, str(value))
    return f"{value.day} {value:%B %Y}" if isinstance(value, date) else str(value)


def change_words(what: str, name: str, old: Any, new: Any) -> str:
    """One history line for a value set, changed or cleared; `what` is the field in words.

    >>> change_words("due date", "due_on", None, date(2027, 1, 10))
    'due date set to 10 January 2027'
    >>> change_words("status", "status", "proposed", "planned")
    'status changed from proposed to planned'
    >>> change_words("next review date", "due_on", date(2027, 1, 10), None)
    'next review date cleared (was 10 January 2027)'
    """
    if old is None or old == "":
        return f"{what} set to {_describe(name, new)}"
    if new is None or new == "":
        return f"{what} cleared (was {_describe(name, old)})"
    return f"{what} changed from {_describe(name, old)} to {_describe(name, new)}"


def _text_change_words(name: str, old: str | None, new: str | None) -> str:
    """Title and detail may be long: the history says what happened, not the words."""
    if not old:
        return f"added the {PLAN_FIELD_WORDS[name]}"
    if not new:
        return f"removed the {PLAN_FIELD_WORDS[name]}"
    return f"changed the {PLAN_FIELD_WORDS[name]}"


def _apply(item: ActionItem, fields: dict[str, Any]) -> list[str]:
    """Set the fields that differ; the list of changes in words, for the history."""
    changes = []
    for name, value in fields.items():
        old = getattr(item, name)
        if old != value:
            setattr(item, name, value)
            if name in NAMED_FIELDS:
                changes.append(change_words(PLAN_FIELD_WORDS[name], name, old, value))
            else:
                changes.append(_text_change_words(name, old, value))
    return changes


def _from_pending(review: Review, pending: Pending) -> ActionItem:
    said = pending.said if pending.proposed_by == "client" else None
    return ActionItem(
        client_said=said,
        review_id=review.id,
        source=pending.source,
        source_key=pending.key,
        rule_id=pending.rule_id,
        proposed_by=pending.proposed_by,
        title=pending.title,
        detail=pending.detail,
        because=pending.because,
        owner=pending.owner,
    )


@write_operation
def accept_action(
    review: Review,
    target: Pending | ActionItem,
    actor: Actor,
    edits: dict[str, Any] | None = None,
) -> ActionItem:
    """Put a suggestion, an answer's proposal or a client's proposal into the plan as planned.

    `edits` (title, detail, owner, due_on) let the vendor adjust it while accepting.
    """
    fields = _check({"status": "planned", **(edits or {})})
    if isinstance(target, Pending):
        item = _from_pending(review, target)
        db.session.add(item)
        _stamp(item, actor, created=True)
        _apply(item, fields)
        _record(review, actor, f"accepted the {target.source}: {item.title}", item)
    else:
        changes = _apply(target, fields)
        item = target
        _stamp(item, actor)
        _record(review, actor, "accepted: " + "; ".join(changes or ["no change"]), item)
    return item


@write_operation
def decline_action(review: Review, target: Pending | ActionItem, actor: Actor) -> ActionItem:
    """Mark a suggestion or proposal as declined (kept, so it is not offered again)."""
    if isinstance(target, Pending):
        item = _from_pending(review, target)
        item.status = "declined"
        db.session.add(item)
        _stamp(item, actor, created=True)
        _record(review, actor, f"declined the {target.source}: {item.title}", item)
    else:
        item = target
        old = item.status
        item.status = "declined"
        _stamp(item, actor)
        _record(review, actor, change_words("status", "status", old, "declined"), item)
    return item


@write_operation
def accept_all_suggested(review: Review, pending: list[Pending], actor: Actor) -> list[ActionItem]:
    """Accept every engine suggestion among `pending` as it stands, in one transaction.

    Only ``source == "suggested"``: proposals people wrote are left to decide one by one.
    Returns the items made; none when another request decided them first (a double
    submit finds an empty list, or hits the plan's unique key and changes nothing).
    """
    return _decide_all(
        review, [p for p in pending if p.source == "suggested"], actor, accept_action
    )


@write_operation
def decline_all_pending(review: Review, pending: list[Pending], actor: Actor) -> list[ActionItem]:
    """Decline every suggestion and proposal still in `pending`, in one transaction."""
    return _decide_all(review, pending, actor, decline_action)


def _decide_all(
    review: Review,
    pending: list[Pending],
    actor: Actor,
    decide: Callable[[Review, Pending, Actor], ActionItem],
) -> list[ActionItem]:
    """Each decision inside the caller's one write operation (nested ones run within it)."""
    try:
        items = [decide(review, target, actor) for target in pending]
        db.session.flush()
    except sa.exc.IntegrityError:  # decided meanwhile by a request that committed first
        db.session.rollback()
        return []
    return items


@write_operation
def update_action(item: ActionItem, actor: Actor, fields: dict[str, Any]) -> list[str]:
    """Edit an item (title, detail, owner, due date, status); returns the changes made."""
    allowed = {k: v for k, v in fields.items() if k in PLAN_FIELD_WORDS}
    changes = _apply(item, _check(allowed))
    if changes:
        _stamp(item, actor)
        _record(item.review, actor, "; ".join(changes), item)
    db.session.commit()
    return changes


@write_operation
def add_action(review: Review, actor: Actor, fields: dict[str, Any]) -> ActionItem:
    """The vendor's own action, straight into the plan (planned unless said otherwise)."""
    checked = _check({"status": "planned", "owner": "joint", **fields})
    item = ActionItem(review_id=review.id, source="custom", **checked)
    db.session.add(item)
    _stamp(item, actor, created=True)
    _record(review, actor, f"added the action: {item.title}", item)
    db.session.commit()
    return item


@write_operation
def propose_action(review: Review, actor: Actor, title: str, detail: str | None) -> ActionItem:
    """A proposal through the client's link: waits, proposed, for the vendor to decide."""
    checked = _check({"title": title, "detail": detail})
    said = "\n\n".join(part for part in (checked["title"], checked["detail"]) if part)
    item = ActionItem(
        review_id=review.id,
        source="proposal",
        proposed_by="client",
        status="proposed",
        owner="joint",
        client_said=said,
        author_name=actor.author_name,
        **checked,
    )
    db.session.add(item)
    _stamp(item, actor, created=True)
    _record(review, actor, f"proposed the action: {item.title}", item)
    if actor.via_link:
        db.session.flush()  # the item's public id names the event
        notify_client_said(review, "proposed an action", f"client-proposal:{item.public_id}")
    db.session.commit()
    return item


@write_operation
def comment_on_action(item: ActionItem, actor: Actor, text: str) -> ActionComment:
    """A comment on an item, by a vendor user or through the client's link."""
    text = (text or "").strip()
    if not text:
        raise PlanError("A comment cannot be empty.")
    comment = ActionComment(
        item=item,
        user_id=actor.user.id if actor.user else None,
        via_link=actor.via_link,
        author_name=actor.author_name,
        text=text,
        at=utcnow(),
    )
    db.session.add(comment)
    _record(item.review, actor, "commented", item)
    if actor.via_link:
        db.session.flush()  # the comment's id names the event
        notify_client_said(item.review, "commented", f"client-comment:{comment.id}")
    db.session.commit()
    return comment


@write_operation
def set_next_review(review: Review, actor: Actor, when: date | None) -> None:
    """Set (or clear) the date of the next relationship review."""
    if review.next_review_on == when:
        return
    old = review.next_review_on
    review.next_review_on = when
    _record(review, actor, change_words("next review date", "due_on", old, when))
    db.session.commit()


@write_operation
def respond_to_proposal(item: ActionItem, actor: Actor, text: str | None) -> bool:
    """Set (or clear, when empty) the vendor's response to a client proposal.

    The client reads it beside its own words once the results are shared. Returns whether
    anything changed.
    """
    if item.proposed_by != "client":
        raise PlanError("Only a proposal from the client takes a response.")
    text = (text or "").strip() or None
    if item.vendor_response == text:
        return False
    item.vendor_response = text
    _stamp(item, actor)
    _record(item.review, actor, "wrote a response" if text else "removed the response", item)
    db.session.commit()
    return True


@write_operation
def share_results(review: Review, actor: Actor) -> None:
    """Let the client see the comparison and the plan through its results link."""
    if review.shared_at is not None:
        return
    review.shared_at = utcnow()
    _record(review, actor, f"shared the results with {review.client_name}")
    notify_results_shared(review)
    db.session.commit()


@write_operation
def stop_sharing(review: Review, actor: Actor) -> None:
    """Take the results away from the client again; its link then says so."""
    if review.shared_at is None:
        return
    review.shared_at = None
    review.unshared_at = utcnow()
    _record(review, actor, f"stopped sharing the results with {review.client_name}")
    db.session.commit()
