"""Demo staff come enrolled in the second factor with one fixed, published secret."""

from connect.staff.second_factor import enrol_with_secret

# Demo data only: anyone can compute these codes. Never enrol a real account with it.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def seed(ctx) -> None:
    # Only the staff this run created (connect/accounts/demo.py), never other accounts.
    # The demo client's user proves the same second factor (connect/clients/demo.py).
    staff = [*ctx.objects["staff"].values(), ctx.objects["admin"]]
    staff += ctx.objects.get("client_users", [])
    for user in staff:
        enrol_with_secret(user, DEMO_TOTP_SECRET)
    ctx.write(
        f"Second facteur des comptes du cabinet ({len(staff)}) : clé TOTP de démonstration "
        f"« {DEMO_TOTP_SECRET} » (à saisir dans une application d'authentification)."
    )
