"""Plain YAML with the position of every key and value, refusing what could cost time or memory.

Questionnaire files and answers files are both read here (:func:`read_positioned`), so a
mistake in either comes back as ``FILE:LINE:COL: message``. What each kind of file may hold
beyond plain values (aliases, how many values, how long a number) is its :class:`ReadRules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from survey.domain.loader.problems import (
    KEY,
    MAX_DEPTH,
    MAX_NODES,
    Position,
    Problem,
    QuestionnaireError,
)
from survey.domain.model import Loc


@dataclass(frozen=True)
class ReadRules:
    """What one kind of file may hold, beyond plain YAML's values, and how it is named."""

    #: The file as messages name it: "a questionnaire holds only text, numbers ...".
    holds: str
    #: Aliases (``*name``) are refused where they stand with this message, when it is set;
    #: otherwise they are expanded under the `max_nodes` budget.
    refuse_aliases: str | None = None
    max_nodes: int = MAX_NODES
    #: Whole numbers with more digits are refused where they stand, before conversion.
    max_digits: int | None = None
    long_number: str = "the number is too long"
    #: The problem an empty file is; None reads an empty file as no value at all.
    empty_file: str | None = "the file is empty"


QUESTIONNAIRE_RULES = ReadRules("a questionnaire")


@dataclass(frozen=True)
class Parsed:
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

    #: Set by :func:`read_positioned` from the file's :class:`ReadRules`.
    refuse_aliases: str | None = None

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.refuse_aliases is not None and self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            mark = self.peek_event().start_mark  # type: ignore[attr-defined]
            raise _Refused(_pos(mark), self.refuse_aliases)
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


def _scalar(node: ScalarNode, rules: ReadRules) -> Any:
    """The value of a scalar; only the plain YAML types are allowed."""
    text = node.value
    if node.tag == INT and rules.max_digits is not None:
        if len(text.lstrip("+-")) > rules.max_digits:
            raise _Refused(_pos(node.start_mark), rules.long_number)
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
    raise _forbidden_tag(node, rules)


def _forbidden_tag(node: Node, rules: ReadRules) -> _Refused:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    return _Refused(
        _pos(node.start_mark),
        f"the tag '{tag}' is not allowed: {rules.holds} holds only text, numbers,"
        " true/false, lists and 'key: value' mappings",
    )


class _Builder:
    """Turn composed nodes into plain data, remembering where each value and key stands.

    Aliases are expanded here, under a budget, so a billion-laughs file stops early.
    """

    def __init__(self, rules: ReadRules = QUESTIONNAIRE_RULES) -> None:
        self.rules = rules
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
            return _scalar(node, self.rules)
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
            raise _forbidden_tag(node, self.rules)
        finally:
            self._open.discard(id(node))

    def _visit(self, node: Node) -> None:
        if id(node) in self._seen:
            self._aliased = True
        self._seen.add(id(node))
        self._count += 1
        if self._count > self.rules.max_nodes:
            why = "too many aliases: they expand" if self._aliased else "the file expands"
            raise _Refused(
                _pos(node.start_mark),
                f"{why} to more than {self.rules.max_nodes} values; write the content out instead",
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
        return _scalar(node, self.rules)


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


def read_positioned(text: str, filename: str, rules: ReadRules = QUESTIONNAIRE_RULES) -> Parsed:
    """Safe YAML to plain data with positions; QuestionnaireError says where it is not.

    The caller checks the size first: each kind of file has its own limit and words for it.
    """
    try:
        return _compose(_SafeLoader, text, filename, rules)
    except _LibyamlTooDeep as too_deep:
        raise _place_deep_nesting(text, filename, rules, too_deep) from None


class _LibyamlTooDeep(Exception):
    """libyaml refused the nesting before the project's own check could place it."""

    def __init__(self, index: int, position: Position) -> None:
        super().__init__(_LIBYAML_TOO_DEEP)
        self.index = index
        self.position = position


def _place_deep_nesting(
    text: str, filename: str, rules: ReadRules, too_deep: _LibyamlTooDeep
) -> QuestionnaireError:
    """The project's own depth problem for a file libyaml found too deep.

    libyaml's limit is far above MAX_DEPTH, so the project's check fires inside the text
    libyaml had read; only that part is read again, with PyYAML's parser, to place it.
    """
    try:
        _compose(_PureLoader, text[: too_deep.index], filename, rules)
    except QuestionnaireError as error:
        if error.problems and error.problems[0].message.startswith("the file nests deeper"):
            return error
    message = f"the file nests deeper than {MAX_DEPTH} levels"
    return QuestionnaireError([Problem(filename, *too_deep.position, message)])


def _compose(loader_class: Any, text: str, filename: str, rules: ReadRules) -> Parsed:
    """Compose and build the file with one kind of loader."""

    def fail(position: Position, message: str) -> QuestionnaireError:
        return QuestionnaireError([Problem(filename, *position, message)])

    builder = _Builder(rules)
    loader = loader_class(text)
    loader.refuse_aliases = rules.refuse_aliases
    try:
        root = loader.get_single_node()
        if root is None:
            if rules.empty_file is None:
                return Parsed(None, {})
            raise fail((1, 1), rules.empty_file)
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
    return Parsed(data, builder.positions)
