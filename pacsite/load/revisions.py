"""The plan as it was at a git revision, read from git's objects: the working tree is never touched.

``pacsite diff`` compares two of these. A revision is written into a
temporary folder (``git archive`` of the plan's ``pacsite.yaml`` and
``content/``, extracted with tarfile's ``data`` filter: no link or device
can point out of it) and loaded like any plan, so a revision with content
errors still gives what it can, with its errors.
"""

from __future__ import annotations

import io
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pacsite import git
from pacsite.errors import UsageError
from pacsite.messages import msg


def repository(root: Path) -> tuple[Path, str]:
    """Return the repository's top folder and the plan folder's path in it ('' or 'a/b/')."""
    done = git.run(root, "rev-parse", "--show-toplevel", "--show-prefix")
    if done.returncode != 0:
        raise UsageError(msg("not_a_repository", folder=root))
    top, _, prefix = done.stdout.decode("utf-8", "replace").partition("\n")
    return Path(top.strip()), prefix.strip()


def resolve(root: Path, revision: str) -> str:
    """Return the commit a revision names (a branch, a tag, HEAD~2, a hash); a usage error if none."""
    if revision.startswith("-"):
        raise UsageError(msg("not_a_revision", revision=revision))
    done = git.run(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if done.returncode != 0:
        raise UsageError(msg("unknown_revision", revision=revision))
    return done.stdout.decode().strip()


def _inside(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """tarfile's ``data`` filter, skipping what it refuses (a link out of the plan) rather than stopping."""
    try:
        return tarfile.data_filter(member, dest)
    except tarfile.FilterError:
        return None


@contextmanager
def checked_out(root: Path, commit: str) -> Iterator[Path]:
    """Yield a temporary plan folder holding the plan as it was at ``commit`` (removed afterwards)."""
    top, prefix = repository(root)
    wanted = [f"{prefix}pacsite.yaml", f"{prefix}content"]
    listed = git.run(top, "ls-tree", "-z", "--name-only", commit, "--", *wanted)
    present = [p for p in listed.stdout.decode("utf-8", "replace").split("\0") if p in wanted]
    with tempfile.TemporaryDirectory(prefix="pacsite-rev-") as tmp:
        folder = Path(tmp) / "plan"
        folder.mkdir()
        if present:
            archive = git.run(top, "archive", "--format=tar", commit, "--", *present)
            if archive.returncode != 0:
                message = archive.stderr.decode("utf-8", "replace").strip().splitlines()
                raise UsageError(msg("revision_unreadable", commit=commit[:12],
                                     reason=message[-1] if message else "git archive"))
            with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
                tar.extractall(Path(tmp) / "tree", filter=_inside)
            tree = Path(tmp) / "tree" / prefix
            for name in ("pacsite.yaml", "content"):
                if (tree / name).exists():
                    (tree / name).rename(folder / name)
        yield folder
