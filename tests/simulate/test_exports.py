"""Round trip: the demo's vendor exports, read back by the importers, give the demo's tables."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pilotage.importers import Context, Prepared, Taxonomy, prepare_all
from pilotage.simulate import COMPANIES, Market, simulate
from pilotage.simulate.exports import DEMO_RULES, write_exports

LINEAGE = ("source", "import_id")
# channels whose campaign HubSpot cannot carry (Organic Search, Offline Sources)
NO_CRM_CAMPAIGN = {"SEO/content", "Trade shows"}


@dataclass
class RoundTrip:
    market: Market
    folder: Path
    paths: list[Path]
    prepared: list[Prepared]

    def original(self, table: str) -> list[dict[str, Any]]:
        return _rows(self.market.tables[table])

    def imported(self, table: str) -> list[dict[str, Any]]:
        parts = [p.tables[table] for p in self.prepared if table in p.tables]
        return _rows(pa.concat_tables(parts)) if parts else []

    def table(self, table: str, *keys: str) -> pa.Table:
        """The simulated table without lineage, sorted by ``keys``."""
        rows = self.market.tables[table].drop_columns(list(LINEAGE))
        return rows.sort_by([(k, "ascending") for k in keys])

    def imported_table(self, table: str, *keys: str) -> pa.Table:
        parts = [p.tables[table] for p in self.prepared if table in p.tables]
        rows = pa.concat_tables(parts).drop_columns(list(LINEAGE))
        return rows.sort_by([(k, "ascending") for k in keys])

    def importers(self) -> dict[str, str]:
        return {p.file: p.importer for p in self.prepared}


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    return table.drop_columns(list(LINEAGE)).to_pylist()


@pytest.fixture(scope="module", params=sorted(COMPANIES))
def trip(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> RoundTrip:
    slug = request.param
    market = simulate(COMPANIES[slug], seed=42)
    folder = tmp_path_factory.mktemp(slug)
    paths = write_exports(market, folder)
    context = Context(currency="EUR", taxonomy=Taxonomy.from_data(None, DEMO_RULES[slug]))
    prepared = prepare_all([(p.name, p.read_bytes()) for p in paths], context=context)
    return RoundTrip(market, folder, paths, prepared)


def _minute(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.replace(second=0, microsecond=0)


def _second(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.replace(microsecond=0)


def _minutes(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.floor_temporal(column, unit="minute")


def test_it_writes_each_table_as_its_tools_export(trip: RoundTrip) -> None:
    used = Counter(trip.importers().values())
    b2b = trip.market.config.kind == "b2b"
    expected = {"google_ads", "pilotage_spend", "ga4_report", "mailchimp", "typeform"}
    expected |= {"pilotage_orders", "pilotage_touchpoints"}
    expected |= {"linkedin_ads", "hubspot_contacts", "hubspot_deals"} if b2b else {"meta_ads"}
    assert set(used) == expected
    assert used["ga4_report"] == 36  # one report per month
    assert [p.name for p in trip.paths] == [p.file for p in trip.prepared]
    google = next(p for p in trip.paths if p.name == "Campaign report.csv").read_bytes()
    assert google[:2] == b"\xff\xfe" and "Total: Account".encode("utf-16-le") in google


def test_it_writes_the_same_bytes_for_the_same_market(trip: RoundTrip, tmp_path: Path) -> None:
    # from the tables alone, the company is known by the batch id they carry
    again = write_exports(dict(trip.market.tables), tmp_path)
    assert [p.name for p in again] == [p.name for p in trip.paths]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, trip.paths, strict=True))


def test_it_refuses_a_language_it_cannot_write(trip: RoundTrip, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="language 'xx'"):
        write_exports(trip.market.tables, tmp_path, language="xx")


def test_it_gives_back_the_spend_by_day_channel_and_campaign(trip: RoundTrip) -> None:
    def grain(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], list[Any]]:
        out: dict[tuple[Any, ...], list[Any]] = defaultdict(lambda: [0.0, 0, 0, 0.0, 0.0])
        for r in rows:
            acc = out[(r["date"], r["channel"], r["campaign"])]
            for i, f in enumerate(
                (
                    "cost",
                    "impressions",
                    "clicks",
                    "platform_conversions",
                    "platform_conversion_value",
                )
            ):
                acc[i] += r[f] or 0
        return out

    original, imported = grain(trip.original("spend")), grain(trip.imported("spend"))
    assert len(imported) == len(original) == trip.market.tables["spend"].num_rows
    assert imported.keys() == original.keys()
    for key, (cost, impressions, clicks, conversions, value) in original.items():
        got = imported[key]
        assert got[0] == pytest.approx(cost, abs=0.005), key
        assert (got[1], got[2]) == (impressions, clicks), key
        assert got[3] == pytest.approx(conversions, abs=1e-6), key
        assert got[4] == pytest.approx(value, abs=0.005), key
    for channel in {k[1] for k in original}:
        assert sum(v[0] for k, v in imported.items() if k[1] == channel) == pytest.approx(
            sum(v[0] for k, v in original.items() if k[1] == channel), abs=0.01
        )
    assert {r["currency"] for r in trip.imported("spend")} == {"EUR"}


def test_it_gives_back_the_leads_and_their_lifecycle(trip: RoundTrip) -> None:
    if trip.market.config.kind != "b2b":
        pytest.skip("a B2C company has no leads")
    original, imported = trip.table("leads", "lead_id"), trip.imported_table("leads", "lead_id")
    assert imported["lead_id"].equals(original["lead_id"])
    lifecycle = ("mql_at", "sql_at", "opportunity_at", "customer_at", "disqualified_at")
    for name in ("created_at", *lifecycle):
        assert _minutes(imported[name]).equals(_minutes(original[name])), name
    for name in ("industry", "company_size", "region", "country"):
        assert imported[name].equals(original[name]), name
    channels = original["channel"].to_pylist()
    assert imported["channel"].to_pylist() == [c for c in channels]
    campaigns = [
        None if channel in NO_CRM_CAMPAIGN else campaign
        for channel, campaign in zip(channels, original["campaign"].to_pylist(), strict=True)
    ]
    assert imported["campaign"].to_pylist() == campaigns


def test_it_gives_back_the_deals(trip: RoundTrip) -> None:
    if trip.market.config.kind != "b2b":
        pytest.skip("a B2C company has no deals")
    original = {r["deal_id"]: r for r in trip.original("deals")}
    imported = {r["deal_id"]: r for r in trip.imported("deals")}
    assert imported.keys() == original.keys()
    for deal_id, r in original.items():
        got = imported[deal_id]
        same = ("lead_id", "account_id", "stage", "status", "amount", "currency", "pipeline")
        assert [got[f] for f in same] == [r[f] for f in same], deal_id
        assert _minute(got["created_at"]) == _minute(r["created_at"]), deal_id
        assert _minute(got["closed_at"]) == _minute(r["closed_at"]), deal_id
        assert got["channel"] == r["channel"], deal_id
    assert sum(r["amount"] for r in imported.values()) == pytest.approx(
        sum(r["amount"] for r in original.values()), abs=0.01
    )


def test_it_maps_linkedin_leads_back_to_linkedin_ads(trip: RoundTrip) -> None:
    if trip.market.config.kind != "b2b":
        pytest.skip("only the B2B demo has LinkedIn leads")
    assert "LinkedIn ads" in set(trip.imported_table("leads", "lead_id")["channel"].to_pylist())


def test_it_gives_back_the_web_sessions_by_day_and_channel(trip: RoundTrip) -> None:
    def by_day(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
        return {
            (r["date"], r["channel"], r["traffic_source"], r["medium"]): (
                r["sessions"],
                r["users"],
                r["engaged_sessions"],
                r["key_events"],
                r["revenue"],
            )
            for r in rows
        }

    original, imported = by_day(trip.original("web_traffic")), by_day(trip.imported("web_traffic"))
    assert len(imported) == trip.market.tables["web_traffic"].num_rows
    assert imported == original
    assert {r["campaign"] for r in trip.imported("web_traffic")} == {None}  # "(not set)"


def test_it_gives_back_the_email_campaigns(trip: RoundTrip) -> None:
    assert trip.imported("email_campaigns") == [
        r | {"sent_at": _minute(r["sent_at"])} for r in trip.original("email_campaigns")
    ]


def test_it_gives_back_the_survey_scores(trip: RoundTrip) -> None:
    def key(r: dict[str, Any]) -> tuple[Any, ...]:
        return (_second(r["responded_at"]), r["respondent_id"])

    original = sorted((r | {"responded_at": _second(r["responded_at"])} for r in
                       trip.original("survey_responses")), key=key)  # fmt: skip
    assert sorted(trip.imported("survey_responses"), key=key) == original


@pytest.mark.parametrize("table", ["orders", "touchpoints"])
def test_it_gives_back_the_canonical_tables(trip: RoundTrip, table: str) -> None:
    keys = {"orders": ["order_id"], "touchpoints": ["journey_id", "occurred_at", "interaction"]}
    imported = trip.imported_table(table, *keys[table])
    assert imported.equals(trip.table(table, *keys[table]))
