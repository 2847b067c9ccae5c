"""Benchmark of the vendor's results page as the review grows (issue 15, point 2).

For 5, 50 and 200 respondents a side (add ``1000`` on the command line for 1000 + 1000),
prints the median time of the results page, as a ratio to ``/login`` measured in the same
run with the same client, and the size of its HTML. No pass or fail: the targets are
200 + 200 within 5x /login, 1000 + 1000 within 2x the 200 + 200 time, HTML under 300 KB.
Run with `make bench`.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import random_answers  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from survey import create_app  # noqa: E402
from survey.auth import operations as auth_ops  # noqa: E402
from survey.extensions import db  # noqa: E402
from survey.questionnaires import catalogue  # noqa: E402
from survey.respond import operations as respond_ops  # noqa: E402
from survey.workspace import operations as workspace_ops  # noqa: E402

FLAGSHIP = "vendor-value-review"
EMAIL, PASSWORD = "bench@example.com", "a bench password"
REPEAT = 5


def median_ms(get: Callable[[], object], repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        get()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def build_review(app: object, per_side: int, rng: random.Random) -> str:
    """A review of the flagship with `per_side` submitted respondents a side; its public id."""
    with app.app_context():  # type: ignore[attr-defined]
        loaded = catalogue()[FLAGSHIP]
        user = auth_ops.create_account(
            f"Vendor {per_side}", "Bench", f"{per_side}{EMAIL}", PASSWORD
        )
        review, _ = workspace_ops.start_review(
            user.organisation, user, loaded.questionnaire, loaded.source, "Client", None
        )
        for party in ("vendor", "client"):
            link = review.current_link(party)
            assert link is not None
            for n in range(per_side):
                person, _token = respond_ops.start_response(link, f"P{n}", None)
                answers = random_answers(loaded.questionnaire, party, rng)
                respond_ops.save_answers(person, loaded.questionnaire, answers)
                respond_ops.submit_response(person, loaded.questionnaire)
        public_id = review.public_id
        db.session.remove()
        return public_id


def logged_in(app: object, per_side: int) -> FlaskClient:
    client: FlaskClient = app.test_client()  # type: ignore[attr-defined]
    response = client.post("/login", data={"email": f"{per_side}{EMAIL}", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


HEADER = (
    f"{'respondents a side':>20} {'/login ms':>10} {'results ms':>11} {'ratio':>7} {'HTML KiB':>9}"
)


def measure(app: object, per_side: int, public_id: str) -> None:
    """One line of figures: /login and the results page, medians, and the page's size."""
    client = logged_in(app, per_side)
    anonymous: FlaskClient = app.test_client()  # type: ignore[attr-defined]
    page = f"/reviews/{public_id}/results"
    html = client.get(page).get_data()  # the first view warms the caches
    login = median_ms(lambda: anonymous.get("/login"), repeat=20)
    results = median_ms(lambda: client.get(page))
    print(
        f"{per_side:>20} {login:>10.2f} {results:>11.1f} {results / login:>6.0f}x"
        f" {len(html) / 1024:>9.0f}"
    )


def main(sizes: list[int]) -> None:
    rng = random.Random(15)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                "SURVEY_INSTANCE": Path(folder) / "instance",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "SERVER_NAME": "localhost",
                "SURVEY_PASSWORD_HASH": "pbkdf2:sha256:1000",
            }
        )
        with app.app_context():
            db.create_all()
        print(HEADER)
        for per_side in sizes:
            measure(app, per_side, build_review(app, per_side, rng))


if __name__ == "__main__":
    main([5, 50, 200] + [int(a) for a in sys.argv[1:]])
