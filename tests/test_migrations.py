"""Migrations: an empty database upgrades to the models' schema, and data survives upgrades."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade

from survey import create_app
from survey.extensions import db

INITIAL_TABLES = {
    "organisation",
    "user_account",
    "invitation",
    "client",
    "review",
    "share_link",
    "respondent",
    "answer",
}


def _wipe() -> None:
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[Flask]:
    """The app on a database with no tables at all (not even made from the models)."""
    url = os.environ.get("SURVEY_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'mig.db'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SURVEY_INSTANCE": tmp_path})
    with app.app_context():
        _wipe()
        yield app
        db.session.remove()
        _wipe()
        db.engine.dispose()


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def test_upgrade_an_empty_database_to_head_gives_the_models_tables(empty_app: Flask) -> None:
    upgrade()
    assert _tables() == set(db.metadata.tables) | {"alembic_version"}


def test_head_matches_the_models_column_for_column(empty_app: Flask) -> None:
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_first_revision_makes_the_initial_tables(empty_app: Flask) -> None:
    upgrade(revision="0001_initial")
    assert _tables() == INITIAL_TABLES | {"alembic_version"}
    downgrade(revision="base")
    assert _tables() == {"alembic_version"}


def test_data_made_at_the_first_revision_survives_upgrading(empty_app: Flask) -> None:
    upgrade(revision="0001_initial")
    now = "2025-01-01 12:00:00"
    statements = [
        "INSERT INTO organisation (id, public_id, name, created_at)"
        f" VALUES (1, 'org1', 'Acme Analytics', '{now}')",
        "INSERT INTO user_account (id, public_id, organisation_id, email, name, password_hash,"
        f" created_at) VALUES (1, 'usr1', 1, 'dana@acme.example', 'Dana', 'x', '{now}')",
        f"INSERT INTO client (id, public_id, organisation_id, name, created_at)"
        f" VALUES (1, 'cli1', 1, 'Globex', '{now}')",
        "INSERT INTO review (id, public_id, organisation_id, client_id, questionnaire_id,"
        " questionnaire_version, questionnaire_source, vendor_name, client_name, status,"
        " client_sees_results, created_by_id, created_at) VALUES (1, 'rev1', 1, 1,"
        " 'vendor-value-review', 1, 'id: x', 'Acme Analytics', 'Globex', 'open', true, 1,"
        f" '{now}')",
        "INSERT INTO share_link (id, review_id, party, salt, token_hash, created_at)"
        f" VALUES (1, 1, 'client', 'salt1', 'hash1', '{now}')",
        "INSERT INTO respondent (id, public_id, review_id, party, name, resume_token_hash,"
        " started_at, submitted_at) VALUES (1, 'res1', 1, 'client', 'Hiro', 'hash2',"
        f" '{now}', '{now}')",
        "INSERT INTO answer (id, respondent_id, question_id, value, updated_at)"
        f" VALUES (1, 1, 'knows-priorities', '4', '{now}')",
    ]
    with db.engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
    upgrade()
    with db.engine.connect() as connection:
        review = connection.execute(
            sa.text("SELECT public_id, client_name, status FROM review")
        ).one()
        answer = connection.execute(sa.text("SELECT question_id, value FROM answer")).one()
        link = connection.execute(sa.text("SELECT salt, token_hash FROM share_link")).one()
    assert tuple(review) == ("rev1", "Globex", "open")
    assert answer[0] == "knows-priorities" and answer[1] in (4, "4")
    assert tuple(link) == ("salt1", "hash1")


def _insert(*statements: str) -> None:
    with db.engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))


NOW = "2025-01-01 12:00:00"
ORGANISATION = (
    "INSERT INTO organisation (id, public_id, name, created_at)"
    f" VALUES (1, 'org1', 'Acme', '{NOW}')"
)


def _client(client_id: int, name: str) -> str:
    return (
        "INSERT INTO client (id, public_id, organisation_id, name, created_at)"
        f" VALUES ({client_id}, 'cli{client_id}', 1, '{name}', '{NOW}')"
    )


def _review(review_id: int, client_id: int) -> str:
    return (
        "INSERT INTO review (id, public_id, organisation_id, client_id, questionnaire_id,"
        " questionnaire_version, questionnaire_source, vendor_name, client_name, status,"
        f" client_sees_results, created_at) VALUES ({review_id}, 'rev{review_id}', 1,"
        f" {client_id}, 'q', 1, 'id: q', 'Acme', 'c', 'open', true, '{NOW}')"
    )


def test_clients_that_fold_to_one_name_are_merged_with_their_reviews(empty_app: Flask) -> None:
    """Before the key, SQLite's ASCII-only lower() let `Ärzte AG` and `ÄRZTE AG` be two."""
    upgrade(revision="0002_action_plan")
    _insert(
        ORGANISATION,
        _client(1, "Ärzte AG"),
        _client(2, "ÄRZTE  AG"),
        _client(3, "Łódź Ltd"),
        _review(1, 1),
        _review(2, 2),
        _review(3, 3),
    )
    upgrade()
    with db.engine.connect() as connection:
        clients = connection.execute(sa.text("SELECT id, name_key FROM client ORDER BY id")).all()
        reviews = connection.execute(sa.text("SELECT id, client_id FROM review ORDER BY id")).all()
    assert [tuple(c) for c in clients] == [(1, "ärzte ag"), (3, "łódź ltd")]
    assert [tuple(r) for r in reviews] == [(1, 1), (2, 1), (3, 3)]


def test_respondents_are_tied_to_the_link_that_was_live_when_they_started(
    empty_app: Flask,
) -> None:
    upgrade(revision="0003_client_name_key")
    links = [(1, "client", "2025-01-01 10:00:00"), (2, "client", "2025-01-05 10:00:00")]
    _insert(
        ORGANISATION,
        "INSERT INTO client (id, public_id, organisation_id, name, name_key, created_at)"
        f" VALUES (1, 'cli1', 1, 'Globex', 'globex', '{NOW}')",
        _review(1, 1),
        *(
            "INSERT INTO share_link (id, review_id, party, salt, token_hash, created_at)"
            f" VALUES ({i}, 1, '{party}', 'salt{i}', 'hash{i}', '{at}')"
            for i, party, at in links
        ),
        *(
            "INSERT INTO respondent (id, public_id, review_id, party, resume_token_hash,"
            f" started_at) VALUES ({i}, 'res{i}', 1, 'client', 'r{i}', '{at}')"
            for i, at in [(1, "2025-01-02 09:00:00"), (2, "2025-01-06 09:00:00")]
        ),
    )
    upgrade()
    with db.engine.connect() as connection:
        came_by = connection.execute(sa.text("SELECT id, link_id FROM respondent ORDER BY id"))
        assert [tuple(row) for row in came_by] == [(1, 1), (2, 2)]


def test_reviews_the_client_already_saw_start_out_shared(empty_app: Flask) -> None:
    """0007: the staged reveal replaces `client_sees_results`. A review whose client saw
    results (flag on, both sides submitted) is shared; one still collecting, or with the
    flag off, is not. Every existing link is a survey link; client proposals keep their
    words."""
    upgrade(revision="0006_confidentiality")
    people = [
        (1, 1, "vendor"),
        (2, 1, "client"),
        (3, 2, "vendor"),
        (4, 3, "vendor"),
        (5, 3, "client"),
    ]
    _insert(
        ORGANISATION,
        "INSERT INTO client (id, public_id, organisation_id, name, name_key, created_at)"
        f" VALUES (1, 'cli1', 1, 'Globex', 'globex', '{NOW}')",
        _review(1, 1),
        _review(2, 1),
        _review(3, 1).replace(", true,", ", false,"),
        "INSERT INTO share_link (id, review_id, party, salt, token_hash, created_at)"
        f" VALUES (1, 1, 'client', 'salt1', 'hash1', '{NOW}')",
        *(
            "INSERT INTO respondent (id, public_id, review_id, party, resume_token_hash,"
            f" started_at, submitted_at) VALUES ({i}, 'res{i}', {r}, '{p}', 'r{i}', '{NOW}',"
            f" '{NOW}')"
            for i, r, p in people
        ),
        "INSERT INTO action_item (id, public_id, review_id, source, proposed_by, title, owner,"
        " status, created_via_link, updated_via_link, created_at, updated_at) VALUES"
        f" (1, 'ai1', 1, 'proposal', 'client', 'Meet monthly', 'joint', 'proposed', true, true,"
        f" '{NOW}', '{NOW}')",
    )
    upgrade()
    with db.engine.connect() as connection:
        shared = connection.execute(
            sa.text("SELECT id, shared_at IS NOT NULL, min_respondents FROM review ORDER BY id")
        )
        assert [tuple(row) for row in shared] == [(1, True, 1), (2, False, 1), (3, False, 1)]
        purposes = connection.execute(sa.text("SELECT purpose FROM share_link")).scalars()
        assert list(purposes) == ["survey"]
        said = connection.execute(sa.text("SELECT client_said FROM action_item")).scalar()
        assert said == "Meet monthly"
    downgrade(revision="0006_confidentiality")
    with db.engine.connect() as connection:
        flags = connection.execute(sa.text("SELECT client_sees_results FROM review")).scalars()
        assert all(flags)


def test_users_before_roles_stay_admins_and_invitations_get_public_ids(
    empty_app: Flask,
) -> None:
    """0013: every existing user becomes an admin (nobody loses what they could do), and
    every existing invitation gets its own random public id; then back down again."""
    upgrade(revision="0013_invitees")
    _insert(
        ORGANISATION,
        *(
            "INSERT INTO user_account (id, public_id, organisation_id, email, name,"
            f" password_hash, created_at) VALUES ({n}, 'usr{n}', 1, 'u{n}@acme.example',"
            f" 'User {n}', 'x', '{NOW}')"
            for n in (1, 2)
        ),
        *(
            "INSERT INTO invitation (id, organisation_id, email, token_hash, invited_by_id,"
            f" created_at) VALUES ({n}, 1, 'new{n}@acme.example', 'hash{n}', 1, '{NOW}')"
            for n in (1, 2)
        ),
    )
    upgrade(revision="0014_team")
    with db.engine.connect() as connection:
        users = connection.execute(sa.text("SELECT role, removed_at FROM user_account"))
        assert [tuple(row) for row in users] == [("admin", None), ("admin", None)]
        ids = connection.execute(sa.text("SELECT public_id, revoked_at FROM invitation")).all()
    assert len({row[0] for row in ids}) == 2 and all(len(row[0]) >= 16 for row in ids)
    assert all(row[1] is None for row in ids)
    downgrade(revision="0013_invitees")
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM invitation")).scalar() == 2
