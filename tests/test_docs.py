"""The authors' guide, docs/questionnaire-format.md, kept in step with the code.

Every key the questionnaire model accepts, every word a key may take, every key of the
JSON output and of an answers file must appear in the guide (as `code`); its complete
example must be a valid questionnaire; and no document of the project links outside it.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel

from survey.domain import answers as answers_file
from survey.domain.loader import load_text
from survey.domain.model import PARTIES, Questionnaire
from survey.domain.scoring import Respondent, ReviewAnswers, score

ROOT = Path(__file__).parent.parent
GUIDE = ROOT / "docs" / "questionnaire-format.md"
TEXT = GUIDE.read_text(encoding="utf-8")
CODE = set(re.findall(r"`([^`\n]+)`", TEXT))
SNIPPETS = [*CODE, *re.findall(r"```\w*\n(.*?)```", TEXT, re.S)]


def documented(key: str) -> bool:
    """Written as `key` in the text, or as `key: ...` in a code span or an example."""
    written = re.compile(rf"(?<![\w-]){re.escape(key)}:")
    return key in CODE or any(written.search(snippet) for snippet in SNIPPETS)


def models_reached(root: type[BaseModel]) -> list[type[BaseModel]]:
    """Every pydantic class a questionnaire file can contain, from the top down."""
    found: list[type[BaseModel]] = []
    todo: list[Any] = [root]
    while todo:
        item = todo.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            if item in found:
                continue
            found.append(item)
            todo += [info.annotation for info in item.model_fields.values()]
        else:
            todo += list(typing.get_args(item))
    return found


def keys_of(model: type[BaseModel]) -> list[str]:
    """The keys a file writes for a model ("in", "is", "not", not "in_")."""
    return [info.alias or name for name, info in model.model_fields.items()]


def words_of(model: type[BaseModel]) -> list[str]:
    """The fixed words a key may take (`counts_as: nps`, `rates: client` ...)."""
    found: list[str] = []
    todo = [info.annotation for info in model.model_fields.values()]
    while todo:
        item = todo.pop()
        if typing.get_origin(item) is Literal:
            found += [str(arg) for arg in typing.get_args(item)]
        elif not (isinstance(item, type) and issubclass(item, BaseModel)):
            todo += list(typing.get_args(item))
    return found


MODELS = models_reached(Questionnaire)


def test_the_walk_reaches_every_piece_of_a_file() -> None:
    names = {model.__name__ for model in MODELS}
    assert {"Questionnaire", "Question", "QuadrantCut", "ShowIf", "NotCond", "Choice"} <= names


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_key_the_model_accepts_is_documented(model: type[BaseModel]) -> None:
    missing = [key for key in keys_of(model) if not documented(key)]
    assert missing == [], f"{model.__name__}: document {missing} in {GUIDE.name}"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_word_a_key_takes_is_documented(model: type[BaseModel]) -> None:
    missing = [word for word in words_of(model) if word not in CODE]
    assert missing == [], f"{model.__name__}: document {missing} in {GUIDE.name}"


def json_keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in json_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in json_keys(v)}
    return set()


def test_every_key_of_the_json_output_is_documented() -> None:
    from survey.domain.loader import load_file

    v11 = load_file(ROOT / "tests" / "data" / "scoring" / "v11.yaml").questionnaire
    everyone = {q.id: 3 for q in v11.questions()}
    review = ReviewAnswers(
        "Acme", "Globex", [Respondent("vendor", everyone)], [Respondent("client", everyone)]
    )
    document = score(v11, review).to_dict()
    missing = sorted(key for key in json_keys(document) if not documented(key))
    assert missing == []
    assert document["nps"] and document["levels"]["next"]["missing"]  # every part was there


def test_every_key_of_an_answers_file_is_documented() -> None:
    keys = [*PARTIES, *answers_file.PARTY_KEYS, *answers_file.RESPONDENT_KEYS]
    assert [key for key in keys if not documented(key)] == []


def test_the_complete_example_is_a_valid_questionnaire() -> None:
    example = TEXT.split("## A complete small file", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", example, re.S)
    assert block is not None
    questionnaire = load_text(block[1], "example.yaml")
    assert questionnaire.question("recommend").is_nps
    assert questionnaire.dimension("briefs").rates == "client"


LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


@pytest.mark.parametrize(
    "document", [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))], ids=lambda p: p.name
)
def test_no_document_links_outside_the_repository(document: Path) -> None:
    for target in LINK.findall(document.read_text(encoding="utf-8")):
        path = target.split("#", 1)[0]
        assert "://" not in target and not target.startswith("/"), target
        if path:
            resolved = (document.parent / path).resolve()
            assert resolved.is_relative_to(ROOT), target
            assert resolved.exists(), target


def test_readme_links_the_guide() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/questionnaire-format.md)" in readme
    assert "shared/questionnaire-format.md" not in readme
