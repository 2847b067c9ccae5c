"""The answers file of `survey score`: YAML or JSON in, :class:`ReviewAnswers` out, and back.

::

    vendor:
      org: Acme Analytics
      respondents:
        - name: Dana
          answers: {knows-priorities: 4, last-contacts: [Firefighting]}
    client:
      org: Globex
      respondents:
        - answers: {knows-priorities: Disagree}

Every answer goes through its question kind's ``coerce``, so the file and the web forms
accept exactly the same things. Any misfit is an :class:`AnswersError` naming the file,
the party, the respondent and the question, because the person fixing it is a consultant
with the file open, not a programmer with a traceback. Pure: no Flask, no SQLAlchemy.

Two readers, two limits. A hand-written file is YAML, read by the questionnaire loader's
positioned reader (:func:`survey.domain.loader.yaml_reader.read_positioned`), so its
mistakes come back as ``FILE:LINE:COL: message`` like a questionnaire's, with aliases and
long numbers refused where they stand (:data:`READ_RULES`); it keeps the 1 MiB limit.
The app's own export is JSON (see :func:`answers_json`) and grows with the review, so a
file named ``.json``, or one that reads as JSON, goes through :mod:`json`: faster still,
and allowed up to 64 MiB, some 30,000 respondents of the flagship.
"""

from __future__ import annotations

import json
import re
from typing import Any

from survey.domain.kinds import AnswerError, did_you_mean, kind_of
from survey.domain.loader.problems import QuestionnaireError
from survey.domain.loader.yaml_reader import ReadRules, read_positioned
from survey.domain.model import PARTIES, Party, Question, Questionnaire
from survey.domain.scoring import Respondent, ReviewAnswers

MAX_BYTES = 1024 * 1024  # a YAML answers file
MAX_JSON_BYTES = 64 * 1024 * 1024  # a JSON answers file, such as the app's export
MAX_NUMBER_DIGITS = 18  # longer numbers are refused where they stand, before conversion
PARTY_KEYS = ("org", "respondents")
#: An export's note of what it holds (a list of lines); read past, never scored.
INCLUDES_KEY = "includes"
RESPONDENT_KEYS = ("name", "answers")


class AnswersError(ValueError):
    """An answers file that cannot be read or does not fit its questionnaire."""


#: How an answers file is read by the loader's positioned YAML reader: no aliases (answers
#: never need them, bombs do), no number too long to be an answer, an empty file is empty.
#: A value costs at least a byte of text when aliases are refused, so the file's size bounds
#: the values and the reader's count is set to it.
READ_RULES = ReadRules(
    holds="an answers file",
    refuse_aliases="aliases (*name) are not allowed in an answers file",
    max_nodes=MAX_BYTES,
    max_digits=MAX_NUMBER_DIGITS,
    long_number=f"a number of more than {MAX_NUMBER_DIGITS} digits is no answer",
    empty_file=None,
)


def parse_answers(text: str, filename: str, questionnaire: Questionnaire) -> ReviewAnswers:
    """Read an answers document, coercing every answer; AnswersError on any misfit.

    JSON when the file is named ``.json`` or its text reads as JSON; YAML otherwise.
    """
    if filename.lower().endswith(".json"):
        return from_answers_document(_parse_json(text, filename), filename, questionnaire)
    if text.lstrip("\ufeff \t\r\n").startswith("{"):
        try:
            document = _parse_json(text, filename)
        except AnswersError:
            pass  # a YAML flow mapping, perhaps: the YAML reader has the last word
        else:
            return from_answers_document(document, filename, questionnaire)
    return from_answers_document(_parse_yaml(text, filename), filename, questionnaire)


def _parse_yaml(text: str, filename: str) -> Any:
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise AnswersError(
            f"{filename}: the file is over 1 MiB, the limit for a YAML answers file "
            "(save a large review as JSON: the app's export is a .json file)"
        )
    try:
        return read_positioned(text, filename, READ_RULES).data
    except QuestionnaireError as error:
        raise AnswersError(str(error)) from None


class _JsonRefused(ValueError):
    """A JSON value the YAML reader would refuse too (see :func:`_json_int`)."""


def _json_int(text: str) -> int:
    """JSON integers under the YAML reader's rule: at most MAX_NUMBER_DIGITS digits."""
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _JsonRefused(f"a number of more than {MAX_NUMBER_DIGITS} digits is no answer")
    return int(text)


def _json_constant(name: str) -> Any:
    raise _JsonRefused(f"{name} is not a number an answer can have")


def _parse_json(text: str, filename: str) -> Any:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_JSON_BYTES:
        raise AnswersError(f"{filename}: the file is over 64 MiB, the limit for an answers file")
    try:
        return json.loads(
            text.removeprefix("\ufeff"), parse_int=_json_int, parse_constant=_json_constant
        )
    except json.JSONDecodeError as error:
        raise AnswersError(f"{filename}:{error.lineno}:{error.colno}: {error.msg}") from None
    except _JsonRefused as error:
        raise AnswersError(f"{filename}: {error}") from None
    except RecursionError:
        raise AnswersError(f"{filename}: the file nests too deeply") from None


def load_answers(path: str, questionnaire: Questionnaire) -> ReviewAnswers:
    """Read an answers file from disk (see :func:`parse_answers`)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_JSON_BYTES + 1)
    except FileNotFoundError:
        raise AnswersError(f"{path}: no such file") from None
    except OSError as error:
        raise AnswersError(f"{path}: cannot read the file: {error.strerror or error}") from None
    if len(raw) > MAX_JSON_BYTES:
        raise AnswersError(f"{path}: the file is over 64 MiB, the limit for an answers file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise AnswersError(f"{path}: the file is not UTF-8 text") from None
    return parse_answers(text, path, questionnaire)


def from_answers_document(
    document: Any, filename: str, questionnaire: Questionnaire
) -> ReviewAnswers:
    """Build ReviewAnswers from an already-parsed answers document."""
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise AnswersError(f"{filename}: expected a mapping with 'vendor' and 'client'")
    _unknown_keys(document, (*PARTIES, INCLUDES_KEY), filename, "the top level")
    notes = document.get(INCLUDES_KEY, [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise AnswersError(f"{filename}: '{INCLUDES_KEY}' must be a list of lines of text")
    reader = _DocumentReader(filename, questionnaire)
    orgs: dict[Party, str] = {}
    people: dict[Party, list[Respondent]] = {}
    for party in PARTIES:
        orgs[party], people[party] = reader.party(document.get(party), party)
    return ReviewAnswers(orgs["vendor"], orgs["client"], people["vendor"], people["client"])


def _unknown_keys(
    mapping: dict[Any, Any], known: tuple[str, ...], filename: str, where: str
) -> None:
    for key in mapping:
        if key not in known:
            hint = did_you_mean(str(key), known)
            raise AnswersError(f"{filename}: {where}: unknown key {str(key)!r}{hint}")


class _DocumentReader:
    """Reads one document's parties against one questionnaire.

    Each question and the parties it is asked of are looked up once per document, not
    once per answer: an export of thousands of respondents holds tens of thousands of
    answers, and a scan of the questionnaire for each made reading slower than scoring.
    """

    def __init__(self, filename: str, questionnaire: Questionnaire) -> None:
        self.filename = filename
        self.questionnaire = questionnaire
        self.asked: dict[str, tuple[Question, tuple[Party, ...]]] = {
            question.id: (question, questionnaire.asked_of(section, question))
            for section in questionnaire.sections
            for question in section.questions
        }

    def party(self, section: Any, party: Party) -> tuple[str, list[Respondent]]:
        """One party's organisation name (default: its label) and respondents."""
        filename, label = self.filename, self.questionnaire.parties.label(party)
        if section is None:
            return label, []
        if not isinstance(section, dict):
            raise AnswersError(
                f"{filename}: {party}: expected a mapping with 'org' and 'respondents'"
            )
        _unknown_keys(section, PARTY_KEYS, filename, party)
        org = section.get("org", label)
        if not isinstance(org, str) or not org.strip():
            raise AnswersError(f"{filename}: {party}: 'org' must be the organisation's name")
        listed = section.get("respondents") or []
        if not isinstance(listed, list):
            raise AnswersError(f"{filename}: {party}: 'respondents' must be a list")
        people = [
            self.respondent(entry, party, position)
            for position, entry in enumerate(listed, start=1)
        ]
        return org.strip(), people

    def respondent(self, entry: Any, party: Party, position: int) -> Respondent:
        filename = self.filename
        if not isinstance(entry, dict):
            raise AnswersError(f"{filename}: {party} respondent {position}: expected a mapping")
        name = entry.get("name")
        who = f"{party} respondent {position}" + (f" ({name})" if name else "")
        _unknown_keys(entry, RESPONDENT_KEYS, filename, who)
        if name is not None and not isinstance(name, str):
            raise AnswersError(f"{filename}: {who}: 'name' must be text")
        given = entry.get("answers") or {}
        if not isinstance(given, dict):
            raise AnswersError(f"{filename}: {who}: 'answers' must be a mapping of question ids")
        answers = {
            str(qid): self.answer(party, str(qid), raw, f"{filename}: {who}")
            for qid, raw in given.items()
        }
        return Respondent(party, {k: v for k, v in answers.items() if v is not None}, name)

    def answer(self, party: Party, qid: str, raw: Any, where: str) -> Any:
        """Coerce one answer, turning any misfit into a message naming where it is."""
        if qid not in self.asked:
            hint = did_you_mean(qid, list(self.asked))
            raise AnswersError(f"{where}: no question {qid!r} in the questionnaire{hint}")
        question, parties = self.asked[qid]
        if party not in parties:
            raise AnswersError(f"{where}, question {qid!r}: is not asked of the {party}")
        try:
            return kind_of(question).coerce(self.questionnaire, question, raw)
        except AnswerError as error:
            raise AnswersError(f"{where}, question {qid!r}: {error}") from None


def to_answers_document(review: ReviewAnswers, questionnaire: Questionnaire) -> dict[str, Any]:
    """The answers-file document for `review` (the inverse of :func:`from_answers_document`).

    Answers are written in file order as raw values (scale points as numbers, choices as
    labels); answers to questions the questionnaire does not have are left out.
    """
    order = [q.id for q in questionnaire.questions()]
    document: dict[str, Any] = {}
    for party in PARTIES:
        respondents = []
        for person in review.respondents(party):
            entry: dict[str, Any] = {}
            if person.name:
                entry["name"] = person.name
            entry["answers"] = {
                qid: _plain(person.answers[qid])
                for qid in order
                if person.answers.get(qid) is not None
            }
            respondents.append(entry)
        document[party] = {"org": review.org(party), "respondents": respondents}
    return document


def _plain(value: Any) -> Any:
    """A canonical answer as plain YAML data (lists copied so the document owns them)."""
    return list(value) if isinstance(value, list | tuple) else value


#: What a YAML reader refuses raw in a file (controls, DEL, C1, surrogates, U+FFFE and
#: U+FFFF), reads as a line break inside a string (NEL, U+2028, U+2029), or drops (BOM).
_NOT_RAW_IN_YAML = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


def escape_for_yaml(json_text: str) -> str:
    """JSON text with every character a YAML reader would refuse or change escaped.

    Letters of every script stay as they are; the rest become ``\\uXXXX``, which JSON and
    YAML both read back as the character itself (they occur only inside JSON strings).

    >>> print(escape_for_yaml('"Łódź\x7f\x85\ufffe"'))
    "Łódź\\u007f\\u0085\\ufffe"
    """
    return _NOT_RAW_IN_YAML.sub(lambda found: f"\\u{ord(found.group()):04x}", json_text)


def answers_json(
    review: ReviewAnswers, questionnaire: Questionnaire, includes: list[str] | None = None
) -> str:
    """The answers file of `review` as JSON, which is YAML too: `survey score` reads it back.

    `includes` (lines saying what the file holds) goes under the key of that name first.
    """
    document = to_answers_document(review, questionnaire)
    if includes is not None:
        document = {INCLUDES_KEY: list(includes), **document}
    return escape_for_yaml(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
