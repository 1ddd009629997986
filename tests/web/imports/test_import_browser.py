"""The import page in a real browser: files dropped on the zone, the preview, the background
import with its progress bar, and undo from the history."""

from __future__ import annotations

import base64

import pytest

from pilotage.web.worker import start_in_thread
from tests.importers.conftest import fixture_bytes
from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM, browser_personas, page  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM, reason="Debian's chromium is not installed (.ci/run installs it)"
    ),
]

DROP = """([name, b64]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], name, {type: "text/csv"}));
  const zone = document.querySelector("[data-dropzone]");
  zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: data, bubbles: true}));
  zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true}));
}"""


@pytest.fixture
def worker(settings, tmp_path):
    """A warehouse of its own, and the background worker `pilotage serve` runs."""
    settings.PILOTAGE_WAREHOUSE_DIR = tmp_path / "warehouse"
    settings.PILOTAGE_HOME = tmp_path
    running = start_in_thread(interval=0.1)
    yield running
    running.running = False
    running.thread.join(timeout=10)


def test_drop_preview_import_in_the_background_and_undo(page, live_server, worker):  # noqa: F811
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/w/industrie-demo/imports/")

    name = "google_ads_en_excel.csv"
    page.evaluate(DROP, [name, base64.b64encode(fixture_bytes(name)).decode()])
    assert page.eval_on_selector("#id_files", "input => input.files.length") == 1
    page.click("#upload-form button[type=submit]")

    page.wait_for_selector(".detected-source")
    assert page.locator(".detected-source").text_content() == "Google Ads campaign report"
    assert page.locator("text=Total: Account").count() == 1  # the skipped totals row, shown
    page.click("#confirm-form button[type=submit]")

    page.wait_for_url("**/imports/jobs/*/")
    page.wait_for_selector("#job[data-status=done]", timeout=30_000)
    assert page.locator("#job progress").get_attribute("value") == "100"
    assert "spend 3" in page.locator("#job").text_content()

    page.goto(f"{live_server.url}/w/industrie-demo/imports/")
    row = page.locator("#history tbody tr").first
    assert name in row.text_content()
    row.locator("button", has_text="Undo").click()
    page.wait_for_selector("#history >> text=undone")
    assert page.problems == []
