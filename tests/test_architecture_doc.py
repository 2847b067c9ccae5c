"""docs/architecture.md names real files: every path it mentions exists in the checkout."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"


def test_every_path_the_architecture_page_names_exists() -> None:
    paths = re.findall(r"`((?:survey|templates|static|tests|docs)/[^`\s]*)`", DOC.read_text())
    assert len(paths) > 30  # the page is read, not skipped
    missing = [p for p in paths if not (ROOT / p).exists()]
    assert not missing, missing


def test_the_architecture_page_names_every_feature_and_shared_module() -> None:
    text = DOC.read_text()
    for feature in ("auth", "workspace", "respond", "results"):
        assert f"`survey/{feature}/`" in text
    for shared in ("models", "disclosure", "reveal", "links"):
        assert f"`survey/{shared}.py`" in text
