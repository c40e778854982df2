"""The layout DESIGN.md promises, checked from the source: imports point one way
(people <- certificates <- courses <- reports), no module imports itself round a circle,
no project import hides inside a function, and no lower layer names a higher one's URL.

Read with `ast` rather than by importing, so a cycle that happens to work at run time
(because Django loaded the models first) still fails here.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("training_site", "courses", "certificates")

# Lowest first. A module may import from its own layer or any layer before it.
LAYERS = (
    "training_site.people",
    "training_site.home",
    "certificates",
    "courses",
    "training_site.reports",
)
# The project package's composition (settings, URLs, commands, demo data) sits above all.
COMPOSITION = "training_site"

# How each layer's own addresses are written; a lower layer must never write them.
URL_MARKERS = {
    "certificates": ('"/verify/', '"/certificates/', '"certificates:'),
    "courses": ('"/courses/', '"/dashboard/', 'reverse("dashboard"'),
    "training_site.reports": ('"/staff/', '"reports:'),
}


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[module_name(path)] = path
    return modules


MODULES = project_modules()


def is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_of(module: str, path: Path) -> list[Import]:
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        if is_type_checking_block(node):
            return
        if isinstance(node, ast.Import):
            found.extend(
                Import(module, alias.name, node.lineno, in_function) for alias in node.names
            )
        elif isinstance(node, ast.ImportFrom):
            target = resolve(module, path, node)
            for alias in node.names:
                # `from package import module` depends on that module, not on the package.
                submodule = f"{target}.{alias.name}"
                found.append(
                    Import(
                        module,
                        submodule if submodule in MODULES else target,
                        node.lineno,
                        in_function,
                    )
                )
        inside = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(ast.parse(path.read_text(), str(path)), False)
    return [item for item in found if item.target.split(".")[0] in PACKAGES]


IMPORTS = [item for module, path in MODULES.items() for item in imports_of(module, path)]


def layer_of(module: str) -> int:
    for rank, layer in enumerate(LAYERS):
        if module == layer or module.startswith(layer + "."):
            return rank
    assert module == COMPOSITION or module.startswith(COMPOSITION + "."), module
    return len(LAYERS)


def owning_module(target: str) -> str:
    """The project module an import lands in (a name imported from a module is that module)."""
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the groups of modules that import each other."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in graph.get(node, ()):
                    groups.append(sorted(group))
    return groups


def test_the_walk_finds_the_packages():
    assert "courses.models.pages" in MODULES
    assert "certificates.services" in MODULES
    assert "training_site.reports.selectors" in MODULES
    assert any(item.target == "courses.services" for item in IMPORTS)


def test_no_project_import_hides_inside_a_function():
    hidden = [
        f"{MODULES[item.source].relative_to(ROOT)}:{item.line} imports {item.target}"
        for item in IMPORTS
        if item.in_function
    ]
    assert hidden == []


def test_no_module_imports_round_a_circle():
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for item in IMPORTS:
        target = owning_module(item.target)
        if target:
            graph[item.source].add(target)
    assert strongly_connected(graph) == []


def test_imports_point_down_the_layers():
    upward = [
        f"{MODULES[item.source].relative_to(ROOT)}:{item.line} imports {item.target}"
        for item in IMPORTS
        if layer_of(item.source) < layer_of(owning_module(item.target) or item.target)
    ]
    assert upward == []


@pytest.mark.parametrize("layer", list(URL_MARKERS))
def test_lower_layers_never_write_a_higher_layers_address(layer):
    rank = LAYERS.index(layer)
    written = [
        f"{path.relative_to(ROOT)} writes {marker}"
        for module, path in MODULES.items()
        if layer_of(module) < rank
        for marker in URL_MARKERS[layer]
        if marker in path.read_text()
    ]
    assert written == []


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert sorted(strongly_connected(graph)) == [["a", "b", "c"], ["e"]]
