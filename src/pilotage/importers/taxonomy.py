"""The channel taxonomy: a workspace's channels and the rules that map raw sources onto them.

A rule matches case-insensitive shell-style patterns (``google*``, ``*cpc*``) on the raw
``platform`` (which tool the row came from), ``source``, ``medium`` and ``campaign``. The
workspace's own rules are tried first; then a source that already names a channel keeps it;
then the built-in rules; an unmatched row goes to ``fallback``. Rules are plain data (a list
of dicts), so the web app stores them per workspace and the library applies them at import
and again over history when they change.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

DEFAULT_CHANNELS: tuple[str, ...] = (
    "Paid search",
    "Paid social",
    "Display",
    "Email",
    "SEO/content",
    "Organic social",
    "Referral",
    "Direct",
    "Trade shows",
    "Print catalogue",
    "Webinars",
    "Distributors/partners",
    "Affiliates",
    "Other",
)


@dataclass(frozen=True)
class Rule:
    channel: str
    platform: str = "*"
    source: str = "*"
    medium: str = "*"
    campaign: str = "*"

    def matches(self, values: Mapping[str, str | None]) -> bool:
        for key in ("platform", "source", "medium", "campaign"):
            pattern = getattr(self, key)
            if pattern in ("", "*"):
                continue
            value = (values.get(key) or "").lower()
            if not fnmatch.fnmatchcase(value, pattern.lower()):
                return False
        return True

    def as_dict(self) -> dict[str, str]:
        return {
            k: getattr(self, k) for k in ("channel", "platform", "source", "medium", "campaign")
        }


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("Paid search", platform="google_ads"),
    Rule("Paid search", platform="microsoft_ads"),
    Rule("Paid social", platform="meta_ads"),
    Rule("Paid social", platform="linkedin_ads"),
    # HubSpot "Original Traffic Source" labels and internal values
    Rule("Paid search", source="paid search"),
    Rule("Paid search", source="paid_search"),
    Rule("Paid social", source="paid social"),
    Rule("Paid social", source="paid_social"),
    Rule("SEO/content", source="organic search"),
    Rule("SEO/content", source="organic_search"),
    Rule("Email", source="email marketing"),
    Rule("Email", source="email_marketing"),
    Rule("Organic social", source="organic social"),
    Rule("Organic social", source="social media"),
    Rule("Organic social", source="social_media"),
    Rule("Referral", source="referrals"),
    Rule("Referral", source="ai referrals"),
    Rule("Referral", source="ai_referrals"),
    Rule("Direct", source="direct traffic"),
    Rule("Direct", source="direct_traffic"),
    Rule("Other", source="offline sources"),
    Rule("Other", source="offline"),
    Rule("Other", source="other campaigns"),
    Rule("Other", source="other_campaigns"),
    # Salesforce lead sources (defaults) and common custom values
    Rule("Trade shows", source="*trade show*"),
    Rule("Trade shows", source="*salon*"),
    Rule("Webinars", source="*webinar*"),
    Rule("Distributors/partners", source="partner"),
    Rule("Distributors/partners", source="partners"),
    Rule("Distributors/partners", source="partner referral"),
    Rule("Distributors/partners", source="*distribut*"),
    Rule("Referral", source="*referral*"),
    # GA4 default channel groups
    Rule("Paid search", source="paid search"),
    Rule("SEO/content", source="organic search"),
    Rule("Paid social", source="paid social"),
    Rule("Organic social", source="organic social"),
    Rule("Display", source="display"),
    Rule("Email", source="email"),
    Rule("Affiliates", source="affiliates"),
    Rule("Referral", source="referral"),
    Rule("Direct", source="direct"),
    # utm source / medium
    Rule("Paid search", medium="cpc", source="google*"),
    Rule("Paid search", medium="cpc", source="bing*"),
    Rule("Paid search", medium="ppc"),
    Rule("Paid social", medium="paid_social"),
    Rule("Paid social", medium="paid-social"),
    Rule("Paid social", medium="cpc", source="*facebook*"),
    Rule("Paid social", medium="cpc", source="*linkedin*"),
    Rule("Paid social", medium="cpc", source="*instagram*"),
    Rule("Paid search", medium="cpc"),
    Rule("Display", medium="display"),
    Rule("Display", medium="cpm"),
    Rule("Display", medium="banner"),
    Rule("SEO/content", medium="organic"),
    Rule("Email", medium="email"),
    Rule("Email", medium="e-mail"),
    Rule("Email", medium="newsletter"),
    Rule("Organic social", medium="social"),
    Rule("Referral", medium="referral"),
    Rule("Affiliates", medium="affiliate*"),
    Rule("Direct", source="(direct)"),
    Rule("Email", platform="mailchimp"),
    Rule("Email", platform="brevo"),
)


@dataclass(frozen=True)
class Taxonomy:
    channels: tuple[str, ...] = DEFAULT_CHANNELS
    rules: tuple[Rule, ...] = DEFAULT_RULES
    fallback: str = "Other"
    own: tuple[Rule, ...] = ()  # the workspace's rules: tried before everything else

    @classmethod
    def from_data(
        cls,
        channels: Iterable[str] | None,
        rules: Iterable[Mapping[str, str]] | None,
        fallback: str = "Other",
    ) -> Taxonomy:
        """A taxonomy from stored data; the defaults fill what is not given."""
        chosen = tuple(channels) if channels else DEFAULT_CHANNELS
        own = tuple(Rule(**{k: v for k, v in r.items() if v is not None}) for r in (rules or ()))
        return cls(chosen, DEFAULT_RULES, fallback, own)

    def classify(
        self,
        *,
        platform: str | None = None,
        source: str | None = None,
        medium: str | None = None,
        campaign: str | None = None,
    ) -> str:
        """The channel of a row: the workspace's own rules first, then a source that already
        names a channel keeps it, then the built-in rules, then ``fallback``."""
        values = {"platform": platform, "source": source, "medium": medium, "campaign": campaign}
        for rule in self.own:
            if rule.matches(values):
                return rule.channel
        if source:
            for channel in self.channels:
                if channel.lower() == source.strip().lower():
                    return channel
        for rule in self.rules:
            if rule.matches(values):
                return rule.channel
        return self.fallback
