"""French plurals (connect/lib/plural.py): 0 and 1 take the singular."""

from connect.lib.plural import counted, french_plural


def test_zero_and_one_are_singular_in_french():
    assert [counted(n, "fichier") for n in (0, 1, 2, 1000)] == [
        "0 fichier",
        "1 fichier",
        "2 fichiers",
        "1000 fichiers",
    ]
    assert [f"{n} résultat{french_plural(n)}" for n in (0, 1, 2)] == [
        "0 résultat",
        "1 résultat",
        "2 résultats",
    ]


def test_every_word_agrees_with_the_count():
    assert counted(3, "fichier orphelin supprimé", "fichiers orphelins supprimés") == (
        "3 fichiers orphelins supprimés"
    )
    assert counted(1, "résumé des retards mis", "résumés des retards mis") == (
        "1 résumé des retards mis"
    )
