"""The options of a select field, typed against WTForms' stubs.

WTForms 3.3 declares options as ``SelectChoice(value, label)`` and deprecates bare tuples
(the suite turns that warning into an error). Its type stubs, types-WTForms 3.2.1, predate
the class and type ``choices`` as tuples only. So the gap is bridged here, once: the forms
and views import :data:`SelectChoice`, pass their lists through :func:`options`, and read
a field's values with :func:`option_values`. Everything else of WTForms is checked against
its stubs. When the stubs learn SelectChoice, this module shrinks to nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from wtforms import SelectField
from wtforms.fields import choices as wtforms_choices

#: ``SelectChoice(value, label)``: WTForms 3.3's option (unknown to its 3.2.1 stubs).
SelectChoice: type = wtforms_choices.SelectChoice  # type: ignore[attr-defined]


def options(choices: Iterable[Any]) -> Any:
    """A field's ``choices=``: SelectChoice objects, which the stubs do not know."""
    return list(choices)


def option_values(field: SelectField) -> set[Any]:
    """The values a select field offers."""
    return {choice.value for choice in cast(Iterable[Any], field.choices or ())}
