"""Staff reach a garage's dashboard: "Tableau de bord" leads them to their unit's garages, and
the garage and dossier pages link to it (issue 24, item 22: `/tableau-de-bord/` was a 404)."""

from django.urls import reverse

from connect.messaging.services import open_thread
from connect.testing import login_as

ALL = reverse("dashboard:all")


def dashboard_of(garage):
    return reverse("dashboard:garage", kwargs={"garage_id": garage.pk})


def test_staff_on_the_dashboards_address_are_sent_to_their_units_garages(client, world):
    for user in (world.expert, world.advisor, world.manager):
        response = login_as(client, user).get(ALL)
        assert response.status_code == 302 and response["Location"] == reverse("staff:garages")


def test_the_staff_garage_page_links_to_its_dashboard(client, world):
    login_as(client, world.expert)
    page = client.get(reverse("staff:garage", kwargs={"garage_id": world.garage_a.pk}))
    assert f'href="{dashboard_of(world.garage_a)}"' in page.content.decode()
    assert client.get(dashboard_of(world.garage_a)).status_code == 200


def test_the_staff_dossier_pages_link_to_the_garages_dashboard(client, world):
    thread = open_thread(
        dossier=world.dossier_a, subject_key="divers", author=world.repairer, body="Bonjour"
    ).thread
    login_as(client, world.advisor)
    link = f'href="{dashboard_of(world.garage_a)}"'
    documents = reverse("staff:dossier_documents", kwargs={"code": world.dossier_a.code})
    assert link in client.get(documents).content.decode()
    thread_page = reverse("staff:thread", kwargs={"staff_thread_code": thread.code})
    assert link in client.get(thread_page).content.decode()


def test_staff_of_another_unit_still_get_a_404(client, world):
    login_as(client, world.other_expert)
    assert client.get(dashboard_of(world.garage_a)).status_code == 404
