"""The theme's Jinja environment takes shortcuts (a dict's key, a call): its pages are Jinja's, byte for byte."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import Environment, StrictUndefined, UndefinedError, pass_context, pass_environment

from pacsite.render.environment import ThemeEnvironment

TEMPLATES = {
    "dict keys and methods": "{{ d.title }} {{ d['title'] }} {{ d.items()|list|length }} {{ d.get('x', 'none') }}"
                             " {{ d.keys }}",
    "a key named like a method": "{{ m.items }}|{{ m['items'] }}",
    "nested dicts": "{% for f in site.families %}{{ f.slug }}:{{ f.title }} {% endfor %}{{ site.sections.search }}",
    "functions, context and environment": "{{ plain('a') }} {{ ctx('b') }} {{ envf('c') }} {{ lam(2) }}",
    "macros and escaping": "{% macro b(s, cls='x') %}<b class='{{ cls }}'>{{ s }}</b>{% endmacro %}"
                           "{{ b('<i>') }}{{ b(s='&', cls='y') }}"
                           "{% set ns = namespace() %}"
                           "{% autoescape false %}{{ b('<u>') }}{% set ns.kept = b('<s>') %}{% endautoescape %}"
                           "{{ ns.kept }}",  # made where escaping is off: a plain string, escaped here
    "caller": "{% macro wrap() %}[{{ caller() }}]{% endmacro %}{% call wrap() %}<{{ d.title }}>{% endcall %}",
    "a callable that stops": "{{ stop() is undefined }}",
}


def _plain(s: str) -> str:
    return s.upper()


@pass_context
def _ctx(context: object, s: str) -> str:
    return f"{s}:{context['d']['title']}"  # type: ignore[index]


@pass_environment
def _envf(env: Environment, s: str) -> str:
    return f"{s}:{env.autoescape is not False}"


def _stop() -> None:
    raise StopIteration


VALUES = {"d": {"title": "Plan <2027>", "x": None}, "m": {"items": "a key"},
          "site": {"families": [{"slug": "f1", "title": "Fidélité"}, {"slug": "f2", "title": "Réseau"}],
                   "sections": {"search": "recherche/index.html"}},
          "plain": _plain, "ctx": _ctx, "envf": _envf, "lam": lambda n: n * 21, "stop": _stop}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_the_theme_environment_renders_as_jinja(name: str) -> None:
    pages = []
    for kind in (Environment, ThemeEnvironment):
        env = kind(autoescape=True, undefined=StrictUndefined)
        pages.append(env.from_string(TEMPLATES[name]).render(**VALUES))
    assert pages[0] == pages[1]


@pytest.mark.parametrize("kind", [Environment, ThemeEnvironment])
def test_a_missing_key_is_still_an_error(kind: type[Environment]) -> None:
    with pytest.raises(UndefinedError, match="no_such_key"):
        kind(undefined=StrictUndefined).from_string("{{ d.no_such_key }}").render(d={"title": "x"})


def test_the_french_finalize_spaces_every_text_and_forgets_past_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    from markupsafe import Markup

    from pacsite.render import theme

    monkeypatch.setattr(theme, "SEEN_MAX", 3)
    finalize = theme.french_finalize()
    texts = [f"Taux {n} %" for n in range(10)] * 2  # more texts than it remembers, each twice
    assert [finalize(t) for t in texts] == [t.replace(" %", "\u00a0%") for t in texts]
    assert finalize(Markup("<b>a :</b>")) == Markup("<b>a :</b>")  # HTML is left as it is
    assert finalize(12) == 12


@given(st.text(alphabet=st.sampled_from(list("ab :;!?%»«\u00a0\u202f.")), max_size=30))
def test_french_spaces_short_cut_changes_nothing(text: str) -> None:
    """The plain searches that spare the pattern on texts without any mark give the pattern's own result."""
    from pacsite.i18n import _AFTER, _BEFORE, french_spaces

    expected = _AFTER.sub("«\u00a0", _BEFORE.sub(
        lambda m: ("\u00a0" if m.group(1) in ":%»" else "\u202f") + m.group(1), text))
    assert french_spaces(text) == expected
