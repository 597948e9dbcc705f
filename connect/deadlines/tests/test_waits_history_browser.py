"""In Chromium: the dossier page's history of waits fits its column, on a 390 px phone and in
the desktop side column (issue 24, item 8), with no serious axe violation."""

import pytest

from connect.checklists.services import ItemSpec, answer_item, ask_again, create_request
from connect.messaging.services import open_thread
from connect.testing import log_in
from tests.test_pages_browser import axe_violations

CLIPPED = """() => [...document.querySelectorAll('.wait-history td, .wait-history th')]
  .filter((cell) => cell.offsetParent !== null)
  .filter((cell) => {
    const box = cell.getBoundingClientRect();
    const wrap = cell.closest('.table-wrap').getBoundingClientRect();
    return box.right > wrap.right + 1 || box.left < wrap.left - 1;
  }).length"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_history_of_waits_is_never_clipped(live_server, page, world):
    dossier = world.dossier_a
    request = create_request(dossier=dossier, by=world.expert, items=[ItemSpec(label="Photo")])
    item = answer_item(item=request.items.get(), by=world.repairer, note="Voici")
    ask_again(item=item, by=world.expert, reason="Floue, reprenez-la de plus près")
    open_thread(dossier=dossier, subject_key="expert", author=world.repairer, body="Quand ?")

    log_in(page, live_server, world.repairer)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/dossiers/{dossier.code}/")
        page.locator(".dossier-waits__history summary").click()
        assert page.locator(".wait-history tbody tr").count() == 4
        assert page.evaluate(CLIPPED) == 0, f"cells clipped at {width}px"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        assert axe_violations(page) == []
