"""NPS survey exports: Typeform, SurveyMonkey, Delighted → ``survey_responses``.

The NPS question has no fixed header (it is the question's text, in any language, sometimes
with old HTML), so in Typeform and SurveyMonkey files the score column is found **by
content**: the question column whose values are all whole numbers from 0 to 10. When several
columns fit, the one whose header mentions recommending (recommend, recommanderiez, NPS…) is
taken; failing that, the one that is not a yes/no (0/1) column; otherwise the file is refused
rather than a column guessed. The comment is the next question column after the score whose
answers are text. A response without a score (a partial response, or the question skipped) is
skipped with its reason.

- Typeform: ``#`` = respondent id, ``Submit Date (UTC)`` = responded at (for a partial
  response with a score: its ``Stage Date (UTC)``, else its ``Start Date (UTC)``).
- SurveyMonkey: two header rows (question texts, then ``Response`` / ``Open-Ended Response`` /
  option labels) merged into one; ``Respondent ID``; ``End Date`` (US ``03/14/2025 10:02:33
  AM`` in the account's time zone); scores ``7`` or ``10 - Extremely likely``.
- Delighted: ``Response ID``, ``Score``, ``Comment``, ``Response timestamp`` (unix seconds or
  a date); ``segment`` from a ``Segment`` or ``Plan`` property column.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from pilotage.importers.aliases import Aliases, Match
from pilotage.importers.base import Context, Converted, Importer, register
from pilotage.importers.convert import Extract
from pilotage.importers.problems import Problem, Problems
from pilotage.importers.reader import Cell, Grid, Table, dedupe, locate
from pilotage.importers.sources.common import canonical_table, date_order_or
from pilotage.importers.values import is_missing, text_value

NPS_WORDS = re.compile(
    r"recommend|recommanderiez|recommander|recomendar|recomendaria|empfehlen|consigli|\bnps\b",
    re.IGNORECASE,
)
# "7", or SurveyMonkey's labelled "10 - Extremely likely" / "0 - Not at all likely"
LABELLED_SCORE = re.compile(r"^(\d{1,2})\s*[-–:]\s*\D.*$")
TAGS = re.compile(r"<[^>]+>")


def score_value(cell: Cell, *, labelled: bool = False) -> int | None:
    """The 0–10 score in ``cell``; None when it is not one (or is missing)."""
    if is_missing(cell) or isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        number = float(cell)
    elif isinstance(cell, str):
        text = cell.strip()
        m = LABELLED_SCORE.match(text) if labelled else None
        text = m.group(1) if m else text
        if not text.isdigit():
            return None
        number = float(text)
    else:
        return None
    if number.is_integer() and 0 <= number <= 10:
        return int(number)
    return None


def question_text(header: str) -> str:
    """A question header without HTML tags and the ``__2`` suffix of a repeated header."""
    return " ".join(TAGS.sub("", header.split("__")[0]).split())


def find_score_column(
    table: Table, questions: Sequence[str], problems: Problems, *, labelled: bool = False
) -> str | None:
    """The question column holding 0–10 scores; a problem when none or several fit."""

    def fits(header: str) -> bool:
        cells = [c for c in table.column(header) if not is_missing(c)]
        return bool(cells) and all(score_value(c, labelled=labelled) is not None for c in cells)

    def yes_no(header: str) -> bool:
        return {score_value(c, labelled=labelled) for c in table.column(header)} <= {0, 1, None}

    found = [h for h in questions if fits(h)]
    if len(found) == 1:
        return found[0]
    if not found:
        problems.add(Problem(table.name, "no_score_column"))
        return None
    named = [h for h in found if NPS_WORDS.search(h)]
    if len(named) == 1:
        return named[0]
    scales = [h for h in (named or found) if not yes_no(h)]
    if len(scales) == 1:
        return scales[0]
    problems.add(
        Problem(
            table.name,
            "ambiguous_score_column",
            value=" | ".join(question_text(h) for h in (named or found)),
        )
    )
    return None


def comment_column(table: Table, questions: Sequence[str], score: str) -> str | None:
    """The next question column after the score whose answers are text, if any."""
    after = list(questions)[list(questions).index(score) + 1 :]
    for header in after:
        cells = [c for c in table.column(header) if not is_missing(c)]
        if cells and not all(score_value(c, labelled=True) is not None for c in cells):
            return header
    return None


def with_scores(table: Table, header: str, *, labelled: bool) -> Table:
    """The table with the score column's labelled answers reduced to their number."""
    j = table.index(header)
    rows = []
    for row in table.rows:
        row = list(row)
        value = score_value(row[j], labelled=labelled)
        if value is not None:
            row[j] = str(value)
        rows.append(row)
    return dataclasses.replace(table, rows=rows)


def response_table(
    responded: Sequence[Any],
    ids: Sequence[str | None],
    scores: Sequence[int | None],
    comments: Sequence[str | None],
    segments: Sequence[str | None],
    keep: Sequence[int],
) -> Any:
    columns = {
        "responded_at": [responded[i] for i in keep],
        "respondent_id": [ids[i] for i in keep],
        "score": [scores[i] for i in keep],
        "comment": [comments[i] for i in keep],
        "segment": [segments[i] for i in keep],
    }
    return canonical_table("survey_responses", columns)


SEGMENT = ("Segment", "Plan", "Customer segment", "Segment client", "Offre")

# ---------------------------------------------------------------- Typeform

TYPEFORM_ALIASES = Aliases(
    {
        "respondent_id": ("#",),
        "response_type": ("Response Type",),
        "started_at": ("Start Date (UTC)",),
        "staged_at": ("Stage Date (UTC)",),
        "submitted_at": ("Submit Date (UTC)",),
        "network_id": ("Network ID",),
        "tags": ("Tags",),
        "ending": ("Ending",),
        "segment": SEGMENT,
    }
)


@register
class TypeformImporter(Importer):
    name = "typeform"
    label = "Typeform responses"
    tables = ("survey_responses",)
    aliases = TYPEFORM_ALIASES
    signature = ("respondent_id", "submitted_at")

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        if not self.require(table, match, problems, *self.signature):
            return Converted({})
        questions = [h for h in table.header if h.strip() and not self.aliases.known(h)]
        score_header = find_score_column(table, questions, problems)
        if score_header is None:
            return Converted({})
        comment_header = comment_column(table, questions, score_header)
        ex = self.extract(table, match, context, problems, [])
        ids = ex.text(match.columns["respondent_id"], required=True)
        scores = ex.integer(score_header)
        comments = ex.text(comment_header)
        segments = ex.text(match.get("segment"))
        kinds = [(t or "").lower() for t in ex.text(match.get("response_type"))]
        # Typeform's dates are UTC, whatever the workspace's time zone
        submitted = ex.timestamp(match.columns["submitted_at"], local=False)
        staged = ex.timestamp(match.get("staged_at"), local=False)
        started = ex.timestamp(match.get("started_at"), local=False)
        keep: list[int] = []
        skipped: list[tuple[int, str]] = []
        responded: list[Any] = []
        for i in range(len(table.rows)):
            partial = kinds[i] == "partial"
            if scores[i] is None:
                reason = "partial response without a score" if partial else "no score given"
                skipped.append((table.lines[i], reason))
                responded.append(None)
                continue
            at = submitted[i] or (staged[i] or started[i] if partial else None)
            if at is None and (i, match.columns["submitted_at"]) not in ex.flagged:
                problems.add(
                    Problem(
                        table.name,
                        "required",
                        line=table.lines[i],
                        column=match.columns["submitted_at"],
                    )
                )
            responded.append(at)
            keep.append(i)
        if problems:
            return Converted({})
        details = {
            "score_column": question_text(score_header),
            "comment_column": question_text(comment_header) if comment_header else None,
        }
        rows = response_table(responded, ids, scores, comments, segments, keep)
        return Converted({"survey_responses": rows}, skipped=skipped, details=details)


# ---------------------------------------------------------------- SurveyMonkey

SURVEYMONKEY_ALIASES = Aliases(
    {
        "respondent_id": ("Respondent ID", "ID du répondant"),
        "collector_id": ("Collector ID", "ID du collecteur"),
        "started_at": ("Start Date", "Date de début"),
        "ended_at": ("End Date", "Date de fin"),
        "ip": ("IP Address", "Adresse IP"),
        "email": ("Email Address", "Adresse e-mail"),
        "first_name": ("First Name", "Prénom"),
        "last_name": ("Last Name", "Nom"),
        "custom_data": ("Custom Data 1", "Custom Data", "Données personnalisées 1"),
        "segment": SEGMENT,
    }
)
SUBHEADERS = {"response", "open-ended response", "réponse", "réponse ouverte"}


@register
class SurveyMonkeyImporter(Importer):
    name = "surveymonkey"
    label = "SurveyMonkey individual responses"
    tables = ("survey_responses",)
    aliases = SURVEYMONKEY_ALIASES
    signature = ("respondent_id", "collector_id", "ended_at")

    def locate(self, grid: Grid) -> Table:
        """Row 1 (fixed columns, question texts) and row 2 (sub-headers) merged into one."""
        table = locate(grid, self.aliases.known, min_known=self.min_known)
        if not table.rows:
            return table
        top = grid.rows[grid.lines.index(table.header_line)]
        sub = table.rows[0]
        fixed = [j for j, h in enumerate(table.header) if self.aliases.known(h)]
        is_sub = all(is_missing(sub[j]) for j in fixed) and any(
            not is_missing(c) for j, c in enumerate(sub) if j not in fixed
        )
        if not is_sub:
            return table
        merged, question = [], ""
        for j in range(len(table.header)):
            own = text_value(top[j]) if j < len(top) else None
            part = text_value(sub[j])
            question = own or question
            if j in fixed or part is None or part.lower() in SUBHEADERS:
                merged.append(own or question)
            else:  # an option of a multi-column question, or its "Other (please specify)"
                merged.append(f"{question} — {part}")
        return dataclasses.replace(
            table,
            header=dedupe(merged),
            rows=table.rows[1:],
            lines=table.lines[1:],
            preamble=[*table.preamble, sub],
        )

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        if not self.require(table, match, problems, "respondent_id", "ended_at"):
            return Converted({})
        questions = [h for h in table.header if h.strip() and not self.aliases.known(h)]
        score_header = find_score_column(table, questions, problems, labelled=True)
        if score_header is None:
            return Converted({})
        comment_header = comment_column(table, questions, score_header)
        table = with_scores(table, score_header, labelled=True)
        ended = match.columns["ended_at"]
        order, why = date_order_or(
            table, [ended], "mdy", "SurveyMonkey's US dates", context, problems
        )
        ex = Extract(table, problems, timezone=context.timezone, date_order=order)
        ids = ex.text(match.columns["respondent_id"], required=True)
        responded = ex.timestamp(ended, required=True)
        scores = ex.integer(score_header)
        comments = ex.text(comment_header)
        segments = ex.text(match.get("segment"))
        if problems:
            return Converted({})
        keep = [i for i in range(len(table.rows)) if scores[i] is not None]
        skipped = [
            (table.lines[i], "no score given") for i in range(len(table.rows)) if i not in keep
        ]
        details = {
            "score_column": question_text(score_header),
            "comment_column": question_text(comment_header) if comment_header else None,
            "date_order": f"{order} ({why})",
        }
        rows = response_table(responded, ids, scores, comments, segments, keep)
        return Converted({"survey_responses": rows}, skipped=skipped, details=details)


# ---------------------------------------------------------------- Delighted

DELIGHTED_ALIASES = Aliases(
    {
        "respondent_id": ("Response ID",),
        "score": ("Score",),
        "comment": ("Comment",),
        "responded_at": ("Response timestamp", "Created at", "created_at", "Response date"),
        "updated_at": ("Updated timestamp", "Updated at"),
        "email": ("Email",),
        "person_name": ("Name",),
        "permalink": ("Permalink",),
        "tags": ("Tags",),
        "notes": ("Notes",),
        "delighted_source": ("Delighted Source",),
        "survey_type": ("Survey type",),
        "segment": SEGMENT,
    }
)


@register
class DelightedImporter(Importer):
    name = "delighted"
    label = "Delighted responses"
    tables = ("survey_responses",)
    aliases = DELIGHTED_ALIASES
    signature = ("respondent_id", "score", "responded_at")

    def convert(
        self, table: Table, match: Match, context: Context, problems: Problems
    ) -> Converted:
        if not self.require(table, match, problems, *self.signature):
            return Converted({})
        ex = self.extract(table, match, context, problems, [])
        ids = ex.text(match.columns["respondent_id"], required=True)
        header = match.columns["score"]
        scores = ex.integer(header, required=True)
        for i, score in enumerate(scores):
            if score is not None and not 0 <= score <= 10:
                problems.add(
                    Problem(
                        table.name, "score", line=table.lines[i], column=header, value=str(score)
                    )
                )
        # unix seconds are absolute; a written date is in the account's time zone
        responded = ex.timestamp(match.columns["responded_at"], required=True)
        comments = ex.text(match.get("comment"))
        segments = ex.text(match.get("segment"))
        if problems:
            return Converted({})
        keep = list(range(len(table.rows)))
        rows = response_table(responded, ids, scores, comments, segments, keep)
        return Converted({"survey_responses": rows})
