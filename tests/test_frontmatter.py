"""Front matter: YAML traps never change a value; unsafe or broken YAML is refused with a line."""

from __future__ import annotations

import time

import pytest

from pacsite.load.frontmatter import SourceError, parse_file, parse_yaml


def fm(text: str) -> bytes:
    return ("---\n" + text + "\n---\nbody\n").encode()


@pytest.mark.parametrize(
    "yaml_text, expected",
    [
        ("owner: no", "no"), ("owner: off", "off"), ("owner: Yes", "Yes"),
        ("code: 01000", "01000"), ("code: 010", "010"), ("t: 12:30", "12:30"),
        ("n: 1_000", "1_000"), ("n: 1.10", "1.10"), ("tel: +33123456789", "+33123456789"),
        ("h: 0x1F", "0x1F"), ("d: 2027-02-30", "2027-02-30"), ("q: 'quoted'", "quoted"),
    ],
)
def test_every_scalar_stays_the_text_typed(yaml_text: str, expected: str) -> None:
    parsed = parse_file(fm(yaml_text))
    assert list(parsed.data.values()) == [expected]


def test_empty_value_is_null_and_lines_are_file_lines() -> None:
    parsed = parse_file(fm("title: A\nowner:\nbudget:\n  - label: x\n    amount: 3"))
    assert parsed.data["owner"] is None
    assert parsed.line_of(("title",)) == 2
    assert parsed.line_of(("budget", 0, "amount")) == 6
    assert parsed.body == "body\n" and parsed.body_line == 8


@pytest.mark.parametrize(
    "data, line, words",
    [
        (fm("title: a\ntitle: b"), 3, "duplicate key (first given at line 2)"),
        (fm("x: &a 1\ny: *a"), 2, "anchors"),
        (fm("y: *a"), 2, "aliases"),
        (fm("x: !!python/object:os.system ls"), 2, "tags"),
        (fm("x: !!python/object/apply:os.system [ls]"), 2, "tags"),
        (fm("a:\n\t- b"), 3, "tab"),
        (fm("title: Objectif: +10%"), 2, "in quotes"),
        (b"---\ntitle: a\nbody without end\n", 1, "never closed"),
        (b"---\ntitle: a\n---\n<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> b\n", 4, "conflict marker"),
        (b"---\ntitle: a\n---\nligne\n\xe9t\xe9\n", 5, "not UTF-8"),
        (b"---\ntitle: a\n---\n\x00\x01", 4, "binary"),
        (fm("- a\n- b"), 2, "key: value"),
    ],
)
def test_bad_front_matter_is_refused_at_its_line(data: bytes, line: int, words: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_file(data)
    assert caught.value.line == line
    assert words in str(caught.value.message)


def test_alias_bomb_is_refused_at_once() -> None:
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    started = time.perf_counter()
    with pytest.raises(SourceError):
        parse_file(fm("\n".join(levels)))
    assert time.perf_counter() - started < 1


def test_front_matter_over_64_kb_is_refused() -> None:
    big = "notes: '" + "x" * 70_000 + "'"
    with pytest.raises(SourceError, match="over 64 KB"):
        parse_file(fm(big))


def test_a_bom_is_accepted() -> None:
    assert parse_file(b"\xef\xbb\xbf" + fm("title: A")).data == {"title": "A"}


def test_parse_yaml_nested_duplicate_and_key_kinds() -> None:
    with pytest.raises(SourceError, match="duplicate"):
        parse_yaml("a:\n  b: 1\n  b: 2\n")
    with pytest.raises(SourceError, match="plain word"):
        parse_yaml("[a]: 1\n")
