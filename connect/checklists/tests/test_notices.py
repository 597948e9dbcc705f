"""What the expert asks again reaches the garage as a request does: an e-mail to its repairers
(those who did not opt out) with the reason, and the push (connect/push/tests)."""

from connect.accounts.models import NotificationMode, NotificationPreference
from connect.checklists.services import ItemSpec, answer_item, create_request
from connect.checklists.tests.helpers import ask_again_url
from connect.testing import login_as, run_tasks


def test_asking_again_mails_the_garage_with_the_reason(client, world, mailoutbox):
    request = create_request(
        dossier=world.dossier_a, by=world.expert, items=[ItemSpec(label="Photo ¾ avant droit")]
    )
    item = answer_item(item=request.items.get(), by=world.repairer, note="La voici")
    NotificationPreference.objects.create(user=world.colleague, mode=NotificationMode.NONE)
    run_tasks()
    mailoutbox.clear()

    login_as(client, world.expert).post(ask_again_url(item), {"reason": "Photo floue"})
    run_tasks()

    [mail] = mailoutbox
    assert mail.to == [world.repairer.email]
    assert mail.subject == f"Complément redemandé · dossier {world.dossier_a.reference}"
    assert "Photo ¾ avant droit" in mail.body and "Photo floue" in mail.body
    assert "#checklist" in mail.body
