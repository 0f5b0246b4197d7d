"""The arrows point one way: a module imports the model and earlier stages, never a later one.

This is the stage map of CONTRIBUTING.md, checked against every import in ssg/
(at the top of a module or inside a function).  A new module is placed in
STAGES; an import against the grain fails until it is turned around, or
written into CROSSINGS with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ssg

PACKAGE = Path(ssg.__file__).parent

STAGES = {
    "base": {"errors", "model", "slugs", "urls", "sitefiles", "yamltext", "i18n", "xhtml", "figures"},
    "load": {"config", "frontmatter", "markup", "verse", "typography", "shortcodes", "sections", "load"},
    "index": {"index", "firstlines", "links"},
    "plan": {"routes", "deps"},
    "render": {"render", "templates", "feeds", "sitemap", "redirects", "search", "book", "epub", "pdf", "editions"},
    "write": {"write"},
    "commands": {"build", "cache", "watch", "preview", "serve", "report", "cli", "check", "deploy", "scaffold", "importconfig", "__main__", "__init__"},
}
"""Every module of ssg/ by the stage it belongs to, earliest first."""
ORDER = list(STAGES)
LOADING = {"config", "frontmatter", "markup", "shortcodes", "sections", "load"}
"""What reads the site's files: a renderer works from the model and never reaches back into these."""

CROSSINGS = {
    ("load", "firstlines"): "a piece's first line is found as it is loaded (first_line_of); the index of first lines is made later",
    ("load", "links"): "a piece's links are read as it is loaded (outgoing); they are resolved once every piece is known",
}
"""Imports against the grain, each with its reason: a module whose first half runs in an earlier stage."""


def stage_of(module: str) -> str:
    return next(stage for stage, modules in STAGES.items() if module in modules)


def imports_of(module: str) -> set[str]:
    """The modules of ssg that ssg/<module>.py imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "ssg":
            found |= {alias.name if (PACKAGE / f"{alias.name}.py").is_file() else "__init__" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ssg."):
            found.add(node.module.removeprefix("ssg."))
        elif isinstance(node, ast.Import):
            found |= {alias.name.removeprefix("ssg.") for alias in node.names if alias.name.startswith("ssg.")}
    return found


MODULES = sorted(file.stem for file in PACKAGE.glob("*.py"))


def test_every_module_has_its_place_in_the_stage_map():
    unplaced = [module for module in MODULES if not any(module in modules for modules in STAGES.values())]
    assert not unplaced, f"place {unplaced} in STAGES here and in the stage map of CONTRIBUTING.md"


def test_no_module_imports_a_later_stage():
    against = [
        f"ssg/{module}.py ({stage_of(module)}) imports ssg.{imported} ({stage_of(imported)})"
        for module in MODULES
        for imported in sorted(imports_of(module))
        if ORDER.index(stage_of(imported)) > ORDER.index(stage_of(module)) and (module, imported) not in CROSSINGS
    ]
    assert not against, "\n".join(against)


def test_errors_and_the_model_import_nothing_of_ssg():
    assert imports_of("errors") == set()
    assert imports_of("model") == set()


def test_the_renderers_never_read_the_site_and_only_write_touches_the_output():
    for module in sorted(STAGES["render"] | STAGES["plan"]):
        assert not imports_of(module) & LOADING, module
    for module in sorted(set().union(*(STAGES[stage] for stage in ORDER[: ORDER.index("write")]))):
        assert "write" not in imports_of(module), module
