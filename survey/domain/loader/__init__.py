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

from survey.domain.loader.files import (
    check_files,
    load_file,
    load_folder,
    load_text,
    questionnaire_files,
)
from survey.domain.loader.messages import ALL_CONDITION_KEYS, CONDITION_TAGS
from survey.domain.loader.problems import (
    KEY,
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    LoadedQuestionnaire,
    Position,
    Problem,
    QuestionnaireError,
)
from survey.domain.loader.yaml_reader import BOOL, FLOAT, INT, MAP, NULL, SEQ, STR

__all__ = [
    "ALL_CONDITION_KEYS",
    "BOOL",
    "CONDITION_TAGS",
    "FLOAT",
    "INT",
    "KEY",
    "LoadedQuestionnaire",
    "MAP",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "NULL",
    "Position",
    "Problem",
    "QuestionnaireError",
    "SEQ",
    "STR",
    "check_files",
    "load_file",
    "load_folder",
    "load_text",
    "questionnaire_files",
]
