"""The core system reads the checklist's and the supplements' events in its feed."""

from decimal import Decimal

from connect.api.models import ApiToken
from connect.api.schemas import EVENT_KINDS
from connect.checklists.services import ItemSpec, answer_item, ask_again, create_request
from connect.checklists.tests.helpers import photo
from connect.supplements.services import SupplementDraft, decide_supplement, submit_supplement
from connect.testing import ApiClient


def test_the_feed_carries_requests_answers_and_supplement_decisions(client, world):
    dossier = world.dossier_a
    request = create_request(dossier=dossier, by=world.expert, items=[ItemSpec("Photo", "photo")])
    item = answer_item(item=request.items.get(), by=world.repairer, files=[photo()])
    ask_again(item=item, by=world.expert, reason="Floue")
    supplement = submit_supplement(
        dossier=dossier, by=world.repairer, draft=SupplementDraft(Decimal("300.00"))
    )
    decide_supplement(
        supplement=supplement,
        by=world.expert,
        outcome="partly",
        accepted_amount=Decimal("250.00"),
        reason="Barème",
    )

    api = ApiClient(client, ApiToken.issue("core")[1])
    events = api.get("/api/v1/events").json()["events"]

    kinds = [event["kind"] for event in events]
    assert kinds == [
        "request.created",
        "request_item.answered",
        "request_item.asked_again",
        "supplement.submitted",
        "supplement.decided",
    ]
    assert set(kinds) <= set(EVENT_KINDS)
    answered = events[1]
    assert answered["dossier"] == dossier.reference and answered["garage"] == "GA"
    assert answered["payload"]["item"]["label"] == "Photo"
    assert answered["payload"]["item"]["doc_type"] == "photo"
    [document] = answered["documents"]
    assert api.get(document["url"]).status_code == 200
    decided = events[-1]["payload"]
    assert (decided["amount"], decided["accepted_amount"]) == ("300.00", "250.00")
    assert decided["outcome"] == "partly" and decided["reason"] == "Barème"
