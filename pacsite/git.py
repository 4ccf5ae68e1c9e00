"""The one way pacsite runs git: a time limit, never a prompt, errors in the reader's language.

Two callers' needs: ``run`` for commands that must succeed (``pacsite
diff``: a missing git or a hung one is a usage error), ``output`` for what
is optional (the pages' history: any failure means no history). Paths in
git's answers are read with ``-z`` by the callers, so git never quotes
them (``core.quotepath`` quotes accented names otherwise; ``-z`` also
keeps tabs and newlines in names as they are). A revision the user typed
goes after ``--end-of-options`` so that it is never read as an option.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from pacsite.errors import UsageError
from pacsite.messages import msg

TIMEOUT = 120  # seconds; the message git_too_long says "2 minutes"


def _env() -> dict[str, str]:
    # no prompt for a password or a host key (a command reading a remote would hang the build), and no
    # optional lock taken on the index: the preview reads git while the author commits
    return {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}


def run(cwd: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``git args`` in ``cwd`` and return what it did; a usage error when git is missing or hangs."""
    try:
        return subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, check=False,
                              timeout=TIMEOUT, env=_env())
    except FileNotFoundError:
        raise UsageError(msg("git_missing")) from None
    except subprocess.TimeoutExpired:
        raise UsageError(msg("git_too_long", command=args[0])) from None


def output(cwd: Path, *args: str, data: bytes | None = None) -> bytes | None:
    """Return git's output, or None when it fails, is missing or hangs (for what is optional)."""
    try:
        done = run(cwd, *args, data=data)
    except (UsageError, OSError):
        return None
    return done.stdout if done.returncode == 0 else None
