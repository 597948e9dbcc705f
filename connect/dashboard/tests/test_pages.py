"""The dashboard pages: one garage, all the user's garages, the period; nobody else's."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from connect.accounts.models import Membership
from connect.deadlines.clock import DEFAULT_SCHEDULE, PARIS
from connect.deadlines.models import WaitPeriod
from connect.invoices.models import Invoice, InvoiceState
from connect.testing import login_as

ALL = reverse("dashboard:all")


def garage_url(garage, **params):
    url = reverse("dashboard:garage", kwargs={"garage_id": garage.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _world_figures(world):
    # 40 days ago, a weekday from 10:00 to 16:00 Paris time: 4 h 30 of working time.
    day = timezone.localdate() - timedelta(days=40)
    while not DEFAULT_SCHEDULE.on(day):
        day -= timedelta(days=1)
    since = datetime.combine(day, time(10), tzinfo=PARIS)
    Invoice.objects.create(
        dossier=world.dossier_a, state=InvoiceState.RECEIVED, amount_incl_vat=Decimal("1234.5")
    )
    Invoice.objects.create(dossier=world.dossier_b, state=InvoiceState.RECEIVED, amount_incl_vat=10)
    WaitPeriod.objects.create(
        dossier=world.dossier_a,
        kind="message_answer",
        side="firm",
        key="m1",
        since=since,
        ended_at=since + timedelta(hours=6),
    )


def test_the_nav_leads_to_the_dashboard_with_charts_and_tables(as_repairer, world):
    _world_figures(world)
    assert f'href="{ALL}"' in as_repairer.get(reverse("home")).content.decode()
    content = as_repairer.get(ALL).content.decode()
    assert content.count('role="img"') == 4
    assert content.count("<title id=") == 4 and content.count("<desc id=") == 4
    assert "En attente de validation" in content and "1 234,50 €" in content
    assert "Dossiers par onglet" in content
    # the 40-day-old answer counts over 90 days only
    assert "Aucune réponse sur la période." in content
    ninety = as_repairer.get(ALL, {"periode": 90}).content.decode()
    assert "Réponse à un message" in ninety and "4 h 30" in ninety
    assert 'aria-current="page">90 derniers jours' in ninety


def test_svg_coordinates_use_a_decimal_point(as_repairer, world):
    _world_figures(world)
    content = as_repairer.get(ALL).content.decode()
    widths = re.findall(r'<rect x="0" y="15" width="([^"]+)"', content)
    assert widths and all(re.fullmatch(r"\d+(\.\d+)?", w) for w in widths)


def test_a_multi_site_user_sees_all_garages_and_each_one(client, world):
    Membership.objects.create(user=world.repairer, garage=world.garage_b)
    _world_figures(world)
    login_as(client, world.repairer)
    both = client.get(ALL)
    assert both.context["figures"].invoices["validation"] == (2, Decimal("1244.50"))
    assert "Tous mes garages" in both.content.decode()
    only_b = client.get(garage_url(world.garage_b))
    assert only_b.context["figures"].invoices["validation"] == (1, Decimal("10"))


def test_another_garages_dashboard_is_a_404(client, world):
    for user in (world.other_repairer, world.other_expert):
        assert login_as(client, user).get(garage_url(world.garage_a)).status_code == 404
    # the expert of the unit reaches it; a repairer's own garage, of course
    assert login_as(client, world.expert).get(garage_url(world.garage_a)).status_code == 200
    assert login_as(client, world.repairer).get(garage_url(world.garage_a)).status_code == 200


def test_an_only_garage_repairer_sees_their_own_figures_only(as_repairer, world):
    _world_figures(world)
    found = as_repairer.get(ALL).context["figures"]
    assert found.invoices["validation"] == (1, Decimal("1234.50"))


def test_the_page_costs_the_same_queries_whatever_the_data(
    as_repairer, world, django_assert_max_num_queries
):
    # One ended wait from the start: its unit's opening hours are read once, whatever the count.
    _world_figures(world)
    as_repairer.get(ALL)
    with django_assert_max_num_queries(13) as few:
        as_repairer.get(ALL, {"periode": 90})
    for n in range(20):
        dossier = world.dossier(f"Q{n}", world.garage_a, status_label=f"ÉTAT {n}")
        Invoice.objects.create(dossier=dossier, state=InvoiceState.VALIDATED, amount_incl_vat=n)
        WaitPeriod.objects.create(
            dossier=dossier,
            kind="ead_assessment",
            side="firm",
            key="k",
            since=timezone.now() - timedelta(hours=3),
            ended_at=timezone.now(),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = as_repairer.get(ALL, {"periode": 90})
    assert ("Autres", 13) in response.context["figures"].states  # 21 labels, 8 shown


def test_an_unknown_period_falls_back_to_30_days(as_repairer, world):
    assert as_repairer.get(ALL, {"periode": "7"}).context["days"] == 30


def test_cached_figures_follow_every_write_to_the_garage(
    as_repairer, world, settings, django_capture_on_commit_callbacks
):
    """With a shared cache (the list counts' setting on), a write through the touch path
    makes the cached figures unreachable at once."""
    from connect.invoices.services import validate_invoice

    settings.LIST_COUNTS_CACHE_SECONDS = 600
    invoice = Invoice.objects.create(dossier=world.dossier_a, state=InvoiceState.RECEIVED)
    assert as_repairer.get(ALL).context["figures"].invoices["validation"][0] == 1
    Invoice.objects.create(dossier=world.dossier_a, state=InvoiceState.RECEIVED)  # no touch
    assert as_repairer.get(ALL).context["figures"].invoices["validation"][0] == 1  # cached
    with django_capture_on_commit_callbacks(execute=True):  # the garage's version, on commit
        validate_invoice(invoice=invoice, by=world.advisor)
    found = as_repairer.get(ALL).context["figures"].invoices
    assert (found["validation"][0], found["payment"][0]) == (1, 1)
