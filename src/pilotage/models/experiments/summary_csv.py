"""Per-arm summary statistics from a CSV file (the first row is the control).

Columns: ``arm,users,conversions`` (proportions); ``arm,users,sum,sum_squares`` (means), with
optional CUPED columns ``pre_sum,pre_sum_squares,sum_products``; ``arm,users,numerator_sum,
numerator_sum_squares,denominator_sum,denominator_sum_squares,sum_products`` (ratios).
A bad file raises :class:`SummaryError` naming the file, line and column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pilotage.models.experiments.inputs import Arm, MeanArm, ProportionArm, RatioArm

COLUMNS = {
    "proportion": (("users", "conversions"), ()),
    "mean": (("users", "sum", "sum_squares"), ("pre_sum", "pre_sum_squares", "sum_products")),
    "ratio": (
        (
            "users",
            "numerator_sum",
            "numerator_sum_squares",
            "denominator_sum",
            "denominator_sum_squares",
            "sum_products",
        ),
        (),
    ),
}
KINDS = {"proportion": ProportionArm, "mean": MeanArm, "ratio": RatioArm}


class SummaryError(ValueError):
    """The summary file cannot be read; the message says where and what was expected."""


def read_arms(path: Path, metric_type: str = "proportion") -> list[Arm]:
    """The arms of the file, control first."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return parse_arms(handle.read(), path.name, metric_type)


def parse_arms(text: str, name: str, metric_type: str = "proportion") -> list[Arm]:
    """The arms of a CSV text (``name`` is the file name used in error messages)."""
    required, optional = COLUMNS[metric_type]
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    path = Path(name)
    if not rows:
        raise SummaryError(f"{path.name}: the file is empty; expected a header row")
    header = [h.strip().lower() for h in rows[0]]
    expected = ("arm", *required)
    missing = [c for c in expected if c not in header]
    if missing:
        raise SummaryError(
            f"{path.name}, line 1: missing column(s) {', '.join(missing)}; expected "
            f"{','.join(expected)} for a {metric_type} metric"
        )
    arms: list[Arm] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = dict(zip(header, row, strict=False))
        fields: dict[str, object] = {"name": values["arm"].strip()}
        for name in (*required, *(c for c in optional if values.get(c, "").strip())):
            column = header.index(name) + 1
            text = values.get(name, "").strip()
            try:
                number = float(text)
            except ValueError:
                raise SummaryError(
                    f"{path.name}, line {line}, column {column} ({name}): expected a number, "
                    f"got {text!r}"
                ) from None
            fields[name] = int(number) if name in ("users", "conversions") else number
        try:
            arms.append(KINDS[metric_type](**fields))
        except (TypeError, ValueError) as exc:
            raise SummaryError(f"{path.name}, line {line}: {exc}") from None
    if len(arms) < 2:
        raise SummaryError(f"{path.name}: expected a control row and at least one variant")
    return arms
