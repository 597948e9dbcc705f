"""Demo units, staff, garages and repairers; fixed logins documented in the README."""

import re

from django.contrib.auth.hashers import make_password
from django.db.models import Q

from connect.accounts.models import Garage, Membership, Role, Unit, User
from connect.lib import demo_data

GARAGES = [
    # name, city, postal code, unit index, visit days (Mon=0)
    ("Carrosserie du Parc", "Montreuil", "93100", 0, [0, 3]),
    ("Garage Martin & Fils", "Vincennes", "94300", 0, [1, 4]),
    ("Carrosserie Lyonnaise", "Villeurbanne", "69100", 1, [0, 2, 4]),
]
STAFF = [
    ("expert@demo.test", "Julien Marchand", Role.EXPERT, 0),
    ("conseiller@demo.test", "Nadia Benali", Role.ADVISOR, 0),
    ("manager@demo.test", "Sophie Garnier", Role.MANAGER, 0),
    ("expert2@demo.test", "Marc Olivier", Role.EXPERT, 1),
    ("conseiller2@demo.test", "Paul Renaud", Role.ADVISOR, 1),
]
REPAIRERS = [
    ("reparateur@demo.test", "Karim Haddad", 0),
    ("atelier@demo.test", "Élodie Petit", 0),
    ("reparateur2@demo.test", "Thierry Martin", 1),
    ("reparateur3@demo.test", "Luc Fabre", 2),
]
ADMIN_EMAIL = "admin@demo.test"
INSURED_EMAIL = "assure@demo.test"  # the insured's space (connect/insured/demo.py)
# Every account the demo creates: `seed_demo` refuses a database holding any other.
# client@demo.test: the demo client's user (connect/clients/demo.py).
EMAILS = frozenset(
    [email for email, *_ in STAFF + REPAIRERS] + [ADMIN_EMAIL, INSURED_EMAIL, "client@demo.test"]
)
# Every garage has this many repairers (the fixed ones above count): a load test spreads its
# users over many garages. The others are `atelier.g<garage number>.<n>@demo.test`.
REPAIRERS_PER_GARAGE = 2
GENERATED_EMAIL = re.compile(r"^atelier\.g[0-9]{5}\.[0-9]@demo\.test$")


def generated_email(garage_number: int, n: int) -> str:
    return f"atelier.g{garage_number:05d}.{n}@demo.test"


def demo_accounts() -> Q:
    """The demo's accounts: the fixed ones and the generated repairers, nothing else."""
    return Q(email__in=EMAILS) | Q(email__regex=GENERATED_EMAIL.pattern)


def seed(ctx) -> None:
    rng = ctx.rng
    units = [
        Unit.objects.create(code="idf-est", name="Île-de-France Est"),
        Unit.objects.create(code="rhone", name="Rhône-Alpes"),
    ]
    staff = {}
    for email, name, role, unit_index in STAFF:
        staff[email] = User.objects.create_user(
            email,
            ctx.password,
            full_name=name,
            role=role,
            unit=units[unit_index],
            phone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} 00",
        )
    admin = User.objects.create_superuser(ADMIN_EMAIL, ctx.password, full_name="Admin Démo")
    experts = [staff["expert@demo.test"], staff["expert2@demo.test"]]
    advisors = [staff["conseiller@demo.test"], staff["conseiller2@demo.test"]]

    garages = []
    for index, (name, city, postal_code, unit_index, days) in enumerate(GARAGES, start=1):
        garages.append(
            _garage(
                rng, index, name, city, postal_code, units[unit_index], experts[unit_index], days
            )
        )
    # Enough garages that none holds more than ~10,000 dossiers (benchmarks: 1 million), and at
    # least `--garages` of them (a load test spreads its repairers over many garages).
    wanted = max(min(-(-ctx.dossier_count // 10_000), 500), ctx.garage_count)
    extra = max(1, wanted - len(garages))
    for index in range(len(garages) + 1, len(garages) + 1 + extra):
        unit_index = index % 2
        days = sorted(rng.sample(range(6), 2))
        garages.append(
            _garage(
                rng,
                index,
                f"Garage {demo_data.SURNAMES[index % 35].title()}",
                "Paris" if unit_index == 0 else "Lyon",
                "75011",
                units[unit_index],
                experts[unit_index],
                days,
            )
        )

    logins = [email for email, *_ in STAFF] + [ADMIN_EMAIL]
    for email, name, garage_index in REPAIRERS:
        user = User.objects.create_user(email, ctx.password, full_name=name, role=Role.REPAIRER)
        Membership.objects.create(user=user, garage=garages[garage_index])
        logins.append(email)
    _repairers_for_every_garage(ctx, garages)
    ctx.objects.update(
        units=units,
        garages=garages,
        staff=staff,
        admin=admin,
        experts=experts,
        advisors=advisors,
        logins=sorted(logins),
    )


def _repairers_for_every_garage(ctx, garages) -> None:
    """Fill every garage up to REPAIRERS_PER_GARAGE repairers; one password hash for all
    (hashing is deliberately slow: a thousand garages would take minutes otherwise)."""
    fixed = [garage_index for *_, garage_index in REPAIRERS]
    password = make_password(ctx.password)
    users: list[User] = []
    garage_of: dict[str, Garage] = {}
    for index, garage in enumerate(garages):
        for n in range(1, REPAIRERS_PER_GARAGE - fixed.count(index) + 1):
            email = generated_email(index + 1, n)
            users.append(
                User(
                    email=email,
                    password=password,
                    role=Role.REPAIRER,
                    # Not drawn from ctx.rng: the dossiers' draws stay what they were.
                    full_name=f"{demo_data.FIRST_NAMES[len(users) % 20]} "
                    f"{demo_data.SURNAMES[len(users) % 35].title()}",
                )
            )
            garage_of[email] = garage
    User.objects.bulk_create(users, batch_size=1000)
    Membership.objects.bulk_create(
        [Membership(user=user, garage=garage_of[user.email]) for user in users], batch_size=1000
    )


def _garage(rng, index, name, city, postal_code, unit, expert, days) -> Garage:
    return Garage.objects.create(
        external_id=f"G{index:05d}",
        name=name,
        siret=demo_data.siret(rng),
        address=f"{rng.randint(1, 180)} rue de la République",
        postal_code=postal_code,
        city=city,
        phone=f"01 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} 00",
        email=f"contact@garage{index}.demo.test",
        unit=unit,
        expert=expert,
        visit_days=days,
    )
