"""The online help ("Aide en ligne"): one page per topic of the user guide."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    summary: str

    @property
    def template(self) -> str:
        return f"help/topics/{self.slug}.html"


TOPICS = (
    Topic("connexion", "Se connecter et identifiants", "Identifiant, mot de passe, compte bloqué."),
    Topic("liste", "La liste des dossiers et ses onglets", "Colonnes, onglets, nouveautés."),
    Topic("recherche", "Rechercher un dossier", "Immatriculation, références, historique."),
    Topic("documents", "Documents et téléchargements", "Photos, PDF, ZIP du dossier."),
    Topic("messagerie", "Messagerie et objets", "Nouveau message, objets, pièces jointes."),
    Topic("esd", "Examen sans déplacement (ESD)", "Photos prises avec un smartphone."),
    Topic("suivi-ve", "Suivi VE", "Véhicules endommagés : examens pendant et après travaux."),
    Topic("tarifs", "Transmettre vos tarifs publics", "Taux horaires, forfaits, panneau."),
    Topic("mises-a-jour", "Mises à jour du service", "La fenêtre après la connexion."),
)
BY_SLUG = {topic.slug: topic for topic in TOPICS}
