"""Header names → canonical fields, in any language the tools export in.

Headers are compared after ``normalize``: zero-width characters and BOMs removed, mojibake
repaired (``Montant dÃ©pensÃ©`` is ``Montant dépensé`` read as Latin-1), a ``(EUR)``-style
currency suffix split off, accents, case and punctuation ignored. So ``Coût``, ``COUT`` and
``coût`` are one name, while ``Cost`` stays distinct from ``Avg. cost`` and ``Cost / conv.``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pilotage.importers.values import header_currency

_PUNCT = re.compile(r"[^0-9a-z%#]+")
_MOJIBAKE = re.compile("[ÃÂâ][\u0080-\u00bf\u2018-\u203a\u0152-\u0178]")


def repair_mojibake(text: str) -> str:
    """UTF-8 text that was decoded as Latin-1/Windows-1252, decoded properly (else unchanged)."""
    if not _MOJIBAKE.search(text):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


@functools.lru_cache(maxsize=8192)
def normalize(header: str) -> str:
    """The comparable form of a header: no accents, case, punctuation or currency suffix."""
    text = repair_mojibake(str(header).replace("\ufeff", "").strip())
    text, _ = header_currency(text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _PUNCT.sub(" ", text).strip()


@dataclass(frozen=True)
class Match:
    """Which header of the file holds each canonical field (and its currency suffix if any)."""

    columns: dict[str, str]  # field → header as in the file
    currencies: dict[str, str]  # field → ISO code from a "(EUR)" suffix

    def get(self, field: str) -> str | None:
        return self.columns.get(field)

    def __contains__(self, field: str) -> bool:
        return field in self.columns


class Aliases:
    """Alias table of one source: canonical field → accepted header names (any language)."""

    def __init__(self, table: Mapping[str, Sequence[str]], *, names_match: bool = False) -> None:
        """``names_match``: a field's own name is also a header for it (the canonical format);
        otherwise only the listed headers are, so that ``lead_id`` does not match "Lead ID"
        of another tool's file."""
        self.table = {field: tuple(names) for field, names in table.items()}
        self._lookup: dict[str, str] = {}
        for field, names in self.table.items():
            for name in (field, *names) if names_match else names:
                self._lookup.setdefault(normalize(name), field)

    def field_of(self, header: str) -> str | None:
        return self._lookup.get(normalize(header))

    def known(self, header: str) -> bool:
        return normalize(header) in self._lookup

    def match(self, header: Iterable[str]) -> Match:
        """First header for each field (by position), with currencies from header suffixes."""
        columns: dict[str, str] = {}
        currencies: dict[str, str] = {}
        for name in header:
            field = self.field_of(name)
            if field is None or field in columns:
                continue
            columns[field] = name
            _, currency = header_currency(repair_mojibake(name.split("__")[0]))
            if currency:
                currencies[field] = currency
        return Match(columns, currencies)

    def example(self, field: str) -> str:
        names = self.table.get(field, ())
        return names[0] if names else field
