"""Rule-based segments: first matching rule wins, the rest is "Other", bad rules are named."""

import pytest

from pilotage.models.segmentation import (
    OTHER,
    Condition,
    CustomerFeatures,
    Rule,
    RuleError,
    apply_rules,
    build_customer_features,
    parse_rules,
)

FEATURES = CustomerFeatures.from_columns(
    ["c1", "c2", "c3", "c4", "c5", "c6"],
    {
        "monetary": [5000.0, 200.0, 8000.0, 100.0, 3000.0, 50.0],
        "recency_days": [10.0, 400.0, 500.0, 30.0, 20.0, 900.0],
    },
    {"industry": ["Retail", "Retail", "Banking", None, "Chemicals", "Retail"]},
)
RULES = [
    {
        "name": "Key accounts",
        "conditions": [
            {"field": "monetary", "op": ">=", "value": 1000},
            {"field": "industry", "op": "in", "value": ["Retail", "Banking"]},
        ],
    },
    {"name": "Dormant", "conditions": [{"field": "recency_days", "op": ">", "value": 365}]},
    {"name": "Retail", "conditions": [{"field": "industry", "op": "=", "value": "Retail"}]},
]


def test_it_puts_each_customer_in_the_first_rule_that_holds():
    assert apply_rules(RULES, FEATURES).tolist() == [
        "Key accounts",  # c1: ≥ 1000 and Retail (Retail would also hold)
        "Dormant",  # c2: 400 days (Retail would also hold)
        "Key accounts",  # c3: Banking, 8000 (Dormant would also hold)
        OTHER,  # c4: no industry, small, recent
        OTHER,  # c5: Chemicals is not in the list
        "Dormant",  # c6
    ]
    reordered = [RULES[2], RULES[0], RULES[1]]
    assert apply_rules(reordered, FEATURES).tolist()[:3] == ["Retail", "Retail", "Key accounts"]


def test_it_treats_an_empty_category_as_matching_nothing_but_null():
    def segment(op, value):
        rule = [{"name": "R", "conditions": [{"field": "industry", "op": op, "value": value}]}]
        return apply_rules(rule, FEATURES, other="-").tolist()

    assert segment("!=", "Retail") == ["-", "-", "R", "-", "R", "-"]  # c4 (empty) is not in
    assert segment("=", None) == ["-", "-", "-", "R", "-", "-"]
    assert segment("!=", None) == ["R", "R", "R", "-", "R", "R"]
    assert segment("in", ["Chemicals", None]) == ["-", "-", "-", "R", "R", "-"]


def test_it_takes_everyone_left_in_a_rule_without_conditions_and_accepts_rule_objects():
    rules = [Rule("Big", (Condition("monetary", ">", 4000),)), Rule("Everyone else")]
    assert (
        apply_rules(rules, FEATURES).tolist()
        == ["Big", "Everyone else", "Big"] + ["Everyone else"] * 3
    )


def test_it_reads_rfm_columns_of_a_feature_table():
    orders = [
        {"customer_id": "a", "ordered_at": "2024-01-01", "revenue": 10.0},
        {"customer_id": "b", "ordered_at": "2024-06-01", "revenue": 10.0},
    ]
    features = build_customer_features(orders)
    rules = [
        {"name": "Top recency", "conditions": [{"field": "r_score", "op": ">=", "value": 3}]},
        {
            "name": "Asleep",
            "conditions": [{"field": "rfm_segment", "op": "=", "value": "hibernating"}],
        },
    ]
    assert apply_rules(rules, features).tolist() == ["Asleep", "Top recency"]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (
            [{"name": "Big", "conditions": [{"field": "spend", "op": ">", "value": 1}]}],
            r"rule 1 \('Big'\), condition 1, field 'spend': no such column",
        ),
        (
            [{"name": "Big", "conditions": [{"field": "monetary", "op": "~", "value": 1}]}],
            r"rule 1 \('Big'\), condition 1, field 'monetary': operator '~' is not one of",
        ),
        (
            [{"name": "Big", "conditions": [{"field": "monetary", "op": ">", "value": "lots"}]}],
            r"rule 1 \('Big'\), condition 1, field 'monetary': '>' needs a number, got 'lots'",
        ),
        (
            [{"name": "R", "conditions": [{"field": "industry", "op": ">", "value": "A"}]}],
            r"field 'industry': '>' does not apply to a categorical column",
        ),
        (
            [{"name": "R", "conditions": [{"field": "industry", "op": "in", "value": "Retail"}]}],
            r"rule 1 \('R'\), condition 1, field 'industry': 'in' needs a list",
        ),
        (
            [{"name": "R", "conditions": [{"field": "industry", "op": "=", "value": 3}]}],
            r"field 'industry': '=' needs a text value, got 3",
        ),
        (
            [{"name": "R", "conditions": [{"field": "industry", "op": "="}]}],
            r"rule 1 \('R'\), condition 1: missing value",
        ),
        ([{"name": "A"}, {"name": "A"}], r"rule 2 \('A'\): another rule has the same name"),
        ([{"name": "Other"}], r"rule 1 \('Other'\): 'Other' is the name of the customers"),
        ([{"name": ""}], r"rule 1: name must be a non-empty text"),
        ([{"name": "A", "when": []}], r"rule 1: unexpected key\(s\) when"),
        ({"name": "A"}, r"rules must be a list"),
    ],
)
def test_it_names_the_rule_and_field_of_a_bad_rule(rules, message):
    with pytest.raises(RuleError, match=message):
        apply_rules(rules, FEATURES)


def test_it_parses_rules_into_plain_objects():
    parsed = parse_rules(RULES)
    assert parsed[0] == Rule(
        "Key accounts",
        (Condition("monetary", ">=", 1000), Condition("industry", "in", ("Retail", "Banking"))),
    )
    assert isinstance(RuleError("x"), ValueError)
