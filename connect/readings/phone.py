"""What the phone says right after the plate shot (capture.js asks views.probe_state)."""

from connect.readings.models import Reading, Verdict


def plate_message(reading: Reading) -> tuple[str, bool]:
    """(sentence, whether it is good news) for a plate shot read before sending."""
    expected = reading.dossier.plate
    if reading.verdict == Verdict.MATCH:
        return f"Plaque lue : {expected} ✓", True
    if reading.verdict == Verdict.MISMATCH:
        return (
            f"La plaque lue ({reading.value}) ne correspond pas au dossier ({expected}) : "
            "reprenez la photo ou confirmez.",
            False,
        )
    if reading.verdict == Verdict.NO_REFERENCE:
        return f"Plaque lue : {reading.value}", True
    if reading.verdict == Verdict.FAILED:
        return "La plaque n'a pas pu être lue : vous pouvez envoyer quand même.", False
    return "Plaque illisible sur la photo : reprenez-la ou confirmez.", False
