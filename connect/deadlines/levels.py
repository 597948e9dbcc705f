"""The firm's default service levels: its published practice, which staff then change in the
admin ("Délais de traitement"). Written once by the initial migration."""

DEFAULT_LEVELS = [
    ("ead_assessment", 4, "hours"),
    ("message_answer", 1, "days"),
    ("exam_confirmation", 1, "days"),
    ("invoice_validation", 5, "days"),
    ("complement_check", 1, "days"),
    ("supplement_decision", 2, "days"),
    ("insured_question", 2, "days"),
    ("insured_callback", 1, "days"),
]


def seed_defaults(service_level_model) -> None:
    """Create the default levels that do not exist yet (the migration passes its model)."""
    for kind, amount, measure in DEFAULT_LEVELS:
        service_level_model.objects.get_or_create(
            kind=kind, subject="", defaults={"amount": amount, "measure": measure}
        )
