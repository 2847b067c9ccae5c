"""What a questionnaire file read into: problems with their positions, or the questionnaire."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from survey.domain.model import Questionnaire

MAX_BYTES = 1024 * 1024
MAX_NODES = 50_000
MAX_DEPTH = 50
KEY = "[key]"

Position = tuple[int, int]


@dataclass(frozen=True)
class Problem:
    """One mistake in a file, at a 1-based line and column."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class QuestionnaireError(Exception):
    """One or more files are not valid questionnaires; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class LoadedQuestionnaire:
    """A valid questionnaire with the exact text it was read from (reviews store `source`)."""

    questionnaire: Questionnaire
    source: str
    path: Path
