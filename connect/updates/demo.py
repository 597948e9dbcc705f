"""Demo service updates: two published (the guide's 24.9.3 and 24.9.5) and one draft."""

from datetime import date

from connect.updates.models import Audience, ServiceUpdate

UPDATES = [
    (
        "24.9.3",
        date(2024, 9, 16),
        "Recherche dans l'historique",
        "La recherche depuis l'onglet **Tous dossiers** couvre désormais aussi les dossiers "
        "archivés (historique).\n\n"
        "- Recherchez par immatriculation, référence BCA, référence sinistre ou nom de l'assuré.\n"
        "- Le champ *Date réception de mission* élargit la recherche à partir d'une date.\n",
        True,
        Audience.BOTH,
    ),
    (
        "24.9.5",
        date(2024, 10, 7),
        "Transmettre vos tarifs publics",
        "Vous pouvez maintenant transmettre vos **tarifs publics** depuis le menu "
        "« Transmettre vos tarifs publics » : taux horaires T1, T2, T3, peinture, ingrédients, "
        "forfaits et photo de votre panneau d'affichage.\n\n"
        "Chaque envoi crée une nouvelle version ; l'historique reste consultable.\n\n"
        "Une question sur le portail ? Écrivez à "
        "[extranet-reparateur@bca-expertise.example](mailto:extranet-reparateur@bca-expertise.example).",
        True,
        Audience.REPAIRERS,
    ),
    (
        "25.2.1",
        date(2025, 2, 10),
        "Suivi VE depuis la messagerie (brouillon)",
        "Planifiez les examens *pendant travaux* et *après travaux* depuis la messagerie.",
        False,
        Audience.REPAIRERS,
    ),
]


def seed(ctx) -> None:
    for version, published_on, title, body, is_published, audience in UPDATES:
        # Service updates are portal-wide: a re-seed after wiping the garages keeps them.
        ServiceUpdate.objects.get_or_create(
            version=version,
            defaults={
                "published_on": published_on,
                "title": title,
                "body": body,
                "is_published": is_published,
                "audience": audience,
            },
        )
