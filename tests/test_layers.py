"""The package's import contract: layers import downwards only, and no module imports itself
back through others (docs/decisions/layers.md).

Read from the source with ``ast`` (nothing is imported): every ``import`` counts, also one inside
a function, except those under ``if TYPE_CHECKING:`` (they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "beeldwijs"

#: Top first. A module may import its own layer and the layers below it; modules in one row
#: separated by "|" are independent of each other. ``beeldwijs`` itself (its ``__init__``) is at
#: the bottom; a new top-level module must be given a row.
LAYERS = (
    "beeldwijs.__main__",
    "beeldwijs.cli",
    "beeldwijs.serve",
    "beeldwijs.facilitator",
    "beeldwijs.documents",
    "beeldwijs.widgets",
    "beeldwijs.ui",
    "beeldwijs.content | beeldwijs.store",
    "beeldwijs.texts | beeldwijs.errors | beeldwijs.links",
    "beeldwijs.settings | beeldwijs",
)

#: Parts of a layer that the rest of that layer builds on, and that do not import that rest.
INNER = {"beeldwijs.facilitator.analysis": "beeldwijs.facilitator"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The beeldwijs modules ``name`` imports (``from package import module`` names the module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    result: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            targets = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source
                for alias in node.names
            ]
        result |= {t for t in targets if t in modules and t != name}
    return result


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def layer_of(module: str) -> tuple[int, str]:
    """(rank from the top, the row's entry ``module`` belongs to)."""
    best: tuple[int, str] | None = None
    for rank, row in enumerate(LAYERS):
        for entry in (e.strip() for e in row.split("|")):
            inside = module.startswith(entry + ".") and entry != PACKAGE.name
            if (module == entry or inside) and (best is None or len(entry) > len(best[1])):
                best = (rank, entry)
    assert best is not None, f"{module} is in no layer: add it to LAYERS"
    return best


def contract_violations(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, targets in sorted(graph.items()):
        rank, entry = layer_of(module)
        for target in sorted(targets):
            target_rank, target_entry = layer_of(target)
            if target_rank < rank:
                problems.append(f"{module} imports {target}, a layer above it")
            elif target_rank == rank and target_entry != entry:
                problems.append(
                    f"{module} imports {target}: {entry} and {target_entry} are independent"
                )
            for inner, outer in INNER.items():
                inside = module == inner or module.startswith(inner + ".")
                target_inside = target == inner or target.startswith(inner + ".")
                if inside and not target_inside and target.startswith(outer + "."):
                    problems.append(
                        f"{module} imports {target}: {inner} is below the rest of {outer}"
                    )
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), as sorted lists."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_a_layer_above_it() -> None:
    assert contract_violations(import_graph()) == []


def test_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_the_contract_catches_an_upward_import_and_a_cycle() -> None:
    graph = import_graph()
    graph["beeldwijs.content.model"] = graph["beeldwijs.content.model"] | {
        "beeldwijs.widgets.player"
    }
    graph["beeldwijs.store.schema"] = graph["beeldwijs.store.schema"] | {"beeldwijs.content.model"}
    graph["beeldwijs.facilitator.analysis.tabletop"] = graph[
        "beeldwijs.facilitator.analysis.tabletop"
    ] | {"beeldwijs.facilitator.charts"}
    assert contract_violations(graph) == [
        "beeldwijs.content.model imports beeldwijs.widgets.player, a layer above it",
        "beeldwijs.facilitator.analysis.tabletop imports beeldwijs.facilitator.charts: "
        "beeldwijs.facilitator.analysis is below the rest of beeldwijs.facilitator",
        "beeldwijs.store.schema imports beeldwijs.content.model: "
        "beeldwijs.store and beeldwijs.content are independent",
    ]
    graph["beeldwijs.content.model"] = {"beeldwijs.content.loader"}
    assert ["beeldwijs.content.loader", "beeldwijs.content.model"] in cycles(graph)


def test_imports_are_read_from_functions_but_not_from_type_checking_blocks() -> None:
    graph = import_graph()
    assert "beeldwijs.content.checklist" in graph["beeldwijs.content.library"]  # in a function
    assert "beeldwijs.content.help" not in graph["beeldwijs.content.cachefile"]  # TYPE_CHECKING
