"""A supplement refused for one bad attachment (a 0-byte file) comes back with everything the
garage typed: the amount, the lines and the message."""

from django.core.files.uploadedfile import SimpleUploadedFile

from connect.messaging.tests.helpers import photo, post_new
from connect.supplements.models import Supplement

LINES = {
    "supplement_line_label_0": "Aile avant droite",
    "supplement_line_amount_0": "320,00",
    "supplement_line_label_1": "Peinture",
    "supplement_line_amount_1": "930,50",
}


def test_a_refused_attachment_keeps_the_amount_the_lines_and_the_message(as_repairer, world):
    empty = SimpleUploadedFile("vide.jpg", b"", content_type="image/jpeg")
    response = post_new(
        as_repairer,
        world.dossier_a,
        "methodologie",
        body="Dommages découverts au démontage",
        files=[photo("choc.jpg"), empty],
        supplement_amount="1 250,50",
        **LINES,
    )
    assert response.status_code == 400
    assert not Supplement.objects.exists()
    html = response.content.decode().replace("&#x27;", "'")
    assert "vide.jpg" in html  # the refusal names the file
    assert 'value="1 250,50"' in html
    assert 'value="Aile avant droite"' in html and 'value="930,50"' in html
    assert "Dommages découverts au démontage</textarea>" in html
