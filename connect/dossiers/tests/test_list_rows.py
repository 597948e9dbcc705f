"""The list's rows, rendered in Python (connect/dossiers/list_rows.py): escaping and marks."""

import re

from django.utils import timezone

from connect.dossiers.novelty import mark_documents_seen, mark_messages_seen
from connect.testing import login_as

HOSTILE = "<script>alert('x')</script> & \"Co\""


def test_every_value_in_a_row_is_escaped(client, world):
    world.dossier(
        "10050",
        world.garage_a,
        claim_reference=HOSTILE,
        vehicle=HOSTILE,
        insurer=HOSTILE,
        status_label=HOSTILE,
        insured_name=HOSTILE,
    )
    html = login_as(client, world.repairer).get("/").content.decode()
    assert "<script>alert" not in html
    escaped = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Co&quot;"
    assert html.count(escaped) == 5  # claim, vehicle, insurer, status, insured name


def test_a_row_shows_its_ve_novelty_and_history_marks(client, world):
    dossier = world.dossier(
        "10051", world.garage_a, ve_procedure=True, archived=True, plate="ZZ-999-ZZ"
    )
    dossier.last_document_at = dossier.last_message_at = timezone.now()
    dossier.save()
    html = login_as(client, world.repairer).get("/", {"q": "ZZ-999-ZZ"}).content.decode()
    row = html[html.index('<tr class="dossier-row') : html.index("</tr>", html.index("10051"))]
    assert row.startswith('<tr class="dossier-row is-new is-archived">')
    assert f'href="/dossiers/{dossier.code}/"' in row and ">10051</a>" in row
    assert 'title="Procédure véhicule endommagé">VE</abbr>' in row
    assert 'role="img" aria-label="Nouveau document"><title>Nouveau document</title>' in row
    assert 'role="img" aria-label="Nouveau message"><title>Nouveau message</title>' in row
    assert '<span class="badge badge--history">Historique</span>' in row

    mark_documents_seen(world.repairer, dossier)
    html = client.get("/", {"q": "ZZ-999-ZZ"}).content.decode()
    assert 'aria-label="Nouveau document"' not in html and 'aria-label="Nouveau message"' in html


def test_row_marks_the_novelties_filter_and_the_count_agree(client, world):
    """Marks and filter use correlated subqueries, the count a join: same rule for both."""
    now = timezone.now()
    seen_messages_only = world.dossier("10052", world.garage_a)
    seen_exactly = world.dossier("10053", world.garage_a)
    for dossier in (seen_messages_only, seen_exactly):
        dossier.last_document_at = now
        dossier.save()

    mark_messages_seen(world.repairer, seen_messages_only, at=now)  # documents_seen_at NULL
    mark_documents_seen(world.repairer, seen_exactly, at=now)  # seen at the very instant
    login_as(client, world.repairer)
    response = client.get("/", {"nouveautes": "1"})
    assert {d.reference for d in response.context["page"].object_list} == {"10052"}
    assert response.context["counts"]["novelties"] == 1
    flags = {d.reference: d.has_new_documents for d in client.get("/").context["page"].object_list}
    assert flags["10052"] is True and flags["10053"] is False


def test_french_counts_are_singular_for_zero_and_one():
    from connect.dossiers.templatetags.formats import french_plural

    assert [f"{n} résultat{french_plural(n)}" for n in (0, 1, 2)] == [
        "0 résultat",
        "1 résultat",
        "2 résultats",
    ]


# Where a font lacks them these render as empty boxes: geometric shapes (● ▲ ▼), symbols and
# dingbats (✉ ✓), emoji (📄). Arrows (← →) are in every Latin font and stay.
MISSING_GLYPHS = re.compile("[\u25a0-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]")


def test_marks_are_svg_icons_with_text_not_font_symbols(client, world):
    dossier = world.dossier("10052", world.garage_a, plate="ZZ-998-ZZ")
    dossier.last_document_at = dossier.last_message_at = timezone.now()
    dossier.save()
    login_as(client, world.repairer)
    for params in ({}, {"tri": "immatriculation"}, {"tri": "-immatriculation"}):
        html = client.get("/", params).content.decode()
        assert not MISSING_GLYPHS.findall(html), params
    assert html.count("<svg") >= 4 and "<title>Nouveau message</title>" in html
