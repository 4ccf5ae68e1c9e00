"""Files parsed and folders listed, by stamp, kept from one build to the next of the same process.

The live preview and the trend (which loads the plan at each commit) read
the plan again and again: a file whose stamp did not move is not parsed
again, and a folder whose stamp did not move is not listed again. What
comes out is checked and computed afresh by the stages; what they make is
kept by the reuse layer (``pacsite.reuse``), by key.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from pacsite.load.frontmatter import Files
from pacsite.load.sources import same_folder

T = TypeVar("T")


class Stamped(Files):
    """Parsed files by stamp (``Files``), and folder listings by their folders' stamps."""

    def __init__(self) -> None:
        super().__init__()
        self._listings: dict[Any, Any] = {}  # what git said (history, trend), and folder listings, by name
        self._folders: dict[Any, dict[str, Any]] = {}  # each folder listing's folders, with their stamps

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

    def clear_listings(self) -> None:
        """Forget every listing (the settings, templates or people changed: everything is looked at again)."""
        self._listings.clear()
        self._folders.clear()
