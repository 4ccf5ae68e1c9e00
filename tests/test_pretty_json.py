"""plan.json's writer: json.dumps(indent=2)'s text, byte for byte, on any JSON value."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pacsite.output.exports import pretty_json

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                    st.text())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(), inner, max_size=4)),
                      max_leaves=30)


@given(VALUES)
def test_pretty_json_writes_what_json_dumps_writes(value: Any) -> None:
    assert pretty_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_pretty_json_by_hand() -> None:
    value = {"slug": "salon", "owners": ["p1", "p2"], "tags": [], "late": False, "gap_pct": 0.0833,
             "days": 3, "titre": "Écarts « à voir »\n", "sub": {}, "none": None, "nested": [{"a": 1}]}
    assert pretty_json(value) == json.dumps(value, ensure_ascii=False, indent=2)
    assert pretty_json({1: "a"}) == json.dumps({1: "a"}, indent=2)  # a key that is no text: json's own way
