"""Actions imported from task tools through the web: preview, all or nothing, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pilotage.web.actions.models import Action, Partner, PartnerKind, Status
from pilotage.web.workspaces.services import add_member, create_user

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[2] / "execution" / "fixtures"


def _upload(client, personas, name: str):
    data = (FIXTURES / name).read_bytes()
    url = reverse("action_import", args=[personas.workspace.slug])
    preview = client.post(url, {"file": SimpleUploadedFile(name, data)})
    assert preview.status_code == 200
    return preview


def _commit(client, personas, preview):
    ctx = preview.context
    return client.post(
        reverse("action_import_commit", args=[personas.workspace.slug]),
        {"stored": ctx["stored"], "filename": ctx["filename"], "tool": ctx["tool"]},
    )


@pytest.mark.parametrize(
    "name",
    [
        "asana_marketing_plan.csv",
        "trello_product_launch.csv",
        "monday_marketing_board.csv",
        "notion_tasks.csv",
    ],
)
def test_it_imports_each_tools_export_once(client, personas, name):
    client.force_login(personas.owner)
    preview = _upload(client, personas, name)
    drafts = preview.context["drafts"]
    assert drafts and not Action.objects.exists()  # a preview writes nothing
    assert _commit(client, personas, preview).status_code == 302
    actions = Action.objects.filter(workspace=personas.workspace)
    assert sorted(a.title for a in actions) == sorted(d.title[:200] for d in drafts)
    assert {a.external_id for a in actions} == {d.external_id for d in drafts}
    first = {a.pk: (a.title, a.start, a.end, a.status, a.budget) for a in actions}
    # the same file again changes nothing
    again = _commit(client, personas, _upload(client, personas, name))
    assert again.status_code == 302
    assert {a.pk: (a.title, a.start, a.end, a.status, a.budget) for a in actions.all()} == first


def test_it_matches_assignees_to_members_and_partners(client, personas):
    claire = create_user("claire", "x", email="claire.dubois@example.com")
    add_member(personas.workspace, claire, "manager")
    Partner.objects.create(
        workspace=personas.workspace, name="Studio Graphik", kind=PartnerKind.AGENCY
    )
    client.force_login(personas.owner)
    _commit(client, personas, _upload(client, personas, "asana_marketing_plan.csv"))
    stand = Action.objects.get(title="Book the stand at Vivatech")
    assert stand.owner == claire
    design = Action.objects.get(title="Design the stand and printed material")
    assert design.partner.name == "Studio Graphik"
    # dependencies come across: the brief waits for the booking
    brief = Action.objects.get(title="Brief the stand agency")
    assert list(brief.depends_on.all()) == [stand]
    # tasks that do not answer QQOQCCP yet are ideas, whatever the tool said
    assert all(a.status == Status.IDEA for a in Action.objects.all())


def test_it_imports_nothing_from_a_file_with_a_bad_row(client, personas):
    client.force_login(personas.owner)
    preview = _upload(client, personas, "asana_bad_rows.csv")
    problems = preview.context["problems"]
    assert problems and any("line 3" in p for p in problems)
    assert not Action.objects.exists()
