"""Imports run downhill (ADR 8): the import graph of src/jobbtorg is read with `ast`, no Django needed.

Every `import`/`from … import` of a `jobbtorg` module is an edge, at module level and inside functions alike
(an import moved into a function still couples the two modules; it only hides the cycle from Python).
Migrations are left out. Each module sits in one layer of its app:

- web: what serves a request or an operator — `views*`, `api/`, `api_docs`, `forms`, `admin`, `urls*`,
  `templatetags`, `middleware`, `context_processors`, `decorators`, `management/`, `apps`, the whole `demo`
  app;
- domain: everything else (`models`, `constants`, `querysets`, `services`, `selectors`, `perms`, `workflow`,
  `signals`, `receivers`, rules such as `scoring` or `creaming`).

The rules, each failing with the edge (file:line) that breaks it:
1. `utils` imports no other app of jobbtorg: it is the floor every app stands on.
2. A domain module imports no web module (of its own app or another): selectors, services and models do not
   know the API or the pages.
3. No cycle between apps: the graph of (app, layer) → (app, layer) over different apps has no cycle. A web
   layer may use any app's domain; two apps whose domains need each other talk through a domain event
   (`referrals.signals.referral_closed`, `interventions.signals.booking_placed`): the listener imports the
   sender, never the other way.
4. Another app is imported at the top of the module, not inside a function, except in the files of
   LOCAL_IMPORTS_ALLOWED (each with its reason).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "jobbtorg"

WEB_PARTS = {
    "api",
    "admin",
    "apps",
    "context_processors",
    "decorators",
    "forms",
    "management",
    "middleware",
    "templatetags",
}
WEB_PREFIXES = ("views", "urls", "api_docs")
TOP_APPS = {"demo"}  # builds a whole municipality from every app: above everything


@dataclass(frozen=True)
class Edge:
    source: str  # importing module, dotted
    target: str  # imported module (or module.name), dotted
    where: str  # file:line
    local: bool  # inside a function

    def __str__(self):
        return f"{self.where}: {self.source} → {self.target}" + (" (inside a function)" if self.local else "")


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(nodes, local: bool):
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, local
        inner = local or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        yield from _imports(ast.iter_child_nodes(node), inner)


def _is_module(dotted: str, root: Path) -> bool:
    path = root.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def import_edges(root: Path = SRC) -> list[Edge]:
    """Every import of a jobbtorg module by a module under `root` (migrations left out)."""
    edges = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.relative_to(root).parts:
            continue
        module = _module_name(path, root)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        where = path.relative_to(root.parent).as_posix()
        for node, local in _imports(ast.parse(path.read_text(encoding="utf-8")).body, False):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base_name = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    base_name = node.module or ""
                # `from package import module` imports the module; `from module import name` the module only
                # (a function named `api_…` or `views_…` does not make its module a web module)
                targets = [
                    f"{base_name}.{alias.name}"
                    if _is_module(f"{base_name}.{alias.name}", root)
                    else base_name
                    for alias in node.names
                ]
            for target in targets:
                if target.startswith(f"{root.name}."):
                    edges.append(Edge(module, target, f"{where}:{node.lineno}", local))
    return edges


def app_of(module: str) -> str | None:
    """The app a module belongs to (`jobbtorg.urls` gives "urls", which is no app: see _is_app)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def layer_of(module: str) -> str:
    parts = module.split(".")
    if parts[1] in TOP_APPS:
        return "web"
    inner = parts[2:]
    if any(p in WEB_PARTS or p.startswith(WEB_PREFIXES) for p in inner):
        return "web"
    return "domain"


def _is_app(name: str | None, root: Path) -> bool:
    return bool(name) and (root / name / "__init__.py").exists()


def utils_importing_apps(edges: list[Edge], root: Path = SRC) -> list[Edge]:
    return [
        e
        for e in edges
        if app_of(e.source) == "utils"
        and app_of(e.target) not in (None, "utils")
        and _is_app(app_of(e.target), root)
    ]


def domain_importing_web(edges: list[Edge], root: Path = SRC) -> list[Edge]:
    return [
        e
        for e in edges
        if _is_app(app_of(e.source), root)
        and _is_app(app_of(e.target), root)
        and app_of(e.source) != "utils"
        and layer_of(e.source) == "domain"
        and layer_of(e.target) == "web"
    ]


def app_cycles(edges: list[Edge], root: Path = SRC) -> list[list[Edge]]:
    """Cycles of the (app, layer) graph between different apps, each as the list of edges that close it."""
    graph: dict[tuple, dict[tuple, Edge]] = defaultdict(dict)
    for e in edges:
        a, b = app_of(e.source), app_of(e.target)
        if a == b or not (_is_app(a, root) and _is_app(b, root)):
            continue
        graph[(a, layer_of(e.source))].setdefault((b, layer_of(e.target)), e)
    # Tarjan's strongly connected components, then one cycle named per component.
    index: dict = {}
    low: dict = {}
    stack: list = []
    on_stack: set = set()
    components: list[list] = []

    def connect(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(component)

    for v in list(graph):
        if v not in index:
            connect(v)
    cycles = []
    for component in components:
        members = set(component)
        start = min(component)
        # breadth-first from start back to start inside the component: the shortest cycle through it
        previous = {start: None}
        queue = [start]
        closing = None
        while queue and closing is None:
            v = queue.pop(0)
            for w in sorted(graph.get(v, {})):
                if w == start:
                    closing = v
                    break
                if w in members and w not in previous:
                    previous[w] = v
                    queue.append(w)
        path = [start]
        v = closing
        while v is not None and v != start:
            path.insert(1, v)
            v = previous[v]
        path.append(start)
        cycles.append([graph[a][b] for a, b in zip(path, path[1:], strict=False)])
    return cycles


def test_utils_imports_no_app():
    found = utils_importing_apps(import_edges())
    assert not found, "utils imports no app of jobbtorg; move the code into the app:\n  " + "\n  ".join(
        map(str, found)
    )


def test_domain_modules_import_no_views_or_api():
    found = domain_importing_web(import_edges())
    assert not found, (
        "A domain module (models, selectors, services, …) imports a web module (views, api, forms, …); "
        "move what both need into the domain:\n  " + "\n  ".join(map(str, found))
    )


def test_no_import_cycle_between_apps():
    cycles = app_cycles(import_edges())
    assert not cycles, (
        "Import cycles between apps; let the lower app send a domain event instead:\n"
        + "\n".join("  cycle:\n    " + "\n    ".join(map(str, cycle)) for cycle in cycles)
    )


# Imports of another app inside a function, allowed where they are not dodging a cycle (the cycle test counts
# them anyway). A new one fails: put it at the top of the module, or say here why it is in a function.
LOCAL_IMPORTS_ALLOWED = {
    "jobbtorg/demo/": "the demo seeds every app in turn and loads each seeder when it runs",
    "jobbtorg/reporting/indicators.py": "definitions of the indicators, free of models; names are looked up "
    "only for the breakdown asked for",
}


def local_imports_of_other_apps(edges: list[Edge], root: Path = SRC) -> list[Edge]:
    return [
        e
        for e in edges
        if e.local
        and app_of(e.source) != app_of(e.target)
        and _is_app(app_of(e.target), root)
        and not e.where.startswith(tuple(LOCAL_IMPORTS_ALLOWED))
    ]


def test_imports_of_other_apps_are_at_the_top():
    found = local_imports_of_other_apps(import_edges())
    assert not found, (
        "Import another app at the top of the module (an import in a function hides a cycle; if there is "
        "one, use a domain event), or add the file to LOCAL_IMPORTS_ALLOWED with the reason:\n  "
        + "\n  ".join(map(str, found))
    )


def test_the_import_checks_find_what_they_look_for(tmp_path):
    """The checks are real: a small tree with each kind of bad import is caught, edge named."""
    root = tmp_path / "jobbtorg"
    files = {
        "utils/__init__.py": "",
        "utils/api.py": "def f():\n    from jobbtorg.audit.services import log\n",
        "audit/__init__.py": "",
        "audit/services.py": "log = 1\n",
        "shop/__init__.py": "",
        "shop/selectors.py": "from .api.serializers import S\n",
        "shop/api/__init__.py": "",
        "shop/api/serializers.py": "from jobbtorg.stock.models import Item\n",
        "stock/__init__.py": "",
        "stock/models.py": "from jobbtorg.stock.services import x\n",
        "stock/services.py": "def g():\n    from jobbtorg.shop.services import y\n",
        "shop/services.py": "from jobbtorg.stock import models\n",
        "shop/views.py": "from jobbtorg.stock.models import Item\n",
        "stock/views.py": "from jobbtorg.shop.models import Order\n",
        "shop/tokens.py": "from jobbtorg.shop.selectors import api_token, views_count\n",
        "shop/migrations/__init__.py": "",
        "shop/migrations/0001_initial.py": "from jobbtorg.shop.views import v\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    edges = import_edges(root)
    assert not any("migrations" in e.where for e in edges)
    assert [str(e) for e in utils_importing_apps(edges, root)] == [
        "jobbtorg/utils/api.py:2: jobbtorg.utils.api → jobbtorg.audit.services (inside a function)"
    ]
    assert [e.where for e in domain_importing_web(edges, root)] == ["jobbtorg/shop/selectors.py:1"]
    cycles = app_cycles(edges, root)
    assert len(cycles) == 1, cycles
    assert sorted(e.where for e in cycles[0]) == [
        "jobbtorg/shop/services.py:1",
        "jobbtorg/stock/services.py:2",
    ]
    # web layers using each other's domain is no cycle
    assert not any("views" in e.where for cycle in cycles for e in cycle)
    assert sorted(e.where for e in local_imports_of_other_apps(edges, root)) == [
        "jobbtorg/stock/services.py:2",
        "jobbtorg/utils/api.py:2",
    ]
