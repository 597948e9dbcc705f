import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from connect.lib.markdown import render_markdown
from connect.testing import login_as
from connect.updates.models import ServiceUpdate


def test_script_and_raw_html_are_shown_as_text():
    html = render_markdown('<script>alert(1)</script> <img src=x onerror="alert(1)">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_javascript_and_data_links_are_dropped():
    html = render_markdown(
        "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](data:text/html,x) [d](/relatif)"
    )
    assert "href" not in html


def test_http_https_and_mailto_links_are_kept_and_marked_nofollow():
    html = render_markdown("[a](https://a.fr) [b](http://b.fr) [c](mailto:c@d.fr)")
    for href in ("https://a.fr", "http://b.fr", "mailto:c@d.fr"):
        assert f'href="{href}"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_headings_start_under_the_pages_title():
    assert render_markdown("# Titre\n## Sous-titre", top_heading=3) == (
        "<h3>Titre</h3>\n<h4>Sous-titre</h4>\n"
    )
    assert render_markdown("## Éditeur\n### Siège").startswith("<h2>Éditeur</h2>\n<h3>")
    assert "<h1" not in render_markdown("# Titre")


def test_basic_formatting_survives():
    html = render_markdown("**gras** *italique*\n\n- un\n- deux")
    assert "<strong>gras</strong>" in html and "<em>italique</em>" in html and "<li>un</li>" in html


@given(st.text())
def test_no_input_ever_yields_a_tag_outside_the_allow_list(text):
    import re

    from connect.lib.markdown import ALLOWED_TAGS

    html = render_markdown(text)
    tags = {t.lower() for t in re.findall(r"<\s*/?\s*([a-zA-Z0-9]+)", html)}
    assert tags <= ALLOWED_TAGS
    assert "javascript:" not in "".join(re.findall(r'href="([^"]*)"', html)).lower()


@pytest.mark.django_db
def test_an_update_body_is_rendered_inert_on_the_list(client, world):
    ServiceUpdate.objects.create(
        version="24.9.5",
        title="<b>Titre</b>",
        body="<script>alert('x')</script>\n\n[clic](javascript:alert(1))",
        is_published=True,
    )
    page = login_as(client, world.repairer).get(reverse("updates:list")).content.decode()
    assert "<script>alert" not in page and "javascript:alert" not in page.split("href=")[-1]
    assert "&lt;script&gt;" in page and "&lt;b&gt;Titre&lt;/b&gt;" in page
