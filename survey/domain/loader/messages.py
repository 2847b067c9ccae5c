"""From pydantic's errors to plain words at the offending key or value."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from survey.domain import model
from survey.domain.loader.problems import KEY, Position
from survey.domain.loader.yaml_reader import Parsed
from survey.domain.model import FieldError, Loc, did_you_mean

#: Each condition class by its pydantic tag (its class name), as validation errors name it.
CONDITION_TAGS = {cls.__name__: cls for cls in model.CONDITION_CLASSES}


def _fields(cls: type[BaseModel]) -> list[str]:
    """The keys a piece accepts, as written in files ("in", not "in_")."""
    return [info.alias or name for name, info in cls.model_fields.items()]


ALL_CONDITION_KEYS = sorted({key for cls in CONDITION_TAGS.values() for key in _fields(cls)})


def _walk(parsed: Parsed, loc: tuple[int | str, ...]) -> tuple[Loc, list[str], str | None]:
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


def _describe(parsed: Parsed, path: Loc) -> tuple[list[str], Loc]:
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

    def __init__(self, parsed: Parsed) -> None:
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
