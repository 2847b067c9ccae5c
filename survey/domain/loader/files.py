"""Reading questionnaire files and folders: size limits, the model, the whole-file rules."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from survey.domain.loader.messages import _Translator
from survey.domain.loader.problems import (
    MAX_BYTES,
    LoadedQuestionnaire,
    Position,
    Problem,
    QuestionnaireError,
)
from survey.domain.loader.yaml_reader import Parsed, read_positioned
from survey.domain.model import Questionnaire
from survey.domain.validate import validate

_too_big_stream = "the file holds more than 1 MiB; questionnaire files must be at most 1 MiB"


def _too_big(size: int) -> str:
    return f"the file is {size} bytes; questionnaire files must be at most 1 MiB"


def _parse(text: str, filename: str) -> Parsed:
    """Safe YAML to plain data with positions, or QuestionnaireError."""
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        size = len(text.encode("utf-8", "surrogatepass"))
        raise QuestionnaireError([Problem(filename, 1, 1, _too_big(size))])
    return read_positioned(text, filename)


def _model(parsed: Parsed, filename: str) -> Questionnaire:
    """Validate the shape with pydantic, then the whole-file rules."""
    if not isinstance(parsed.data, dict):
        raise QuestionnaireError(
            [
                Problem(
                    filename, 1, 1, "a questionnaire is a set of 'key: value' lines, from 'id:' on"
                )
            ]
        )
    try:
        questionnaire = Questionnaire.model_validate(parsed.data)
    except ValidationError as error:
        found = _Translator(parsed).translate(error.errors())
        raise QuestionnaireError(_sorted(filename, found)) from None
    found = [(parsed.position(path), message) for path, message in validate(questionnaire)]
    if found:
        raise QuestionnaireError(_sorted(filename, found))
    return questionnaire


def _sorted(filename: str, found: list[tuple[Position, str]]) -> list[Problem]:
    problems = [Problem(filename, line, col, message) for (line, col), message in found]
    return sorted(dict.fromkeys(problems), key=lambda p: (p.line, p.col))


def _load(text: str, filename: str) -> tuple[Questionnaire, Parsed]:
    parsed = _parse(text, filename)
    return _model(parsed, filename), parsed


def load_text(text: str, filename: str = "<text>") -> Questionnaire:
    """Read a questionnaire from its text; every problem is in the QuestionnaireError."""
    return _load(text, filename)[0]


def _read(path: Path) -> str:
    """The file's text, refusing big or binary files before parsing."""
    name = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise QuestionnaireError([Problem(name, 1, 1, "this is a folder, not a file")])
        if size > MAX_BYTES:
            raise QuestionnaireError([Problem(name, 1, 1, _too_big(size))])
        with path.open("rb") as handle:  # at most the limit: a device or pipe has no size
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise QuestionnaireError([Problem(name, 1, 1, _too_big_stream)])
    except FileNotFoundError:
        raise QuestionnaireError([Problem(name, 1, 1, "no such file")]) from None
    except OSError as error:
        raise QuestionnaireError(
            [Problem(name, 1, 1, f"cannot read the file: {error.strerror}")]
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise QuestionnaireError(
            [Problem(name, line, col, "the file is not UTF-8 text; save it as UTF-8")]
        ) from None


def _load_path(path: Path) -> tuple[LoadedQuestionnaire, Parsed]:
    text = _read(path)
    questionnaire, parsed = _load(text, str(path))
    return LoadedQuestionnaire(questionnaire, text, path), parsed


def load_file(path: str | Path) -> LoadedQuestionnaire:
    """Read one questionnaire file (QuestionnaireError says what is wrong)."""
    return _load_path(Path(path))[0]


def _load_all(paths: Iterable[str | Path]) -> tuple[dict[str, LoadedQuestionnaire], list[Problem]]:
    """Load every file, collecting every problem, duplicate ids across files included."""
    loaded: dict[str, LoadedQuestionnaire] = {}
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        try:
            item, parsed = _load_path(path)
        except QuestionnaireError as error:
            problems.extend(error.problems)
            continue
        ident = item.questionnaire.id
        if ident in loaded:
            line, col = parsed.position(("id",))
            problems.append(
                Problem(
                    str(path),
                    line,
                    col,
                    f"questionnaire id '{ident}' is already used by {loaded[ident].path}",
                )
            )
            continue
        loaded[ident] = item
    return loaded, problems


def check_files(paths: Iterable[str | Path]) -> list[Problem]:
    """Every problem in these files, in file order (an empty list when all are valid)."""
    return _load_all(paths)[1]


def questionnaire_files(folder: Path) -> list[Path]:
    """The questionnaire files directly in a folder (``*.yaml``, ``*.yml``), sorted by name."""
    files = [p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()]
    return sorted(files)


def load_folder(folder: Path) -> dict[str, LoadedQuestionnaire]:
    """Load every questionnaire in a folder, keyed by id; any problem stops with all of them."""
    if not folder.is_dir():
        raise QuestionnaireError(
            [Problem(str(folder), 1, 1, "the questionnaire folder does not exist")]
        )
    loaded, problems = _load_all(questionnaire_files(folder))
    if problems:
        raise QuestionnaireError(problems)
    return loaded
