"""Segments defined by rules: a small, safe rule language written as data.

A rule set is a list of rules, each ``{"name": str, "conditions": [condition, …]}``, and a
condition is ``{"field": column, "op": operator, "value": value}``::

    [
        {"name": "Key accounts", "conditions": [
            {"field": "monetary", "op": ">=", "value": 50000},
            {"field": "industry", "op": "in", "value": ["Retail", "Banking"]},
        ]},
        {"name": "Dormant", "conditions": [{"field": "recency_days", "op": ">", "value": 365}]},
    ]

A customer belongs to the **first** rule all of whose conditions hold (a rule without
conditions takes everyone left); customers no rule takes are in ``other`` ("Other").
Fields are the columns of the customer table
(:attr:`~pilotage.models.segmentation.features.CustomerFeatures.columns`). Operators:

- numeric columns: ``=``, ``!=``, ``in`` (a list of numbers), ``>``, ``>=``, ``<``, ``<=``;
- categorical columns: ``=``, ``!=``, ``in`` (a list of strings).

An empty (missing) category satisfies no condition — not even ``!=`` — except ``= null``
(``"value": None``), which tests for it, ``in`` a list holding null, and ``!= null``, which
tests for a value. Nothing is
evaluated as code. :func:`parse_rules` checks the shape, :func:`check_rules` the fields and
values against a table; both raise :class:`RuleError`, naming the rule and the field.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pilotage.models.segmentation.features import CustomerFeatures

OPERATORS = ("=", "!=", "in", ">", ">=", "<", "<=")
CATEGORICAL_OPERATORS = ("=", "!=", "in")
OTHER = "Other"


class RuleError(ValueError):
    """A rule set that cannot be applied; the message names the rule and the field."""


@dataclass(frozen=True)
class Condition:
    """``field op value``."""

    field: str
    op: str
    value: Any


@dataclass(frozen=True)
class Rule:
    """A named segment: the customers for whom every condition holds."""

    name: str
    conditions: tuple[Condition, ...] = ()


def parse_rules(data: Sequence[Any], *, other: str = OTHER) -> list[Rule]:
    """Rules from their data form (see the module), checked for shape; ``RuleError`` if not."""
    if isinstance(data, str | bytes | Mapping) or not isinstance(data, Sequence):
        raise RuleError("rules must be a list of {name, conditions} objects")
    rules, names = [], set()
    for i, item in enumerate(data, start=1):
        where = f"rule {i}"
        if not isinstance(item, Mapping):
            raise RuleError(f"{where}: expected an object with name and conditions")
        unexpected = sorted(set(item) - {"name", "conditions"})
        if unexpected:
            raise RuleError(f"{where}: unexpected key(s) {', '.join(map(str, unexpected))}")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise RuleError(f"{where}: name must be a non-empty text")
        where = f"rule {i} ({name!r})"
        if name in names:
            raise RuleError(f"{where}: another rule has the same name")
        if name == other:
            raise RuleError(f"{where}: {other!r} is the name of the customers no rule takes")
        names.add(name)
        conditions = item.get("conditions", [])
        if isinstance(conditions, str | bytes | Mapping) or not isinstance(conditions, Sequence):
            raise RuleError(f"{where}: conditions must be a list")
        rules.append(
            Rule(
                name,
                tuple(
                    _condition(c, f"{where}, condition {j}")
                    for j, c in enumerate(conditions, start=1)
                ),
            )
        )
    return rules


def _condition(item: Any, where: str) -> Condition:
    if not isinstance(item, Mapping):
        raise RuleError(f"{where}: expected an object with field, op and value")
    missing = [k for k in ("field", "op", "value") if k not in item]
    if missing:
        raise RuleError(f"{where}: missing {', '.join(missing)}")
    unexpected = sorted(set(item) - {"field", "op", "value"})
    if unexpected:
        raise RuleError(f"{where}: unexpected key(s) {', '.join(map(str, unexpected))}")
    field, op, value = item["field"], item["op"], item["value"]
    if not isinstance(field, str) or not field:
        raise RuleError(f"{where}: field must be a column name")
    if op not in OPERATORS:
        raise RuleError(
            f"{where}, field {field!r}: operator {op!r} is not one of {' '.join(OPERATORS)}"
        )
    if op == "in":
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
            raise RuleError(f"{where}, field {field!r}: 'in' needs a list of values")
        value = tuple(value)
    return Condition(field, op, value)


def check_rules(rules: Sequence[Rule], features: CustomerFeatures) -> None:
    """Check that every field is a column and every value fits its column and operator."""
    for i, rule in enumerate(rules, start=1):
        for j, c in enumerate(rule.conditions, start=1):
            where = f"rule {i} ({rule.name!r}), condition {j}, field {c.field!r}"
            if c.field not in features.columns:
                raise RuleError(f"{where}: no such column (columns: {', '.join(features.columns)})")
            values = c.value if c.op == "in" else (c.value,)
            if features.is_numeric(c.field):
                bad = [v for v in values if not _is_number(v)]
                if bad:
                    raise RuleError(f"{where}: {c.op!r} needs a number, got {bad[0]!r}")
            else:
                if c.op not in CATEGORICAL_OPERATORS:
                    raise RuleError(
                        f"{where}: {c.op!r} does not apply to a categorical column "
                        f"(use =, != or in)"
                    )
                bad = [v for v in values if v is not None and not isinstance(v, str)]
                if bad:
                    raise RuleError(f"{where}: {c.op!r} needs a text value, got {bad[0]!r}")


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def apply_rules(
    rules: Sequence[Rule] | Sequence[Mapping[str, Any]],
    features: CustomerFeatures,
    *,
    other: str = OTHER,
) -> np.ndarray:
    """The segment name of every customer: the first rule that holds, else ``other``.

    ``rules`` are :class:`Rule` objects or their data form (parsed by :func:`parse_rules`).
    """
    if all(isinstance(r, Rule) for r in rules):
        parsed = [r for r in rules if isinstance(r, Rule)]
    else:
        parsed = parse_rules(rules, other=other)
    names = [r.name for r in parsed]
    if other in names:
        raise RuleError(f"rule {other!r}: that is the name of the customers no rule takes")
    check_rules(parsed, features)
    result = np.full(len(features), other, dtype=object)
    free = np.ones(len(features), dtype=bool)
    for rule in parsed:
        holds = free.copy()
        for c in rule.conditions:
            holds &= _holds(c, features)
        result[holds] = rule.name
        free &= ~holds
    return result


def _holds(c: Condition, features: CustomerFeatures) -> np.ndarray:
    column = features.column(c.field)
    if features.is_numeric(c.field):
        x = np.asarray(column, dtype=float)
        if c.op == "in":
            return np.isin(x, np.asarray(c.value, dtype=float))
        v = float(c.value)
        return {
            "=": x == v,
            "!=": x != v,
            ">": x > v,
            ">=": x >= v,
            "<": x < v,
            "<=": x <= v,
        }[c.op]
    values = np.asarray(column, dtype=object)
    empty = np.array([v is None for v in values.tolist()], dtype=bool)
    if c.op == "in":
        wanted = set(c.value)
        return np.array([v in wanted for v in values.tolist()], dtype=bool)
    if c.value is None:
        return empty if c.op == "=" else ~empty
    same = np.array([v == c.value for v in values.tolist()], dtype=bool)
    return same if c.op == "=" else ~same & ~empty
