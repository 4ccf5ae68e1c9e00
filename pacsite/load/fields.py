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

from pacsite.messages import Msg, Problem, has_control, msg, printable, quote

_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\u2007")
_SPACE_CHARS = " \u00a0\u202f\u2009\u2007"
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_FR_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_CURRENCY_MARK = re.compile(r"^(?:[€$£]|[A-Za-z]{3}(?![\d.,]*[A-Za-z]))|(?:[€$£]|(?<![A-Za-z])[A-Za-z]{3})$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_GROUPED = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f\u2009\u2007]\d{3})+$")  # 12 500, 1 250 000
MAX_AMOUNT = Decimal("999999999999.99")  # a thousand billion: anything larger is a typo, not a budget
# more decimals than a rate needs is a typo; with MAX_AMOUNT it bounds every value to 18 digits, so that a
# ratio of two of them and its percentage stay within Decimal's 28 (5 / 0.000…1 could not be rounded)
MAX_PLACES = 6
# the dates a plan may hold: every day of the range has a month after it, a year around it (no date
# arithmetic can leave Python's years 1–9999) and charts and tables a bounded number of months
FIRST_YEAR, LAST_YEAR = 1900, 2199
MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
}

STATUSES = ("planned", "in_progress", "done", "cancelled")
DIRECTIONS = ("increase", "decrease")

# what people write in a status column; a postponed or waiting phase is planned (its dates say when)
STATUS_ALIASES = {
    "planned": "planned", "prevu": "planned", "prevue": "planned", "planifie": "planned",
    "planifiee": "planned", "a_faire": "planned", "todo": "planned", "a_venir": "planned",
    "reporte": "planned", "reportee": "planned", "en_attente": "planned", "postponed": "planned",
    "on_hold": "planned", "waiting": "planned", "pas_commence": "planned", "non_commence": "planned",
    "in_progress": "in_progress", "en_cours": "in_progress", "started": "in_progress",
    "commence": "in_progress", "commencee": "in_progress", "demarre": "in_progress", "demarree": "in_progress",
    "done": "done", "termine": "done", "terminee": "done", "fait": "done", "faite": "done",
    "realise": "done", "realisee": "done", "fini": "done", "finie": "done",
    "cancelled": "cancelled", "canceled": "cancelled", "annule": "cancelled", "annulee": "cancelled",
    "abandonne": "cancelled", "abandonnee": "cancelled",
}
# words that are not a status at all: lateness is computed, never written
NOT_A_STATUS = {"en_retard": "late", "retard": "late", "late": "late", "overdue": "late", "delayed": "late"}
DIRECTION_ALIASES = {
    "increase": "increase", "hausse": "increase", "augmenter": "increase",
    "augmentation": "increase", "up": "increase",
    "decrease": "decrease", "baisse": "decrease", "diminuer": "decrease",
    "diminution": "decrease", "down": "decrease",
}

# canonical key -> aliases, per document kind (SPEC §2)
PHASE_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("titre", "phase", "etape"),
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


def nearest_spelling(key: str, keys: dict[str, tuple[str, ...]], language: str, limit: int = 2) -> str | None:
    """The known spelling nearest to a mistyped key, as the user would write it (``débu`` -> ``debut``).

    Every key and alias is a candidate; on a tie the plan's language wins
    (an alias in a French plan, the English key in an English one).
    """
    norm = normalize_key(key)
    best: tuple[int, int, str] | None = None
    for canonical, aliases in keys.items():
        for spelling in (canonical, *aliases):
            candidate = normalize_key(spelling)
            if abs(len(candidate) - len(norm)) > limit:
                continue
            distance = edit_distance(norm, candidate)
            french = spelling != canonical or canonical in aliases
            rank = 0 if french == (language == "fr") else 1
            if distance <= limit and (best is None or (distance, rank) < best[:2]):
                best = (distance, rank, spelling)
    if best is not None and len(norm) <= 3 and best[0] > 1:
        return None
    return best[2] if best else None


def spelling(canonical: str, keys: dict[str, tuple[str, ...]], language: str) -> str:
    """How a key not in the file would be written in the plan's language (``analysis`` -> ``analyse``)."""
    aliases = keys.get(canonical, ())
    return aliases[0] if language == "fr" and aliases else canonical


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


def describe(value: Any) -> Msg:
    """Say what the user wrote, shortly, for 'expected X, found Y' messages."""
    if value is None:
        return msg("nothing")
    if isinstance(value, dict):
        return msg("a_mapping")
    if isinstance(value, list):
        return msg("a_list")
    text = str(value)
    return quote(text if len(text) <= 40 else text[:37] + "...")


def _problem(code: str, **args: Any) -> Problem:
    return Problem(msg(code, **args))


def read_decimal(text: str) -> Decimal | Problem:
    """Read a number as a French or English reader wrote it, never guessing (SPEC §2 "An amount is never guessed").

    Spaces group thousands (``12 500``). With both ``.`` and ``,`` the last is
    the decimal separator and the other groups thousands by threes; one
    separator written several times groups thousands (``1.250.000``). One
    separator followed by exactly three digits (``12.500``, ``1,200``) could
    be either: that is a ``Problem`` naming both readings, never a value.
    A leading 0 (``0.125``) can only be a decimal.
    """
    raw = text.strip()
    sign = ""
    if raw[:1] and raw[0] in "+-":
        sign, raw = ("-" if raw[0] == "-" else ""), raw[1:].strip()
    if not raw or not (raw[0].isdigit() or raw[0] in ".,"):
        return _problem("not_a_number")
    if any(c in _SPACE_CHARS for c in raw):
        whole, point, decimals = _split_last(raw)
        if not _GROUPED.match(whole) or (point and not decimals.isdigit()):
            return _problem("bad_grouping")
        raw = whole.translate(_SPACES) + ("." + decimals if point else "")
        return _decimal(sign + raw)
    dots, commas = raw.count("."), raw.count(",")
    if dots and commas:
        whole, point, decimals = _split_last(raw)
        other = "," if point == "." else "."
        if point in whole or not decimals.isdigit() or not _groups_ok(whole, other):
            return _problem("bad_grouping")
        return _decimal(sign + whole.replace(other, "") + "." + decimals)
    separator = "." if dots else "," if commas else ""
    if not separator:
        return _decimal(sign + raw)
    if raw.count(separator) > 1:
        if not _groups_ok(raw, separator):
            return _problem("bad_grouping")
        return _decimal(sign + raw.replace(separator, ""))
    whole, decimals = raw.split(separator)
    # 12.500 could group thousands only if 12 could be a first group: 1 to 3 digits, not 0
    if len(decimals) == 3 and decimals.isdigit() and whole.isdigit() and len(whole) <= 3 and whole.lstrip("0"):
        cents = decimals.rstrip("0").ljust(2, "0")  # 12.500 as a decimal is 12,50
        return _problem("ambiguous_number", text=quote(text.strip()), thousands=Decimal(sign + whole + decimals),
                        fraction=Decimal(f"{sign}{whole}.{cents}"),
                        thousands_plain=f"{sign}{whole}{decimals}", fraction_plain=f"{sign}{whole}.{cents}")
    return _decimal(sign + whole + "." + decimals)


def _split_last(raw: str) -> tuple[str, str, str]:
    """Split at the last ``.`` or ``,``: (whole, separator, decimals)."""
    at = max(raw.rfind("."), raw.rfind(","))
    return (raw, "", "") if at < 0 else (raw[:at], raw[at], raw[at + 1:])


def _groups_ok(whole: str, separator: str) -> bool:
    parts = whole.split(separator)
    return (parts[0].isdigit() and 1 <= len(parts[0]) <= 3
            and all(len(p) == 3 and p.isdigit() for p in parts[1:]))


def _decimal(text: str) -> Decimal | Problem:
    if not re.match(r"^-?\d+(\.\d+)?$", text) and not re.match(r"^-?\.\d+$", text):
        return _problem("not_a_number")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern guards this
        return _problem("not_a_number")


def parse_money(value: Any) -> Decimal:
    """Read an exact amount >= 0: ``12500``, ``"12 500,50 €"``, ``EUR 12500.5``; refuse ``12.500``."""
    if not isinstance(value, str):
        raise _problem("expected_amount", found=describe(value))
    text = _CURRENCY_MARK.sub("", value.strip()).strip(_SPACE_CHARS)
    amount = read_decimal(text)
    if isinstance(amount, Problem):
        if amount.msg.code == "ambiguous_number":
            raise amount
        raise _problem("expected_amount", found=describe(value))
    if amount < 0:
        raise _problem("negative_amount", found=describe(value))
    if amount > MAX_AMOUNT:  # first: rounding 30 digits to cents needs 32, more than Decimal's 28
        raise _problem("amount_too_large", found=describe(value))
    if amount != amount.quantize(Decimal("0.01")):
        raise _problem("too_many_decimals", found=describe(value))
    return amount.quantize(Decimal("0.01"))


def parse_number(value: Any) -> Decimal:
    """Read an exact number (targets, measurements): ``1.5``, ``"1 200,5"``, ``-3``, ``25 %``."""
    if not isinstance(value, str):
        raise _problem("expected_number", found=describe(value))
    text = value.strip().rstrip("%").strip(_SPACE_CHARS)
    number = read_decimal(text)
    if isinstance(number, Problem):
        if number.msg.code == "ambiguous_number":
            raise number
        raise _problem("expected_number", found=describe(value))
    if abs(number) > MAX_AMOUNT:
        raise _problem("number_too_large", found=describe(value))
    if number != number.quantize(Decimal(1).scaleb(-MAX_PLACES)):
        raise _problem("too_many_places", places=MAX_PLACES, found=describe(value))
    return number


_DAY_MONTH = re.compile(r"^(\d{1,2})(?:er)?\s+([^\W\d_]+)\.?\s+(\d{4})$")
_MONTH_DAY = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")


def written_date(text: str) -> date | None:
    """The real date a text writes the French or English way (``15/03/2027``, ``15 mars 2027``), else None.

    Front matter refuses these (it suggests the ISO form); a spreadsheet cell
    (``pacsite import``) is read with it.
    """
    written = _written_date(text.strip())
    return None if written is None else _real_date(*written)


def _written_date(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of ``30/06/2027``, ``15 mars 2027``, ``1er juin 2027``, ``March 15, 2027``."""
    if fr := _FR_DATE.match(text):
        return int(fr.group(3)), int(fr.group(2)), int(fr.group(1))
    if words := _DAY_MONTH.match(text):
        month = MONTHS.get(normalize_key(words.group(2)))
        return (int(words.group(3)), month, int(words.group(1))) if month else None
    if words := _MONTH_DAY.match(text):
        month = MONTHS.get(normalize_key(words.group(1)))
        return (int(words.group(3)), month, int(words.group(2))) if month else None
    return None


def parse_date(value: Any) -> date:
    """Read a calendar date written ``YYYY-MM-DD``; suggest it only when the text is a real date."""
    if not isinstance(value, str):
        raise _problem("expected_date", found=describe(value))
    text = value.strip()
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if len(match.group(2)) == 2 and len(match.group(3)) == 2:
            real = _real_date(year, month, day)
            if real is None:
                raise _not_real(value, year, month, day)
            return in_range(real, value)
        written: tuple[int, int, int] | None = (year, month, day)
    else:
        written = _written_date(text)
    if written is not None:
        real = _real_date(*written)
        if real is None:
            raise _not_real(value, *written)
        in_range(real, value)
        raise _problem("expected_date_suggest", found=describe(value), iso=real.isoformat())
    raise _problem("expected_date", found=describe(value))


def in_range(day: date, written: Any) -> date:
    """Return ``day`` if its year is in FIRST_YEAR..LAST_YEAR; else say the range (9999-12-31 has no next day)."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _problem("date_out_of_range", first=FIRST_YEAR, last=LAST_YEAR, found=describe(written))
    return day


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _not_real(value: str, year: int, month: int, day: int) -> Problem:
    if 1 <= month <= 12 and 1 <= day <= 31:
        last = (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days
        return _problem("not_a_real_day", found=describe(value), month=msg(f"month_{month}"), year=year,
                        days=last)
    return _problem("not_a_real_date", found=describe(value))


def parse_int(value: Any) -> int:
    """Read a whole number such as an order."""
    if not isinstance(value, str) or not re.match(r"^[+-]?\d{1,9}$", value.strip()):
        raise _problem("expected_whole_number", found=describe(value))
    return int(value)


def parse_bool(value: Any) -> bool:
    """Read yes/no in English or French (YAML 1.1 never decides for us)."""
    if isinstance(value, str):
        norm = normalize_key(value)
        if norm in ("true", "yes", "oui", "on", "1", "vrai"):
            return True
        if norm in ("false", "no", "non", "off", "0", "faux"):
            return False
    raise _problem("expected_bool", found=describe(value))


def parse_status(value: Any) -> str:
    """Read a status as people write it; say why ``en retard`` is not one."""
    if isinstance(value, str):
        norm = normalize_key(value)
        found = STATUS_ALIASES.get(norm)
        if found:
            return found
        if norm in NOT_A_STATUS:
            raise _problem("late_not_a_status", found=describe(value))
    raise _problem("expected_status", found=describe(value))


def parse_direction(value: Any) -> str:
    """Read ``increase``/``hausse`` or ``decrease``/``baisse``."""
    if isinstance(value, str):
        found = DIRECTION_ALIASES.get(normalize_key(value))
        if found:
            return found
    raise _problem("expected_direction", found=describe(value))


_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_RESULT_DATE = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b"                            # 2027-06-30
    r"|\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b"              # 30/06, 30/06/2027, 30.06.27
    r"|\b\d{1,2}(?:er)?\s+(?:" + _MONTH_WORDS + r")\b\.?(?:\s+\d{4})?"  # 30 juin, 1er juin 2027
    r"|\b(?:" + _MONTH_WORDS + r")\b\.?\s+\d{4}"               # juin 2027
    r"|\b(?:T|Q)[1-4]\s+\d{4}\b",                              # T2 2027
    re.IGNORECASE,
)
_RESULT_NUMBER = re.compile(r"[+-]?\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)*")


def result_value(text: str) -> tuple[Decimal | None, str | None]:
    """The value of a result written as text: the first number that is not part of a date.

    ``"93 % au 30/06"`` is 93, ``"21 sur 40"`` is 21. Returns (value, None),
    or (None, why) when there is no number or its reading is unclear
    (``"12.500 visites"``): the text is then kept whole, with no value.
    """
    bare = "".join(unicodedata.normalize("NFKD", c)[:1] or c for c in text)  # "décembre" -> "decembre", same length
    masked = _RESULT_DATE.sub(lambda m: " " * len(m.group(0)), bare)
    found = _RESULT_NUMBER.search(masked)
    if found is None:
        return None, "no_number"
    number = read_decimal(found.group(0).strip())
    if isinstance(number, Problem):
        return None, "unclear_number"
    if abs(number) > MAX_AMOUNT:
        return None, "too_large"  # parse_number's bound: a typo, and no percentage of it could be rounded
    return number, None


def looks_like_id(text: str) -> bool:
    """Tell whether a value looks like an id (lower case, digits, -, _, no space)."""
    return bool(_ID.match(text))


def split_order(name: str) -> tuple[str, int | None]:
    """Split ``01-Études de marché`` into (``Études de marché``, 1): the name as written, and its order."""
    match = re.match(r"^(\d+)[-_ ](.+)$", name)
    if match:
        return match.group(2), int(match.group(1))
    return name, None


def slug_and_order(name: str) -> tuple[str, int | None]:
    """Split ``01-etudes-de-marche`` into (``etudes-de-marche``, 1); the slug is made for a URL.

    The one place where a file or folder name becomes part of a path in the
    output. Raise ``Problem`` for a name that cannot: one with a control
    character or a backslash, or with no letter or digit (``..``, ``01-..``).
    """
    if has_control(name):
        raise Problem(msg("name_control", name=quote(printable(name))))
    if "\\" in name or "/" in name:
        raise Problem(msg("name_backslash", name=quote(name)))
    rest, order = split_order(name)
    slug = ascii_slug(rest)
    if not slug:
        raise Problem(msg("name_no_slug", name=quote(name)))
    return slug, order


def title_from_slug(slug: str) -> str:
    """Make a readable title from a folder slug (``fidelisation`` -> ``Fidelisation``)."""
    words = slug.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


# letters that NFKD does not take apart, as French and its neighbours spell them out
_LETTERS = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                          "ı": "i"})


def ascii_slug(text: str) -> str:
    """Make the ASCII form of a name: lower case, no accents, runs of anything else as ``-``; may be empty.

    The one normalisation of what becomes a path or an anchor: ``Étude``,
    ``étude`` written composed or decomposed (NFC, NFD) and ``ETUDE`` are
    all ``etude``, so that two pages never share a file on a case-insensitive
    or normalising file share, and no ``#``, ``?`` or ``%`` breaks a link.
    """
    bare = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", text).lower().translate(_LETTERS))
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", bare).strip("-")
