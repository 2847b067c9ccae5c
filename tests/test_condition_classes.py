"""Each condition class says what it is about (issue 14, point 2): its key, its judge, the
dimension or level it names. These checks keep the few lists that name them in step."""

from __future__ import annotations

import typing

import pytest

from survey.domain import model
from survey.domain.loader import CONDITION_TAGS
from survey.domain.scoring import actions


def _union_members() -> set[type]:
    union = typing.get_args(model.Condition)[0]
    return {typing.get_args(member)[0] for member in typing.get_args(union)}


def test_every_condition_class_is_in_the_union_the_tags_and_has_a_judge() -> None:
    classes = set(model.CONDITION_CLASSES)
    assert _union_members() == classes
    assert set(CONDITION_TAGS.values()) == classes
    for cls in classes:
        assert cls.JUDGED_AS == "combination" or cls.JUDGED_AS in actions._JUDGES, cls


@pytest.mark.parametrize("cls", model.CONDITION_CLASSES, ids=lambda cls: cls.__name__)
def test_each_class_is_told_apart_by_its_own_key(cls: type[model.ConditionPart]) -> None:
    written = {info.alias or name for name, info in cls.model_fields.items()}
    assert cls.KEY in written
    if cls.KEY != "dimension":
        assert model.CONDITION_FORMS[cls.KEY] is cls


@pytest.mark.parametrize(
    ("written", "named_dimension", "named_level"),
    [
        ({"dimension": "value", "below": 40}, ("dimension", "value"), None),
        ({"dimension": "value", "at_least": 70}, ("dimension", "value"), None),
        ({"blind_spot": "trust"}, ("blind_spot", "trust"), None),
        ({"hidden_strength": "trust"}, ("hidden_strength", "trust"), None),
        ({"aligned": "trust"}, ("aligned", "trust"), None),
        ({"quadrant": "value", "is": "concentrate_here"}, ("quadrant", "value"), None),
        ({"level": "confidant"}, None, ("level", "confidant")),
        ({"level_below": "consultant"}, None, ("level_below", "consultant")),
        ({"question": "renew", "equals": "Yes"}, None, None),
        ({"not": {"blind_spot": "trust"}}, None, None),
    ],
)
def test_a_condition_names_its_own_dimension_or_level(
    written: dict[str, object],
    named_dimension: tuple[str, str] | None,
    named_level: tuple[str, str] | None,
) -> None:
    action = model.Action.model_validate({"id": "a", "title": "A", "when": written})
    assert action.when.named_dimension() == named_dimension
    assert action.when.named_level() == named_level


def test_a_status_condition_tests_its_own_status() -> None:
    assert {cls.STATUS for cls in (model.BlindSpot, model.HiddenStrength, model.Aligned)} == set(
        typing.get_args(model.Status)
    )
