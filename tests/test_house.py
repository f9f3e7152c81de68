"""The shape of the house, checked on the source (the code is read, not run).

- the core (occe_bureau/) imports neither Qt nor the UI (also checked by importing it:
  tests/core/test_core_has_no_qt.py);
- a private name (leading underscore) never crosses a module boundary;
- a domain is used through its public face (its package's __init__) by the UI and by the
  other domains; the UI never reaches the ORM, and a tab's package never imports another's;
- documents (printing.py, *_pdf.py) import no rules: only the printing base, the formats and
  their own types;
- the kernel modules (occe_bureau/*.py) know no domain.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = ("association", "coops", "lending", "gifts", "safety", "sales", "trainings", "bilan")
UI_DOMAINS = ("coops", "lending", "gifts", "sales", "trainings", "bilan")
KERNEL_FOR_UI = ("occe_bureau", "occe_bureau.clock", "occe_bureau.db", "occe_bureau.formats",
                 "occe_bureau.paths", "occe_bureau.logs", "occe_bureau.migrate",
                 "occe_bureau.tabular", "occe_bureau.validation", "occe_bureau.demo")
ORM = ("sqlalchemy", "sqlmodel", "alembic")


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    module: str  # the module imported from (absolute)
    names: tuple[str, ...]  # the names taken from it ("" for `import module`)

    def __str__(self) -> str:
        taken = f" ({', '.join(self.names)})" if any(self.names) else ""
        return f"{self.path.relative_to(ROOT)}:{self.line} imports {self.module}{taken}"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(dotted: str) -> bool:
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def sources(top: str) -> list[Path]:
    return sorted(p for p in (ROOT / top).rglob("*.py") if "migrations" not in p.parts)


def imports_of(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(path, node.lineno, a.name, ("",)) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.append(Import(path, node.lineno, base, tuple(a.name for a in node.names)))
    return found


def bound_by_face(package: str, name: str) -> bool:
    """Whether the package's __init__ itself gives `name` (a function named like a module)."""
    init = ROOT.joinpath(*package.split("."), "__init__.py")
    if not init.exists():
        return False
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and any((a.asname or a.name) == name for a in node.names):
            return True
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            return True
    return False


def targets(imp: Import) -> list[str]:
    """The modules an import really reaches: `from pkg import mod` reaches pkg.mod (unless
    the package's face gives a name of its own that is spelt like the module)."""
    reached = []
    for name in imp.names:
        if name and is_module(f"{imp.module}.{name}") and not bound_by_face(imp.module, name):
            reached.append(f"{imp.module}.{name}")
        else:
            reached.append(imp.module)
    return reached


def domain_of(dotted: str) -> str | None:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "occe_bureau" and parts[1] in DOMAINS else None


ALL_SOURCES = sources("occe_bureau") + sources("ui")


def test_the_house_is_laid_out_by_domain():
    for domain in DOMAINS:
        assert (ROOT / "occe_bureau" / domain / "__init__.py").exists(), domain
    for domain in UI_DOMAINS:
        assert (ROOT / "ui" / domain / "__init__.py").exists(), domain
    for gone in ("services", "models", "documents"):
        assert not (ROOT / "occe_bureau" / gone).exists(), f"occe_bureau/{gone}/ is back"


def test_the_core_imports_no_qt_and_no_ui():
    bad = [str(i) for p in sources("occe_bureau") for i in imports_of(p)
           if i.module.split(".")[0] in ("PySide6", "shiboken6", "ui")]
    assert bad == []


def test_no_private_name_crosses_a_module_boundary():
    bad = []
    for path in ALL_SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_aliases = {}
        for imp in imports_of(path):
            for name, reached in zip(imp.names, targets(imp), strict=True):
                if name.startswith("_") and not name.startswith("__"):
                    bad.append(str(imp))
                if name and reached != imp.module:
                    module_aliases[name] = reached
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.asname and alias.name in module_aliases:
                        module_aliases[alias.asname] = module_aliases[alias.name]
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in module_aliases and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno} uses "
                           f"{module_aliases[node.value.id]}.{node.attr}")
    assert bad == []


def test_the_ui_reaches_neither_the_orm_nor_a_domain_s_insides():
    bad = []
    for path in sources("ui"):
        own = path.relative_to(ROOT).parts[1]
        for imp in imports_of(path):
            for reached in targets(imp):
                top = reached.split(".")[0]
                if top in ORM:
                    bad.append(f"{imp} (the ORM)")
                elif top == "occe_bureau":
                    domain = domain_of(reached)
                    if domain is not None and reached != f"occe_bureau.{domain}":
                        bad.append(f"{imp} (inside {domain}: use occe_bureau.{domain})")
                    elif domain is None and not reached.startswith(KERNEL_FOR_UI):
                        bad.append(f"{imp} (not for the UI)")
                elif top == "ui":
                    other = reached.split(".")[1] if "." in reached else ""
                    if other in UI_DOMAINS and other != own:
                        bad.append(f"{imp} (another tab's package)")
    assert bad == []


def test_a_domain_uses_another_only_through_its_face():
    bad = []
    for path in sources("occe_bureau"):
        here = domain_of(module_name(path))
        if here is None:
            continue
        for imp in imports_of(path):
            for reached in targets(imp):
                there = domain_of(reached)
                if there not in (None, here) and reached != f"occe_bureau.{there}":
                    bad.append(str(imp))
    assert bad == []


def test_the_kernel_knows_no_domain():
    kernel = [p for p in (ROOT / "occe_bureau").glob("*.py") if p.name != "__init__.py"]
    bad = [str(i) for p in kernel for i in imports_of(p)
           for reached in targets(i) if domain_of(reached) or reached.startswith("occe_bureau.demo")]
    assert bad == []


DOCUMENTS = sorted(ROOT.glob("occe_bureau/**/*_pdf.py")) + [ROOT / "occe_bureau" / "printing.py"]
DOCUMENT_MAY_IMPORT = ("occe_bureau.printing", "occe_bureau.formats", "occe_bureau.paths")


def is_vocabulary(dotted: str, seen: frozenset[str] = frozenset()) -> bool:
    """A module of codes, labels and plain types only (a domain's enums, the papers its
    documents are given): it imports nothing of the application but what a document may (the
    letterhead's type) and other such modules, no database, no rule."""
    path = ROOT.joinpath(*dotted.split(".")).with_suffix(".py")
    if not path.exists() or dotted in seen:
        return path.exists()
    return all(
        i.module.split(".")[0] not in ("occe_bureau", *ORM) or i.module.startswith(DOCUMENT_MAY_IMPORT)
        or all(is_vocabulary(t, seen | {dotted}) for t in targets(i))
        for i in imports_of(path))


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_document_imports_no_rules(path):
    bad = []
    for imp in imports_of(path):
        for reached in targets(imp):
            top = reached.split(".")[0]
            if top in ORM or (top == "occe_bureau" and not reached.startswith(DOCUMENT_MAY_IMPORT)
                              and not is_vocabulary(reached) and reached != "occe_bureau"):
                bad.append(str(imp))
    assert bad == []


def test_the_house_checks_can_fail(tmp_path):
    """The checks see what they must: a private import, a reach inside a domain."""
    sample = ROOT / "ui" / "coops" / "tab.py"
    found = imports_of(sample)
    assert any(i.module == "occe_bureau" and "coops" in i.names for i in found)
    fake = Import(sample, 1, "occe_bureau.lending", ("loans",))
    assert targets(fake) == ["occe_bureau.lending.loans"]
    assert domain_of("occe_bureau.gifts.issuing") == "gifts"
    assert is_vocabulary("occe_bureau.lending.states")
    assert not is_vocabulary("occe_bureau.gifts.issuing")
    assert is_vocabulary("occe_bureau.trainings.papers")
