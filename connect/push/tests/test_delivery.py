"""A firm reply, an exam decided, a published document reach the subscribed browsers through
the task queue and a push service on the loopback that decrypts them with the browser's keys."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from connect.jobs.models import Delivery
from connect.messaging.services import open_thread, post_message, request_field_exam
from connect.push.models import PushKind, PushPreference, PushSubscription
from connect.push.tests.helpers import subscribe
from connect.testing import login_as, run_tasks

pytestmark = pytest.mark.django_db


def reply_from_the_firm(world):
    thread = open_thread(
        dossier=world.dossier_a, subject_key="divers", author=world.repairer, body="Bonjour"
    ).thread
    post_message(thread=thread, author=world.expert, body="Le rapport de M. Ogic est prêt")
    return thread


def thread_path(world, thread):
    return reverse(
        "messaging:thread", kwargs={"code": world.dossier_a.code, "thread_code": thread.code}
    )


def test_a_firm_reply_is_pushed_encrypted_to_the_garage_users_browser(client, world, push_service):
    browser = push_service.browser()
    assert subscribe(client, world.repairer, browser).status_code == 201

    thread = reply_from_the_firm(world)
    run_tasks()

    [received] = push_service.received
    assert received.payload == {
        "kind": "firm_reply",
        "title": "Nouvelle réponse du cabinet",
        "body": "Dossier 99677",
        "url": thread_path(world, thread),
        "tag": "firm_reply:99677",
    }
    assert received.headers["content-encoding"] == "aes128gcm"
    assert int(received.headers["ttl"]) > 0
    assert received.claims["sub"] == "mailto:support@test.fr"
    subscription = PushSubscription.objects.get()
    assert subscription.last_success_at is not None and subscription.failures == 0
    assert subscription.user_agent_label == "Chrome · Android"


def test_the_payload_carries_nothing_personal_beyond_the_reference(client, world, push_service):
    browser = push_service.browser()
    subscribe(client, world.repairer, browser)
    reply_from_the_firm(world)
    run_tasks()

    text = str(push_service.payloads(browser)).lower()
    dossier = world.dossier_a
    personal = [dossier.insured_name, dossier.plate, dossier.claim_reference, dossier.vehicle]
    personal += ["ogic", "rapport", world.expert.email, world.expert.full_name, "garage a"]
    for value in personal:
        assert value.lower() not in text


def test_the_repairers_own_message_is_not_pushed_to_them(client, world, push_service):
    subscribe(client, world.repairer, push_service.browser())
    open_thread(dossier=world.dossier_a, subject_key="divers", author=world.repairer, body="x")
    run_tasks()
    assert push_service.received == []


def test_each_colleague_gets_it_on_each_of_their_browsers(client, world, push_service):
    phone, desktop, colleague = (push_service.browser() for _ in range(3))
    subscribe(client, world.repairer, phone)
    subscribe(client, world.repairer, desktop)
    subscribe(client, world.colleague, colleague)
    outsider = push_service.browser()
    subscribe(client, world.other_repairer, outsider)

    reply_from_the_firm(world)
    run_tasks()

    assert sorted(r.token for r in push_service.received) == sorted(
        b.token for b in (phone, desktop, colleague)
    )


def test_a_subscription_the_push_service_says_is_gone_is_deleted(client, world, push_service):
    gone, alive = push_service.browser(), push_service.browser()
    subscribe(client, world.repairer, gone)
    subscribe(client, world.repairer, alive)
    push_service.answer(gone, 410)

    reply_from_the_firm(world)
    run_tasks()

    assert [s.endpoint for s in PushSubscription.objects.all()] == [alive.endpoint]
    assert len(push_service.payloads(alive)) == 1
    assert DBTaskResult.objects.get(task_path__endswith="send_push").status == "SUCCESSFUL"


def test_a_retry_pushes_only_to_the_browsers_not_reached(client, world, push_service):
    first, flaky = push_service.browser(), push_service.browser()
    subscribe(client, world.repairer, first)
    subscribe(client, world.repairer, flaky)
    push_service.answer(flaky, 503)

    reply_from_the_firm(world)
    run_tasks()
    job = DBTaskResult.objects.get(task_path__endswith="send_push")
    assert job.status == "READY"  # back in the queue after a backoff
    assert PushSubscription.objects.get(endpoint=flaky.endpoint).failures == 1
    assert len(push_service.payloads(first)) == 1 and push_service.payloads(flaky) == []

    DBTaskResult.objects.filter(pk=job.pk).update(run_after=timezone.now() - timedelta(seconds=1))
    run_tasks()

    assert len(push_service.payloads(first)) == 1  # not twice
    assert len(push_service.payloads(flaky)) == 1
    assert Delivery.objects.filter(key__startswith=f"push:{job.pk}:").count() == 2
    assert PushSubscription.objects.get(endpoint=flaky.endpoint).failures == 0
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"


def test_a_job_run_again_after_it_sent_pushes_nothing(client, world, push_service):
    browser = push_service.browser()
    subscribe(client, world.repairer, browser)
    reply_from_the_firm(world)
    run_tasks()
    job = DBTaskResult.objects.get(task_path__endswith="send_push")

    # As if the worker died after sending, before recording the job's end.
    DBTaskResult.objects.filter(pk=job.pk).update(status="READY", run_after=timezone.now())
    run_tasks()

    assert len(push_service.payloads(browser)) == 1


def test_an_exam_the_expert_confirms_is_pushed_with_its_thread(client, world, push_service):
    from connect.messaging.services import visit_dates

    browser = push_service.browser()
    subscribe(client, world.repairer, browser)
    day = visit_dates(world.garage_a)[0]
    message = request_field_exam(
        dossier=world.dossier_a, requested_date=day, reason="Choc", author=world.repairer
    )
    login_as(client, world.expert)
    confirm = reverse("staff:exam_confirm", kwargs={"staff_thread_code": message.thread.code})
    assert client.post(confirm, {"day": day.isoformat(), "time": "14:30"}).status_code == 302
    run_tasks()

    kinds = {p["kind"]: p for p in push_service.payloads(browser)}
    assert kinds["exam_decided"]["url"] == thread_path(world, message.thread)
    assert kinds["exam_decided"]["title"] == "Réponse à votre demande d'examen"
    # The firm's message that goes with the decision is that push: one notification.
    assert len(push_service.payloads(browser)) == 1
    assert "14:30" not in str(kinds)  # the appointment stays in the portal


def test_an_exam_declined_is_pushed(client, world, push_service):
    from connect.messaging.services import decline_exam

    browser = push_service.browser()
    subscribe(client, world.repairer, browser)
    day = timezone.localdate() + timedelta(days=2)
    message = request_field_exam(
        dossier=world.dossier_a, requested_date=day, reason="Choc", author=world.repairer
    )
    decline_exam(exam=message.thread.exam_request, by=world.expert, reason="Complet")
    post_message(thread=message.thread, author=world.expert, body="Rappelez-nous si besoin.")
    run_tasks()
    # The decision's own message is the decision; the next one is a reply.
    kinds = sorted(p["kind"] for p in push_service.payloads(browser))
    assert kinds == ["exam_decided", "firm_reply"]


def test_a_published_document_is_pushed_with_the_dossier_page(client, world, push_service):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from connect.documents import samples
    from connect.documents.models import DocumentType, Origin
    from connect.messaging.publishing import publish_document

    browser = push_service.browser()
    subscribe(client, world.repairer, browser)
    publish_document(
        dossier=world.dossier_a,
        file=SimpleUploadedFile("rapport.pdf", samples.pdf("rapport.pdf", pages=1)),
        doc_type=DocumentType.EXPERT_REPORT,
        origin=Origin.FIRM,
        author=world.expert,
    )
    run_tasks()
    [payload] = push_service.payloads(browser)
    assert payload["kind"] == PushKind.DOCUMENT_PUBLISHED
    assert payload["url"] == reverse("dossier_detail", kwargs={"code": world.dossier_a.code})


def test_a_checklist_request_is_pushed_and_mailed_with_the_checklist(
    client, world, push_service, mailoutbox
):
    from connect.accounts.models import NotificationMode, NotificationPreference
    from connect.checklists.services import ItemSpec, create_request

    browser = push_service.browser()
    subscribe(client, world.repairer, browser)
    NotificationPreference.objects.create(user=world.colleague, mode=NotificationMode.NONE)
    create_request(
        dossier=world.dossier_a, by=world.expert, items=[ItemSpec(label="Photo ¾ avant droit")]
    )
    run_tasks()

    [payload] = push_service.payloads(browser)
    assert payload["kind"] == PushKind.CHECKLIST_REQUEST
    page = reverse("dossier_detail", kwargs={"code": world.dossier_a.code})
    assert payload["url"] == page + "#checklist"
    [mail] = [m for m in mailoutbox if world.dossier_a.reference in m.subject]
    assert mail.to == [world.repairer.email] and "Photo ¾ avant droit" in mail.body
    assert "Compléments demandés" in mail.subject


def test_a_redirect_from_the_push_service_is_not_followed(client, world, push_service):
    redirected, elsewhere = push_service.browser(), push_service.browser()
    subscribe(client, world.repairer, redirected)
    push_service.redirect(redirected, to=elsewhere.endpoint)  # elsewhere: not subscribed

    reply_from_the_firm(world)
    run_tasks()

    assert push_service.received == []
    assert PushSubscription.objects.get().failures == 1
    assert DBTaskResult.objects.get(task_path__endswith="send_push").status == "READY"


def test_a_browser_failing_for_days_is_dropped(client, world, push_service):
    from connect.push.tasks import MAX_FAILURES

    browser = push_service.browser()
    subscribe(client, world.repairer, browser)
    PushSubscription.objects.update(failures=MAX_FAILURES - 1)
    push_service.answer(browser, 500)

    reply_from_the_firm(world)
    run_tasks()
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("8.8.8.8", True),
        ("2a00:1450:4007:80e::200a", True),
        ("10.0.0.5", False),
        ("172.16.3.4", False),
        ("192.168.1.1", False),
        ("127.0.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("240.0.0.1", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.1.2.3", False),
    ],
)
def test_only_a_public_address_is_posted_to(address, allowed, settings):
    from connect.push.transport import address_allowed

    settings.PUSH_TEST_SERVICE = ""
    assert address_allowed(address, 443) is allowed


def test_an_allowed_name_resolving_into_our_network_is_refused_at_send_time(
    client, world, push_service, settings
):
    """The URL passes (here the loopback server named `localhost`: think of a push service's
    name pointed at our network by its DNS); the address connected to is what is refused, once:
    the subscription is deleted and the job is not retried."""
    browser = push_service.browser()
    settings.PUSH_TEST_SERVICE = f"http://localhost:{push_service.port}"
    subscription = browser.subscription()
    PushSubscription.objects.create(
        user=world.repairer,
        endpoint=f"http://localhost:{push_service.port}/push/{browser.token}",
        p256dh=subscription["keys"]["p256dh"],
        auth=subscription["keys"]["auth"],
    )
    PushPreference.objects.bulk_create(
        [PushPreference(user=world.repairer, kind=kind, enabled=True) for kind in PushKind.values]
    )

    reply_from_the_firm(world)
    run_tasks()

    assert push_service.received == []
    assert not PushSubscription.objects.exists()
    assert DBTaskResult.objects.get(task_path__endswith="send_push").status == "SUCCESSFUL"


def test_a_supplement_decision_is_pushed_to_the_garage(client, world, push_service):
    from decimal import Decimal

    from connect.supplements.services import SupplementDraft, decide_supplement, submit_supplement

    browser = push_service.browser()
    subscribe(client, world.repairer, browser)
    supplement = submit_supplement(
        dossier=world.dossier_a, by=world.repairer, draft=SupplementDraft(Decimal("90"))
    )
    decide_supplement(supplement=supplement, by=world.expert, outcome="accepted")
    run_tasks()

    [payload] = push_service.payloads(browser)
    assert payload["kind"] == PushKind.SUPPLEMENT_DECIDED == "supplement_decided"
    assert payload["title"] == "Décision sur votre supplément"
    page = reverse("dossier_detail", kwargs={"code": world.dossier_a.code})
    assert payload["url"] == f"{page}#supplement-{supplement.code}"


def test_an_item_asked_again_is_pushed_like_a_request(client, world, push_service):
    from connect.checklists.services import ItemSpec, answer_item, ask_again, create_request

    request = create_request(
        dossier=world.dossier_a, by=world.expert, items=[ItemSpec(label="Photo ¾ avant droit")]
    )
    item = answer_item(item=request.items.get(), by=world.repairer, note="La voici")
    browser = push_service.browser()
    subscribe(client, world.repairer, browser)
    ask_again(item=item, by=world.expert, reason="Floue")
    run_tasks()

    [payload] = push_service.payloads(browser)
    assert payload["kind"] == PushKind.CHECKLIST_REQUEST
    page = reverse("dossier_detail", kwargs={"code": world.dossier_a.code})
    assert payload["url"] == page + "#checklist"


@pytest.mark.parametrize("decision", ["paid", "rejected"])
def test_an_invoice_paid_or_rejected_is_pushed_with_its_own_kind(
    client, world, push_service, decision
):
    from datetime import date
    from decimal import Decimal

    from connect.invoices.services import pay_invoice, reject_invoice, validate_invoice
    from connect.invoices.tests.helpers import send_invoice

    browser = push_service.browser()
    subscribe(client, world.repairer, browser)
    invoice = send_invoice(world.dossier_a, world.colleague)
    run_tasks()
    push_service.received.clear()  # the invoice's own message is the garage's, not pushed back
    if decision == "paid":
        validate_invoice(invoice=invoice, by=world.expert, amount_incl_vat=Decimal("800"))
        pay_invoice(
            invoice=invoice,
            by=world.expert,
            paid_on=date(2026, 11, 2),
            amount=Decimal("800"),
            reference="VIR-1",
        )
    else:
        reject_invoice(invoice=invoice, by=world.expert, reason="Montant illisible.")
    run_tasks()

    [payload] = push_service.payloads(browser)
    assert payload["kind"] == PushKind.INVOICE_DECIDED
    assert payload["title"] == "Facture payée ou refusée"
    assert payload["url"] == reverse("invoices:mine")


def test_the_push_choices_offer_every_kind_there_is():
    """Each kind a writer pushes can be chosen (supplements, invoices, requests and re-asks)."""
    from connect.push.forms import PushPreferencesForm

    offered = [value for value, _ in PushPreferencesForm().fields["kinds"].choices]
    assert offered == PushKind.values
    assert "invoice_decided" in offered
