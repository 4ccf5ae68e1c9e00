"""Field vocabulary: key normalisation, French aliases, and value parsers.

Every scalar reaches us as the text the user typed (see ``frontmatter``);
these parsers turn it into exact values (``Decimal`` money, ``date``) and
raise ``ValueError`` with a message that says what was expected and found.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\u2007")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_FR_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_CURRENCY_MARK = re.compile(r"^(?:[€$£]|[A-Za-z]{3}(?![\d.,]*[A-Za-z]))|(?:[€$£]|(?<![A-Za-z])[A-Za-z]{3})$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

STATUSES = ("planned", "in_progress", "done", "cancelled")
DIRECTIONS = ("increase", "decrease")

STATUS_ALIASES = {
    "planned": "planned", "prevu": "planned", "planifie": "planned", "a_faire": "planned",
    "todo": "planned",
    "in_progress": "in_progress", "en_cours": "in_progress", "started": "in_progress",
    "done": "done", "termine": "done", "fait": "done", "realise": "done", "fini": "done",
    "cancelled": "cancelled", "canceled": "cancelled", "annule": "cancelled",
    "abandonne": "cancelled",
}
DIRECTION_ALIASES = {
    "increase": "increase", "hausse": "increase", "augmenter": "increase",
    "augmentation": "increase", "up": "increase",
    "decrease": "decrease", "baisse": "decrease", "diminuer": "decrease",
    "diminution": "decrease", "down": "decrease",
}

# canonical key -> aliases, per document kind (SPEC §2)
PHASE_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("phase", "etape", "titre"),
    "order": ("ordre",),
    "stage": ("phase_du_plan", "etape_du_plan"),
    "owner": ("qui", "responsable"),
    "budget": ("budget_prevu",),
    "spent": ("depense", "realise", "depenses"),
    "start": ("debut", "date_debut"),
    "end": ("fin", "date_fin"),
    "finished": ("fin_reelle", "date_fin_reelle"),
    "status": ("statut", "etat"),
    "objective": ("objectif",),
    "result": ("resultat", "resultat_obtenu"),
    "analysis": ("analyse", "analyse_ecarts", "analyse_des_ecarts"),
    "corrective_actions": ("actions_correctives",),
    "contributes_to": ("contribue_a",),
    "tags": ("etiquettes",),
}
FAMILY_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("titre", "action"),
    "order": ("ordre",),
    "stage": ("phase_du_plan", "etape_du_plan"),
    "owner": ("qui", "responsable"),
    "summary": ("resume",),
    "budget": ("budget_prevu", "enveloppe"),
}
OBJECTIVE_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("titre",),
    "owner": ("qui", "responsable"),
    "metric": ("indicateur",),
    "unit": ("unite",),
    "direction": ("sens",),
    "baseline": ("reference", "depart"),
    "target": ("cible",),
    "measurements": ("mesures",),
}
HEADER_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("titre",),
    "company": ("societe", "entreprise"),
    "vision": (),
    "period": ("periode",),
}
PAGE_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("titre",),
    "order": ("ordre",),
}


@functools.lru_cache(maxsize=4096)  # a plan uses a few dozen keys, in every one of its files
def normalize_key(key: str) -> str:
    """Compare keys without case or accents, spaces and dashes read as ``_``."""
    decomposed = unicodedata.normalize("NFKD", key.strip().lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-]+", "_", bare)


_TABLES: dict[int, tuple[dict[str, tuple[str, ...]], dict[str, str]]] = {}


def alias_table(keys: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Map every normalised key and alias to its canonical key (made once per table of keys)."""
    known = _TABLES.get(id(keys))
    if known is not None and known[0] is keys:
        return known[1]
    table: dict[str, str] = {}
    for canonical, aliases in keys.items():
        table[normalize_key(canonical)] = canonical
        for alias in aliases:
            table[normalize_key(alias)] = canonical
    _TABLES[id(keys)] = (keys, table)
    return table


def edit_distance(a: str, b: str) -> int:
    """Return the Damerau-Levenshtein distance (adjacent swaps count one)."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(
                rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb)
            )
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def nearest(key: str, table: dict[str, str], limit: int = 2) -> str | None:
    """Return the canonical key within ``limit`` edits of ``key``, if any."""
    norm = normalize_key(key)
    best: tuple[int, str] | None = None
    for candidate, canonical in table.items():
        if abs(len(candidate) - len(norm)) > limit:
            continue
        distance = edit_distance(norm, candidate)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, canonical)
    # very short keys are too close to everything: ask for a real resemblance
    if best is not None and len(norm) <= 3 and best[0] > 1:
        return None
    return best[1] if best else None


def describe(value: Any) -> str:
    """Say what the user wrote, shortly, for 'expected X, found Y' messages."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def parse_money(value: Any) -> Decimal:
    """Read an exact amount >= 0: ``12500``, ``"12 500,50 €"``, ``EUR 12500.5``."""
    if not isinstance(value, str):
        raise ValueError(f"expected an amount such as 12500 or \"12 500,50 €\", found {describe(value)}")
    text = _CURRENCY_MARK.sub("", value.translate(_SPACES))
    if "," in text and "." in text:
        raise ValueError(
            f"expected an amount with spaces between thousands and one decimal separator, "
            f"found {describe(value)}"
        )
    text = text.replace(",", ".")
    if not _NUMBER.match(text):
        raise ValueError(f"expected an amount such as 12500 or \"12 500,50 €\", found {describe(value)}")
    amount = Decimal(text)
    if amount < 0:
        raise ValueError(f"expected an amount of 0 or more, found {describe(value)}")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"expected at most 2 decimals (cents), found {describe(value)}")
    return amount.quantize(Decimal("0.01"))


def parse_number(value: Any) -> Decimal:
    """Read an exact number (targets, measurements): ``1.5``, ``"1 200,5"``, ``-3``."""
    if not isinstance(value, str):
        raise ValueError(f"expected a number, found {describe(value)}")
    text = value.translate(_SPACES).replace(",", ".").rstrip("%")
    if not _NUMBER.match(text):
        raise ValueError(f"expected a number, found {describe(value)}")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex guards this
        raise ValueError(f"expected a number, found {describe(value)}") from None


def parse_date(value: Any) -> date:
    """Read a calendar date written ``YYYY-MM-DD``; suggest it for ``30/06/2027``."""
    if not isinstance(value, str):
        raise ValueError(f"expected a date YYYY-MM-DD, found {describe(value)}")
    text = value.strip()
    match = _ISO_DATE.match(text)
    if not match:
        fr = _FR_DATE.match(text)
        hint = ""
        if fr:
            hint = f" (write {fr.group(3)}-{int(fr.group(2)):02d}-{int(fr.group(1)):02d})"
        raise ValueError(f"expected a date YYYY-MM-DD, found {describe(value)}{hint}")
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as exc:
        raise ValueError(f"not a real date: {describe(value)} ({exc})") from None


def parse_int(value: Any) -> int:
    """Read a whole number such as an order."""
    if not isinstance(value, str) or not re.match(r"^[+-]?\d+$", value.strip()):
        raise ValueError(f"expected a whole number, found {describe(value)}")
    return int(value)


def parse_bool(value: Any) -> bool:
    """Read yes/no in English or French (YAML 1.1 never decides for us)."""
    if isinstance(value, str):
        norm = normalize_key(value)
        if norm in ("true", "yes", "oui", "on", "1", "vrai"):
            return True
        if norm in ("false", "no", "non", "off", "0", "faux"):
            return False
    raise ValueError(f"expected true or false, found {describe(value)}")


def parse_choice(value: Any, table: dict[str, str], what: str) -> str:
    """Read an enumeration compared like keys (``Terminé`` == ``termine``)."""
    if isinstance(value, str):
        found = table.get(normalize_key(value))
        if found:
            return found
    choices = ", ".join(sorted(set(table.values())))
    raise ValueError(f"expected a {what} ({choices}), found {describe(value)}")


def looks_like_id(text: str) -> bool:
    """Tell whether a value looks like an id (lower case, digits, -, _, no space)."""
    return bool(_ID.match(text))


def slug_and_order(name: str) -> tuple[str, int | None]:
    """Split ``01-etudes-de-marche`` into (``etudes-de-marche``, 1)."""
    match = re.match(r"^(\d+)[-_ ](.+)$", name)
    if match:
        return match.group(2), int(match.group(1))
    return name, None


def title_from_slug(slug: str) -> str:
    """Make a readable title from a folder slug (``fidelisation`` -> ``Fidelisation``)."""
    words = slug.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]
