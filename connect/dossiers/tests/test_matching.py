"""Dossier.objects.matching: the one dossier search (home list, staff lookup, staff inbox)."""

import pytest

from connect.dossiers.models import Dossier


def found(text: str, dossiers=None) -> set[str]:
    dossiers = Dossier.objects.all() if dossiers is None else dossiers
    return set(dossiers.matching(text).values_list("reference", flat=True))


@pytest.mark.django_db
def test_matching_is_a_substring_of_the_folded_text_without_case_or_accents(world):
    world.dossier("10001", world.garage_a, insured_name="Hélène Épée", vehicle="Renault Clio")
    assert found("helene") == {"10001"}
    assert found("ÉPÉE") == {"10001"}
    assert found("clio") == {"10001"}
    assert found("0040230002") == {"99677"}  # claim reference fragment
    assert found("9967") == {"99677"}  # firm reference fragment


@pytest.mark.django_db
def test_matching_tries_the_plate_key_of_a_typed_plate(world):
    for typed in ("GG-010-MZ", "gg 010 mz", "gg010mz", "010-M"):
        assert found(typed) == {"99677"}, typed


@pytest.mark.django_db
def test_matching_takes_like_wildcards_and_other_signs_literally(world):
    world.dossier("10002", world.garage_a, insured_name="100% AUTO_SERVICE")
    assert found("%") == {"10002"}
    assert found("_") == {"10002"}
    assert found("0%A") == set()
    # Not what a plate is made of: no plate-key variant ("GG/010/MZ" → "GG010MZ").
    assert found("gg/010/mz") == set()


@pytest.mark.django_db
def test_matching_narrows_a_scoped_queryset(world):
    mine = Dossier.objects.visible_to(world.repairer)
    assert found("99", mine) == {"99677"}
    assert found("fp 562 ab", mine) == set()
    assert found("fp 562 ab") == {"99791"}
