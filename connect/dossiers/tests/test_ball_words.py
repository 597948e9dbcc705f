"""The words of "À qui la main", relative to now, in Paris time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from connect.dossiers.ball import describe

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 1, 11, 0, tzinfo=PARIS)  # a Tuesday


def test_the_garages_turn_says_since_when():
    assert describe("garage", NOW - timedelta(days=2), None, NOW) == ("À vous depuis 2 j", "garage")
    assert describe("garage", NOW, None, NOW) == ("À vous depuis aujourd'hui", "garage")


def test_the_firms_turn_says_when_the_answer_is_due():
    due = datetime(2026, 12, 1, 17, 30, tzinfo=PARIS)
    assert describe("firm", NOW, due, NOW) == (
        "Chez BCA · réponse prévue aujourd'hui 17 h 30",
        "firm",
    )
    tomorrow = datetime(2026, 12, 2, 10, 0, tzinfo=PARIS)
    assert describe("firm", NOW, tomorrow, NOW)[0] == "Chez BCA · réponse prévue demain 10 h"
    friday = datetime(2026, 12, 4, 9, 0, tzinfo=PARIS)
    assert describe("firm", NOW, friday, NOW)[0] == "Chez BCA · réponse prévue vendredi 9 h"
    later = datetime(2026, 12, 14, 9, 0, tzinfo=PARIS)
    assert describe("firm", NOW, later, NOW)[0] == "Chez BCA · réponse prévue le 14/12 à 9 h"
    assert describe("firm", NOW, None, NOW) == ("Chez BCA depuis aujourd'hui", "firm")


def test_late_is_said_in_words_and_styled_apart():
    due = NOW - timedelta(hours=2)
    text, state = describe("firm", NOW - timedelta(days=3), due, NOW)
    assert (text, state) == ("Chez BCA · en retard, réponse prévue aujourd'hui 9 h", "late")
    assert describe("", None, None, NOW) == ("", "")
