"""The layers of the code, as README.md ("Layers") writes them, checked on every link.

An app may reach only its own layer or a lower one. The checker sees six kinds of link: an
import; a template's `{% load %}`, `{% include %}` or `{% extends %}`; `apps.get_model`; a model
named by string in a relation field (`"messaging.Thread"`); a hook, where an app hands a callable
to a lower app's signal or registry (the lower app then calls up); and a dynamic dispatch
(`import_module`, `import_string`, `call_command` on a computed name), whose target no reader
can see. A link against the order passes only when DECLARED below with why, and README "Layers"
names the same links; a declared link the code no longer has fails too.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "connect"
README = ROOT.parent / "README.md"

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
    # Chunked, resumable uploads that a message or a requested item's answer then takes whole.
    "uploads": 5,
    "readings": 5,  # what the portal read on the photos (OCR), off the request path
    "checklists": 6,  # the expert's requested items (Request, RequestItem)
    "supplements": 6,
    "invoices": 6,
    "messaging": 7,
    # The dossier de preuves: every document, the events' record, the seal; staff and the API
    # serve it.
    "evidence": 7,
    # The firm's clients and their portfolio: read dossiers and what hangs from them, never
    # the garage↔firm threads.
    "clients": 7,
    "staff": 8,
    "tariffs": 8,
    "help": 8,
    "api": 8,
    "dashboard": 8,
    # The insured's space reads dossiers, documents and the ball, and is read by none of them.
    "insured": 9,
}
# Modules of the project package itself (settings, urls, mail…) and what they may import.
PROJECT_MODULES = {"settings", "urls", "wsgi", "mail", "cache", "testing"}
TEMPLATE_TAG = re.compile(r"{%\s*(load|include|extends)\s+([^%]+?)\s*%}")
RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField", "ForeignObject"}
DYNAMIC_CALLS = {"import_module", "import_string", "call_command"}


@dataclass(frozen=True)
class Link:
    """`source` reaches `target` through `what`. For a hook the source is the hook's app (it
    calls up) and the target the app whose callable it calls. "*": any app."""

    kind: str  # import, template, get_model, model, hook, dynamic
    source: str
    target: str
    what: str  # the module, template tag, model, hook or function

    def covers(self, found: "Link") -> bool:
        return (
            self.kind == found.kind
            and self.source in ("*", found.source)
            and self.target in ("*", found.target)
            and (found.what == self.what or found.what.startswith(self.what + "."))
        )


# Every link against the layers, and why. README "Layers" names each `what`.
WAITS = "connect.deadlines.sources.source"
TOUCH = "connect.dossiers.touch.on_dossiers_touched"
DECLARED = {
    # The event record: a lower layer records what happened, the API publishes it.
    Link("import", "*", "api", "connect.api.events"),
    # The thread a request or a supplement was asked from (by string, never imported).
    Link("model", "checklists", "messaging", "messaging.Thread"),
    Link("model", "supplements", "messaging", "messaging.Thread"),
    # The client who ordered a dossier's expertise (by string, never imported).
    Link("model", "dossiers", "clients", "clients.Client"),
    # The waits registry: each fact's app tells the clock what waits on its dossiers.
    *(Link("hook", "deadlines", app, WAITS) for app in ("checklists", "supplements", "invoices")),
    Link("hook", "deadlines", "messaging", WAITS),
    Link("hook", "deadlines", "insured", WAITS),
    # The touch listeners: what is derived from a dossier's facts is recomputed in the
    # writer's transaction (the ball; the threads' due dates).
    Link("hook", "dossiers", "deadlines", TOUCH),
    Link("hook", "dossiers", "messaging", TOUCH),
    # A validated invoice is checked against the dossier's agreed total (repair + supplements).
    Link("import", "invoices", "supplements", "connect.supplements.services.agreed_total"),
    # Attaching an existing repairer to a garage is audited by staff.
    Link("hook", "accounts", "staff", "connect.accounts.services.repairer_attached"),
    # seed_demo runs every app's demo module, in the layers' order.
    Link("dynamic", "dossiers", "*", "import_module"),
    # The scheduler runs the daily jobs, each a management command of its app.
    Link("dynamic", "ops", "*", "call_command"),
    # The metrics page reports the nightly recount of the list's kept counts (its drift).
    Link("import", "ops", "dossiers", "connect.dossiers.models.CountsCheck"),
}


def app_of(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def module_of(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def target_app(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "connect" or len(parts) < 2:
        return None
    return parts[1]


def arrow_allowed(source: str, target: str) -> bool:
    if source == target:
        return True
    if target in PROJECT_MODULES:
        return target != "testing" or source == "testing"
    if source in PROJECT_MODULES:
        return True  # settings, urls and the mail helper sit outside the layers
    if target not in LAYERS or source not in LAYERS:
        return False
    return LAYERS[target] < LAYERS[source]


def python_files(root: Path = ROOT):
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).parts
        if "migrations" in relative or "tests" in relative:
            continue
        yield path


def imported_names(tree: ast.AST) -> dict[str, str]:
    """Local name → the dotted name it stands for (`source` → connect.deadlines.sources.source)."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
    return names


def dotted(node: ast.AST, names: dict[str, str]) -> str | None:
    """`x` or `x.y.z` resolved through the module's imports, or None."""
    if isinstance(node, ast.Name):
        return names.get(node.id, node.id)
    if isinstance(node, ast.Attribute) and (base := dotted(node.value, names)):
        return f"{base}.{node.attr}"
    return None


def text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def label_app(label: str) -> str | None:
    """An app label ("messaging") → the app, None for Django's own apps (auth…)."""
    return label if label in LAYERS else None


# Hooks: what a lower app offers to be called back ---------------------------------------------


def hooks(root: Path = ROOT) -> set[str]:
    """Every signal (`x = Signal()`) and every registrar (a module-level function that keeps
    the callable it is given in a module-level collection) of the project."""
    found = set()
    for path in python_files(root):
        tree = ast.parse(path.read_text(), filename=str(path))
        module = module_of(path, root)
        globals_ = {
            target.id
            for node in tree.body
            if isinstance(node, (ast.Assign, ast.AnnAssign))
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)
        }
        for node in tree.body:
            call = node.value if isinstance(node, ast.Assign) else None
            if isinstance(call, ast.Call) and (dotted(call.func, {}) or "").endswith("Signal"):
                found |= {f"{module}.{t.id}" for t in node.targets if isinstance(t, ast.Name)}
            if isinstance(node, ast.FunctionDef) and _keeps_its_argument(node, globals_):
                found.add(f"{module}.{node.name}")
    return found


def _keeps_its_argument(function: ast.FunctionDef, globals_: set[str]) -> bool:
    params = {arg.arg for arg in function.args.args}
    return any(
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in ("append", "add")
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id in globals_
        and any(isinstance(arg, ast.Name) and arg.id in params for arg in call.args)
        for call in ast.walk(function)
    )


# The links of one Python file ---------------------------------------------------------------


def python_links(path: Path, root: Path = ROOT, known_hooks: frozenset[str] = frozenset()):
    """(line, Link) for every link the file holds to another app."""
    source = app_of(path, root)
    tree = ast.parse(path.read_text(), filename=str(path))
    names = imported_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, _link("import", source, alias.name, alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:  # `from connect.api import events`: connect.api.events
                module = f"{node.module}.{alias.name}"
                yield node.lineno, _link("import", source, module, module)
        elif isinstance(node, ast.Call):
            yield from ((node.lineno, link) for link in _call_links(node, source, names))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:  # `@receiver(…)` is walked as a call
                if not isinstance(decorator, ast.Call):
                    yield from _hook_links(decorator, source, names, known_hooks)
        if isinstance(node, ast.Call):
            yield from _hook_links(node, source, names, known_hooks)


def _link(kind: str, source: str, module: str, what: str) -> Link | None:
    target = target_app(module)
    return Link(kind, source, target, what) if target and target != source else None


def _call_links(call: ast.Call, source: str, names: dict[str, str]):
    function = (dotted(call.func, names) or "").split(".")[-1]
    first = call.args[0] if call.args else None
    if function == "get_model" and (label := text(first)):
        # apps.get_model("app", "Model") or apps.get_model("app.Model")
        name = text(call.args[1]) if len(call.args) > 1 else None
        yield _model_link("get_model", source, f"{label}.{name}" if name else label)
    elif function in RELATION_FIELDS:
        for node in [first, *(k.value for k in call.keywords if k.arg in ("to", "through"))]:
            if (model := text(node)) and "." in model:
                yield _model_link("model", source, model)
    elif function in DYNAMIC_CALLS and first is not None:
        if (name := text(first)) and function != "call_command":
            yield _link("import", source, name, name)  # a fixed module: an import like any other
        else:
            yield Link("dynamic", source, "*", function)


def _model_link(kind: str, source: str, model: str) -> Link | None:
    target = label_app(model.split(".")[0])
    return Link(kind, source, target, model) if target and target != source else None


def _hook_links(node: ast.AST, source: str, names: dict[str, str], known_hooks):
    """`signal.connect(f)`, `@receiver(signal)`, `registrar(f)`, `@registrar`."""
    used = []
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "connect"
    ):
        used.append(dotted(node.func.value, names))
    if isinstance(node, ast.Call) and (dotted(node.func, names) or "").endswith("receiver"):
        for arg in node.args:
            items = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
            used += [dotted(item, names) for item in items]
    used.append(dotted(node.func if isinstance(node, ast.Call) else node, names))
    for hook in used:
        if hook in known_hooks and (owner := target_app(hook)) and owner != source:
            yield node.lineno, Link("hook", owner, source, hook)


# Templates ----------------------------------------------------------------------------------


def template_tag_libraries(root: Path = ROOT) -> dict[str, str]:
    """`{% load name %}` → the app whose templatetags module defines it."""
    return {
        path.stem: app_of(path, root)
        for path in root.glob("*/templatetags/*.py")
        if path.stem != "__init__"
    }


def template_app(name: str) -> str | None:
    folder = name.strip("\"'").split("/")[0]
    return folder if folder in LAYERS else None


def template_links(path: Path, root: Path = ROOT, libraries: dict[str, str] | None = None):
    source = app_of(path, root)
    libraries = template_tag_libraries(root) if libraries is None else libraries
    for number, line in enumerate(path.read_text().splitlines(), 1):
        for verb, argument in TEMPLATE_TAG.findall(line):
            if verb == "load":
                targets = {libraries.get(name) for name in argument.split()} - {None}
            else:
                targets = {template_app(argument.split()[0])} - {None}
            for target in targets - {source}:
                yield number, Link("template", source, target, f"{verb} {argument}")


# The verdict --------------------------------------------------------------------------------


def links(root: Path = ROOT):
    """(where, Link) for every link between apps in the code under `root`."""
    known_hooks = frozenset(hooks(root))
    for path in python_files(root):
        where = path.relative_to(root.parent)
        for line, link in python_links(path, root, known_hooks):
            if link is not None:
                yield f"{where}:{line}", link
    libraries = template_tag_libraries(root)
    for path in root.glob("*/templates/**/*.html"):
        for line, link in template_links(path, root, libraries):
            yield f"{path.relative_to(root.parent)}:{line}", link


def against_the_layers(link: Link) -> bool:
    if link.source in PROJECT_MODULES:
        return False  # settings, urls, the tests' helpers: outside the layers
    if link.kind in ("hook", "dynamic"):
        return link.target == "*" or not arrow_allowed(link.source, link.target)
    return not arrow_allowed(link.source, link.target)


def violations(root: Path = ROOT, declared=DECLARED) -> list[str]:
    return sorted(
        f"{where} {link.kind}: {link.source} → {link.target} ({link.what})"
        for where, link in links(root)
        if against_the_layers(link) and not any(d.covers(link) for d in declared)
    )


def test_no_app_reaches_a_higher_layer_undeclared():
    assert violations() == []


def test_every_declared_link_is_in_the_code_and_in_the_readme():
    found = [link for _, link in links() if against_the_layers(link)]
    assert [d for d in DECLARED if not any(d.covers(link) for link in found)] == []
    section = README.read_text().split("## Layers", 1)[1].split("\n## ", 1)[0]
    assert [d.what for d in DECLARED if f"`{d.what}`" not in section] == []


# The checker itself must be able to fail, on each kind of link --------------------------------

UNDECLARED = {
    "dossiers/queries.py": "from connect.messaging import queries\n",
    "accounts/views.py": "import connect.updates.window\n",
    "documents/checks.py": (
        "from django.apps import apps\n"
        'Thread = apps.get_model("messaging", "Thread")\n'
        'Request = apps.get_model("checklists.Request")\n'
    ),
    "invoices/models.py": (
        "from django.db import models\n"
        "class Invoice(models.Model):\n"
        '    thread = models.ForeignKey("messaging.Thread", on_delete=models.CASCADE)\n'
        '    tags = models.ManyToManyField(to="staff.Tag")\n'
        '    owner = models.OneToOneField("accounts.User", on_delete=models.CASCADE)\n'
    ),
    "accounts/services.py": "from django.dispatch import Signal\nrepairer_left = Signal()\n",
    "staff/apps.py": (
        "from connect.accounts.services import repairer_left\nrepairer_left.connect(print)\n"
    ),
    "dossiers/touch.py": "HEARD = []\ndef on_touch(listener):\n    HEARD.append(listener)\n",
    "messaging/waits.py": "from connect.dossiers.touch import on_touch\n@on_touch\ndef f(x): ...\n",
    "documents/seed.py": "import importlib\nimportlib.import_module(f'connect.{name}.demo')\n",
    "dossiers/templates/dossiers/page.html": (
        '{% extends "staff/base.html" %}{% load messaging_tags %}\n'
        '{% include "messaging/_composer.html" %}\n'
    ),
    "messaging/templatetags/messaging_tags.py": "",
}


@pytest.fixture
def synthetic_root(tmp_path):
    root = tmp_path / "connect"
    for name, source in UNDECLARED.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(source)
    return root


def test_the_checker_fails_on_each_kind_of_undeclared_link(synthetic_root):
    found = violations(synthetic_root, declared=set())
    assert found == [
        "connect/accounts/views.py:1 import: accounts → updates (connect.updates.window)",
        "connect/documents/checks.py:2 get_model: documents → messaging (messaging.Thread)",
        "connect/documents/checks.py:3 get_model: documents → checklists (checklists.Request)",
        "connect/documents/seed.py:2 dynamic: documents → * (import_module)",
        "connect/dossiers/queries.py:1 import: dossiers → messaging (connect.messaging.queries)",
        "connect/dossiers/templates/dossiers/page.html:1 template: dossiers → messaging "
        "(load messaging_tags)",
        "connect/dossiers/templates/dossiers/page.html:1 template: dossiers → staff "
        '(extends "staff/base.html")',
        "connect/dossiers/templates/dossiers/page.html:2 template: dossiers → messaging "
        '(include "messaging/_composer.html")',
        "connect/invoices/models.py:3 model: invoices → messaging (messaging.Thread)",
        "connect/invoices/models.py:4 model: invoices → staff (staff.Tag)",
        "connect/messaging/waits.py:2 hook: dossiers → messaging (connect.dossiers.touch.on_touch)",
        "connect/staff/apps.py:2 hook: accounts → staff (connect.accounts.services.repairer_left)",
    ]


def test_a_declared_link_passes_and_covers_only_itself(synthetic_root):
    declared = {
        Link("import", "dossiers", "messaging", "connect.messaging"),
        Link("get_model", "documents", "messaging", "messaging.Thread"),
        Link("hook", "accounts", "staff", "connect.accounts.services.repairer_left"),
    }
    found = violations(synthetic_root, declared=declared)
    assert not any("dossiers → messaging (connect.messaging" in line for line in found)
    assert not any("messaging.Thread" in line and "get_model" in line for line in found)
    assert not any("repairer_left" in line for line in found)
    assert any("checklists.Request" in line for line in found)
    assert any("invoices → messaging (messaging.Thread)" in line for line in found)


def test_the_layers_order():
    assert not arrow_allowed("dossiers", "messaging")
    assert not arrow_allowed("accounts", "updates")
    assert not arrow_allowed("staff", "api")
    assert not arrow_allowed("checklists", "supplements")  # one layer: no arrow either way
    assert arrow_allowed("staff", "messaging")
    assert arrow_allowed("messaging", "accounts")
