"""The reuse layer of ``pacsite build``: what the last build made, kept by content key for the next one.

A clean build and a warm build are the same code: each stage result that is
worth keeping (a validated phase, a rendered page, the downloads) is looked
up under a key that is a digest of everything it is made from, and made only
when the key is new. A key is never typed by hand: it is the digest of the
very values the stage is given (a page's whole view, a phase file's bytes and
its context), pickled. Nix's rule: the key names the inputs, never a time.

Two things make a pickle a sound key here:

- a pickle usually depends on which parts of a value are the same object,
  and a phase taken from the store shares nothing with the rest of the
  plan, unlike one just validated: keys are pickled without the memo
  (``digest_by_keys``), and a phase stands for its own key (``Phase.digest``:
  its file's bytes, path and context);
- ``namespace`` (pacsite's own code, its libraries' versions, the format)
  is part of every key: a new pacsite reuses nothing of an older one.

The folder (``.pacsite-cache/`` in the plan, safe to delete) holds one pack
file (the small results, pickled, and the index of pages) and the rendered
pages as files, hard-linked into the output. It is trusted as the plan's own
files are, and no further: a folder that git tracks (a pull request could
commit one, with pages of its choosing under the keys of real pages) or that
is a link or someone else's is refused and a clean build is made. A pack that
cannot be read is ignored. Only a build that succeeded writes the pack, by a
rename: a build killed half-way leaves the last good pack.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import io
import os
import pickle
import re
import secrets
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any, ClassVar, TypeVar

from pacsite import __version__
from pacsite.messages import Msg, msg

T = TypeVar("T")

CACHE_DIR = ".pacsite-cache"
PACK = "pack.pickle"  # the base: every value and table row of the build that wrote it
DELTA = "delta.pickle"  # what later builds changed: new values and rows, the rows gone, the pages
TAG = "CACHEDIR.TAG"  # the standard mark of a cache folder (backup tools skip it); ours holds it
PAGES = "pages"
SPARE = "site"  # the site before the last (``output.write.Recycle``)
FORMAT = 3  # raise when what the pack holds changes shape
LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py", "mdit-py-plugins", "pydantic", "babel", "pyyaml",
             "openpyxl", "icalendar")


class Keyed:
    """A value that carries its own key (``digest``: a digest of what it is made from), or "" when it has none.

    Pickled for a key, it stands for that key: a page listing 1 500 phases
    is keyed in 2 ms instead of 5, and a family of phases in a few
    microseconds a phase. A subclass may carry a second key that leaves out
    what some results never read (``Phase.digest_without_body``).
    """

    __slots__ = ()
    digest: str  # each subclass's own field
    types: ClassVar[list[type]] = []  # every subclass: ``digest_by_keys`` takes each as its key

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        Keyed.types.append(cls)


def digest(*values: Any) -> str:
    """The key of ``values``: a digest of their pickle (protocol 5, the same on every machine)."""
    return digest_by_keys(values)


def string_key(*parts: str) -> str:
    """The key of a few strings (keys already): their digest, with no pickle. The first names what it is for."""
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=20).hexdigest()


def digest_by_keys(values: tuple[Any, ...], attribute: str = "digest") -> str:
    """``digest``, where a ``Keyed`` value that carries its own key is taken as that key.

    The pickle is made without its memo (``fast``): a value shared by two
    parts is written twice, so the key does not depend on which parts are
    the same object (a phase read from the store shares no string or person
    with the rest of the plan, one just validated may). ``attribute`` names
    the key to take where a type has it (``digest_without_body``: for what
    never shows a text); the others give their ``digest``.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, 5)
    pickler.fast = True
    pickler.dispatch_table = dict.fromkeys(Keyed.types, partial(_by_own_key, attribute))
    pickler.dump(values)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=20).hexdigest()


def _keys_of(value: Any, attribute: str) -> Any:
    """A list or tuple of ``Keyed`` values that all carry their key, as their keys in one string (the same
    key as pickling them one by one would give, for a tenth of the time: a family's hundred phases), and
    a list of such lists as a list of those strings; any other value as it is."""
    if type(value) in (list, tuple) and value and isinstance(value[0], Keyed):
        keys = [getattr(x, attribute, None) or getattr(x, "digest", None) for x in value]
        if all(keys) and all(isinstance(x, Keyed) for x in value):
            return ("keys", type(value).__name__, "\0".join(keys))  # type: ignore[arg-type]
    elif type(value) in (list, tuple) and value and type(value[0]) in (list, tuple):  # each family's rows
        return ("lists", type(value).__name__, [_keys_of(x, attribute) for x in value])
    return value


def _by_own_key(attribute: str, value: Any) -> Any:
    key = getattr(value, attribute, None)
    if key is None:
        key = value.digest
    return (str, (key,)) if key else value.__reduce_ex__(5)


def code_namespace() -> str:
    """A digest of pacsite's code and its libraries' versions: a result made by other code is not reused.

    The code is read (~100 small files, a few ms), not just its version:
    a checkout between two releases changes the code under one version.
    """
    package = Path(__file__).parent
    h = hashlib.blake2b(f"{FORMAT}\0{__version__}\0{sys.version}".encode(), digest_size=20)
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    versions = library_versions()
    h.update("".join(f"{name}={versions.get(name, '-')}\0" for name in LIBRARIES).encode())
    return h.hexdigest()


def library_versions() -> dict[str, str]:
    """The installed version of each of ``LIBRARIES``, from the names of the folders installers leave
    (``jinja2-3.1.6.dist-info``, an old ``PyYAML-6.0-py3.11.egg-info``), the first one on the path as
    Python imports it: what ``importlib.metadata.version`` says, without its 25 ms of imports at each build."""
    wanted = {_normal(name): name for name in LIBRARIES}
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in entries:
            if entry.endswith((".dist-info", ".egg-info")):
                name, _, version = entry.rsplit(".", 1)[0].partition("-")
                key = _normal(name)
                if key in wanted and wanted[key] not in found and version:
                    found[wanted[key]] = version.split("-")[0]
    return found


def _normal(name: str) -> str:
    """A distribution's name as installers normalise it (PEP 503): ``Markdown_It.py`` is ``markdown-it-py``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def files_digest(folder: Path) -> str:
    """A digest of every file below ``folder`` (a theme): names and bytes."""
    h = hashlib.blake2b(digest_size=20)
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@dataclass
class PageHit:
    """A page file of the store: its size and mtime when stored (a file changed in place is not reused)."""

    size: int
    mtime: int
    entry: list[str] | None  # its search entry (None: search was off)


@dataclass
class Reuse:
    """The results of the last good build (``values``, ``pages``) and those this build used or made (``kept_*``).

    ``Reuse()`` (no folder) reuses and keeps nothing: the same code as a warm
    build, with nothing found. ``open`` gives the store of a plan's folder.
    """

    folder: Path | None = None
    namespace: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    pages: dict[str, PageHit] = field(default_factory=dict)
    kept_values: dict[str, Any] = field(default_factory=dict)
    kept_pages: dict[str, PageHit] = field(default_factory=dict)
    # the table rows' HTML of the pages of the last build (``render.page.Fragments``), with the salt of
    # its pages' keys (the theme, the settings…): the pieces are reused under the same salt only
    pieces: tuple[str, dict[Any, Any]] = ("", {})
    # the site the last build swapped in, and the spare (the one before it): each one's output id and files
    built: tuple[str, dict[str, str]] | None = None
    spare: tuple[str, dict[str, str]] | None = None
    made: int = 0  # results made (not found) in this build: the tests and the benchmark read it
    lock: int | None = None
    memory: bool = False  # kept in memory from one build to the next (the live preview), never on disk
    _packed: bytes | None = field(default=None, repr=False)  # the delta's values pickled ahead (``pack_values``)
    # the base of the pack as read: its id, its values, its rows (a build writes only what differs from it)
    _base: tuple[str, dict[str, Any], tuple[str, dict[Any, Any]]] = field(default=("", {}, ("", {})), repr=False)

    @classmethod
    def in_memory(cls) -> Reuse:
        """A store that lives as long as this process: the live preview's, from one save to the next.

        A result found is the very object the last build made, so the
        preview's later reuse checks are identity tests.
        """
        return cls(memory=True)

    @classmethod
    def open(cls, folder: Path, root: Path, warn: Callable[[Msg], None]) -> Reuse:
        """The store in ``folder``, or an empty one that keeps nothing if it may not be used (``warn`` says why)."""
        problem = _untrusted(folder, root)
        if problem:
            warn(msg("cache_refused", folder=folder, reason=msg(problem)))
            return cls()
        try:
            folder.mkdir(exist_ok=True)
            (folder / PAGES).mkdir(exist_ok=True)
            for name, text in ((".gitignore", "# made by pacsite: safe to delete\n*\n"),
                               (TAG, "Signature: 8a477f597d28d172789f06886806bc55\n"
                                                "# pacsite's cache of rendered pages: safe to delete\n")):
                if not (folder / name).exists():
                    (folder / name).write_text(text)
            lock = os.open(folder / "lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            warn(msg("cache_refused", folder=folder, reason=msg("cache_unwritable", reason=exc.strerror or str(exc))))
            return cls()
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another build uses it: this one builds without it, rather than wait
            os.close(lock)
            return cls()
        store = cls(folder, code_namespace(), lock=lock)
        gc.disable()  # a million objects unpickled, none of them garbage: a collection pass on each
        try:  # thousand made scans them all again (a third of the read at 1 500 phases)
            store._read_pack()
        finally:
            gc.enable()
        if store.values:
            # a million objects that live as long as the build: out of the collector's sight while the
            # plan is read and laid out, or each full pass scans them (0 to 100 ms, at random, at 1 500
            # phases); the page workers' fork thaws them (``load.processes``), and so does ``close``
            gc.freeze()
        return store

    def _read_pack(self) -> None:
        """Read the base (``PACK``: its head, its values, its rows) and the delta on it (``DELTA``); a delta
        made on another base (a build killed between the two writes) is left out, and its pages with it."""
        assert self.folder is not None
        try:
            with open(self.folder / PACK, "rb") as stream:
                head = pickle.load(stream)
                if not (isinstance(head, dict) and head.get("namespace") == self.namespace):
                    return
                values, salt, rows = read_dict(stream), pickle.load(stream), read_dict(stream)
            self._base = (head["id"], values, (salt, rows))
            self.values, self.pieces = values, (salt, rows)
            with open(self.folder / DELTA, "rb") as stream:
                delta = pickle.load(stream)
                if not (isinstance(delta, dict) and delta.get("namespace") == self.namespace
                        and delta.get("base") == head["id"]):
                    return
                added = read_dict(stream)
            gone = set(delta["gone"])
            self.values = {**values, **added}
            self.pieces = (salt, {**{k: v for k, v in rows.items() if k not in gone}, **delta["pieces"]})
            self.pages, self.built, self.spare = delta["pages"], delta.get("built"), delta.get("spare")
        except FileNotFoundError:
            pass  # the first build, or a delta lost: what was read stands
        except Exception:  # noqa: BLE001 - a pack that cannot be read is an empty one: everything is made again
            self.values, self.pages, self.pieces, self._base = {}, {}, ("", {}), ("", {}, ("", {}))

    @property
    def active(self) -> bool:
        """Whether results are kept for the next build (a folder was opened, or in memory)."""
        return self.folder is not None or self.memory

    @property
    def warm(self) -> bool:
        """Whether the last build left anything to reuse."""
        return bool(self.values or self.pages)

    def key(self, *parts: Any) -> str:
        """The key of a result made from ``parts`` by this code."""
        return digest(self.namespace, *parts)

    def page_key(self, salt: str, page: Any, figures: str | None) -> str:
        """The key of a page: its own key if the stage that made it gave one (else a digest of its whole view),
        and ``figures`` (the figures' key, for a page that shows the plan's totals)."""
        if page.key:  # strings only: hashed as they are, 1 µs rather than a pickle's 6 (1 500 pages a save)
            return string_key("page", self.namespace, salt, page.key, figures or "")
        return digest(self.namespace, salt, page, figures)

    def call(self, stage: Callable[..., T], *inputs: Any, attribute: str = "digest", disk: bool = True) -> T:
        """``stage(*inputs)``, or its result for the same inputs stored by the last build.

        The key is the stage's name and a digest of its inputs (``Keyed``
        values by their ``attribute``: ``digest_without_body`` for a stage
        that never reads a text). A stage called this way must read nothing
        but its inputs: it is a pure function. Without ``disk``, the result is
        kept in memory only (the live preview): one that takes longer to read
        back from the pack than to make again (a family's pages: 1.3 MB of
        small objects, against 12 ms of work).
        """
        if not (disk or self.memory):  # nothing is kept: no key to make
            return stage(*inputs)
        return self.keyed(stage, *inputs, attribute=attribute, disk=disk)[1]

    def each(self, stage: Callable[[Any], T], inputs: Iterable[Any]) -> list[T]:
        """``call(stage, x)`` for each of ``inputs``, keyed values (a phase file each): their keys follow one
        prefix, the stage's, rather than each being hashed with it (1 500 a save at 1 500 phases)."""
        if not self.active:
            return [stage(x) for x in inputs]
        prefix = self.key_of(stage)
        return [self.remember(prefix + x.digest, partial(stage, x)) if x.digest else self.call(stage, x)
                for x in inputs]

    def keyed(self, stage: Callable[..., T], *inputs: Any, attribute: str = "digest",
              disk: bool = True) -> tuple[str, T]:
        """``call``, and the key of the result ("" when nothing is kept): a page made this way is
        rendered again only when it is new (``page_key``)."""
        if not self.active:
            return "", stage(*inputs)
        key = self.key_of(stage, *inputs, attribute=attribute)
        return key, self.remember(key, partial(stage, *inputs), disk)

    def key_of(self, stage: Callable[..., Any], *inputs: Any, attribute: str = "digest") -> str:
        """The key ``call`` files ``stage(*inputs)`` under: its name and a digest of its inputs (inputs that all
        carry their key: those keys hashed as strings, 1 µs rather than a pickle's 5, a phase file each)."""
        own = [str(getattr(x, attribute, None) or x.digest) if isinstance(x, Keyed) else "" for x in inputs]
        if all(own):
            return string_key("call", self.namespace, stage.__module__, stage.__qualname__, *own)
        named = tuple(_keys_of(x, attribute) for x in inputs)
        return digest_by_keys((self.namespace, stage.__module__, stage.__qualname__, named), attribute)

    def remember(self, key: str, make: Callable[[], T], disk: bool = True) -> T:
        """The result stored under ``key``, else ``make()``, stored for the next build. Never change it:
        it is the object the pack will hold. Without ``disk``, kept in memory only (``call``)."""
        if not (disk or self.memory):
            return make()
        if key in self.kept_values:  # asked twice, or made by a build that failed since the last good one
            value: T = self.kept_values[key]
        elif key in self.values:
            value = self.values[key]
        else:
            self.made += 1
            value = make()
        if self.active:
            if self._packed is not None and key not in self.kept_values:
                self._packed = None  # stored after ``pack_values``: the pack is pickled again
            self.kept_values[key] = value
        return value

    def pieces_for(self, salt: str) -> dict[Any, Any]:
        """The table rows' HTML the last build kept, if its pages' salt is ``salt`` (else none: a new theme…)."""
        return dict(self.pieces[1]) if self.active and self.pieces[0] == salt else {}

    def page_file(self, key: str) -> Path | None:
        """The stored page for ``key``, if it is there as it was stored."""
        return None if self.page_stat(key) is None else self.folder / PAGES / key  # type: ignore[operator]

    def page_stat(self, key: str) -> os.stat_result | None:
        """The ``lstat`` of the stored page for ``key``, if it is there as it was stored (else None)."""
        hit = self.pages.get(key)
        if hit is None or self.folder is None:
            return None
        try:
            info = os.lstat(f"{self.folder}/{PAGES}/{key}")  # a key is hex: no separator, nothing to escape
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or info.st_size != hit.size or info.st_mtime_ns != hit.mtime:
            return None  # changed since (written in place through the output's hard link): not trusted
        return info

    def keep_page(self, key: str, staged: Path, entry: list[str] | None) -> tuple[str, PageHit] | None:
        """Store the page just written at ``staged`` under ``key`` (a hard link; a copy across file systems)."""
        if self.folder is None:
            return None
        final = self.folder / PAGES / key
        try:
            try:
                os.link(staged, final)
            except FileExistsError:  # left by a build that failed, or changed since: replaced
                temporary = final.with_name(f".{key}.{os.getpid()}")
                os.link(staged, temporary)
                os.replace(temporary, final)
            except OSError:  # another file system: a copy, renamed in place
                temporary = final.with_name(f".{key}.{os.getpid()}")
                temporary.write_bytes(staged.read_bytes())
                os.replace(temporary, final)
            info = final.stat()
        except OSError:
            return None
        return key, PageHit(info.st_size, info.st_mtime_ns, entry)

    def save(self, made_pages: Iterable[tuple[str, PageHit]] = (), reused_pages: Iterable[str] = (),
             pieces: tuple[str, dict[Any, Any]] = ("", {}),
             site: tuple[str | None, str | None, dict[str, str]] | None = None) -> None:
        """After a good build: write the pack of what it used and made, and drop the pages it did not use.

        ``pieces``: the table rows' HTML of its pages, with their salt.
        ``site``: the output id of the site it swapped in, the one of the
        site it swapped out and kept as the spare, and what its site holds
        (path -> page key): the spare is the last build's site, if it is the
        one that build recorded. In memory: what this build used and made is
        what the next one finds.
        """
        if self.memory:
            self.values, self.kept_values = self.kept_values, {}
            return
        if self.folder is None:
            return
        self.kept_pages.update((key, self.pages[key]) for key in reused_pages)
        self.kept_pages.update(made_pages)
        base_id, _, (base_salt, base_rows) = self._base
        values: Any = self._packed if self._packed is not None else self._delta_values()
        salt, rows = pieces
        new_rows = {name: html for name, html in rows.items() if base_rows.get(name) != html}
        gone = [name for name in base_rows if name not in rows]
        rebase = values is None or salt != base_salt or 4 * (len(new_rows) + len(gone)) > len(rows) + 64
        try:
            if rebase:  # a new base, every value and row in it, pickled straight to the file (20 MB less
                # held at 1 500 phases); the delta on it holds only the pages
                base_id, new_rows, gone = secrets.token_hex(8), {}, []
                _write(self.folder / PACK, {"namespace": self.namespace, "id": base_id}, _Dict(self.kept_values),
                       pieces[0], _Dict(pieces[1]))
                values = _Dict({})
            built, kept, listing = site or (None, None, {})
            spare = (kept, self.built[1]) if kept and self.built and self.built[0] == kept else None
            delta = {"namespace": self.namespace, "base": base_id, "pages": self.kept_pages, "gone": gone,
                     "pieces": new_rows, "built": (built, listing) if built else None, "spare": spare}
            _write(self.folder / DELTA, delta, values)  # its head, then its values (``pack_values``)
            with os.scandir(self.folder / PAGES) as entries:
                for entry in entries:
                    if entry.name not in self.kept_pages:
                        os.unlink(entry.path)
        except OSError:
            pass  # a full disk: the next build finds less, or nothing

    def pack_values(self) -> None:
        """Pickle the delta's values now, while the page workers render: ``save`` writes these bytes unless
        a value is stored after this. A new base is pickled by ``save``, straight into its file."""
        if self.folder is not None:
            self._packed = self._delta_values()

    def _delta_values(self) -> bytes | None:
        """The values the base lacks, pickled (the few a one-phase edit makes); None when the pack gets a new
        base instead: there is none yet, the delta would be a quarter of it, or half of the base's values are
        no longer used (their key's inputs are gone)."""
        base = self._base[1]
        new = {key: value for key, value in self.kept_values.items() if key not in base}
        unused = len(base) - (len(self.kept_values) - len(new))
        if not self._base[0] or 4 * len(new) > len(self.kept_values) + 64 or 2 * unused > len(self.kept_values):
            return None
        return _pickled(_Dict(new))

    def clear(self) -> None:
        """Forget everything found and kept (the live preview: settings, templates or people changed)."""
        self.values, self.kept_values = {}, {}

    def close(self) -> None:
        """Let other builds use the folder."""
        if self.lock is not None:
            os.close(self.lock)
            self.lock = None
            gc.unfreeze()


def _write(path: Path, *parts: Any) -> None:
    """Write ``parts`` (pickled already as bytes, or values to pickle as they are written) as the file ``path``,
    one pickle after the other, whole or not at all (a temporary file, then a rename)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        with open(temporary, "wb") as stream:
            for part in parts:
                if isinstance(part, bytes):
                    stream.write(part)
                else:
                    _pickle_into(stream, part)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@dataclass(frozen=True)
class _Dict:
    """A dict to pickle in chunks (``_pickle_into``), read back by ``read_dict``."""

    items: dict[Any, Any]


CHUNK = 32  # entries a pickle: a memo of a few thousand objects, and the classes looked up once per chunk


def _pickled(value: Any) -> bytes:
    """``value`` pickled as the pack holds it (``_pickle_into``)."""
    buffer = io.BytesIO()
    _pickle_into(buffer, value)
    return buffer.getvalue()


def _pickle_into(stream: IO[bytes], value: Any) -> None:
    """Pickle ``value`` into ``stream``; a ``_Dict`` as its number of chunks, then each chunk of ``CHUNK``
    entries a pickle of its own.

    One pickle of the whole pack would need the memo of all its objects (a
    million at 15 000 phases, ~70 MB while it writes); one without memo (the
    pickler's ``fast``) writes each field name and class again for every
    object, and reads 1.6× slower (69 ms against 43 for the values at 1 500
    phases). A memo per chunk has both: small, and shared by the 32 phases
    of a chunk.
    """
    if not isinstance(value, _Dict):
        pickle.Pickler(stream, 5).dump(value)
        return
    items = list(value.items.items())
    chunks = [items[start:start + CHUNK] for start in range(0, len(items), CHUNK)]
    pickle.Pickler(stream, 5).dump(len(chunks))
    for chunk in chunks:
        pickle.Pickler(stream, 5).dump(chunk)


def read_dict(stream: IO[bytes]) -> dict[Any, Any]:
    """A dict written by ``_pickle_into``; ValueError if the stream holds something else."""
    count = pickle.load(stream)
    if not isinstance(count, int):
        raise ValueError("not a pack")
    found: dict[Any, Any] = {}
    for _ in range(count):
        found.update(pickle.load(stream))
    return found


def _untrusted(folder: Path, root: Path) -> str | None:
    """Why the store in ``folder`` may not be used (a message code), or None.

    Its pages go into the site as they are: a folder someone else could
    have filled is not read. That is a link (to anywhere), a folder of
    another user, or files tracked by git (checked out from a commit,
    perhaps a pull request's).
    """
    if folder.is_symlink():
        return "cache_link"
    if folder.exists():
        if not folder.is_dir():
            return "cache_not_folder"
        if hasattr(os, "getuid") and folder.stat().st_uid != os.getuid():
            return "cache_other_user"
        if not (folder / TAG).is_file() and any(folder.iterdir()):
            return "cache_not_ours"  # `--cache .`: its .gitignore would hide the plan, its pruning could delete
    from pacsite import git

    try:
        tracked = git.output(root, "ls-files", "-z", "--", str(folder.resolve()))
    except OSError:
        tracked = None
    if tracked:
        return "cache_tracked"
    return None
