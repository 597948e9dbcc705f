from connect.messaging.models import Message, Thread
from connect.messaging.tests.helpers import pdf_file, photo, post_new


def test_a_repairer_writes_to_the_expert_with_a_typed_quote(as_repairer, world):
    response = post_new(
        as_repairer,
        world.dossier_a,
        "expert",
        body="Bonjour",
        files=[pdf_file(), photo()],
        types=["devis", "diagnostic"],
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    thread = Thread.objects.get()
    assert thread.routed_to == world.expert
    message = Message.objects.get()
    assert sorted(d.doc_type for d in message.documents.all()) == ["devis", "diagnostic"]
    page = as_repairer.get(response["Location"])
    assert page.status_code == 200
    assert "Bonjour" in page.content.decode()
