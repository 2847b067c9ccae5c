"""Read questionnaire files: safe YAML with positions, the model, the whole-file rules.

Authors are consultants, so every problem comes back as ``FILE:LINE:COL: message`` in
plain words, pointing at the offending key (unknown keys) or value (bad values). Files
are untrusted input too: only plain YAML (text, numbers, true/false, lists, mappings) is
read, and oversized files, alias bombs and deep nesting are refused before they cost
time or memory.

YAML is read with a few deliberate differences from YAML 1.1, so that what a consultant
types is what they get: ``yes``/``no``/``on``/``off`` stay text (only ``true``/``false`` are
true/false), dates and ``1:30`` stay text, and ``017`` is the number 17.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from survey.domain import model
from survey.domain.model import FieldError, Loc, Questionnaire, did_you_mean
from survey.domain.validate import validate

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


# --- YAML reading ------------------------------------------------------------------------


class _Refused(Exception):
    """The file cannot be read at all (too big, too deep, a forbidden tag ...)."""

    def __init__(self, position: Position, message: str) -> None:
        super().__init__(message)
        self.position = position
        self.message = message


def _pos(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1)


STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"


_CParser: Any
try:
    from yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]
except ImportError:  # PyYAML built without libyaml
    _CParser = None

# libyaml has a nesting limit of its own, reached while it scans ahead; when it speaks
# first, the file is read again with PyYAML's parser so that the project's own check
# (and its position) decides, whichever layer noticed.
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"


class _Resolver(Resolver):
    """YAML 1.2-style scalars (see the module docstring)."""

    yaml_implicit_resolvers: dict[Any, Any] = {}


_Resolver.add_implicit_resolver(
    BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Resolver.add_implicit_resolver(
    INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    FLOAT,
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)


class _DepthCheckedComposer(Composer):
    """PyYAML's composer (nodes with marks, no objects built), refusing deep nesting.

    Only composing is used; values are made by :class:`_Builder`. Nesting deeper than
    MAX_DEPTH stops composing before it can exhaust the stack.
    """

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[attr-defined]
                raise _Refused(_pos(mark), f"the file nests deeper than {MAX_DEPTH} levels")
            return cast(Node, super().compose_node(parent, index))
        finally:
            self._depth -= 1


class _PureLoader(
    _DepthCheckedComposer, yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, _Resolver
):
    """Events from PyYAML's pure-Python reader, scanner and parser."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _DepthCheckedComposer.__init__(self)
        _Resolver.__init__(self)


if _CParser is not None:

    class _FastLoader(_DepthCheckedComposer, _CParser, _Resolver):  # type: ignore[misc]
        """Events from libyaml (fast), nodes from the checked composer."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _DepthCheckedComposer.__init__(self)
            _Resolver.__init__(self)

    _SafeLoader: type[_DepthCheckedComposer] = _FastLoader
else:  # PyYAML built without libyaml
    _SafeLoader = _PureLoader


def _scalar(node: ScalarNode) -> Any:
    """The value of a scalar; only the plain YAML types are allowed."""
    text = node.value
    try:
        if node.tag == STR:
            return text
        if node.tag == NULL:
            return None
        if node.tag == BOOL:
            return {"true": True, "false": False}[text.lower()]
        if node.tag == INT:
            return int(text, 0) if text[:2] in ("0o", "0x") else int(text, 10)
        if node.tag == FLOAT:
            return float(text)
    except (KeyError, ValueError):
        what = {INT: "a whole number", FLOAT: "a number", BOOL: "true or false"}.get(
            node.tag, "empty"
        )
        raise _Refused(_pos(node.start_mark), f"'{text}' is not {what}") from None
    raise _forbidden_tag(node)


def _forbidden_tag(node: Node) -> _Refused:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    return _Refused(
        _pos(node.start_mark),
        f"the tag '{tag}' is not allowed: a questionnaire holds only text, numbers,"
        " true/false, lists and 'key: value' mappings",
    )


class _Builder:
    """Turn composed nodes into plain data, remembering where each value and key stands.

    Aliases are expanded here, under a budget, so a billion-laughs file stops early.
    """

    def __init__(self) -> None:
        self.positions: dict[Loc, tuple[Position, Position]] = {}
        self.problems: list[tuple[Position, str]] = []
        self._count = 0
        self._seen: set[int] = set()
        self._aliased = False
        self._open: set[int] = set()

    def build(self, node: Node, path: Loc, key_pos: Position) -> Any:
        self._visit(node)
        self.positions[path] = (key_pos, _pos(node.start_mark))
        if isinstance(node, ScalarNode):
            return _scalar(node)
        if id(node) in self._open:
            raise _Refused(_pos(node.start_mark), "an alias refers to the list or mapping it is in")
        if len(path) > MAX_DEPTH:
            raise _Refused(_pos(node.start_mark), f"the file nests deeper than {MAX_DEPTH} levels")
        self._open.add(id(node))
        try:
            if isinstance(node, SequenceNode) and node.tag == SEQ:
                return [
                    self.build(item, (*path, i), _pos(item.start_mark))
                    for i, item in enumerate(node.value)
                ]
            if isinstance(node, MappingNode) and node.tag == MAP:
                return self._mapping(node, path)
            raise _forbidden_tag(node)
        finally:
            self._open.discard(id(node))

    def _visit(self, node: Node) -> None:
        if id(node) in self._seen:
            self._aliased = True
        self._seen.add(id(node))
        self._count += 1
        if self._count > MAX_NODES:
            why = "too many aliases: they expand" if self._aliased else "the file expands"
            raise _Refused(
                _pos(node.start_mark),
                f"{why} to more than {MAX_NODES} values; write the content out instead",
            )

    def _mapping(self, node: MappingNode, path: Loc) -> dict[Any, Any]:
        data: dict[Any, Any] = {}
        first: dict[Any, Position] = {}
        for key_node, value_node in node.value:
            key_pos = _pos(key_node.start_mark)
            key = self._key(key_node)
            if key is None:
                continue
            if key in first:
                self.problems.append(
                    (key_pos, f"key '{key}' appears twice here (first at line {first[key][0]})")
                )
                continue
            first[key] = key_pos
            data[key] = self.build(value_node, (*path, key), key_pos)
        return data

    def _key(self, node: Node) -> Any:
        self._visit(node)
        position = _pos(node.start_mark)
        if not isinstance(node, ScalarNode):
            self.problems.append((position, "a key must be a plain word or text"))
            return None
        if node.value == "<<" and node.style not in ("'", '"'):
            self.problems.append(
                (position, "merge keys ('<<') are not supported; write the keys out")
            )
            return None
        return _scalar(node)


_SYNTAX_HINTS = {
    "mapping values are not allowed": (
        "a ':' followed by a space is not allowed here; put text that contains ': ' in quotes"
    ),
    "but found another document": "a file holds one questionnaire; remove the second '---'",
}


def _syntax_problem(error: yaml.MarkedYAMLError, text: str) -> tuple[Position, str]:
    """Position and plain-words message for a YAML syntax error."""
    mark = error.problem_mark or error.context_mark
    position = _pos(mark) if mark is not None else (1, 1)
    problem = error.problem or "unreadable YAML"
    message = next(
        (hint for start, hint in _SYNTAX_HINTS.items() if problem.startswith(start)), None
    )
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        message = "a tab character cannot be used here (indent with spaces)"
    if message is None:
        message = f"YAML syntax: {problem}"
        if error.context:
            message += f" ({error.context}"
            if error.context_mark is not None and error.context_mark is not mark:
                message += f" at line {error.context_mark.line + 1}"
            message += ")"
    return position, message


# --- from pydantic errors to plain words -------------------------------------------------


@dataclass(frozen=True)
class _Parsed:
    """A file read into plain data, with the position of every key and value."""

    data: Any
    positions: dict[Loc, tuple[Position, Position]]

    def position(self, path: Loc) -> Position:
        """Where a path stands: its value, or its key when the path ends in ``[key]``."""
        want_key = bool(path) and path[-1] == KEY
        if want_key:
            path = path[:-1]
        while path not in self.positions and path:
            path, want_key = path[:-1], False
        key_pos, value_pos = self.positions.get(path, ((1, 1), (1, 1)))
        return key_pos if want_key else value_pos

    def at(self, path: Loc) -> Any:
        value = self.data
        for part in path:
            value = value[part]
        return value


CONDITION_TAGS = {
    cls.__name__: cls
    for cls in (
        model.DimensionBelow,
        model.DimensionAtLeast,
        model.BlindSpot,
        model.HiddenStrength,
        model.Aligned,
        model.QuadrantIs,
        model.LevelIs,
        model.LevelBelow,
        model.QuestionAnswered,
        model.AllOf,
        model.AnyOf,
        model.NotCond,
    )
}


def _fields(cls: type[BaseModel]) -> list[str]:
    """The keys a piece accepts, as written in files ("in", not "in_")."""
    return [info.alias or name for name, info in cls.model_fields.items()]


ALL_CONDITION_KEYS = sorted({key for cls in CONDITION_TAGS.values() for key in _fields(cls)})


def _walk(parsed: _Parsed, loc: tuple[int | str, ...]) -> tuple[Loc, list[str], str | None]:
    """Follow a pydantic `loc` through the data.

    Returns the path reached, the segments that were not found (a missing field, or union
    branch names), and the condition form named on the way, if any.
    """
    path: list[str | int] = []
    value = parsed.data
    rest: list[str] = []
    form: str | None = None
    for part in loc:
        if isinstance(value, dict) and part in value:
            path.append(part)
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            path.append(part)
            value = value[part]
        elif part in CONDITION_TAGS:
            form = str(part)
        elif part == KEY:
            path.append(KEY)
        else:
            rest.append(str(part))
    return tuple(path), rest, form


def _describe(parsed: _Parsed, path: Loc) -> tuple[list[str], Loc]:
    """Name the pieces along a path ("section 'x'", "question 'y'") and the rest of the path."""
    names: list[str] = []
    consumed = 0
    data = parsed.data
    i = 0
    while i < len(path) and path[i] != KEY:
        part = path[i]
        nxt = path[i + 1] if i + 1 < len(path) else None
        label = _piece_name(part, nxt, data)
        if label is not None and nxt is not None and nxt != KEY:
            names.append(label)
            data, i = data[part][nxt], i + 2
            consumed = i
            continue
        word = _CONTEXT_WORDS.get(str(part))
        try:
            data, i = data[part], i + 1
        except (KeyError, IndexError, TypeError):
            break
        if word is None:
            continue
        if not names or names[-1] != word:
            names.append(word)
        if part in ("all", "any") and i < len(path) and isinstance(path[i], int):
            data, i = data[path[i]], i + 1
        consumed = i
    return names, path[consumed:]


_CONTEXT_WORDS = {
    "show_if": "show_if",
    "quadrant_cut": "quadrant_cut",
    "warnings": "warnings",
    "parties": "parties",
    "when": "condition",
    "all": "condition",
    "any": "condition",
    "not": "condition",
}


_PIECES = {
    "dimensions": "dimension",
    "sections": "section",
    "questions": "question",
    "levels": "level",
    "actions": "action",
}


def _piece_name(part: Any, nxt: Any, data: Any) -> str | None:
    """ "question 'knows-priorities'" when `part`/`nxt` select a named piece, else None."""
    if not isinstance(data, dict) or part not in data:
        return None
    container = data[part]
    if part in _PIECES and isinstance(nxt, int) and isinstance(container, list):
        item = container[nxt] if nxt < len(container) else None
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, str) and ident:
            return f"{_PIECES[part]} '{ident}'"
        return f"{_PIECES[part]} no. {nxt + 1}"
    if part == "scales" and isinstance(container, dict) and nxt in container:
        return f"scale '{nxt}'"
    if part == "parties" and isinstance(container, dict) and nxt in container:
        return f"party '{nxt}'"
    if part == "warnings" and isinstance(container, dict) and nxt in container:
        return f"warning '{nxt}'"
    if part == "choices" and isinstance(nxt, int) and isinstance(container, list):
        return f"choice {nxt + 1}"
    return None


def _field_phrase(rest: Loc) -> str:
    """ "'weight'", "'range' item 2", "key 'a' in 'anchors'" for the tail of a path."""
    if not rest:
        return ""
    if rest[-1] == KEY:
        parent = _field_phrase(rest[:-2])
        return f"key '{rest[-2]}'" + (f" in {parent}" if parent else "")
    words = [f"'{rest[0]}'"]
    for part in rest[1:]:
        words.append(f"item {part + 1}" if isinstance(part, int) else f"'{part}'")
    return " ".join(words)


def _owner(names: list[str]) -> str:
    """The innermost named piece: "question 'x'", "the condition of action 'y'"."""
    if not names:
        return "the questionnaire"
    if len(names) >= 2 and "'" not in names[-1]:
        article = "the " if names[-1] in ("condition", "show_if") else ""
        return f"{article}{names[-1]} of {names[-2]}"
    return names[-1]


def _lead(names: list[str]) -> str:
    return ", ".join(names) if names else "the questionnaire"


def _type_phrase(err: ErrorDetails) -> str:
    """What is wrong with a value, in plain words (no pydantic jargon)."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    simple = {
        "int_type": "must be a whole number",
        "int_parsing": "must be a whole number",
        "int_from_float": "must be a whole number",
        "float_type": "must be a number",
        "float_parsing": "must be a number",
        "finite_number": "must be a finite number",
        "bool_type": "must be true or false",
        "bool_parsing": "must be true or false",
        "list_type": "must be a list",
        "tuple_type": "must be a list",
        "dict_type": "must be a set of 'key: value' lines",
        "model_type": "must be a set of 'key: value' lines",
        "model_attributes_type": "must be a set of 'key: value' lines",
        "string_too_short": "must not be empty",
    }
    if value is None and kind not in ("missing",):
        return "is empty"
    if kind == "string_type":
        return _string_phrase(value)
    if kind in simple:
        return simple[kind] + (
            f", not {value!r}" if isinstance(value, str) and "number" in simple[kind] else ""
        )
    return _constraint_phrase(kind, ctx, value) or str(err["msg"]).removeprefix("Value error, ")


def _string_phrase(value: Any) -> str:
    if isinstance(value, bool):
        return "must be text, not true/false (put it in quotes)"
    if isinstance(value, int | float):
        return f"must be text, not the number {value} (put it in quotes)"
    if isinstance(value, list):
        return "must be text, not a list"
    if isinstance(value, dict):
        return "must be text, not a set of 'key: value' lines (put text with ':' or '{' in quotes)"
    return "must be text"


def _constraint_phrase(kind: str, ctx: dict[str, Any], value: Any) -> str | None:
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        hint = did_you_mean(str(value), expected) if isinstance(value, str) else ""
        return f"must be {_one_of(expected)}, not {_shown(value)}{hint}"
    if kind == "string_pattern_mismatch":
        return f"must use only lowercase letters, digits and '-', not {_shown(value)}"
    bounds = {
        "greater_than": "must be more than {gt}",
        "greater_than_equal": "must be at least {ge}",
        "less_than": "must be less than {lt}",
        "less_than_equal": "must be at most {le}",
        "too_short": "needs at least {min_length} item{s}",
        "too_long": "can have at most {max_length} item{s}",
    }
    if kind in bounds:
        count = ctx.get("min_length", ctx.get("max_length"))
        shown = {k: f"{v:g}" if isinstance(v, float) else v for k, v in ctx.items()}
        return bounds[kind].format(**shown, s="" if count == 1 else "s")
    if kind == "value_error":
        return str(ctx.get("error", ""))
    return None


def _one_of(options: list[str]) -> str:
    quoted = [f"'{o}'" for o in options]
    if len(quoted) <= 1:
        return "".join(quoted)
    return "one of " + ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _shown(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else repr(value)


class _Translator:
    """Turn pydantic errors into (position, message), one per real mistake."""

    def __init__(self, parsed: _Parsed) -> None:
        self.parsed = parsed

    def translate(self, errors: Iterable[ErrorDetails]) -> list[tuple[Position, str]]:
        found: list[tuple[Loc, str, str]] = []
        for err in errors:
            item = self._one(err)
            if item is not None and item not in found:
                found.append(item)
        found = self._drop_redundant(found)
        return [(self.parsed.position(path), message) for path, message, _ in found]

    def _one(self, err: ErrorDetails) -> tuple[Loc, str, str] | None:
        path, rest, form = _walk(self.parsed, err["loc"])
        kind = err["type"]
        if kind == "missing":
            return self._missing(path, rest)
        if kind == "extra_forbidden":
            return self._unknown_key(path, form)
        if kind == "union_tag_invalid":
            return self._bad_condition(path)
        error = (err.get("ctx") or {}).get("error")
        if isinstance(error, FieldError):
            path = self._extend(path, error.where)
            names, tail = _describe(self.parsed, path)
            return path, f"{_lead(names)}: {error}", kind
        names, tail = _describe(self.parsed, path)
        phrase = _type_phrase(err)
        subject = _field_phrase(tail)
        if subject and subject in phrase:
            subject = ""  # the model's own message already names the key
        message = f"{_lead(names)}: {subject + ' ' if subject else ''}{phrase}"
        return path, message, kind

    def _extend(self, path: Loc, where: Loc) -> Loc:
        """Add a FieldError's key path, as far as the data has it."""
        result = list(path)
        for part in where:
            if part == KEY or (*result, part) in self.parsed.positions:
                result.append(part)
            else:
                break
        return tuple(result)

    def _missing(self, path: Loc, rest: list[str]) -> tuple[Loc, str, str]:
        field = rest[-1] if rest else "?"
        names, tail = _describe(self.parsed, path)
        owner = _owner(names)
        if tail:
            owner = f"{_field_phrase(tail)} of {owner}"
        if field == "kind" and names and names[-1].startswith("question"):
            return path, f"{owner} needs 'scale', or 'kind: choice' or 'kind: text'", "missing"
        return path, f"{owner} needs '{field}'", f"missing:{field}"

    def _unknown_key(self, path: Loc, form: str | None) -> tuple[Loc, str, str]:
        key = path[-1]
        names, _ = _describe(self.parsed, path[:-1])
        owner = _owner(names)
        allowed = self._allowed(path[:-1], form)
        if owner == "parties":
            return (
                (*path, KEY),
                f"unknown party '{key}': the parties are always 'vendor' and 'client'"
                " (rename them with 'label')" + did_you_mean(str(key), ["vendor", "client"]),
                "extra",
            )
        hint = did_you_mean(str(key), allowed)
        return (*path, KEY), f"unknown key '{key}' in {owner}{hint}", f"extra:{hint}"

    def _allowed(self, path: Loc, form: str | None) -> list[str]:
        """The keys the piece at `path` accepts, for did-you-mean."""
        if form is not None:
            return _fields(CONDITION_TAGS[form])
        shape = tuple("#" if isinstance(p, int) else p for p in path)
        if len(shape) >= 2 and shape[0] == "scales":
            shape = ("scales", "*", *shape[2:])
        if len(shape) >= 2 and shape[0] == "parties":
            shape = ("parties", "*", *shape[2:])
        cls = _SHAPES.get(shape)
        return _fields(cls) if cls is not None else []

    def _bad_condition(self, path: Loc) -> tuple[Loc, str, str]:
        names, _ = _describe(self.parsed, path)
        lead = _lead(names)
        value = self.parsed.at(path)
        if isinstance(value, dict) and value:
            for key in value:
                if key not in ALL_CONDITION_KEYS:
                    hint = did_you_mean(str(key), ALL_CONDITION_KEYS)
                    return (*path, key, KEY), f"{lead}: unknown condition key '{key}'{hint}", "cond"
        return (
            path,
            f"{lead}: not a condition; write for example {{dimension: listening, below: 60}}"
            " or {blind_spot: listening}",
            "cond",
        )

    @staticmethod
    def _drop_redundant(found: list[tuple[Loc, str, str]]) -> list[tuple[Loc, str, str]]:
        """A missing key explained by a misspelt one ("belw" for "below") is said once."""
        hinted = {(path[:-2], kind) for path, _, kind in found if kind.startswith("extra:")}
        keep = []
        for path, message, kind in found:
            if kind.startswith("missing:"):
                field = kind.split(":", 1)[1]
                if (path, f"extra: (did you mean '{field}'?)") in hinted:
                    continue
            keep.append((path, message, kind))
        return keep


_SHAPES: dict[tuple[str, ...], type[BaseModel]] = {
    (): model.Questionnaire,
    ("parties",): model.Parties,
    ("quadrant_cut",): model.QuadrantCut,
    ("warnings",): model.Warnings,
    ("warnings", "relevance_drop"): model.RelevanceDrop,
    ("warnings", "next_curve"): model.NextCurve,
    ("parties", "*"): model.PartyInfo,
    ("scales", "*"): model.Scale,
    ("dimensions", "#"): model.Dimension,
    ("sections", "#"): model.Section,
    ("sections", "#", "questions", "#"): model.Question,
    ("sections", "#", "questions", "#", "show_if"): model.ShowIf,
    ("sections", "#", "questions", "#", "choices", "#"): model.Choice,
    ("levels", "#"): model.Level,
    ("actions", "#"): model.Action,
}


# --- reading files ----------------------------------------------------------------------


_too_big_stream = "the file holds more than 1 MiB; questionnaire files must be at most 1 MiB"


def _too_big(size: int) -> str:
    return f"the file is {size} bytes; questionnaire files must be at most 1 MiB"


def _parse(text: str, filename: str) -> _Parsed:
    """Safe YAML to plain data with positions, or QuestionnaireError."""
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        size = len(text.encode("utf-8", "surrogatepass"))
        raise QuestionnaireError([Problem(filename, 1, 1, _too_big(size))])
    try:
        return _compose(_SafeLoader, text, filename)
    except _LibyamlTooDeep as too_deep:
        raise _place_deep_nesting(text, filename, too_deep) from None


class _LibyamlTooDeep(Exception):
    """libyaml refused the nesting before the project's own check could place it."""

    def __init__(self, index: int, position: Position) -> None:
        super().__init__(_LIBYAML_TOO_DEEP)
        self.index = index
        self.position = position


def _place_deep_nesting(text: str, filename: str, too_deep: _LibyamlTooDeep) -> QuestionnaireError:
    """The project's own depth problem for a file libyaml found too deep.

    libyaml's limit is far above MAX_DEPTH, so the project's check fires inside the text
    libyaml had read; only that part is read again, with PyYAML's parser, to place it.
    """
    try:
        _compose(_PureLoader, text[: too_deep.index], filename)
    except QuestionnaireError as error:
        if error.problems and error.problems[0].message.startswith("the file nests deeper"):
            return error
    message = f"the file nests deeper than {MAX_DEPTH} levels"
    return QuestionnaireError([Problem(filename, *too_deep.position, message)])


def _compose(loader_class: Any, text: str, filename: str) -> _Parsed:
    """Compose and build the file with one kind of loader."""

    def fail(position: Position, message: str) -> QuestionnaireError:
        return QuestionnaireError([Problem(filename, *position, message)])

    builder = _Builder()
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise fail((1, 1), "the file is empty")
        data = builder.build(root, (), _pos(root.start_mark))
    except _Refused as refused:
        raise fail(refused.position, refused.message) from None
    except yaml.MarkedYAMLError as error:
        if (error.problem or "").startswith(_LIBYAML_TOO_DEEP):
            mark = error.problem_mark
            index, position = (mark.index, _pos(mark)) if mark is not None else (0, (1, 1))
            raise _LibyamlTooDeep(index, position) from None
        raise fail(*_syntax_problem(error, text)) from None
    except yaml.YAMLError as error:
        raise fail((1, 1), f"YAML: {error}") from None
    except RecursionError:
        raise fail((1, 1), f"the file nests deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()
    if builder.problems:
        raise QuestionnaireError([Problem(filename, *p, m) for p, m in builder.problems])
    return _Parsed(data, builder.positions)


def _model(parsed: _Parsed, filename: str) -> Questionnaire:
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


def _load(text: str, filename: str) -> tuple[Questionnaire, _Parsed]:
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


def _load_path(path: Path) -> tuple[LoadedQuestionnaire, _Parsed]:
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
