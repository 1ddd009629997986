"""Retro-planning on the action page: milestones from a deadline, moved by hand, kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pilotage.execution.retroplanning import TEMPLATES, french_holidays, plan_backwards
from pilotage.web.actions.models import Milestone

pytestmark = pytest.mark.django_db


def test_it_plans_back_from_the_deadline_and_keeps_a_date_moved_by_hand(client, personas, plan):
    client.force_login(personas.owner)
    action = plan["outsourced"]
    slug = personas.workspace.slug
    retro = reverse("action_retroplan", args=[slug, action.pk])
    client.post(retro, {"template": "trade_show", "deadline": "2026-03-17"})
    expected = {p.key: p.due for p in plan_backwards(TEMPLATES["trade_show"], dt.date(2026, 3, 17))}
    planned = {m.template_step: m.due for m in Milestone.objects.filter(action=action)}
    assert planned == expected
    # the printing is moved by hand; the show moves a week: the moved date stays
    printing = Milestone.objects.get(action=action, template_step="print")
    moved = printing.due - dt.timedelta(days=5)
    update = reverse("milestone_update", args=[slug, action.pk, printing.pk])
    client.post(update, {"due": moved.isoformat()})
    client.post(retro, {"template": "trade_show", "deadline": "2026-03-24"})
    after = {m.template_step: m.due for m in Milestone.objects.filter(action=action)}
    assert after["print"] == moved
    later = {p.key: p.due for p in plan_backwards(TEMPLATES["trade_show"], dt.date(2026, 3, 24))}
    assert {k: v for k, v in after.items() if k != "print"} == {
        k: v for k, v in later.items() if k != "print"
    }
    assert Milestone.objects.filter(action=action).count() == len(later)


def test_it_skips_weekends_and_french_holidays_in_working_days(client, personas, plan):
    client.force_login(personas.owner)
    action = plan["outsourced"]
    url = reverse("action_retroplan", args=[personas.workspace.slug, action.pk])
    client.post(url, {"template": "trade_show", "deadline": "2026-05-20", "business_days": "on"})
    holidays = {dt.date(2026, 5, 1), dt.date(2026, 5, 8), dt.date(2026, 5, 14)}
    for milestone in Milestone.objects.filter(action=action).exclude(due=dt.date(2026, 5, 20)):
        assert milestone.due.weekday() < 5 and milestone.due not in holidays, milestone


def test_it_skips_the_holidays_of_the_workspaces_own_country(client, personas, plan):
    # a company in England: the early May bank holiday is skipped, 8 May and Ascension are not
    workspace = personas.workspace
    workspace.country, workspace.region = "GB", "ENG"
    workspace.save()
    client.force_login(personas.owner)
    action = plan["outsourced"]
    url = reverse("action_retroplan", args=[workspace.slug, action.pk])
    client.post(url, {"template": "trade_show", "deadline": "2026-05-20", "business_days": "on"})
    dues = set(Milestone.objects.filter(action=action).values_list("due", flat=True))
    assert dt.date(2026, 5, 4) not in dues

    def planned(holidays):
        steps = plan_backwards(
            TEMPLATES["trade_show"], dt.date(2026, 5, 20), business_days=True, holidays=holidays
        )
        return {p.due for p in steps}

    english = planned(workspace.public_holidays([2025, 2026]))
    french = planned(french_holidays(2026))
    assert dues == english != french
    page = client.get(reverse("action", args=[workspace.slug, action.pk])).content.decode()
    assert "Working days skip the public holidays of: United Kingdom (ENG)" in page
    assert reverse("holidays_settings", args=[workspace.slug]) in page  # the owner may change it
