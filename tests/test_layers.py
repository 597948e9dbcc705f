"""The layers of the code, as README.md ("Layers") writes them, checked on every import.

An app may import (and its templates may load, include or extend) only from its own layer or a
lower one. The event record is the one declared port: any app may record an event for the core
system through `connect.api.events`, although the API sits at the top.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "connect"

# Lower number = lower layer. Apps of one layer do not import each other.
LAYERS = {
    "lib": 0,
    "jobs": 0,  # the task queue's leases and delivery records: imports no app
    "accounts": 1,
    "dossiers": 2,
    "ops": 2,  # errors, health and logs: need only the policies of accounts
    "updates": 2,  # service updates need only accounts; help renders with its markdown filter
    "push": 2,  # Web Push subscriptions and sending: needs only accounts
    # The ball's clock: service levels, working time, waits; every fact's app registers the
    # waits it knows (deadlines/sources.py) and the touch path recomputes them.
    "deadlines": 3,
    "documents": 4,
    "uploads": 5,  # chunked, resumable uploads a message then takes whole
    "checklists": 5,  # the expert's requested items (Request, RequestItem)
    "supplements": 5,
    "invoices": 5,
    "messaging": 6,
    "staff": 7,
    "tariffs": 7,
    "help": 7,
    "api": 7,
    "dashboard": 7,
}
# Modules of the project package itself (settings, urls, mail…) and what they may import.
PROJECT_MODULES = {"settings", "urls", "wsgi", "mail", "cache", "testing"}
PORTS = {"connect.api.events"}
TEMPLATE_TAG = re.compile(r"{%\s*(load|include|extends)\s+([^%]+?)\s*%}")


def app_of(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:  # `from connect.api import events`
                yield node.lineno, f"{node.module}.{alias.name}"


def target_app(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "connect" or len(parts) < 2:
        return None
    return parts[1]


def arrow_allowed(source: str, target: str, module: str = "") -> bool:
    if source == target or module in PORTS:
        return True
    if target in PROJECT_MODULES:
        return target != "testing" or source == "testing"
    if source in PROJECT_MODULES:
        return True  # settings, urls and the mail helper sit outside the layers
    if target not in LAYERS:
        return False
    return LAYERS[target] < LAYERS[source]


def python_files():
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).parts
        if "migrations" in relative or "tests" in relative:
            continue
        yield path


def template_tag_libraries() -> dict[str, str]:
    """`{% load name %}` → the app whose templatetags module defines it."""
    return {
        path.stem: app_of(path)
        for path in ROOT.glob("*/templatetags/*.py")
        if path.stem != "__init__"
    }


def template_app(name: str) -> str | None:
    folder = name.strip("\"'").split("/")[0]
    return folder if folder in LAYERS else None


def violations() -> list[str]:
    found = []
    for path in python_files():
        source = app_of(path)
        for line, module in imported_modules(path):
            target = target_app(module)
            if target is None or target == source:
                continue
            if module.rsplit(".", 1)[0] in PORTS and module not in PORTS:
                continue  # `from connect.api.events import record_event`
            if not arrow_allowed(source, target, module):
                found.append(f"{path.relative_to(ROOT.parent)}:{line} {source} → {module}")
    libraries = template_tag_libraries()
    for path in ROOT.glob("*/templates/**/*.html"):
        source = app_of(path)
        for number, text in enumerate(path.read_text().splitlines(), 1):
            for verb, argument in TEMPLATE_TAG.findall(text):
                if verb == "load":
                    targets = {libraries.get(name) for name in argument.split()} - {None}
                else:
                    targets = {template_app(argument.split()[0])} - {None}
                for target in targets:
                    if not arrow_allowed(source, target):
                        where = path.relative_to(ROOT.parent)
                        found.append(f"{where}:{number} {source} → {verb} {argument}")
    return sorted(found)


def test_no_layer_imports_a_higher_one():
    assert violations() == []


def test_the_checker_sees_an_upward_import(tmp_path):
    # The checker itself must be able to fail: a dossiers module importing messaging is refused.
    assert not arrow_allowed("dossiers", "messaging", "connect.messaging.queries")
    assert not arrow_allowed("accounts", "updates", "connect.updates.window")
    assert not arrow_allowed("staff", "api", "connect.api.feed")
    assert arrow_allowed("messaging", "api", "connect.api.events")
    assert arrow_allowed("staff", "messaging", "connect.messaging.services")
