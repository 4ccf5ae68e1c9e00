"""What every loader of a plan file shares: reading, validating against a schema, and naming people.

``Reader`` is the context of one load (settings, people.yaml, the collector);
``loader`` (the plan's files) and ``families`` (action folders and phases)
both take it, so neither imports the other for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from pacsite.errors import Diagnostics, Fix
from pacsite.load import fields, schema
from pacsite.load.frontmatter import Files, Parsed, SourceError, parse_file
from pacsite.load.model import Owner, Person
from pacsite.load.settings import Settings
from pacsite.load.sources import Source
from pacsite.messages import Msg, Place, Problem, msg, quote

# nested keys (budget lines, objectives, results...) are English only
NESTED_KEYS = {
    name: name
    for model in (schema.BudgetLineIn, schema.PhaseObjectiveIn, schema.ResultIn, schema.CorrectiveActionIn,
                  schema.MeasureIn, schema.PeriodIn, schema.PersonIn)
    for name in model.model_fields
}
OWNER_SEPARATORS = re.compile(r"\s*(?:[,;&]|\bet\b|\band\b)\s*", re.IGNORECASE)


@dataclass
class Doc:
    """A parsed and validated document, with what is needed to report on it."""

    source: Source
    parsed: Parsed
    value: Any
    origin: dict[str, str]  # canonical key -> key as written
    extra: dict[str, Any] = field(default_factory=dict)

    def line(self, *path: str | int) -> int | None:
        if path and isinstance(path[0], str):
            path = (self.origin.get(path[0], path[0]), *path[1:])
        return self.parsed.line_of(tuple(path))


class Reader:
    """One load of one plan folder: its settings, its people and the collector, never global."""

    def __init__(self, settings: Settings, diagnostics: Diagnostics, files: Files | None) -> None:
        self.settings = settings
        self.diag = diagnostics
        self.files = files  # the plan's files as read (None: each is read when asked)
        self.people: dict[str, Person] = {}
        self.has_people = False
        self.people_broken = 0  # people.yaml exists but cannot be read: the line of its error
        self.unchecked_people = 0  # owners left unchecked because of it
        self._names: dict[str, tuple[Person, ...]] | None = None

    # -- reading ---------------------------------------------------------
    def read(self, source: Source) -> Parsed | None:
        try:
            if self.files is not None:
                return self.files.parse(source.path)
            return parse_file(source.path.read_bytes())
        except SourceError as exc:
            self.diag.error(source.rel, exc.line, exc.key, exc.message)
        except OSError as exc:
            self.diag.error(source.rel, None, None, msg("cannot_read", reason=exc.strerror or str(exc)))
        return None

    def parsed(self, source: Source, content: bytes | Parsed | SourceError | str) -> Parsed | None:
        """A file's content as read (``families.PhaseFile``) parsed, or None with its error recorded."""
        try:
            if isinstance(content, bytes):
                return parse_file(content)
            if isinstance(content, SourceError):
                raise content
        except SourceError as exc:
            self.diag.error(source.rel, exc.line, exc.key, exc.message)
            return None
        if isinstance(content, str):
            self.diag.error(source.rel, None, None, msg("cannot_read", reason=content))
            return None
        return content

    def validate(
        self,
        source: Source,
        parsed: Parsed,
        model: type[BaseModel],
        keys: dict[str, tuple[str, ...]],
        allow_extra: bool = True,
    ) -> Doc | None:
        """Map aliases to keys, flag typos, then validate with the model."""
        table = fields.alias_table(keys)
        normalized: dict[str, Any] = {}
        origin: dict[str, str] = {}
        extra: dict[str, Any] = {}
        typos: set[tuple[Any, ...]] = set()  # keys a typo was meant for: their absence is not a second error
        for key, value in parsed.data.items():
            canonical = table.get(fields.normalize_key(key))
            line = parsed.line_of((key,))
            if canonical is None:
                guess = fields.nearest_spelling(key, keys, self.settings.language)
                if guess:
                    typos.add((table.get(fields.normalize_key(guess)),))
                    self.diag.error(source.rel, line, key, msg("unknown_key_suggest", guess=quote(guess)))
                    if line is not None and table.get(fields.normalize_key(guess)) not in normalized:
                        self.diag.fixes.append(Fix(source.rel, line, key, guess, "key"))
                elif allow_extra:
                    self.diag.warning(source.rel, line, key, msg("unknown_key_kept"))
                    extra[key] = value
                else:
                    self.diag.error(source.rel, line, key, msg("unknown_key"))
                continue
            if canonical in normalized:
                self.diag.error(source.rel, line, key,
                                msg("key_twice", first=quote(origin[canonical]), second=quote(key)))
                continue
            normalized[canonical] = value
            origin[canonical] = key
        try:
            value = model.model_validate(normalized)
        except ValidationError as exc:
            self._report(source, parsed, origin, exc, keys, typos)
            # drop the bad keys and go on, so that the file's other errors
            # (dates, references) are reported in the same run
            for err in exc.errors():
                if err["loc"]:
                    normalized.pop(str(err["loc"][0]), None)
            if "title" in model.model_fields and "title" not in normalized:
                normalized["title"] = "?"
            try:
                value = model.model_validate(normalized)
            except ValidationError:
                return None
        # after a typo the document is still linked, to report its other errors too
        return Doc(source, parsed, value, origin, extra)

    def _report(self, source: Source, parsed: Parsed, origin: dict[str, str], exc: ValidationError,
                keys: dict[str, tuple[str, ...]], typos: set[tuple[Any, ...]]) -> None:
        errors = exc.errors()
        for err in errors:
            if err["type"] == "extra_forbidden" and err["loc"]:
                typos.add((*err["loc"][:-1], fields.nearest(str(err["loc"][-1]), NESTED_KEYS)))
        for err in errors:
            loc = tuple(err["loc"])
            if len(loc) > 1 and not isinstance(parsed.data.get(origin.get(str(loc[0]), str(loc[0]))), (list, dict)):
                loc = loc[:1]  # one amount written as such is "budget", not "budget, line 1, amount"
            missing = err["type"] == "missing"
            if missing and loc in typos:
                continue
            # a key absent from the file is named as the plan's language writes it (titre, not title)
            first: str | int = fields.spelling(str(loc[0]), keys, self.settings.language) \
                if missing and len(loc) == 1 else origin.get(str(loc[0]), loc[0]) if loc else ""
            shown: tuple[str | int, ...] = (first, *loc[1:]) if loc else ()
            line = (parsed.line_of(shown[:-1]) if len(shown) > 1 else 1) if missing or not shown \
                else parsed.line_of(shown)
            message = problem_message(err)
            self.diag.error(source.rel, line, Place(shown) if shown else None, message)
            if message.code == "expected_date_suggest" and line is not None and isinstance(err.get("input"), str):
                self.diag.fixes.append(Fix(source.rel, line, err["input"].strip(), dict(message.args)["iso"],
                                           "value"))

    def document(
        self, source: Source, model: type[BaseModel], keys: dict[str, tuple[str, ...]]
    ) -> Doc | None:
        """Read and validate one file; None when it cannot be used (errors recorded)."""
        parsed = self.read(source)
        return None if parsed is None else self.validate(source, parsed, model, keys)

    # -- linking ---------------------------------------------------------
    def owners(self, values: list[str], doc: Doc, *path: str | int) -> tuple[Owner, ...]:
        """Resolve an owner value or list: each entry a person (by id or name), a list of them, or a name.

        SPEC §2: a text made of known people separated by ``,`` ``;`` `` et ``
        `` and `` or ``&`` is that list; any other text is one free-text name
        (``Agence Pixel & Co``). The first is accountable; a person given
        twice counts once.
        """
        found: list[Owner] = []
        listed = len(values) > 1
        for index, value in enumerate(values):
            where = (*path, index) if listed else path
            for owner in self._resolve(value, doc, where):
                if all(o.key != owner.key for o in found):
                    found.append(owner)
        return tuple(found)

    def owner(self, value: str | None, doc: Doc, *path: str | int) -> Owner | None:
        """Resolve one owner value (the first, when it names several)."""
        resolved = self._resolve(value, doc, path)
        return resolved[0] if resolved else None

    def _resolve(self, value: str | None, doc: Doc, path: tuple[str | int, ...]) -> tuple[Owner, ...]:
        if value is None or not value.strip():
            return ()
        value = value.strip()
        same_name = self.names().get(fields.normalize_key(value), ())
        if value not in self.people and len(same_name) > 1:  # never guess which one
            self.diag.error(doc.source.rel, doc.line(*path), self._place(doc, path),
                            msg("ambiguous_person", name=quote(value), ids=[quote(p.id) for p in same_name]))
            return ()
        person = self._person(value)
        if person:
            self._fix_name(value, (person,), doc, path)
            return (person,)
        parts = [p.strip() for p in OWNER_SEPARATORS.split(value) if p.strip()]
        if len(parts) > 1:
            people = [self._person(p) for p in parts]
            if all(people):
                found = tuple(p for p in people if p)
                self._fix_name(value, found, doc, path)
                return found
            if all(fields.looks_like_id(p) for p in parts) and self.has_people:
                unknown = [p for p in parts if not self._person(p)]
                for name in unknown:
                    self._unknown_person(name, doc, path)
                return ()
        if self.has_people and fields.looks_like_id(value):
            self._unknown_person(value, doc, path)
            return ()
        return (Owner(value, value, None),)

    def _fix_name(self, value: str, people: tuple[Owner, ...], doc: Doc, path: tuple[str | int, ...]) -> None:
        """People written by name can be written by id (``check --fix``): the same in every file."""
        ids = ", ".join(p.key for p in people)
        line = doc.line(*path)
        if ids != value and line is not None:
            self.diag.fixes.append(Fix(doc.source.rel, line, value, ids, "value"))

    def _person(self, value: str) -> Owner | None:
        """The person whose id is ``value``, or whose name it is (ignoring case and accents)."""
        person = self.people.get(value)
        if person is None:
            named = self.names().get(fields.normalize_key(value), ())
            person = named[0] if len(named) == 1 else None
        return Owner(person.id, person.name, person) if person else None

    def known_names(self, names: dict[str, tuple[Person, ...]]) -> None:
        """Take ``names`` (another reader's, of the same people) as this one's."""
        self._names = names

    def names(self) -> dict[str, tuple[Person, ...]]:
        """people.yaml by normalised name (made once per load): two people may share one."""
        if self._names is None:
            self._names = {}
            for person in self.people.values():
                key = fields.normalize_key(person.name)
                self._names[key] = (*self._names.get(key, ()), person)
        return self._names

    @staticmethod
    def _place(doc: Doc, path: tuple[str | int, ...]) -> Place | None:
        return Place((doc.origin.get(str(path[0]), str(path[0])), *path[1:])) if path else None

    def _unknown_person(self, value: str, doc: Doc, path: tuple[str | int, ...]) -> None:
        if self.people_broken:  # people.yaml could not be read: its own error says why; count, don't repeat
            self.unchecked_people += 1
            return
        guess = fields.nearest(value, {k: k for k in self.people})
        self.diag.error(doc.source.rel, doc.line(*path), self._place(doc, path),
                        msg("unknown_person_suggest", name=quote(value), guess=quote(guess)) if guess
                        else msg("unknown_person", name=quote(value)))

    def stage(self, value: str | None, doc: Doc, default: str) -> str:
        """Resolve a stage id, title or French alias."""
        if value is None:
            return default
        found = self.settings.stage_table().get(fields.normalize_key(value))
        if found:
            return found
        self.diag.error(
            doc.source.rel, doc.line("stage"), doc.origin.get("stage", "stage"),
            msg("expected_stage", stages=[s.title for s in self.settings.stages], found=fields.describe(value)),
        )
        return default


def problem_message(err: Any) -> Msg:
    """Turn a pydantic error into 'expected X, found Y' words."""
    kind = err["type"]
    found = fields.describe(err.get("input"))
    if kind == "value_error":
        error = err["ctx"]["error"]
        return error.msg if isinstance(error, Problem) else msg("invalid_value", problem=str(error), found=found)
    if kind == "missing":
        return msg("missing_key")
    if kind == "extra_forbidden":
        guess = fields.nearest(str(err["loc"][-1]), NESTED_KEYS)
        return msg("unknown_key_suggest", guess=quote(guess)) if guess else msg("unknown_key")
    if kind == "string_type":
        return msg("expected_text", found=found)
    if kind == "list_type":
        return msg("expected_list", found=found)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return msg("expected_mapping", found=found)
    return msg("invalid_value", problem=err["msg"], found=found)
