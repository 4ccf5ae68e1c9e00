"""What a serve session remembers between builds, and how it knows it may reuse it.

A rebuild after one saved file must cost about one file, not one plan.
Phases, each family's figures, warnings, rows, pages and share of the
downloads come from the reuse layer (``reuse.Reuse``, here kept in memory:
``Reuse.in_memory``), by keys made from their inputs, as in ``pacsite build``.
What is left here is being moved there (issue 15): the plan-wide pages'
pieces (tables' analysed rows, the budget and timeline views), the texts'
Markdown and the rendered pages are kept with the exact inputs they were
computed from, and reused only when those inputs are the same objects or
compare equal in every field (``same``: deeper than ``==``, which our
dataclasses relax for ``extra`` and ``lines``). A reused result is the very
same object as before, so the next stage's check is an identity test.

Nothing here is global: a ``BuildCache`` lives in one ``serve`` (or
``build --watch``) session and is passed down explicitly. A clean build uses
none, and the random-edit test proves both give the same bytes.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pacsite.load.frontmatter import ParseCache
from pacsite.load.sources import same_folder
from pacsite.reuse import Reuse

T = TypeVar("T")
_MISSING = object()


def same(a: Any, b: Any) -> bool:
    """Tell whether two values would render identically: identical, or equal in every field.

    Dataclasses are compared field by field *including* fields left out of
    their ``__eq__`` (a phase's extra keys show on its page); containers
    element by element; anything else with ``==`` and the same type
    (``1 == 1.0 == True`` but they print differently).
    """
    if a is b:
        return True
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is tuple or kind is list:
        if len(a) != len(b):
            return False
        for x, y in zip(a, b, strict=True):
            if x is not y and not same(x, y):
                return False
        return True
    if kind is dict:
        if len(a) != len(b) or list(a) != list(b):
            return False
        for key, x in a.items():
            y = b[key]
            if x is not y and not same(x, y):
                return False
        return True
    if kind is Decimal:  # 10 == 10.0, but one prints "10" and the other "10,0"
        return bool(a.as_tuple() == b.as_tuple())
    if kind is float:
        return repr(a) == repr(b)
    names = _fields(kind)
    if names is not None:
        for name in names:
            x, y = getattr(a, name), getattr(b, name)
            if x is not y and not same(x, y):
                return False
        return True
    return bool(a == b)


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _fields(kind: type) -> tuple[str, ...] | None:
    """A dataclass's field names (None for other types), looked up once per type: ``same`` asks often."""
    try:
        return _FIELDS[kind]
    except KeyError:
        names = tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else None
        _FIELDS[kind] = names
        return names


class Memo:
    """Results by name, each with the inputs it was computed from."""

    def __init__(self) -> None:
        self._entries: dict[Any, tuple[Any, Any]] = {}
        self._used: set[Any] = set()
        self.computed = 0  # how many results were not reused, since the memo was made

    def get(self, name: Any, inputs: Any, compute: Callable[[], T]) -> T:
        """Return the remembered result for ``name`` if ``inputs`` are the same; else compute it."""
        self._used.add(name)
        hit = self._entries.get(name)
        if hit is not None and same(hit[0], inputs):
            return hit[1]  # type: ignore[no-any-return]
        value = compute()
        self.computed += 1
        self._entries[name] = (inputs, value)
        return value

    def touch(self, names: Iterable[Any]) -> None:
        """Keep these results past the next ``sweep``: a result that contains them was reused."""
        self._used.update(names)

    def intern(self, name: Any, value: T) -> T:
        """Return the previous value for ``name`` if it is the same, else remember ``value``."""
        self._used.add(name)
        hit = self._entries.get(name)
        if hit is not None and same(hit[1], value):
            return hit[1]  # type: ignore[no-any-return]
        self._entries[name] = (None, value)
        return value

    def peek(self, name: Any, default: Any = _MISSING) -> Any:
        """Return the remembered (inputs, result) for ``name``, or ``default``."""
        return self._entries.get(name, default)

    def sweep(self) -> None:
        """Forget what the last build did not ask for (deleted files, gone pages, old texts)."""
        for name in [n for n in self._entries if n not in self._used]:
            del self._entries[name]
        self._used = set()

    def clear(self) -> None:
        """Forget everything (a template or the settings changed)."""
        self._entries.clear()
        self._used = set()

    def __len__(self) -> int:
        return len(self._entries)


class BuildCache(ParseCache):
    """Parsed files by stamp, plus the memos of the later stages."""

    def __init__(self) -> None:
        super().__init__()
        self.later: list[Callable[[], None]] = []  # work the live preview does once the pages are written
        self.reuse = Reuse.in_memory()  # validated phases, by key (the store `pacsite build` keeps on disk)
        self.families = Memo()  # families, by slug (reused when equal)
        self.markdown = Memo()  # rendered Markdown, by (text, source, line, page)
        self.charts = Memo()  # SVG charts, by page
        self.pages = Memo()  # rendered pages, by output path
        self.lists = Memo()  # a family's rows and phase pages, by family: reused whole when it did not change
        self.search = Memo()  # each page's entry in the compact search index
        self._environment: tuple[Any, Any] | None = None
        self.fragments: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = {}  # table rows' HTML (render.Fragments)
        # what the output folder holds, as last written: path -> bytes, or a copied file's stamp;
        # None until a whole build has been swapped in
        self.written: dict[str, Any] | None = None
        # the build id written into the output's marker with ``written``: another id there means
        # another process (pacsite build) wrote the folder since, and ``written`` is not its content
        self.output_id: str | None = None
        self.last: Any = None  # the last good build (build.Site): the theme it used is the one watched
        self._listings: dict[Any, Any] = {}  # what git said (history, trend), and folder listings, by name
        self._folders: dict[Any, dict[str, Any]] = {}  # each folder listing's folders, with their stamps

    def environment(self, settings: Any, make: Callable[[Any], Any]) -> Any:
        """Return the Jinja environment for ``settings`` (``make`` makes it), made once: templates compile once."""
        if self._environment is None or self._environment[0] is not settings:
            self._environment = (settings, make(settings))
        return self._environment[1]

    def changes(self, paths: Iterable[Path]) -> None:
        """Take the watcher's list of changed paths for the next build.

        These files are read again even if their stamp did not move (same
        size in the same clock tick), and a path that is not a file of the
        last listings (a new file, a folder, a name gone) makes the next build
        list every folder again. The others are still looked at: the watcher's
        list is a hint, never the whole truth. An event can be lost (an
        editor's burst, an overflowing inotify queue): each file is stamped
        and each listed folder too (``listing``), so the next build still sees
        the edit, the new file or the rename.
        """
        paths = list(paths)
        self.forget(paths)
        known = {str(s.path) for s in self._listings.get("sources", ())}
        for name, value in self._listings.items():
            if isinstance(name, tuple) and name[0] == "assets":
                known.update(str(source) for source in value.copies.values())
        listed = {folder for folders in self._folders.values() for folder in folders}

        def seen(path: Path) -> bool:  # a listed file edited in place, or a listed folder (its stamp tells)
            name = os.path.abspath(path)
            # a file turned into a link is listed again: the listing refuses a link out of the plan
            return (name in known and os.path.isfile(name) and not os.path.islink(name)) or name in listed

        if not all(seen(p) for p in paths):
            self._folders.clear()

    def listing(self, name: Any, make: Callable[[dict[str, Any]], T]) -> T:
        """Return a folder listing: the last one while none of its folders changed, else ``make(folders)``.

        ``make`` fills ``folders`` with each folder it lists and its stamp
        (``sources.walk``): a file added, removed or renamed changes its
        folder's mtime, and then its entries are read again (an editor's save
        through a renamed temporary file moves the mtime, not the names).
        Listing and stamping 1 500 files cost ~25 ms of each rebuild; stamping
        the 20 folders that hold them costs nothing.
        """
        folders = self._folders.get(name)
        if folders is not None and name in self._listings:
            for folder, recorded in folders.items():
                same, folders[folder] = same_folder(folder, recorded)
                if not same:
                    break
            else:
                return self._listings[name]  # type: ignore[no-any-return]
        folders = {}
        value = self._listings[name] = make(folders)
        self._folders[name] = folders
        return value

    def kept(self, name: Any, make: Callable[[], T]) -> T:
        """Return what the last build made under ``name`` (git's history: no file event tells of a
        commit; ``drop_listing`` when git says it moved), or make it."""
        if name in self._listings:
            return self._listings[name]  # type: ignore[no-any-return]
        value = self._listings[name] = make()
        return value

    def drop_listing(self, *names: Any) -> None:
        """Forget listings (what they list changed in a way the watcher cannot see: git moved)."""
        for name in names:
            self._listings.pop(name, None)

    def last_listing(self, name: Any) -> Any:
        """The last value of a listing (None if there is none): what the last build used."""
        return self._listings.get(name)

    def forget(self, paths: Iterable[Path]) -> None:
        """Drop files named by the watcher: their stamp may not have moved (same size, same tick)."""
        gone = set()
        for path in paths:
            # the usual case: the entry is under the watcher's own (absolute) path; else look at each
            if self._entries.pop(Path(path), None) is None:
                gone.add(os.path.abspath(path))
        if gone:
            for key in [k for k in self._entries if os.path.abspath(k) in gone]:
                del self._entries[key]

    @property
    def memos(self) -> tuple[Memo, ...]:
        """Return every memo of the cache."""
        return (self.families, self.markdown, self.charts,
                self.pages, self.lists, self.search)

    def sweep(self) -> None:
        """After a good build: forget what it did not use (and do what waited for the pages)."""
        for memo in self.memos:
            memo.sweep()
        self.reuse.save()
        later, self.later = self.later, []
        for job in later:
            job()

    def reset(self) -> None:
        """Forget everything derived: templates, settings or people changed."""
        for memo in self.memos:
            memo.clear()
        self.reuse.clear()
        self._environment = None
        self.fragments.clear()
        self.last = None
        self._listings.clear()
        self._folders.clear()
