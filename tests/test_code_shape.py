"""The shape the code keeps: no import cycles, small modules, a light public API."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "translate"
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> translate modules it imports (at any depth of the file, lazy imports included)."""
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in paths}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                # A package importing its own submodules is how packages are built, not a cycle.
                if target in paths and target != name and not (path.name == "__init__.py"
                                                               and target.startswith(name + ".")):
                    graph[name].add(target)
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles, done = [], set()

    def visit(node: str, stack: list[str]) -> None:
        if node in stack:
            cycles.append(stack[stack.index(node):] + [node])
            return
        if node in done:
            return
        for target in sorted(graph[node]):
            visit(target, stack + [node])
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
    return cycles


def test_cycle_finder_sees_a_planted_cycle():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_inside_the_package():
    assert find_cycles(import_graph()) == []


def test_no_module_is_over_400_lines():
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_the_cli_is_a_package_with_one_module_per_noun():
    from translate.cli import cli

    modules = {p.stem for p in (PACKAGE / "cli").glob("*.py")}
    for command in cli.commands.values():
        assert command.callback.__module__.split(".")[-1] in modules
    assert {"run", "clean", "glossary", "review", "tm", "model", "align", "bench"} <= set(cli.commands)


def test_public_api_imports_nothing_heavy():
    code = ("import sys\nfrom translate import translate_file, RunOptions, Glossary, EngineSettings\n"
            "heavy = {'torch', 'transformers', 'ctranslate2', 'docx', 'jieba'} & set(sys.modules)\n"
            "sys.exit(f'imported {sorted(heavy)}' if heavy else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_translate_file_translates_and_writes(tmp_path, rule_engine, article_path):
    import translate

    result = translate.translate_file(article_path, out_dir=str(tmp_path), formats=["json", "md"],
                                      beams=1, load_engine=rule_engine)
    assert [p.name for p in result.outputs] == [f"{result.document.name}.bilingual.md",
                                                f"{result.document.name}.en.md", f"{result.document.name}.json"]
    assert all(p.exists() for p in result.outputs)
    assert all(b.translation for b in result.document.blocks)


def test_translate_file_refuses_unknown_options(tmp_path, article_path):
    import pytest

    import translate

    with pytest.raises(TypeError, match="colour"):
        translate.translate_file(article_path, out_dir=str(tmp_path), colour="red")


def test_a_real_install_holds_every_package_and_data_file(tmp_path):
    """An editable checkout hides a package or data file left out of the build; a wheel does not."""
    import zipfile

    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                           "-w", str(tmp_path), str(PACKAGE.parent)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    names = set(zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist())
    packages = {str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("__init__.py")}
    assert packages - names == set()
    data = {str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*") if p.suffix in (".tsv", ".toml", ".txt")
            and "__pycache__" not in p.parts}
    assert data - names == set()
    assert "translate/glossary_data/tech-zh-en.csv" in names


def _modules_outside(*packages: str):
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if parts[0] not in packages:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_at_most_ten_loose_modules_beside_the_stage_packages():
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(loose) <= 10, loose


def engine_name_comparisons(tree: ast.AST) -> list[int]:
    """Lines comparing a value with an engine's name (or an `.engine` attribute with any text)."""
    from translate.engines import ENGINE_NAMES

    names = set(ENGINE_NAMES) - {"auto"}  # "auto" is also a device and a dtype
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            constants = {o.value for o in operands if isinstance(o, ast.Constant) and isinstance(o.value, str)}
            engine_attribute = any(isinstance(o, ast.Attribute) and o.attr == "engine" for o in operands)
            if constants & names or (engine_attribute and constants):
                lines.append(node.lineno)
    return lines


def assignments_over_modules(tree: ast.AST) -> list[int]:
    """Lines that assign over an attribute of one of our own imported modules (monkeypatching)."""
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("translate")):
            modules |= {a.asname or a.name for a in node.names if a.name.islower()}
        elif isinstance(node, ast.Import):
            modules |= {a.asname or a.name for a in node.names if a.name.startswith("translate")}
    lines = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AugAssign) else []
        if any(isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id in modules for t in targets):
            lines.append(node.lineno)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr"
                and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in modules):
            lines.append(node.lineno)
    return lines


def argv_reads(tree: ast.AST) -> list[int]:
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr == "argv" and getattr(node.value, "id", "") == "sys"]


def test_the_shape_scans_find_what_they_forbid():
    planted = ast.parse("import sys\nfrom . import run\nif settings.engine == 'openai':\n    run.write = None\n"
                        "setattr(run, 'x', 1)\nif '--debug' in sys.argv: pass\nif kind.unit == 'block': pass\n")
    assert engine_name_comparisons(planted) == [3]
    assert assignments_over_modules(planted) == [4, 5]
    assert argv_reads(planted) == [6]


def test_nothing_outside_engines_and_cli_compares_an_engine_name():
    found = [f"{path.relative_to(PACKAGE)}:{line}" for path, tree in _modules_outside("engines", "cli")
             for line in engine_name_comparisons(tree)]
    assert found == []


def test_production_code_never_assigns_over_its_own_modules():
    """Monkeypatching belongs in tests; the pipeline reports its own stage timings instead."""
    found = [f"{path.relative_to(PACKAGE)}:{line}" for path, tree in _modules_outside()
             for line in assignments_over_modules(tree)]
    assert found == []


def test_the_cli_never_reads_sys_argv():
    found = [f"{path.name}:{line}" for path in (PACKAGE / "cli").glob("*.py")
             for line in argv_reads(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == []
