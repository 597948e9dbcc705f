"""The dashboard reads as words and leads to its dossiers (issue 24, item 23): durations in
minutes, hours or days, never "0,02 h"; a figure links to the list of its dossiers where one
exists; the tables beside the charts fold (on a phone)."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from connect.accounts.models import Membership
from connect.dashboard.views import duration_words
from connect.deadlines.clock import DEFAULT_SCHEDULE, PARIS
from connect.deadlines.models import WaitPeriod
from connect.testing import login_as

ALL = reverse("dashboard:all")


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        (0.001, "moins d'une minute"),
        (0.02, "1 min"),
        (0.75, "45 min"),
        (1, "1 h"),
        (3 + 5 / 60, "3 h 05"),
        (7.25, "7 h 15"),
        (7.5, "1 j ouvré"),
        (15, "2 j ouvrés"),
        (18.75, "2,5 j ouvrés"),
    ],
)
def test_durations_are_said_in_minutes_hours_or_working_days(hours, words):
    assert duration_words(hours, day_hours=7.5) == words


def _a_recent_working_morning():
    """10:00 Paris time on the latest working day at least a day ago (the durations count
    working time: a minute at night would be no time at all)."""
    day = timezone.localdate() - timedelta(days=1)
    while not DEFAULT_SCHEDULE.on(day):
        day -= timedelta(days=1)
    return datetime.combine(day, time(10), tzinfo=PARIS)


def test_a_short_response_time_reads_in_minutes(as_repairer, world):
    since = _a_recent_working_morning()
    WaitPeriod.objects.create(
        dossier=world.dossier_a,
        kind="message_answer",
        side="firm",
        key="m1",
        since=since,
        ended_at=since + timedelta(minutes=1),
    )
    content = as_repairer.get(ALL).content.decode()
    assert "0,02 h" not in content and ">1 min<" in content


def test_figures_link_to_the_lists_of_their_dossiers(as_repairer, world):
    content = as_repairer.get(ALL).content.decode()
    assert f'<a href="{reverse("home")}?onglet=attente-facture">En attente facture</a>' in content
    assert f'href="{reverse("invoices:mine")}?etat=received"' in content
    assert f'href="{reverse("invoices:mine")}?etat=validated"' in content


def test_no_link_where_the_list_would_count_other_garages(client, world):
    Membership.objects.create(user=world.repairer, garage=world.garage_b)
    login_as(client, world.repairer)
    one = reverse("dashboard:garage", kwargs={"garage_id": world.garage_a.pk})
    assert "?onglet=" not in client.get(one).content.decode()
    assert "?onglet=attente-facture" in client.get(ALL).content.decode()


def test_each_table_beside_a_chart_folds(as_repairer, world):
    content = as_repairer.get(ALL).content.decode()
    assert content.count('<details class="dashboard-table">') == content.count('class="chart"')
    assert content.count("<summary>Les chiffres en tableau</summary>") == 4
