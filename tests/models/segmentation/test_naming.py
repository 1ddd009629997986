"""Segment names: plain words from the RFM tiers, bilingual, unique."""

import datetime as dt

import pytest

from pilotage.models.segmentation import (
    SegmentProfile,
    SegmentProfiles,
    TopValue,
    build_customer_features,
    profile_segments,
    suggest_names,
)


def _profile(segment, customers, r, f, m, industry=()):
    top = {"industry": tuple(TopValue(v, round(s * customers), s) for v, s in industry)}
    return SegmentProfile(
        segment=segment,
        customers=customers,
        customer_share=0.0,
        orders=0,
        revenue=0.0,
        revenue_share=None,
        gross_margin=None,
        margin_missing_orders=0,
        revenue_last_12m=0.0,
        revenue_previous_12m=0.0,
        growth=None,
        average_order_value=None,
        ltv=None,
        ltv_basis="revenue",
        new_customers=0,
        marketing_cost=None,
        cac=None,
        ltv_to_cac=None,
        mean_recency_days=None,
        mean_frequency=None,
        mean_monetary=None,
        mean_r_score=r,
        mean_f_score=f,
        mean_m_score=m,
        top_values=top,
    )


def _profiles(*segments, overall_industry=(("Retail", 0.3), ("Banking", 0.25))):
    overall = _profile(None, 1000, 3, 3, 3, overall_industry)
    return SegmentProfiles(tuple(segments), overall, dt.date(2024, 12, 31), "EUR")


def test_it_names_segments_from_their_rfm_tiers_in_english_and_french():
    names = suggest_names(
        _profiles(
            _profile(0, 300, 4.5, 4.5, 4.5),
            _profile(1, 250, 1.5, 1.5, 1.5),
            _profile(2, 200, 4.0, 1.2, 2.0),
            _profile(3, 150, 3.0, 3.0, 3.0),
            _profile(4, 100, 2.0, 4.0, 4.0),
        )
    )
    assert [(n.en, n.fr) for n in names.values()] == [
        ("High-value loyal customers", "Clients fidèles à forte valeur"),
        ("Lapsed small buyers", "Petits acheteurs perdus"),
        ("New small buyers", "Nouveaux petits acheteurs"),
        ("Mid-value repeat customers", "Clients réguliers à valeur moyenne"),
        ("Lapsed high-value loyal customers", "Clients fidèles perdus à forte valeur"),
    ]
    assert (names[1].value, names[1].frequency, names[1].recency) == ("low", "low", "low")


def test_it_adds_a_category_only_when_it_dominates_the_segment_and_not_everyone():
    names = suggest_names(
        _profiles(
            _profile(0, 300, 4.5, 4.5, 4.5, [("Retail", 0.7)]),
            _profile(1, 200, 4.5, 4.5, 4.5, [("Retail", 0.6)]),  # not more than 60%
            _profile(2, 100, 1.5, 1.5, 1.5, [(None, 0.9)]),  # an empty value is no name
        )
    )
    assert names[0].en == "High-value loyal customers (Retail)"
    assert names[0].fr == "Clients fidèles à forte valeur (Retail)"
    assert names[0].dominant == ("Retail",)
    assert names[1].en == "High-value loyal customers"
    assert names[2].en == "Lapsed small buyers"
    everywhere = suggest_names(
        _profiles(
            _profile(0, 300, 4.5, 4.5, 4.5, [("Retail", 0.9)]),
            overall_industry=(("Retail", 0.65),),
        )
    )
    assert everywhere[0].en == "High-value loyal customers"


def test_it_makes_names_unique_the_largest_segment_keeping_the_plain_one():
    names = suggest_names(
        _profiles(
            _profile(0, 100, 4.5, 4.5, 4.5),
            _profile(1, 300, 4.6, 4.4, 4.0),
            _profile(2, 200, 4.0, 4.0, 3.9),
            _profile(3, 50, 1.0, 1.0, 1.0),
        )
    )
    assert names[1].en == "High-value loyal customers"
    assert names[2].en == "High-value loyal customers (2)"
    assert names[0].en == "High-value loyal customers (3)"
    assert names[0].fr == "Clients fidèles à forte valeur (3)"
    for language in ("en", "fr"):
        found = [getattr(n, language) for n in names.values()]
        assert len(set(found)) == len(found)


def test_it_falls_back_to_numbered_segments_without_rfm_scores():
    names = suggest_names(
        _profiles(_profile("a", 10, None, None, None), _profile("b", 5, None, None, None))
    )
    assert [(n.en, n.fr) for n in names.values()] == [
        ("Segment 1", "Segment 1"),
        ("Segment 2", "Segment 2"),
    ]


def test_it_names_profiles_built_from_orders():
    orders = [
        {"customer_id": c, "ordered_at": d, "revenue": r}
        for c, dates, r in [
            ("a", ["2024-12-01", "2024-11-01", "2024-10-01", "2024-09-01"], 500.0),
            ("b", ["2024-12-15", "2024-11-15", "2024-10-15"], 400.0),
            ("c", ["2023-01-01"], 10.0),
            ("d", ["2023-02-01"], 20.0),
        ]
        for d in dates
    ]
    features = build_customer_features(orders, as_of="2024-12-31")
    names = suggest_names(profile_segments(features, [0, 0, 1, 1], orders))
    assert names[0].en == "High-value loyal customers"
    assert names[1].fr == "Petits acheteurs perdus"
    with pytest.raises(ValueError, match="dominance"):
        suggest_names(profile_segments(features, [0, 0, 1, 1], orders), dominance=1.5)
