"""Demo threads on the first dossiers of garages 1 and 2: repairer questions, firm messages
(so that the novelty mark shows in the list), a field-exam request, a "Divers" thread, an invoice,
an ESD request with its guided-capture photos and their provenance.
"""

import hashlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from connect.accounts.models import User
from connect.documents import samples
from connect.documents.models import DocumentType
from connect.documents.provenance import Provenance
from connect.documents.shots import DEFAULT_SHOT_LISTS
from connect.dossiers.models import Dossier
from connect.messaging import services, subjects
from connect.messaging.services import Attachment
from connect.readings.corpus import text_photo


def seed(ctx) -> None:
    count = 0
    for garage in ctx.objects["garages"][:2]:
        repairer = User.objects.filter(memberships__garage=garage).order_by("id").first()
        live = Dossier.objects.filter(garage=garage, archived=False).select_related("garage")
        dossiers = list(live.filter(remote_assessment=False).order_by("id")[:4])
        if repairer is None or len(dossiers) < 4:
            continue
        # The checklists' demo asks its items from this thread (it never reads messaging).
        ctx.objects.setdefault("expert_threads", {})[garage.pk] = _conversation(
            dossiers[0], repairer
        )
        count += 1
        count += _firm_message(dossiers[1])
        count += _methodology(dossiers[1], repairer)
        count += _field_exam(dossiers[2], repairer)
        count += _misc_and_invoice(dossiers[3], repairer)
        ve = live.filter(ve_procedure=True).exclude(pk__in=[d.pk for d in dossiers]).first()
        if ve is not None:
            count += _ve_exam(ve, repairer)
            dossiers.append(ve)
        esd = (
            live.filter(approved_repairer_mission=False)
            .exclude(pk__in=[d.pk for d in dossiers])
            .order_by("id")
            .first()
        )
        if esd is not None:
            count += _esd_capture(esd, repairer)
    ctx.write(f"Messages de démonstration : {count} fils.")


def _expert(dossier):
    return (
        dossier.expert
        or User.objects.filter(Q(role="expert"), unit_id=dossier.garage.unit_id).first()
    )


def _conversation(dossier, repairer):
    quote = Attachment(ContentFile(_pdf(), name="Devis complémentaire.pdf"), DocumentType.QUOTE)
    first = services.open_thread(
        dossier=dossier,
        subject_key=subjects.EXPERT_MESSAGE.key,
        author=repairer,
        attachments=[quote],
        body="Bonjour,\nvoici le devis complémentaire après démontage du pare-chocs.",
    )
    services.post_message(
        thread=first.thread,
        author=_expert(dossier),
        body="Merci, je valide le devis. Pensez aux photos de l'absorbeur.",
    )
    return first.thread


def _firm_message(dossier) -> int:
    services.open_thread(
        dossier=dossier,
        subject_key=subjects.FIRM_SUBJECT.key,
        author=_expert(dossier),
        body="Bonjour, pouvez-vous nous transmettre les photos du véhicule démonté ?",
    )
    return 1


def _methodology(dossier, repairer) -> int:
    """An "Evolution méthodologie" with its supplement (connect/supplements decides on it)."""
    from decimal import Decimal

    from connect.documents import samples
    from connect.supplements.services import Line, SupplementDraft

    photo = ContentFile(samples.jpeg(label="Longeron"), name="longeron.jpg")
    lines = (
        Line("Redressage longeron avant droit", Decimal("820.50")),
        Line("Peinture aile avant droite", Decimal("430.00")),
    )
    services.open_thread(
        dossier=dossier,
        subject_key=subjects.METHODOLOGY.key,
        author=repairer,
        attachments=[Attachment(photo, DocumentType.EXTRA_DAMAGE)],
        body="Au démontage, le longeron avant droit est touché : voici le supplément.",
        supplement=SupplementDraft(amount=Decimal("1250.50"), lines=lines),
    )
    return 1


def _field_exam(dossier, repairer) -> int:
    dates = services.visit_dates(dossier.garage)
    if not dates:
        return 0
    services.request_field_exam(
        dossier=dossier,
        author=repairer,
        requested_date=dates[0],
        reason="Dommages cachés découverts au démontage (longeron avant droit).",
    )
    return 1


def _misc_and_invoice(dossier, repairer) -> int:
    services.open_thread(
        dossier=dossier,
        subject_key=subjects.MISC.key,
        author=repairer,
        body="Le client passera récupérer le véhicule vendredi.",
    )
    invoice = ContentFile(_pdf(), name="Facture F-2025-0412.pdf")
    services.open_thread(
        dossier=dossier,
        subject_key=subjects.INVOICE.key,
        author=repairer,
        attachments=[Attachment(invoice, DocumentType.REPAIR_INVOICE)],
    )
    return 2


def _ve_exam(dossier, repairer) -> int:
    dates = services.visit_dates(dossier.garage)
    if not dates:
        return 0
    services.request_ve_exam(
        dossier=dossier, author=repairer, kind=subjects.ExamKind.VE_DURING, requested_date=dates[0]
    )
    return 1


def _esd_capture(dossier, repairer) -> int:
    """The ESD shots as the phone sends them: the expert reads "Photo prise le …, empreinte
    des octets reçus identique à celle déclarée par le téléphone"."""
    _, _, _, shots = next(entry for entry in DEFAULT_SHOT_LISTS if entry[0] == "esd")
    taken = timezone.now() - timedelta(minutes=6)
    attachments = []
    # What the plate, VIN and odometer shots show, for the reading worker (connect/readings).
    shown = {"plaque": dossier.plate, "vin": "VF1RFB00X65123456", "compteur": "87 654 km"}
    for index, shot in enumerate(shots):
        if shown.get(shot.key):
            data = text_photo(shown[shot.key], size=(1600, 1200))
        else:
            data = samples.jpeg((1600, 1200), label=shot.label)
        provenance = Provenance(
            shot=shot.key,
            shot_label=shot.label,
            captured_at=taken + timedelta(seconds=40 * index),
            sha256_capture=hashlib.sha256(data).hexdigest(),
            confirmed_plate=dossier.plate if shot.confirm_plate else "",
        )
        attachments.append(
            Attachment(ContentFile(data, name=f"{shot.key}.jpg"), shot.doc_type, provenance)
        )
    services.open_thread(
        dossier=dossier,
        subject_key=subjects.ESD.key,
        author=repairer,
        attachments=attachments,
        body="Photos prises à l'atelier pour l'examen sans déplacement.",
    )
    return 1


def _pdf() -> bytes:
    return samples.pdf("Document", pages=1)
