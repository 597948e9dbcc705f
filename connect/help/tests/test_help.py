import pytest
from django.urls import reverse

from connect.help.models import LegalPage
from connect.help.topics import TOPICS
from connect.messaging.subjects import SUBJECTS
from connect.testing import login_as

pytestmark = pytest.mark.django_db

HELP_URLS = [reverse("help")] + [reverse("help_topic", kwargs={"topic": t.slug}) for t in TOPICS]


@pytest.mark.parametrize("url", HELP_URLS)
def test_every_help_page_opens_for_a_repairer_and_anonymously(client, world, url):
    assert client.get(url).status_code == 200
    page = login_as(client, world.repairer).get(url).content.decode()
    assert "Support du portail" in page and "extranet-reparateur@" in page


def test_the_index_links_every_topic(client):
    page = client.get(reverse("help")).content.decode()
    for topic in TOPICS:
        assert reverse("help_topic", kwargs={"topic": topic.slug}) in page


def test_the_guides_topics_are_covered(client):
    titles = " ".join(t.title for t in TOPICS)
    for word in (
        "Se connecter",
        "onglets",
        "Rechercher",
        "Documents",
        "Messagerie",
        "ESD",
        "Suivi VE",
        "tarifs publics",
    ):
        assert word in titles


def test_an_unknown_topic_is_a_404(client):
    assert client.get("/aide/inconnu/").status_code == 404


def test_the_messaging_help_shows_the_subject_table(client):
    page = client.get(reverse("help_topic", kwargs={"topic": "messagerie"})).content.decode()
    page = page.replace("&#x27;", "'")
    for subject in SUBJECTS:
        assert subject.label in page
    assert "photo → Dommages supplémentaires ; PDF → Supplément réparateur" in page
    assert "Conseiller client" in page and "Expert" in page


def test_help_is_reachable_from_every_page(client, world):
    page = login_as(client, world.repairer).get(reverse("updates:list")).content.decode()
    assert f'href="{reverse("help")}"' in page


def test_legal_pages_show_the_built_in_text_without_a_row(client):
    assert "Éditeur" in client.get(reverse("legal")).content.decode()
    privacy = client.get(reverse("privacy")).content.decode()
    for heading in ("Données traitées", "Pourquoi", "Combien de temps", "Vos droits"):
        assert heading in privacy


def test_an_administrator_edits_the_legal_notice(client, world):
    login_as(client, world.admin)
    response = client.post(
        reverse("admin:help_legalpage_add"),
        {
            "slug": "mentions-legales",
            "title": "Mentions légales",
            "body": "## Éditeur\n\nBCA Expertise SAS <script>alert(1)</script>",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("legal")).content.decode()
    assert "BCA Expertise SAS" in page and "<h2>Éditeur</h2>" in page
    assert "<script>alert(1)" not in page
    LegalPage.objects.filter(slug="mentions-legales").update(title="Nouveau titre")
    assert "Nouveau titre" in client.get(reverse("legal")).content.decode()


def test_the_privacy_page_is_editable_too(client, world):
    LegalPage.objects.create(slug="donnees-personnelles", title="Vos données", body="Texte *revu*.")
    page = client.get(reverse("privacy")).content.decode()
    assert "Vos données" in page and "<em>revu</em>" in page
