import pytest
from django.urls import reverse

from connect.testing import PASSWORD, login_as
from connect.updates.models import ServiceUpdate, ServiceUpdateSeen

pytestmark = pytest.mark.django_db

WINDOW = "data-updates-window"


def publish(version, title="Nouveautés", body="Texte.", **fields):
    return ServiceUpdate.objects.create(
        version=version,
        title=title,
        body=body,
        is_published=fields.pop("is_published", True),
        **fields,
    )


def log_in(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client.get(response["Location"])


def test_window_opens_after_login_with_unread_updates_newest_first(client, world):
    from datetime import date

    publish("24.9.3", "Ancienne", published_on=date(2024, 9, 16))
    publish("24.9.5", "Récente", published_on=date(2024, 10, 7))
    page = log_in(client, world.repairer).content.decode()
    assert WINDOW in page and "Mises à jour du service" in page
    assert page.index("24.9.5") < page.index("24.9.3")
    assert "Marquer comme lu" in page


def test_window_shows_only_on_the_first_page_after_login(client, world):
    publish("24.9.5")
    log_in(client, world.repairer)
    assert WINDOW not in client.get(reverse("home")).content.decode()


def test_window_reopens_at_each_login_until_marked_read(client, world):
    update = publish("24.9.5")
    assert WINDOW in log_in(client, world.repairer).content.decode()
    client.post(reverse("logout"))
    assert WINDOW in log_in(client, world.repairer).content.decode()

    client.post(reverse("updates:mark_seen"), {"update": [update.pk]})
    client.post(reverse("logout"))
    assert WINDOW not in log_in(client, world.repairer).content.decode()


def test_marking_read_is_per_user(client, world):
    update = publish("24.9.5")
    ServiceUpdateSeen.objects.create(user=world.repairer, update=update)
    assert WINDOW not in log_in(client, world.repairer).content.decode()
    client.post(reverse("logout"))
    assert WINDOW in log_in(client, world.colleague).content.decode()


def test_marking_read_is_per_update(client, world):
    first = publish("24.9.3", "Première")
    publish("24.9.5", "Seconde")
    ServiceUpdateSeen.objects.create(user=world.repairer, update=first)
    page = log_in(client, world.repairer).content.decode()
    assert "Seconde" in page and "Première" not in page


def test_drafts_are_never_shown(client, world):
    publish("25.1.0", "Brouillon secret", is_published=False)
    assert WINDOW not in log_in(client, world.repairer).content.decode()
    listing = client.get(reverse("updates:list")).content.decode()
    assert "Brouillon secret" not in listing


def test_a_draft_cannot_be_marked_read(client, world):
    draft = publish("25.1.0", is_published=False)
    login_as(client, world.repairer).post(reverse("updates:mark_seen"), {"update": [draft.pk]})
    assert not ServiceUpdateSeen.objects.exists()


def test_marking_read_twice_is_harmless_and_redirects_back(client, world):
    update = publish("24.9.5")
    login_as(client, world.repairer)
    for _ in range(2):
        response = client.post(
            reverse("updates:mark_seen"), {"update": [update.pk], "next": "/aide/"}
        )
        assert response.status_code == 302 and response["Location"] == "/aide/"
    assert ServiceUpdateSeen.objects.filter(user=world.repairer).count() == 1


def test_mark_read_refuses_to_redirect_elsewhere(client, world):
    login_as(client, world.repairer)
    response = client.post(reverse("updates:mark_seen"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("updates:list")


def test_mark_read_through_htmx_answers_a_partial(client, world):
    update = publish("24.9.5")
    login_as(client, world.repairer)
    response = client.post(
        reverse("updates:mark_seen"), {"update": [update.pk, "x"]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and b"<html" not in response.content
    assert ServiceUpdateSeen.objects.filter(user=world.repairer, update=update).exists()


def test_window_is_absent_for_anonymous_visitors(client, world):
    publish("24.9.5")
    assert WINDOW not in client.get(reverse("login")).content.decode()


def test_window_costs_one_query_on_the_first_page_and_none_after(
    client, world, django_assert_num_queries
):
    from django.template import Context, Template
    from django.test import RequestFactory

    from connect.updates.window import SHOW_UPDATES

    publish("24.9.5")
    request = RequestFactory().get("/")
    request.user = world.repairer
    request.session = {SHOW_UPDATES: True}
    template = Template("{% load updates %}{% updates_window %}{% updates_window %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"request": request}))
    assert html.count(WINDOW) == 2
    with django_assert_num_queries(0):
        request2 = RequestFactory().get("/")
        request2.user, request2.session = world.repairer, {}
        assert WINDOW not in template.render(Context({"request": request2}))


def test_the_list_shows_every_published_update_with_unread_marks(client, world):
    read = publish("24.9.3", "Lue")
    publish("24.9.5", "Pas lue")
    ServiceUpdateSeen.objects.create(user=world.repairer, update=read)
    page = login_as(client, world.repairer).get(reverse("updates:list")).content.decode()
    assert "Lue" in page and "Pas lue" in page
    assert page.count("Non lue") == 1


def test_the_list_does_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    for index in range(10):
        publish(f"24.9.{index}")
    login_as(client, world.repairer)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("updates:list")).status_code == 200


def test_without_javascript_fermer_records_the_ticks_and_an_untick_clears_a_mark(client, world):
    first, second = publish("24.9.3"), publish("24.9.5")
    page = log_in(client, world.repairer).content.decode()
    # One form, one button: "Fermer" submits what is ticked (no separate "Valider").
    assert "Valider" not in page and page.count('name="shown"') == 2
    client.post(reverse("updates:mark_seen"), {"update": [first.pk], "shown": [first.pk]})
    client.post(
        reverse("updates:mark_seen"),
        {"update": [second.pk], "shown": [first.pk, second.pk], "next": "/aide/"},
    )
    seen = ServiceUpdateSeen.objects.filter(user=world.repairer)
    assert list(seen.values_list("update", flat=True)) == [second.pk]


def test_each_side_sees_only_the_updates_written_for_it(client, world):
    from connect.updates.models import Audience

    publish("24.9.1", "Pour tous", audience=Audience.BOTH)
    publish("24.9.2", "Transmettre vos tarifs", audience=Audience.REPAIRERS)
    publish("24.9.3", "Boîte de réception du cabinet", audience=Audience.STAFF)
    repairer = log_in(client, world.repairer).content.decode()
    assert "Pour tous" in repairer and "Transmettre vos tarifs" in repairer
    assert "Boîte de réception du cabinet" not in repairer
    listing = client.get(reverse("updates:list")).content.decode()
    assert "Boîte de réception du cabinet" not in listing and "Pour tous" in listing
    staff = (
        ServiceUpdate.objects.published().for_reader(world.expert).values_list("version", flat=True)
    )
    assert sorted(staff) == ["24.9.1", "24.9.3"]
