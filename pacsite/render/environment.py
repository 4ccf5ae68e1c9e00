"""Jinja's ``Environment``, with what the theme does most made cheaper: a dict's key, a call.

Kept apart from ``theme`` because it imports Jinja, which ``pacsite check``
never needs.
"""

from __future__ import annotations

from types import FunctionType
from typing import Any

from jinja2 import Environment
from jinja2.runtime import Context, Macro

# what ``getattr`` finds on a plain dict (it has no instance attributes): its methods
_DICT_ATTRIBUTES = frozenset(dir(dict))


class ThemeContext(Context):
    """A call from a template (``url(p.path)``, a macro) made without Jinja's checks when they cannot matter.

    Jinja looks at every callable for ``pass_context`` and its kin (four
    ``hasattr`` and a few branches, ~1 µs) before calling it: ~120 000
    calls at 1 500 phases. A macro always asks for the evaluation context
    (given here as Jinja gives it); a plain function without the marker asks
    for nothing; both are called at once, with Jinja's own handling of a
    ``StopIteration``. Anything else takes Jinja's path.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's own signature
        kind = type(__obj)
        if kind is Macro:  # as Jinja calls it: with the evaluation context (``{% autoescape %}``)
            args = (__self.eval_ctx, *args)
        elif kind is not FunctionType or hasattr(__obj, "jinja_pass_arg"):
            return Context.call(__self, __obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")


class ThemeEnvironment(Environment):
    """``site.title``, ``t.judged_at``: Jinja asks a dict for an attribute first, fails, then takes the key.

    The failure is an ``AttributeError`` raised and caught: ~20 000 of them
    for 190 pages, a tenth of the rendering. A plain dict's attributes are
    its methods, so a name that is not one of them can only be a key: taken
    at once. The result is Jinja's in every case (``d.items`` is still the
    method; a missing key is still undefined).
    """

    context_class = ThemeContext

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return Environment.getattr(self, obj, attribute)
