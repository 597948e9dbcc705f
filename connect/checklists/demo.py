"""Demo checklists: on the first dossier of garages 1 and 2 (the expert's conversation of
messaging's demo), the expert asks for three items; in garage 1 one is answered with a photo,
one answered by a note and ticked received, one still awaited."""

from django.core.files.base import ContentFile

from connect.checklists.services import ItemSpec, answer_item, create_request, mark_received
from connect.documents import samples
from connect.documents.models import DocumentType
from connect.dossiers.models import Dossier

ITEMS = [
    ItemSpec("Photo absorbeur de choc", DocumentType.PHOTO),
    ItemSpec("Photo ¾ avant droit", DocumentType.PHOTO),
    ItemSpec("Factures accessoires", DocumentType.ACCESSORY_INVOICES),
]


def seed(ctx) -> None:
    count = 0
    # Messaging's demo (it runs first) leaves each garage's expert conversation in the context:
    # messaging sits above this app and is never read from here (README, "Layers").
    threads = ctx.objects.get("expert_threads", {})
    for number, garage in enumerate(ctx.objects["garages"][:2]):
        thread = threads.get(garage.pk)
        if thread is None:
            continue
        dossier: Dossier = thread.dossier
        request = create_request(dossier=dossier, by=dossier.expert, items=ITEMS, thread=thread)
        count += 1
        if number == 0:
            _answer_some(request, thread.created_by)
    ctx.write(f"Compléments de démonstration : {count} demandes.")


def _answer_some(request, repairer) -> None:
    absorber, _, invoices = request.items.order_by("position")
    photo = ContentFile(samples.jpeg(label="Absorbeur"), name="absorbeur.jpg")
    answer_item(item=absorber, by=repairer, files=[photo], note="Absorbeur fissuré, à remplacer.")
    answered = answer_item(item=invoices, by=repairer, note="Aucun accessoire sur ce véhicule.")
    mark_received(item=answered, by=request.created_by)
