"""The domain knows eventsourcing's domain module and pydantic, and no other framework or I/O.

import-linter checks the layers and the big libraries; it cannot name a library's submodules,
so this test checks that the domain uses no part of eventsourcing but `eventsourcing.domain`.
"""

import ast
from pathlib import Path

DOMAIN = Path(__file__).parents[2] / "domain"
IO_MODULES = {"os", "io", "socket", "subprocess", "sqlite3", "pathlib", "shutil", "requests"}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_domain_uses_only_the_domain_module_of_eventsourcing_and_no_io() -> None:
    offenders = {}
    for path in DOMAIN.rglob("*.py"):
        for module in imported_modules(path):
            top = module.split(".")[0]
            if (top == "eventsourcing" and module != "eventsourcing.domain") or top in IO_MODULES:
                offenders[str(path.relative_to(DOMAIN))] = module
    assert offenders == {}
