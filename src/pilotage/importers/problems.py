"""What went wrong with an input file, said precisely and in the user's language.

A ``Problem`` names the file, the line (1-based, as a text editor shows it), the column (its
header), the offending value and what was expected. Importers collect problems instead of
stopping at the first one, so the user fixes a file once; ``Rejected`` carries them (capped).
Messages are rendered in English or French from a code and parameters, without Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

MAX_PROBLEMS = 200

# code → (English, French). Parameters are filled with str.format.
MESSAGES: dict[str, tuple[str, str]] = {
    "empty_file": ("the file is empty", "le fichier est vide"),
    "undecodable": (
        "the file is not text in a known encoding (UTF-8, UTF-16, Windows-1252)",
        "le fichier n'est pas du texte dans un encodage connu (UTF-8, UTF-16, Windows-1252)",
    ),
    "bad_xlsx": (
        "the Excel workbook cannot be read: {expected}",
        "le classeur Excel est illisible : {expected}",
    ),
    "bad_csv": ("the CSV cannot be read: {expected}", "le CSV est illisible : {expected}"),
    "bad_parquet": (
        "the Parquet file cannot be read: {expected}",
        "le fichier Parquet est illisible : {expected}",
    ),
    "no_header": (
        "no header row found; expected columns such as {expected}",
        "aucune ligne d'en-tête trouvée ; colonnes attendues par exemple : {expected}",
    ),
    "unknown_source": (
        "the file's columns match no known export; recognised sources: {expected}",
        "les colonnes du fichier ne correspondent à aucun export connu ; sources reconnues : {expected}",
    ),
    "unknown_importer": (
        "no importer named {value!r}; expected one of {expected}",
        "aucun importateur nommé {value!r} ; attendus : {expected}",
    ),
    "missing_column": (
        "required column missing: {expected}",
        "colonne obligatoire absente : {expected}",
    ),
    "unexpected_column": (
        "unexpected column; expected {expected}",
        "colonne inattendue ; attendu : {expected}",
    ),
    "required": ("a value is required here", "une valeur est obligatoire ici"),
    "out_of_range": (
        "{value!r} is too large to be a real figure",
        "{value!r} est trop grand pour être un chiffre réel",
    ),
    "number": ("expected a number, got {value!r}", "nombre attendu, trouvé {value!r}"),
    "integer": (
        "expected a whole number, got {value!r}",
        "nombre entier attendu, trouvé {value!r}",
    ),
    "ambiguous_number": (
        "{value!r} could be read two ways (thousands or decimals) and nothing else in the file "
        "decides; expected a number written with its decimals, e.g. 1234.50 or 1 234,50",
        "{value!r} peut se lire de deux façons (milliers ou décimales) et rien d'autre dans le "
        "fichier ne tranche ; attendu un nombre écrit avec ses décimales, par ex. 1 234,50",
    ),
    "mixed_number_style": (
        "numbers in this file use both decimal commas and decimal points ({value!r}); expected one convention",
        "les nombres de ce fichier mélangent virgules et points décimaux ({value!r}) ; une seule convention attendue",
    ),
    "date": (
        "expected a date such as {expected}, got {value!r}",
        "date attendue, par ex. {expected} ; trouvé {value!r}",
    ),
    "ambiguous_dates": (
        "every date in this column fits both day/month and month/day (e.g. {value!r}); "
        "export with an unambiguous date format (YYYY-MM-DD) or choose the order",
        "toutes les dates de cette colonne se lisent jour/mois comme mois/jour (par ex. {value!r}) ; "
        "exportez avec un format non ambigu (AAAA-MM-JJ) ou choisissez l'ordre",
    ),
    "mixed_dates": (
        "this column writes dates both day-first and month-first ({value}); expected one order",
        "cette colonne écrit des dates jour/mois et mois/jour ({value}) ; un seul ordre attendu",
    ),
    "mixed_currency": (
        "several currencies in one file ({value}); expected one currency per import",
        "plusieurs devises dans un même fichier ({value}) ; une seule devise attendue par import",
    ),
    "currency": (
        "expected a three-letter currency code such as EUR, got {value!r}",
        "code devise à trois lettres attendu (par ex. EUR), trouvé {value!r}",
    ),
    "choice": (
        "expected one of {expected}, got {value!r}",
        "attendu l'une des valeurs {expected}, trouvé {value!r}",
    ),
    "score": (
        "expected a score from 0 to 10, got {value!r}",
        "note de 0 à 10 attendue, trouvé {value!r}",
    ),
    "negative": (
        "expected zero or more, got {value!r}",
        "valeur positive ou nulle attendue, trouvé {value!r}",
    ),
    "duplicate_key": (
        "{value!r} appears twice in this file (first on line {expected}); a record can appear once",
        "{value!r} apparaît deux fois dans ce fichier (d'abord ligne {expected}) ; un enregistrement n'apparaît qu'une fois",
    ),
    "too_many_cells": (
        "this line has {value} cells but the header has {expected} (a stray delimiter?)",
        "cette ligne a {value} cellules mais l'en-tête en a {expected} (un séparateur en trop ?)",
    ),
    "no_rows": (
        "the file has a header but no data rows",
        "le fichier a un en-tête mais aucune ligne de données",
    ),
    "too_many_problems": (
        "more problems not listed (first {value} shown)",
        "d'autres problèmes non listés ({value} premiers affichés)",
    ),
    "schema": (
        "the rows do not fit the {value} table: {expected}",
        "les lignes ne conviennent pas à la table {value} : {expected}",
    ),
    "no_currency": (
        "the file says no currency; expected a currency column or a (EUR)-style header suffix, or give the currency",
        "le fichier n'indique aucune devise ; attendu une colonne devise ou un suffixe d'en-tête comme (EUR), ou précisez la devise",
    ),
    "no_score_column": (
        "no column holds 0–10 scores; expected the NPS question's column",
        "aucune colonne ne contient des notes de 0 à 10 ; attendu la colonne de la question NPS",
    ),
    "not_daily": (
        "this row covers {value}, not one day: its numbers are totals of the range and cannot be put on a day; export with {expected}",
        "cette ligne couvre {value}, pas un seul jour : ses chiffres sont des totaux de la période et ne peuvent être datés ; exportez avec {expected}",
    ),
    "range_too_long": (
        "the report covers {value} and has no Date column, so its rows cannot be dated; expected {expected}",
        "le rapport couvre {value} sans colonne Date, ses lignes ne peuvent donc pas être datées ; attendu : {expected}",
    ),
    "ambiguous_score_column": (
        "several columns hold 0–10 scores ({value}); expected one NPS question column, its header mentioning recommending (e.g. 'How likely are you to recommend…')",
        "plusieurs colonnes contiennent des notes de 0 à 10 ({value}) ; attendu une seule colonne de question NPS, dont l'en-tête parle de recommandation (par ex. « Recommanderiez-vous… »)",
    ),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input. ``line`` is 1-based; 0 means the whole file."""

    file: str
    code: str
    line: int = 0
    column: str = ""
    value: str = ""
    expected: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def message(self, language: str = "en") -> str:
        english, french = MESSAGES.get(self.code, (self.code, self.code))
        template = french if language.startswith("fr") else english
        return template.format(value=self.value, expected=self.expected, **self.extra)

    def where(self, language: str = "en") -> str:
        french = language.startswith("fr")
        parts = [self.file]
        if self.line:
            parts.append(f"{'ligne' if french else 'line'} {self.line}")
        if self.column:
            parts.append(f"{'colonne' if french else 'column'} {self.column!r}")
        return ", ".join(parts)

    def render(self, language: str = "en") -> str:
        return f"{self.where(language)}: {self.message(language)}"

    def as_dict(self, language: str = "en") -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "expected": self.expected,
            "code": self.code,
            "message": self.message(language),
        }


class Problems:
    """A capped collector of problems."""

    def __init__(self, cap: int = MAX_PROBLEMS) -> None:
        self.cap = cap
        self.items: list[Problem] = []
        self.overflow = 0
        # what the reading decided on the way, for the preview: column → "dmy"/"mdy"
        self.date_orders: dict[str, str] = {}

    def add(self, problem: Problem) -> None:
        if len(self.items) < self.cap:
            self.items.append(problem)
        else:
            self.overflow += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items) + self.overflow

    def raise_if_any(self) -> None:
        """Raise ``Rejected`` with the problems in file order (whole-file problems first)."""
        if self.items:
            ordered = sorted(self.items, key=lambda p: (p.file, p.line))
            raise Rejected(ordered, overflow=self.overflow)


class Rejected(Exception):
    """An input was refused: nothing was written. ``problems`` says why, precisely."""

    def __init__(self, problems: list[Problem], overflow: int = 0) -> None:
        self.problems = list(problems)
        self.overflow = overflow
        first = self.problems[0].render() if self.problems else "rejected"
        more = len(self.problems) + overflow - 1
        super().__init__(first + (f" (and {more} more problems)" if more > 0 else ""))

    def render(self, language: str = "en") -> list[str]:
        lines = [p.render(language) for p in self.problems]
        if self.overflow:
            note = Problem(
                self.problems[-1].file, "too_many_problems", value=str(len(self.problems))
            )
            lines.append(note.render(language))
        return lines


def reject(file: str, code: str, **kwargs: object) -> Rejected:
    """A ``Rejected`` carrying one problem (``raise reject(...)``)."""
    fields = {
        k: v if (k == "line" and isinstance(v, int)) or k == "extra" else str(v)
        for k, v in kwargs.items()
    }
    return Rejected([Problem(file, code, **fields)])  # type: ignore[arg-type]
