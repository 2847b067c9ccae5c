"""The import layers: the pure domain at the bottom, shared concepts above it, the features
(auth, workspace, respond, results) above those as siblings, and the app, the CLI and the
commands on top. Each module imports only from its own layer or below.

Read from the source with :mod:`ast`, so an import inside a function counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "survey"
FEATURES = ("auth", "workspace", "respond", "results")
#: The top: they put the features together, so they may import any of them.
COMPOSERS = {"survey.app", "survey.cli", "survey.wsgi", "survey.gunicorn_conf"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every module `path` imports, absolute names."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "survey" and parts[1] in FEATURES else None


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_imports_only_its_layer_or_below(module: str) -> None:
    if module in COMPOSERS or module.startswith("survey.commands"):
        return
    own = feature_of(module)
    for name in imported(MODULES[module]):
        other = feature_of(name)
        if module.startswith("survey.domain"):
            assert name.startswith("survey.domain") or not name.startswith(
                ("survey", "flask", "sqlalchemy", "werkzeug", "jinja2")
            ), f"{module} (pure domain) imports {name}"
        elif own is None:
            assert other is None, f"{module} (shared, below the features) imports {name}"
        else:
            assert other in (None, own), f"{module} ({own}) imports its sibling {name}"


def test_the_layers_are_read_from_every_feature() -> None:
    # the check above is not vacuous: every feature has modules, and they import the shared
    # layer (reveal, links, models...)
    for feature in FEATURES:
        found = [m for m in MODULES if feature_of(m) == feature]
        assert found, feature
        assert any(
            n.startswith("survey.") and feature_of(n) is None
            for m in found
            for n in imported(MODULES[m])
        ), feature


#: The engine's `score` may be called only where a review's one result is made (and by the
#: `survey score` command, which scores files, not reviews).
SCORERS = {"survey.reveal", "survey.commands.score"}


def imports_score(path: Path) -> bool:
    """Whether `path` imports the engine's `score` function (by any route)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "survey.domain.scoring"
        ):
            if any(alias.name == "score" for alias in node.names):
                return True
        if isinstance(node, ast.Attribute) and node.attr == "score":
            value = node.value
            if isinstance(value, ast.Name) and value.id in {"scoring", "engine"}:
                return True
    return False


def test_only_the_reveal_rule_scores_a_review() -> None:
    # every page, the PDF and the portfolio take survey.reveal.review_result (see
    # tests/test_reveal.py), so none can compute a result another way
    outside = {m for m, p in MODULES.items() if not m.startswith("survey.domain")}
    assert {m for m in outside if imports_score(MODULES[m])} == SCORERS


def test_no_test_module_imports_conftest() -> None:
    """Shared test types live in tests/factories.py; conftest.py only holds fixtures."""
    tests = Path(__file__).resolve().parent
    importing = [
        path.name
        for path in sorted(tests.glob("test_*.py"))
        if "conftest" in {name.split(".")[0] for name in imported(path)}
    ]
    assert not importing
