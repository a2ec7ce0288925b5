"""Whole numbers from request input: ids in query strings and POST fields, versions, keys.

`str.isdigit()` is true for "²" (int() refuses it) and int() reads "١٢" and 30-digit numbers
that no Postgres column holds; each of those once gave a 500. These read ASCII digits only, within
the column's range, and answer None for anything else, so the view can refuse it clearly.
"""

import re

MAX_BIGINT = 2**63 - 1  # ids (BigAutoField)
MAX_INTEGER = 2**31 - 1  # versions and other integer columns

_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_int(raw, maximum: int = MAX_BIGINT) -> int | None:
    """`raw` as a whole number from 0 to `maximum`, written in ASCII digits; else None."""
    if not isinstance(raw, str) or not _ASCII_DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if value <= maximum else None
