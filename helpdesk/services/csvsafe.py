"""CSV cells a spreadsheet will not run: the one helper every CSV export uses (the
conversations report and the audit trail; issue 21, item 5).

A cell that begins with = + - @ (or a tab or carriage return, which some spreadsheets skip
before reading a formula) gets a leading apostrophe, as OWASP's CSV-injection advice says.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """The cell as text, with a leading ' when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def rows_to_csv(header: Iterable[object], rows: Iterable[Iterable[object]]) -> str:
    """CRLF-terminated CSV with every cell (header included) neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()
