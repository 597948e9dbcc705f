"""Realistic French values for the demo data (plates, names, vehicles, insurers)."""

import random
import string

SIV_LETTERS = [c for c in string.ascii_uppercase if c not in "IOU"]

INSURERS = [
    "AXA FRANCE",
    "SOGESSUR",
    "ALLIANZ IARD",
    "HOWDEN ASSURANCES",
    "MAAF ASSURANCES",
    "MACIF",
    "GROUPAMA",
    "MATMUT",
    "GENERALI IARD",
    "PACIFICA",
    "MMA IARD",
    "THELEM ASSURANCES",
]
VEHICLES = [
    "BMW - SERIE 1 F40",
    "AUDI - Q2",
    "OPEL - GRANDLAND X",
    "PEUGEOT - BOXER III FOURGON TOLE",
    "PEUGEOT - 308 II 2013",
    "VOLKSWAGEN - TIGUAN 2016",
    "TOYOTA (J) - RAV 4 2019",
    "RENAULT - CLIO V",
    "RENAULT - CAPTUR II",
    "CITROEN - C3 III",
    "DACIA - SANDERO III",
    "PEUGEOT - 208 II",
    "TESLA - MODEL 3",
    "FIAT - 500 HYBRID",
    "MERCEDES - CLASSE A W177",
    "SKODA - OCTAVIA IV",
    "FORD - PUMA",
    "AUTRES - Tous modèles",
]
SURNAMES = [
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "THOMAS",
    "ROBERT",
    "RICHARD",
    "PETIT",
    "DURAND",
    "LEROY",
    "MOREAU",
    "SIMON",
    "LAURENT",
    "LEFÈVRE",
    "MICHEL",
    "GARCIA",
    "DAVID",
    "BERTRAND",
    "ROUX",
    "VINCENT",
    "FOURNIER",
    "MOREL",
    "GIRARD",
    "ANDRÉ",
    "MERCIER",
    "DUPONT",
    "LAMBERT",
    "BONNET",
    "FRANÇOIS",
    "MARTINEZ",
    "LEGRAND",
    "GAUTHIER",
    "CHÉRON",
    "N'DIAYE",
    "NGUYEN",
    "BENOÎT",
]
FIRST_NAMES = [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Emma",
    "Inès",
    "Sarah",
    "Julie",
    "Hélène",
    "Zoé",
    "Lucas",
    "Hugo",
    "Louis",
    "Nathan",
    "Théo",
    "Jules",
    "Raphaël",
    "Mathéo",
    "Noé",
    "Éric",
]
COMPANIES = [
    "OGIC ILE DE FRANCE EST",
    "TRANSPORTS FINANCIERS DU CENTRE",
    "LYON VÉLO LOCATION",
    "SAS BOULANGERIE DU MARCHÉ",
    "AMBULANCES DE L'OUEST",
    "ATLANTIQUE LOCATION",
]
STATUS_LABELS = ["N.C.", "EN COURS", "RAPPORT DÉPOSÉ", "EXPERTISE PROGRAMMÉE", "EN ATTENTE PIÈCES"]


def siv_plate(rng: random.Random) -> str:
    while True:
        left = rng.choice(SIV_LETTERS) + rng.choice(SIV_LETTERS)
        right = rng.choice(SIV_LETTERS) + rng.choice(SIV_LETTERS)
        if "SS" not in (left, right) and left != "WW":
            return f"{left}-{rng.randint(1, 999):03d}-{right}"


def fni_plate(rng: random.Random) -> str:
    department = rng.choice(["75", "69", "13", "2A", "2B", "971", "33", "59", "44", "31"])
    letters = "".join(rng.choice(SIV_LETTERS) for _ in range(rng.choice((2, 3))))
    return f"{rng.randint(1, 9999)} {letters} {department}"


def plate(rng: random.Random) -> str:
    return fni_plate(rng) if rng.random() < 0.15 else siv_plate(rng)


def claim_reference(rng: random.Random, insurer: str) -> str:
    if insurer == "AXA FRANCE":
        return "".join(rng.choice(string.digits) for _ in range(16))
    if insurer == "SOGESSUR":
        return f"{rng.randint(10**9, 10**10 - 1)}/S{rng.randint(10, 99)}MPO"
    if insurer == "ALLIANZ IARD":
        return f"{rng.randint(10**7, 10**8 - 1)}{rng.choice(SIV_LETTERS)}"
    return f"{rng.choice(SIV_LETTERS)}{rng.randint(10**6, 10**9)}"


def insured_name(rng: random.Random) -> str:
    if rng.random() < 0.12:
        return rng.choice(COMPANIES)
    return f"{rng.choice(SURNAMES)} {rng.choice(FIRST_NAMES)}"


def siret(rng: random.Random) -> str:
    return "".join(rng.choice(string.digits) for _ in range(14))
