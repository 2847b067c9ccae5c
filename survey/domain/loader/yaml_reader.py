"""Plain YAML with the position of every key and value, refusing what could cost time or memory."""

from __future__ import annotations

import re
from typing import Any, cast

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from survey.domain.loader.problems import MAX_DEPTH, MAX_NODES, Position
from survey.domain.model import Loc


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
