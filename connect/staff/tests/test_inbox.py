import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from connect.accounts.models import Role, User
from connect.messaging.models import Thread, ThreadSeen, ThreadStatus
from connect.messaging.services import open_thread, post_message
from connect.staff import inbox as staff_inbox
from connect.testing import login_as, run_tasks

pytestmark = pytest.mark.django_db


def ask(world, dossier, subject="expert", body="Bonjour", author=None):
    return open_thread(
        dossier=dossier, subject_key=subject, author=author or world.repairer, body=body
    ).thread


def inbox(client, **params):
    return client.get(reverse("staff:inbox"), params)


def listed(response):
    return [thread.pk for thread in response.context["page"]]


def test_routing_lands_in_the_right_inbox(client, world):
    to_expert = ask(world, world.dossier_a, "expert")
    to_advisor = ask(world, world.dossier_a, "divers")
    world.dossier_b.advisor = None
    world.dossier_b.save()
    to_advisor_pool = ask(world, world.dossier_b, "conseiller", author=world.other_repairer)
    other_unit = ask(world, world.dossier_c, "expert", author=world.other_expert)

    assert listed(inbox(login_as(client, world.expert))) == [to_expert.pk]
    assert set(listed(inbox(login_as(client, world.advisor)))) == {
        to_advisor.pk,
        to_advisor_pool.pk,
    }
    assert set(listed(inbox(login_as(client, world.manager)))) == {
        to_expert.pk,
        to_advisor.pk,
        to_advisor_pool.pk,
    }
    assert listed(inbox(login_as(client, world.other_expert))) == [other_unit.pk]


def test_another_advisor_of_the_unit_sees_the_pool_but_not_a_colleagues_threads(client, world):
    second = User.objects.create_user(
        "conseiller2@test.fr", "x", role=Role.ADVISOR, unit=world.unit1
    )
    personal = ask(world, world.dossier_a, "divers")
    world.dossier_b.advisor = None
    world.dossier_b.save()
    pool = ask(world, world.dossier_b, "divers", author=world.other_repairer)
    assert listed(inbox(login_as(client, second))) == [pool.pk]
    assert personal.routed_to == world.advisor


def test_threads_of_another_unit_or_role_are_404(client, world):
    other_unit = ask(world, world.dossier_c, "expert", author=world.other_expert)
    advisor_thread = ask(world, world.dossier_a, "divers")
    login_as(client, world.expert)
    for thread in (other_unit, advisor_thread):
        url = reverse("staff:thread", kwargs={"staff_thread_code": thread.code})
        assert client.get(url).status_code == 404
        reply = reverse("staff:thread_reply", kwargs={"staff_thread_code": thread.code})
        assert client.post(reply, {"body": "x"}).status_code == 404
    assert (
        login_as(client, world.manager)
        .get(reverse("staff:thread", kwargs={"staff_thread_code": advisor_thread.code}))
        .status_code
        == 200
    )


def test_unread_first_with_counts_and_filters(client, world, django_assert_max_num_queries):
    old = ask(world, world.dossier_a, "expert", body="ancien")
    read = ask(world, world.dossier_b, "methodologie", author=world.other_repairer)
    login_as(client, world.expert)
    client.get(reverse("staff:thread", kwargs={"staff_thread_code": read.code}))
    closed = ask(world, world.dossier_a, "expert", body="clos")
    Thread.objects.filter(pk=closed.pk).update(status=ThreadStatus.CLOSED)
    newest_read = ask(world, world.dossier_a, "expert", body="lu")
    client.get(reverse("staff:thread", kwargs={"staff_thread_code": newest_read.code}))

    with django_assert_max_num_queries(14):
        response = inbox(client, tri="recent")
    assert listed(response) == [old.pk, newest_read.pk, read.pk]
    assert [(key, n) for key, _, n in response.context["tabs"]] == [
        ("ouverts", 3),
        ("non-lus", 1),  # the unread closed thread is handled: not "to read"
        ("clos", 1),
        ("tous", 4),
    ]
    assert listed(inbox(client, etat="non-lus")) == [old.pk]
    assert listed(inbox(client, etat="clos")) == [closed.pk]
    # The whole history reads by recency only.
    assert listed(inbox(client, etat="tous")) == [newest_read.pk, closed.pk, read.pk, old.pk]
    assert listed(inbox(client, objet="methodologie")) == [read.pk]
    assert listed(inbox(client, garage=world.garage_b.pk)) == [read.pk]
    assert {k: n for k, _, n in response.context["subject_counts"]} == {
        "expert": 2,
        "methodologie": 1,
    }


def test_search_by_reference_plate_or_garage(client, world):
    a = ask(world, world.dossier_a, "expert")
    b = ask(world, world.dossier_b, "expert", author=world.other_repairer)
    login_as(client, world.expert)
    assert listed(inbox(client, q="99677")) == [a.pk]
    assert listed(inbox(client, q="fp 562 ab")) == [b.pk]
    assert listed(inbox(client, q="garage b")) == [b.pk]
    assert listed(inbox(client, q="%")) == []
    assert listed(inbox(client, q="zzz\x00")) == []


def test_inbox_pages_by_25(client, world):
    for n in range(27):
        ask(world, world.dossier_a, "expert", body=f"n{n}")
    login_as(client, world.expert)
    first = inbox(client)
    assert len(listed(first)) == 25
    second = inbox(client, page=2)
    assert len(listed(second)) == 2
    assert "page=2" in first.content.decode()


def test_reply_is_a_novelty_for_the_repairer_and_emails_the_garage(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from connect.documents import samples

    thread = ask(world, world.dossier_a, "expert", body="Question")
    run_tasks()
    mail.outbox.clear()
    login_as(client, world.expert)
    page = client.get(reverse("staff:thread", kwargs={"staff_thread_code": thread.code}))
    assert page.status_code == 200 and "GG-010-MZ" in page.content.decode()
    token = page.context["form"].initial["token"]
    response = client.post(
        reverse("staff:thread_reply", kwargs={"staff_thread_code": thread.code}),
        {
            "token": token,
            "body": "Voici le rapport",
            "files": SimpleUploadedFile("rapport.pdf", samples.pdf("r")),
            "types": "rapport_expertise",
        },
    )
    assert response.status_code == 302
    message = thread.messages.order_by("-id").first()
    assert message.side == "firm" and message.author == world.expert
    (document,) = message.documents.all()
    assert document.doc_type == "rapport_expertise" and document.origin == "firm"
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.last_message_at == message.created_at
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == ["collegue@test.fr", "reparateur@test.fr"]
    home = login_as(client, world.repairer).get(reverse("home"))
    assert home.status_code == 200


def test_an_empty_reply_or_a_reply_on_a_closed_thread_stores_nothing(client, world):
    thread = ask(world, world.dossier_a, "expert")
    login_as(client, world.expert)
    url = reverse("staff:thread_reply", kwargs={"staff_thread_code": thread.code})
    token = "6f1c0f4e-3f43-4c1a-9b59-5b7b6c7f1e11"
    assert client.post(url, {"token": token, "body": ""}).status_code == 400
    status_url = reverse("staff:thread_status", kwargs={"staff_thread_code": thread.code})
    client.post(status_url, {"status": "closed"})
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.CLOSED
    assert client.post(url, {"token": token, "body": "Bonjour"}).status_code == 400
    assert thread.messages.count() == 1
    client.post(status_url, {"status": "open"})
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.OPEN
    assert client.post(url, {"token": token, "body": "Bonjour"}).status_code == 302
    assert thread.messages.count() == 2


def test_staff_reply_is_seen_by_the_repairer_in_the_messages_tab(client, world):
    thread = ask(world, world.dossier_a, "expert")
    post_message(thread=thread, author=world.expert, body="Réponse de l'expert")
    page = login_as(client, world.repairer).get(
        reverse(
            "messaging:thread", kwargs={"code": world.dossier_a.code, "thread_code": thread.code}
        )
    )
    assert "Réponse de l&#x27;expert" in page.content.decode()


def test_thread_page_has_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    thread = ask(world, world.dossier_a, "expert")
    for n in range(5):
        post_message(thread=thread, author=world.repairer, body=f"suite {n}")
    login_as(client, world.expert)
    url = reverse("staff:thread", kwargs={"staff_thread_code": thread.code})
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("suite ") == 5


def test_htmx_filtering_returns_only_the_results(client, world):
    ask(world, world.dossier_a, "expert")
    login_as(client, world.expert)
    response = client.get(reverse("staff:inbox"), {"q": "99677"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "99677" in html


def test_workspace_home_shows_unread_threads_and_own_garages(client, world):
    thread = ask(world, world.dossier_a, "expert")
    page = login_as(client, world.expert).get(reverse("staff:home"))
    html = page.content.decode()
    assert page.context["unseen_count"] == 1 and thread in page.context["latest"]
    assert "Mon garage" in html and "Garage C" not in html
    assert 'href="/espace/"' in html and "Espace cabinet" in html
    assert "Espace cabinet" not in login_as(client, world.repairer).get("/").content.decode()


def test_open_threads_page_unread_first_across_pages(client, world):
    threads = [ask(world, world.dossier_a, "expert", body=f"n{n}") for n in range(27)]
    newest_first = threads[::-1]
    for thread in newest_first[:3]:  # the three newest are read
        ThreadSeen.objects.create(user=world.expert, thread=thread, seen_at=timezone.now())
    login_as(client, world.expert)
    unread, read = newest_first[3:], newest_first[:3]
    first, second = inbox(client, tri="recent"), inbox(client, page=2, tri="recent")
    assert listed(first) == [t.pk for t in unread + read[:1]]
    assert listed(second) == [t.pk for t in read[1:]]
    assert "Page 2 sur 2" in second.content.decode()


def test_history_counts_stop_at_the_cap_and_pages_read_without_a_total(client, world, monkeypatch):
    monkeypatch.setattr(staff_inbox, "COUNT_CAP", 3)
    monkeypatch.setattr(staff_inbox, "PAGE_SIZE", 2)
    closed = [ask(world, world.dossier_a, "expert", body=f"n{n}") for n in range(5)]
    Thread.objects.filter(pk__in=[t.pk for t in closed]).update(status=ThreadStatus.CLOSED)
    still_open = ask(world, world.dossier_a, "expert")
    login_as(client, world.expert)

    response = inbox(client, etat="clos")
    tabs = {key: n for key, _, n in response.context["tabs"]}
    assert tabs == {"ouverts": 1, "non-lus": 1, "clos": 3, "tous": 4}
    assert tabs["clos"].capped and tabs["tous"].capped
    html = response.content.decode()
    assert "3+</span>" in html and "4+</span>" in html
    assert "Page 1</span>" in html and "sur" not in html.split("Page 1")[1][:10]
    pages = [listed(inbox(client, etat="clos", page=n)) for n in (1, 2, 3, 4)]
    assert pages == [[closed[4].pk, closed[3].pk], [closed[2].pk, closed[1].pk], [closed[0].pk], []]
    assert listed(inbox(client, etat="tous"))[0] == still_open.pk


def test_search_matching_many_dossiers_still_finds_their_threads(client, world, monkeypatch):
    monkeypatch.setattr(staff_inbox, "SEARCH_IDS_CAP", 0)
    a = ask(world, world.dossier_a, "expert")
    b = ask(world, world.dossier_b, "expert", author=world.other_repairer)
    login_as(client, world.expert)
    assert listed(inbox(client, q="garage b")) == [b.pk]
    assert listed(inbox(client, q="99677")) == [a.pk]


def test_facets_and_filtered_tab_counts_follow_the_unread_state(client, world):
    read = ask(world, world.dossier_a, "expert")
    ask(world, world.dossier_a, "methodologie")
    ask(world, world.dossier_b, "expert", author=world.other_repairer)
    ThreadSeen.objects.create(user=world.expert, thread=read, seen_at=timezone.now())
    login_as(client, world.expert)

    unread = inbox(client, etat="non-lus")
    assert {k: n for k, _, n in unread.context["subject_counts"]} == {
        "expert": 1,
        "methodologie": 1,
    }
    assert {pk: n for pk, _, n in unread.context["garage_counts"]} == {
        world.garage_a.pk: 1,
        world.garage_b.pk: 1,
    }
    by_subject = inbox(client, objet="expert")
    assert [(k, n) for k, _, n in by_subject.context["tabs"]][:2] == [
        ("ouverts", 2),
        ("non-lus", 1),
    ]
    by_garage = inbox(client, garage=world.garage_a.pk)
    assert [(k, n) for k, _, n in by_garage.context["tabs"]][:2] == [("ouverts", 2), ("non-lus", 1)]


def test_the_firms_attachment_type_has_no_default_and_must_be_chosen(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from connect.documents import samples
    from connect.documents.models import Document

    thread = ask(world, world.dossier_a, "expert", body="Question")
    login_as(client, world.expert)
    page = client.get(reverse("staff:thread", kwargs={"staff_thread_code": thread.code}))
    html = page.content.decode()
    select = html[html.index('<select id="id_types"') :]
    first_option = select[select.index("<option") : select.index("</option>")]
    assert first_option == '<option value="">Choisir le type'
    assert "<option selected" not in select[: select.index("</select>")]
    response = client.post(
        reverse("staff:thread_reply", kwargs={"staff_thread_code": thread.code}),
        {
            "token": page.context["form"].initial["token"],
            "body": "Voici le rapport",
            "files": SimpleUploadedFile("rapport.pdf", samples.pdf("r")),
            "types": "",
        },
    )
    assert response.status_code == 400
    assert "Choisissez le type de « rapport.pdf »" in response.content.decode()
    assert not Document.objects.exists() and thread.messages.count() == 1
