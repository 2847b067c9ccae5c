"""Benchmark of the pure engine: loading the flagship, scoring a large review, refusing a bomb.

Prints figures (no pass/fail): how long loading and scoring take and how much memory the
scoring of a review with many respondents needs. Run with `make bench`.
"""

from __future__ import annotations

import random
import time
import tracemalloc
from pathlib import Path

from survey.domain.answers import answers_json, parse_answers
from survey.domain.loader import QuestionnaireError, load_file, load_text
from survey.domain.model import Questionnaire
from survey.domain.scoring import Respondent, ReviewAnswers, score

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "questionnaires" / "vendor-value-review.yaml"


def random_answers(questionnaire: Questionnaire, party: str, rng: random.Random) -> dict:
    """Plausible canonical answers for every question asked of `party`."""
    answers: dict = {}
    for _section, questions in questionnaire.sections_for(party):  # type: ignore[arg-type]
        for question in questions:
            if question.kind == "scale":
                scale = questionnaire.scale_of(question)
                answers[question.id] = rng.randint(scale.lo, scale.hi)
            elif question.kind == "choice":
                labels = [c.label for c in question.choices or []]
                answers[question.id] = rng.sample(labels, 2) if question.multiple else labels[0]
            else:
                answers[question.id] = "Something worth saying."
    return answers


def timed(label: str, repeat: int, func) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for _ in range(repeat):
        func()
    elapsed = (time.perf_counter() - start) / repeat
    print(f"{label:<48} {elapsed * 1000:8.2f} ms")
    return elapsed


def bench_reading_an_export(questionnaire: Questionnaire, review: ReviewAnswers) -> None:
    """The app's JSON export read back by the json reader, against the YAML reader.

    A leading comment sends the same text to the YAML reader, the way `survey score` read
    every file before JSON had a reader of its own.
    """
    export = answers_json(review, questionnaire)
    print(f"{'  export size':<48} {len(export.encode()) / 1024:8.0f} KiB")
    as_json = timed(
        "read the export as JSON", 3, lambda: parse_answers(export, "e.json", questionnaire)
    )
    as_yaml = timed(
        "read the same text as YAML (baseline)",
        1,
        lambda: parse_answers("# read as YAML\n" + export, "e.yaml", questionnaire),
    )
    print(f"{'  JSON reader vs YAML reader':<48} {as_json / as_yaml:8.3f}×")


def main() -> None:
    loaded = load_file(FLAGSHIP)
    questionnaire = loaded.questionnaire
    timed("load flagship questionnaire (parse + validate)", 20, lambda: load_text(loaded.source))
    rng = random.Random(7)
    for size in (5, 50, 500):
        review = ReviewAnswers(
            "Vendor",
            "Client",
            [
                Respondent("vendor", random_answers(questionnaire, "vendor", rng))
                for _ in range(size)
            ],
            [
                Respondent("client", random_answers(questionnaire, "client", rng))
                for _ in range(size)
            ],
        )
        took = timed(
            f"score a review, {size} respondents per party",
            5,
            lambda r=review: score(questionnaire, r),
        )
        if size == 500:  # issue 15: 1,000 respondents of the flagship in 0.2 s at most
            print(f"{'  1,000 respondents against the 0.2 s target':<48} {took / 0.2:8.2f}×")
        tracemalloc.start()
        score(questionnaire, review)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{'  peak memory while scoring':<48} {peak / 1024:8.0f} KiB")
        if size == 50:  # the YAML reader's 1 MiB limit is reached near 300
            bench_reading_an_export(questionnaire, review)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}]\n"
        for prev, name in zip("abcdefghi", "bcdefghij", strict=True)
    )

    def refuse_bomb() -> None:
        try:
            load_text(bomb, "bomb.yaml")
        except QuestionnaireError:
            return
        raise SystemExit("the alias bomb was not refused")

    timed("refuse an alias bomb", 5, refuse_bomb)


if __name__ == "__main__":
    main()
