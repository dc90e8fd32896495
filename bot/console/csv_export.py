"""CSV downloads for the staff console, streamed line by line so a large export never sits in memory at once.

Conversation text is typed by the public and staff open the file in a spreadsheet, so a cell that a spreadsheet
would run as a formula is neutralised (OWASP "CSV injection"). Redacting the text is the caller's job.
"""
from __future__ import annotations

import csv
import io
from itertools import chain
from typing import Any, Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_csv(rows: Iterable[Sequence], header: Sequence[str]) -> Iterator[str]:
    """The header record, then one per row, each a string ending in CRLF (a newline inside a cell stays quoted)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for record in chain([header], rows):
        writer.writerow([_neutralised(cell) for cell in record])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _neutralised(cell: Any) -> Any:
    # Text only: a number such as -5 is data that the program wrote, not a formula someone typed.
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell
