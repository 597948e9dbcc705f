"""Documents that the code cites are in the repository."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CITED = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w.-]+\.md)\b")
SOURCES = ("*.py", "*.html", "*.css", "*.js", "*.toml", "Makefile", "*.md")


def cited_documents():
    for folder in ("connect", "tests", "bench", "scripts"):
        for pattern in SOURCES:
            for path in (ROOT / folder).rglob(pattern):
                if "migrations" not in path.parts and path != Path(__file__):
                    yield from ((path, m) for m in CITED.findall(path.read_text("utf-8")))
    for path in (ROOT / "conftest.py", ROOT / "README.md", ROOT / "pyproject.toml"):
        yield from ((path, m) for m in CITED.findall(path.read_text("utf-8")))


def test_every_cited_document_exists():
    missing = []
    for path, cited in cited_documents():
        # A path from the repository root, or one relative to the citing file (bench/README.md).
        if not ((ROOT / cited).is_file() or (path.parent / cited).is_file()):
            missing.append(f"{path.relative_to(ROOT)}: {cited}")
    assert not missing


def test_project_documents_are_cited_by_their_docs_path():
    pages = {page.name for page in (ROOT / "docs").glob("*.md")}
    assert {"architecture.md", "glossary.md", "product.md", "security.md"} <= pages
    bare = [
        f"{path.relative_to(ROOT)}: {cited}" for path, cited in cited_documents() if cited in pages
    ]
    assert not bare, "cite docs/<page>.md"


def test_the_readme_lists_every_demo_login():
    from connect.accounts.demo import EMAILS

    readme = (ROOT / "README.md").read_text()
    assert [email for email in sorted(EMAILS) if f"`{email}`" not in readme] == []
