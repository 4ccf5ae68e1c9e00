"""Allow ``python -m pacsite``."""

from pacsite.cli import main

raise SystemExit(main())
