"""A page's links: ``linker``'s shortcut gives ``relative``'s link for every page and target."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pacsite.site.urls import linker, relative

SEGMENT = st.sampled_from(["actions", "famille-1", "phase-2", "plan", "ecarts", "index.html", "a", "b"])
PAGE = st.lists(SEGMENT, min_size=0, max_size=4).map(lambda parts: "/".join([*parts, "index.html"]))
TARGET = st.one_of(
    PAGE,
    st.tuples(PAGE, st.sampled_from(["", "#", "#v-a", "#phases"])).map("".join),
    st.sampled_from(["", "#", "#haut", "plan.json", "plan.json#", "actions/", "actions"]),
)


@given(PAGE, TARGET)
def test_linker_gives_the_relative_link(page: str, target: str) -> None:
    assert linker(page)(target) == relative(page, target)


def test_links_worked_out_by_hand() -> None:
    link = linker("actions/famille-3/phase-50/index.html")
    assert link("equipe/index.html#personne-p8") == "../../../equipe/index.html#personne-p8"
    assert link("actions/famille-3/phase-49/index.html") == "../phase-49/index.html"
    assert link("actions/famille-3/index.html") == "../index.html"
    assert link("#sec-detail") == "index.html#sec-detail"
    assert linker("index.html")("plan/index.html") == "plan/index.html"
