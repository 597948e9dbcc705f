"""A plate read on a photo that is not the dossier's is flagged, compared as plates are searched."""

from types import SimpleNamespace

from connect.documents.provenance import plate_warning


def photo(plate: str) -> SimpleNamespace:
    return SimpleNamespace(confirmed_plate=plate)


def test_the_same_plate_written_otherwise_is_not_flagged():
    assert plate_warning(photo("gg 010-mz"), "GG-010-MZ") == ""
    assert plate_warning(photo(""), "GG-010-MZ") == ""  # no plate shot
    assert plate_warning(photo("AB-123-CD"), "") == ""  # nothing to compare with


def test_a_different_plate_is_flagged_with_both():
    assert plate_warning(photo("AB-123-CD"), "GG-010-MZ") == (
        "Immatriculation lue sur la photo (AB-123-CD) différente de celle du dossier "
        "(GG-010-MZ) : à vérifier."
    )
