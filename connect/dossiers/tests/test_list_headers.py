"""Each header of the home list sits over its own cells (issue 24, item 6)."""

import re

import pytest
from django.urls import reverse

from connect.testing import login_as

pytestmark = pytest.mark.django_db


def test_each_header_sits_over_its_cells(client, world):
    html = login_as(client, world.repairer).get(reverse("home")).content.decode()
    head = html[html.index("<thead>") : html.index("</thead>")]
    headers = [
        re.sub(r"<[^>]+>", "", th).strip() for th in re.findall(r"<th[^>]*>(.*?)</th>", head)
    ]
    row = html[html.index('<tr class="dossier-row') :]
    row = row[: row.index("</tr>")]
    assert headers == re.findall(r'<td data-label="([^"]+)"', row)
    assert headers[-2:] == ["Etat dossier", "À qui la main"]
