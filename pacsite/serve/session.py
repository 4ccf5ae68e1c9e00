"""What a serve session keeps between builds: the files read, the results made, the folder written.

A rebuild after one saved file must cost about one file. The files parsed
and folders listed are kept by stamp (``load.stamps.Stamped``); every
result of the stages by the key of its inputs, in the reuse layer kept in
memory (``reuse``, as ``pacsite build`` keeps it on disk); the table rows'
HTML by their content key (``fragments``). Nothing here is global: a
``Session`` lives in one ``serve`` (or ``build --watch``) and is passed
down explicitly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pacsite.load.stamps import Stamped
from pacsite.reuse import Reuse


class Session(Stamped):
    """Parsed files and listings by stamp, the results of the last builds by key, and the output as written."""

    def __init__(self) -> None:
        super().__init__()
        self.reuse = Reuse.in_memory()  # every stage's results, by the key of their inputs
        self.later: list[Callable[[], None]] = []  # work the live preview does once the pages are written
        self.rendered = 0  # pages rendered since the session began (the report says how many a save did)
        self._environment: tuple[Any, Any] | None = None
        # the table rows' HTML (render.page.Fragments), by page and content key
        self.fragments: dict[tuple[Any, ...], tuple[tuple[Any, ...] | None, str]] = {}
        # what the output folder holds, as last written: path -> bytes, or a copied file's stamp;
        # None until a whole build has been swapped in
        self.written: dict[str, Any] | None = None
        # the build id written into the output's marker with ``written``: another id there means
        # another process (pacsite build) wrote the folder since, and ``written`` is not its content
        self.output_id: str | None = None
        self.last: Any = None  # the last good build (serve.preview.Preview): the theme it used is the one watched

    def environment(self, settings: Any, make: Callable[[Any], Any]) -> Any:
        """Return the Jinja environment for ``settings`` (``make`` makes it), made once: templates compile once."""
        if self._environment is None or self._environment[0] != settings:
            self._environment = (settings, make(settings))
        return self._environment[1]

    def sweep(self) -> None:
        """After a good build: keep what it used and made for the next one (and do what waited for the pages)."""
        self.reuse.save()
        later, self.later = self.later, []
        for job in later:
            job()

    def reset(self) -> None:
        """Forget everything derived: templates, settings or people changed."""
        self.reuse.clear()
        self._environment = None
        self.fragments.clear()
        self.last = None
        self.clear_listings()
