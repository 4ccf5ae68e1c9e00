"""A small xlsx writer: text, numbers, dates, three styles, a frozen header row.

Why not openpyxl for writing: even in write-only mode it spends ~16 µs a
cell (0.5 s for a 1 500-phase plan, 5 s for 15 000, most of a live-preview
rebuild after a budget edit), building a cell object and a style for each
value. plan.xlsx needs a fraction of the format: a few sheets of rows,
shared strings not needed (inline strings), one bold header, money and date
formats. openpyxl stays the reader (``pacsite import``) and the tests' oracle:
they build the same workbook with it and compare every cell.

Strings are always text (``t="inlineStr"``): a title that starts with "="
is shown as written, never run as a formula (openpyxl would write it as one).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO


def escape(text: str, entities: dict[str, str] | None = None) -> str:
    """XML text: ``&``, ``<``, ``>`` escaped, then ``entities`` (``{'"': "&quot;"}`` in an attribute).

    What ``xml.sax.saxutils.escape`` does; that module imports urllib.request,
    http.client and ssl (27 ms of the start of every build).
    """
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for old, new in (entities or {}).items():
        text = text.replace(old, new)
    return text


# cell styles, by index in <cellXfs>: 0 plain, 1 bold, 2 money, 3 date
PLAIN, BOLD, MONEY, DATE = 0, 1, 2, 3
_EPOCH = date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug, for dates after March 1900)
# XML 1.0 forbids these characters even escaped: they are dropped (openpyxl refuses the whole file)
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HIDDEN = ' state="hidden"'
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


Row = list[tuple[object, int] | None]


@dataclass(frozen=True)
class Rows:
    """Rows written already (``rows_xml``), numbered for their place in the sheet."""

    xml: str
    count: int


@dataclass
class Sheet:
    """One worksheet: its title and rows of (value, style) cells; None is an empty cell."""

    title: str
    rows: list[Row | Rows] = field(default_factory=list)
    hidden: bool = False  # kept out of sight (Excel's "Unhide" shows it)

    def append(self, cells: Row) -> None:
        self.rows.append(cells)

    def append_xml(self, xml: str, count: int) -> None:
        """Add ``count`` rows written by ``rows_xml`` from the row that comes next."""
        self.rows.append(Rows(xml, count))


def column(index: int) -> str:
    """Return the column letters of a 0-based index: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(ref: str, value: object, style: int) -> str:
    s = f' s="{style}"' if style else ""
    if isinstance(value, str):
        # a bare CR would be read back as LF (XML's line-end rule): written as a reference, it stays
        text = escape(ILLEGAL.sub("", value)).replace("\r", "&#13;")
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f'<c r="{ref}"{s}><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, (int, Decimal)):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if isinstance(value, float):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    raise TypeError(f"cannot write {type(value).__name__} to a spreadsheet cell")


_LETTERS = tuple(column(i) for i in range(64))


def rows_xml(rows: list[Row], first: int) -> str:
    """The XML of ``rows``, the first numbered ``first``: a part of a sheet made apart (one family's)."""
    out = []
    for number, row in enumerate(rows, first):
        cells = "".join(_cell(f"{_LETTERS[i] if i < 64 else column(i)}{number}", c[0], c[1])
                        for i, c in enumerate(row) if c is not None and c[0] is not None)
        out.append(f'<row r="{number}">{cells}</row>')
    return "".join(out)


def _sheet_xml(sheet: Sheet) -> str:
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}>',
           '<sheetViews><sheetView workbookViewId="0">'
           '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
           '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>',
           "<sheetData>"]
    number = 1
    for row in sheet.rows:
        if isinstance(row, Rows):
            out.append(row.xml)
            number += row.count
        else:
            out.append(rows_xml([row], number))
            number += 1
    out.append("</sheetData></worksheet>")
    return "".join(out)


def workbook(sheets: list[Sheet], money_format: str, date_format: str, creator: str, stamp: datetime) -> bytes:
    """Return the xlsx file of ``sheets``; the same arguments give the same bytes (fixed zip times)."""
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    names = [escape(ILLEGAL.sub("", s.title)[:31], {'"': "&quot;"}) for s in sheets]
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, len(sheets) + 1))
            + '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>",
        "docProps/core.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{escape(creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>',
        "docProps/app.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>pacsite</Application></Properties>",
        "xl/workbook.xml":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} xmlns:r="{_REL}">'
            '<bookViews><workbookView activeTab="0"/></bookViews><sheets>'
            + "".join(f'<sheet name="{name}" sheetId="{i}"{_HIDDEN if sheet.hidden else ""} r:id="rId{i}"/>'
                      for i, (name, sheet) in enumerate(zip(names, sheets, strict=True), 1))
            + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(sheets) + 1))
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>",
        "xl/styles.xml":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {_NS}>'
            '<numFmts count="2">'
            f'<numFmt numFmtId="164" formatCode="{escape(money_format, {chr(34): "&quot;"})}"/>'
            f'<numFmt numFmtId="165" formatCode="{escape(date_format, {chr(34): "&quot;"})}"/></numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            '<font><b val="1"/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
            '<fills count="2"><fill><patternFill/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
    }
    for i, sheet in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = _sheet_xml(sheet)
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"), compresslevel=6)
    return out.getvalue()
