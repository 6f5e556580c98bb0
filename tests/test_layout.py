"""The package's folders are the pipeline: imports point down it, never back up."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pelican.plugins import dossier
from pelican.plugins.dossier.derived import MissingSource, source_files, source_version

PACKAGE = Path(dossier.__file__).parent
# Shared by every stage; they import no stage.
BASE = {"settings", "model", "urls", "atomic", "assets", "sane", "textnorm", "derived", "isolation"}
# The stages in order: each may import the base and the stages before it. fetch/ comes
# first: discovery reads the start page and the listing through it.
STAGES = ("fetch", "discover", "clean", "themes", "track", "document", "publish")
# The wiring on top, which may import everything.
WIRING = {"__init__", "pipeline", "glue"}


def _modules() -> dict[str, Path]:
    """Dotted name (relative to the package) → file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path) -> set[str]:
    """The package's modules or sub-packages one module imports when it runs.

    Imports under ``if TYPE_CHECKING:`` only name types for annotations; they are skipped.
    """
    package = name.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
        for inner in ast.walk(node)
    }
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.level or id(node) in typing_only:
            continue
        base = package[: len(package) - (node.level - 1)]
        if node.module:
            found.add(".".join([*base, *node.module.split(".")]))
        else:  # `from . import x, y`: modules of that package
            found |= {".".join([*base, alias.name]) for alias in node.names}
    return found


def _layer(name: str) -> tuple[int, str]:
    top = name.split(".")[0]
    if top in BASE:
        return 0, top
    if top in STAGES:
        return 1 + STAGES.index(top), top
    assert top in WIRING, f"{name}: a module outside the base, the stages and the wiring"
    return len(STAGES) + 1, top


@pytest.mark.parametrize("name", [n for n in _modules() if n.split(".")[0] not in WIRING])
def test_a_module_imports_only_the_base_its_own_stage_and_earlier_stages(name: str) -> None:
    level, stage = _layer(name)
    modules = _modules()
    for target in _imports(name, modules[name]):
        target_level, target_stage = _layer(target)
        allowed = target_level < level or target_stage == stage or level == target_level == 0
        assert allowed, f"{name} imports {target}"


def test_the_import_graph_has_no_cycle() -> None:
    modules = _modules()
    graph = {
        n: {t if t in modules else f"{t}.__init__" for t in _imports(n, p)}
        for n, p in modules.items()
    }
    state: dict[str, int] = {}

    def visit(node: str, trail: tuple[str, ...]) -> None:
        assert state.get(node) != 1, "import cycle: " + " → ".join((*trail, node))
        if state.get(node) == 2:
            return
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            visit(target, (*trail, node))
        state[node] = 2

    for node in sorted(graph):
        visit(node, ())
    assert len(state) >= len(modules)


def test_the_stage_folders_exist_each_naming_what_it_offers() -> None:
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        tree = ast.parse(init.read_text(encoding="utf-8"))
        names = [n for n in tree.body if isinstance(n, ast.Assign)]
        assert ast.get_docstring(tree), f"{stage}/__init__.py says nothing about the stage"
        assert any(t.id == "__all__" for n in names for t in n.targets if isinstance(t, ast.Name))


def test_a_version_over_a_sub_package_covers_each_of_its_modules() -> None:
    files = {p.name for p in source_files(("clean",))}
    assert {"cleaner.py", "extract.py", "dom.py", "sanitize.py", "rewrite.py"} <= files
    assert source_version("clean") != source_version("clean", "urls")


def test_a_version_over_a_module_that_is_not_there_fails_loudly() -> None:
    with pytest.raises(MissingSource, match=r"'themes\.tagger_v2'"):
        source_version("themes", "themes.tagger_v2")
