"""Write the site into a staging folder, then swap it in whole.

A failed or interrupted build leaves the previous output byte-identical
(MkDocs and Zola empty the output first; we never do). On Linux the swap is
one ``renameat2(RENAME_EXCHANGE)`` call: there is no instant without a site.
A lock file keeps two builds into the same folder from interleaving.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import secrets
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pacsite.errors import PacsiteError
from pacsite.messages import msg, printable, quote

MARKER = ".pacsite-output"
_MARKER_TEXT = "made by pacsite; this folder is replaced by each build\n"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
LOCK_NOTICE = 1.0  # seconds a build waits for another before saying so
LOCK_POLL = 0.05  # seconds between tries: flock has no timeout of its own


def check_output_dir(out: Path, root: Path) -> None:
    """Refuse an output folder that would swallow the plan or someone's files."""
    out, root = out.resolve(), root.resolve()
    if out == root or root.is_relative_to(out):
        raise PacsiteError(msg("output_is_plan", out=out))
    for name in ("content", "static", "templates"):
        if out.is_relative_to(root / name):
            raise PacsiteError(msg("output_in_plan", out=out, name=name))
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise PacsiteError(msg("output_foreign", out=out))


def output_id(out: Path) -> str | None:
    """Which write of the output folder this is: its marker file's identity (inode, time, size), or None.

    Every build writes the marker anew (a new file renamed in place), so
    another process's build changes it; its bytes stay the same, so two
    builds of one plan give the same folder, byte for byte.
    """
    try:
        info = (out / MARKER).stat()
    except OSError:
        return None
    return f"{info.st_dev}:{info.st_ino}:{info.st_mtime_ns}:{info.st_size}"


def mark_output(out: Path) -> str | None:
    """Write the marker anew into an output updated in place; return its identity (``output_id``)."""
    _replace(out / MARKER, data=_MARKER_TEXT.encode())
    return output_id(out)


def inside(base: Path, rel: str) -> Path:
    """Return ``base / rel``, refusing a path that would leave ``base`` (``..``, absolute, empty parts).

    Names are checked when a plan is loaded (``fields.slug_and_order``);
    this is the second line of defence, in the one place that writes and
    deletes: a slip there must not overwrite or delete a file outside the
    output. A plain string check: it runs for every page of a large site.
    """
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\0" in rel or any(p in ("", ".", "..") for p in parts):
        raise PacsiteError(msg("output_path_outside", path=quote(printable(rel)), out=base))
    return base / rel


def _inside_resolved(base: Path, rel: str) -> Path:
    """``inside``, and the folder it lands in, links resolved, is inside ``base`` (a folder kept between builds)."""
    target = inside(base, rel)
    if not target.parent.resolve().is_relative_to(base.resolve()):
        raise PacsiteError(msg("output_path_outside", path=quote(rel), out=base))
    return target


@contextmanager
def build_lock(out: Path, language: str = "fr") -> Iterator[int]:
    """Hold an exclusive lock beside the output, waiting for a running build; yield its descriptor.

    ``flock``: the kernel releases it when every process holding it has
    ended, so a killed build never leaves it behind by itself (its workers
    close it, see ``Shares``). The holder's pid is written in the file, so
    a build that waits names the one it waits for (after a second: short
    waits are normal), and one that finds the pid of a build that stopped
    before releasing it says so.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    with open(lock_path, "a+") as handle:
        if not _try_lock(handle):
            _wait_for_lock(handle, lock_path, out, language)
        before = _recorded_pid(handle)
        if before and before != os.getpid() and not _running(before):
            print(msg("lock_taken_over", pid=before, out=out).text(language), file=sys.stderr)
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")  # "a+" writes at the end, here the start
        handle.flush()
        try:
            yield handle.fileno()
        finally:
            handle.truncate(0)  # released by its holder: no pid left to be taken for a stopped build
            fcntl.flock(handle, fcntl.LOCK_UN)


def _try_lock(handle: IO[str]) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _wait_for_lock(handle: IO[str], lock_path: Path, out: Path, language: str) -> None:
    """Wait for the lock; after a second, say in one line who holds it (not for this process's own threads)."""
    started = time.monotonic()
    told = False
    while not _try_lock(handle):
        if not told and time.monotonic() - started >= LOCK_NOTICE:
            told = True
            holder = _recorded_pid(handle)
            if holder == os.getpid():
                pass  # the live preview's own build: nothing to tell
            elif holder and _running(holder):
                print(msg("lock_waiting", pid=holder, out=out).text(language), file=sys.stderr)
            elif others := _holders(lock_path):
                print(msg("lock_waiting_leftovers", pids=", ".join(map(str, others)), out=out).text(language),
                      file=sys.stderr)
            else:
                print(msg("lock_waiting_unknown", out=out).text(language), file=sys.stderr)
        time.sleep(LOCK_POLL)


def _recorded_pid(handle: IO[str]) -> int:
    """The pid the lock's holder wrote in it; 0 when none (released, or not written yet)."""
    handle.seek(0)
    text = handle.read(32).strip()
    return int(text) if text.isdecimal() and len(text) < 10 else 0


def _running(pid: int) -> bool:
    """Whether ``pid`` is a running process (one of another user's counts too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holders(lock_path: Path) -> list[int]:
    """The processes with the lock file open, where /proc tells (Linux); at most a few, in pid order."""
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    target = str(lock_path.resolve())
    found: list[int] = []
    for entry in proc.iterdir():
        if not entry.name.isdecimal() or int(entry.name) == os.getpid():
            continue
        try:
            if any(os.readlink(fd) == target for fd in (entry / "fd").iterdir()):
                found.append(int(entry.name))
        except OSError:  # another user's process, or gone
            continue
    return sorted(found)[:10]


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    func = getattr(libc, "renameat2", None)
    if func is None:
        return False
    result = func(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result != 0:
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            return False
        raise OSError(code, os.strerror(code), str(b))
    return True


@dataclass
class Recycle:
    """The site before the last, kept in the store (``spare``) to be patched into the next build's site.

    A build swaps the previous site out of the output folder: ``pacsite
    build`` with a store keeps it there rather than delete it, and the next
    build renames it to its staging folder and changes only what differs
    (at 1 500 phases, after a one-phase edit: a dozen pages, where a staging
    folder made anew is 1 554 folders and hard links). The store records
    what the spare holds: the identity of its marker and its files (path ->
    page key, "" for the others); a spare that is not that one is not used.
    The live output is never written in place: a build killed while it
    patches leaves a staging folder, removed by the next build.
    """

    spare: Path
    expected: tuple[str, dict[str, str]] | None  # the spare as the store recorded it (its output id, its files)
    pages: set[str] = field(default_factory=set)  # the pages of this build (the caller's)
    present: dict[str, str] = field(default_factory=dict)  # what the staging folder holds already (the spare's)
    built: str | None = None  # the identity of the site this build swapped in (``output_id``)
    kept: str | None = None  # the identity of the site it swapped out, kept as the spare


def write_site(out: Path, files: dict[str, bytes], copies: dict[str, Path],
               finish: Callable[[Path], None] | None = None,
               produce: Callable[[Path, dict[str, str]], tuple[int, dict[str, bytes]]] | None = None,
               recycle: Recycle | None = None) -> int:
    """Write ``files`` (path -> bytes) and ``copies`` (path -> source file); swap in.

    ``produce`` writes files into the staging folder itself (the pages of a
    clean build, rendered on every core) and returns how many, and more files to write;
    it is told what the staging folder holds already (``Recycle.present``).
    ``finish`` runs on the staging folder before the swap (the search index).
    The marker is a new file each time: the live preview patches only a
    folder whose marker is still the one it wrote (``output_id``).
    Return the number of files written. The caller holds ``build_lock``.
    """
    out = out.resolve()
    for pattern in (f".{out.name}.tmp-*", f".{out.name}.old-*"):  # left by a killed build
        for stale in out.parent.glob(pattern):
            shutil.rmtree(stale, ignore_errors=True)
    staging = _recycled(out, recycle) if recycle is not None else None
    if staging is None:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    present = recycle.present if recycle is not None else {}
    produced = 0
    try:
        if produce is not None:
            produced, more = produce(staging, present)
            files = {**files, **more}
        for rel, data in files.items():
            target = _fresh(staging, rel, rel in present)
            target.write_bytes(data)
        for rel, source in copies.items():
            target = _fresh(staging, rel, rel in present)
            shutil.copyfile(source, target)
        if present and recycle is not None:  # the spare's files this site has not: gone
            for rel in present.keys() - files.keys() - copies.keys() - recycle.pages:
                _remove(staging, inside(staging, rel))
        if finish is not None:
            finish(staging)
        (staging / MARKER).unlink(missing_ok=True)
        (staging / MARKER).write_text(_MARKER_TEXT)
        os.chmod(staging, 0o755)
        if out.exists():
            if _exchange(staging, out):
                if recycle is None or not _keep(staging, recycle):
                    _remove_later(staging)  # now the previous site
            else:  # pragma: no cover - non-Linux fallback: a tiny window
                old = out.with_name(f".{out.name}.old-{os.getpid()}")
                os.rename(out, old)
                os.rename(staging, out)
                shutil.rmtree(old)
        else:
            os.rename(staging, out)
        if recycle is not None:
            recycle.built = output_id(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return produced + len(files) + len(copies)


SEARCH_FOLDER = "pagefind"  # made by the search indexer (``finish``) in the staging folder: never a spare's


def _recycled(out: Path, recycle: Recycle) -> Path | None:
    """The spare renamed to a staging folder, if it is the one the store recorded (else it is removed)."""
    spare = recycle.spare
    try:
        info = spare.lstat()
    except OSError:
        return None
    expected = recycle.expected
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or expected is None \
            or output_id(spare) != expected[0]:
        shutil.rmtree(spare, ignore_errors=True) if stat.S_ISDIR(info.st_mode) else spare.unlink(missing_ok=True)
        return None
    staging = out.with_name(f".{out.name}.tmp-{secrets.token_hex(4)}")
    try:
        os.rename(spare, staging)
    except OSError:  # another file system: made anew
        return None
    shutil.rmtree(staging / SEARCH_FOLDER, ignore_errors=True)
    recycle.present = dict(expected[1])
    return staging


def _fresh(staging: Path, rel: str, present: bool) -> Path:
    """Where to write ``rel`` in the staging folder: its folder made, or the spare's file taken away first
    (a page of the spare is a hard link to the store's copy: written into, it would change that too)."""
    target = inside(staging, rel)
    if present:
        target.unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)  # a few dozen files (the downloads, the static files)
    return target


def _remove(base: Path, gone: Path) -> None:
    """Remove the file ``gone`` of the site in ``base``, and the folders it leaves empty."""
    gone.unlink(missing_ok=True)
    parent = gone.parent
    while parent != base and parent.is_relative_to(base) and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def _keep(previous: Path, recycle: Recycle) -> bool:
    """Keep the site just swapped out as the spare; False when it cannot be (the store on another disk)."""
    try:
        if recycle.spare.exists():
            shutil.rmtree(recycle.spare)
        os.rename(previous, recycle.spare)
    except OSError:
        return False
    recycle.kept = output_id(recycle.spare)
    return True


def _remove_later(path: Path) -> None:
    """Delete a replaced site without waiting for it: the new one is already in place.

    Removing 15 000 pages takes seconds that are not part of making the site.
    The folder is renamed out of the way first (``.old-``), then ``rm -rf`` runs
    in the background in its own session; a build that finds an ``.old-``
    folder (the machine stopped) removes it first. Without a POSIX shell, it
    is deleted here.
    """
    old = path.with_name(path.name.replace(".tmp-", ".old-", 1))
    try:
        os.rename(path, old)
    except OSError:
        shutil.rmtree(path, ignore_errors=True)
        return
    shell = shutil.which("sh")
    if shell is None or not hasattr(os, "posix_spawn"):
        shutil.rmtree(old, ignore_errors=True)
        return
    try:  # the shell starts rm in the background and ends at once: rm is nobody's child to wait for
        pid = os.posix_spawn(shell, [shell, "-c", 'rm -rf -- "$1" >/dev/null 2>&1 &', "sh", str(old)],
                             dict(os.environ), setsid=True)
        os.waitpid(pid, 0)
    except OSError:
        shutil.rmtree(old, ignore_errors=True)


def update_site(out: Path, files: dict[str, bytes], copies: dict[str, Path], written: dict[str, Any]) -> list[str]:
    """Bring the output from ``written`` (what it holds) to this build: changed files only.

    For the live preview, where swapping a copy of the whole site after each
    keystroke would cost more than the build. Each file is replaced whole
    (temporary file, then rename), so a page is never served half-written;
    a browser may see a new page beside an old one for a few milliseconds.
    ``written`` is updated as files land. Return the paths that changed.
    The caller holds ``build_lock`` and has checked the folder's marker
    is the one it wrote last (``output_id``).
    """
    changed: list[str] = []
    for rel, data in files.items():
        before = written.get(rel)
        if before is data or before == data:
            continue
        _replace(_inside_resolved(out, rel), data=data)
        written[rel] = data
        changed.append(rel)
    for rel, source in copies.items():
        stamp = file_stamp(source)
        if written.get(rel) == stamp:
            continue
        _replace(_inside_resolved(out, rel), source=source)
        written[rel] = stamp
        changed.append(rel)
    for rel in [r for r in written if r not in files and r not in copies]:
        _remove(out, _inside_resolved(out, rel))
        del written[rel]
        changed.append(rel)
    return changed


def file_stamp(source: Path) -> tuple[str, int, int, int]:
    """Return what tells a copied file changed: its path, mtime, size and inode."""
    info = source.stat()
    return (str(source), info.st_mtime_ns, info.st_size, info.st_ino)


def _replace(target: Path, data: bytes | None = None, source: Path | None = None) -> None:
    """Replace one file atomically: a temporary file beside it (made readable by all, as a site's files are;
    three system calls and a write, a save rewrites a dozen pages), then a rename."""
    temporary = target.with_name(f".pacsite-{os.getpid()}-{secrets.token_hex(6)}")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    except FileNotFoundError:  # a new folder
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    try:
        with os.fdopen(handle, "wb") as stream:
            if data is not None:
                stream.write(data)
            elif source is not None:
                with open(source, "rb") as original:
                    shutil.copyfileobj(original, stream)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_file(out: Path, rel: str, data: bytes, written: dict[str, Any]) -> bool:
    """Replace one file of the output if its bytes changed; tell whether it did."""
    before = written.get(rel)
    if before is data or before == data:
        return False
    _replace(_inside_resolved(out, rel), data=data)
    written[rel] = data
    return True
