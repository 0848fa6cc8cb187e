"""`translate glossary lint`: problems in a glossary file as 'file:line: problem'."""

from __future__ import annotations

import re

from ..controls import ZERO_WIDTH, is_blank
from ..errors import GlossaryError
from .model import COLUMNS, KINDS, glossary_rows, read_glossary_file, split_variants
from .senses import parse_context


def lint(path: str) -> list[str]:
    """Problems as 'file:line: problem'. An empty list means clean."""
    data = read_glossary_file(path)
    problems: list[str] = []
    notices: list[str] = []
    try:
        rows = list(glossary_rows(data, path, notices))
    except GlossaryError as exc:
        found = re.match(r"line (\d+):? (.*)", exc.args[0])
        return [f"{path}:{found[1]}: {found[2]}" if found else f"{path}:1: {exc.args[0]}"]
    problems.extend(notices_as_problems(notices, path))
    seen: dict[str, tuple[int, str]] = {}
    without_context: list[tuple[str, str]] = []  # (where, variant)
    for number, row, too_long in rows:
        where = f"{path}:{number}"
        context = (row.get("context") or "").strip()
        try:
            parse_context(context)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
        for column in COLUMNS:
            value = row.get(column) or ""
            if value != value.strip():
                problems.append(f"{where}: stray whitespace in {column}")
        source, target = (row.get("source") or "").strip(), (row.get("target") or "").strip()
        kind = (row.get("kind") or "term").strip() or "term"
        if too_long:
            problems.append(f"{where}: more cells than header columns")
        if not source:
            problems.append(f"{where}: empty source")
            continue
        if not target and kind != "keep":
            problems.append(f"{where}: empty target")
        if kind not in KINDS:
            problems.append(f"{where}: unknown kind '{kind}'")
        clash = {a.lower() for a in split_variants(row.get("avoid") or "")} & {t.lower() for t in split_variants(target)}
        if clash:
            problems.append(f"{where}: '{sorted(clash)[0]}' is both a target and a forbidden rendering (avoid)")
        problems.extend(_invisible(where, "source", source) + _invisible(where, "target", target))
        variants = [v.strip() for v in source.split("|")]
        repeated = sorted({v for v in variants if v and variants.count(v) > 1})
        if repeated:
            problems.append(f"{where}: '{repeated[0]}' is given twice in this row's source")
        for variant in dict.fromkeys(variants):
            if variant in seen:
                first_line, first_target = seen[variant]
                what = "duplicate of" if first_target == target else f"conflicting target ('{first_target}') at"
                problems.append(f"{where}: '{variant}' is a {what} line {first_line}")
            else:
                seen[variant] = (number, target)
            if not context:
                without_context.append((where, variant))
    problems.extend(_nested_conflicts(seen, path))
    problems.extend(_short_entries_inside_words(without_context, set(seen)))
    return problems


def _invisible(where: str, column: str, value: str) -> list[str]:
    """A cell that is only zero-width characters never matches; a zero-width character or a byte-order
    mark inside a cell (a file pasted together) makes it match only text that carries the same character."""
    hidden = sorted({c for c in value if c in ZERO_WIDTH})
    if not hidden:
        return []
    codes = ", ".join(f"U+{ord(c):04X}" for c in hidden)
    if any(is_blank(v) for v in value.split("|")):
        return [f"{where}: {column} is only invisible characters ({codes}); it never matches: remove the row"]
    return [f"{where}: {column} holds an invisible character ({codes}; a byte-order mark or a zero-width "
            "space); it matches only text that has it too: delete the character"]


def _short_entries_inside_words(variants: list[tuple[str, str]], sources: set[str]) -> list[str]:
    """Short sources without a context that common words contain: the matcher skips those words,
    but a short name that is part of everyday words usually has other senses too (字节: byte)."""
    from .word_bounds import short_source_traps

    warnings = []
    for where, variant in variants:
        words = short_source_traps(variant, exclude=sources)
        if words:
            warnings.append(f"{where}: warning: short entry '{variant}' has no context and occurs inside common "
                            f"words ({', '.join(words[:4])}); add a context condition for its sense")
    return warnings


def _nested_conflicts(seen: dict[str, tuple[int, str]], path: str) -> list[str]:
    """A term inside a longer term whose target does not contain the shorter term's target.

    An Aho-Corasick automaton of all sources finds the terms inside each source in one pass over it:
    linear in the glossary's size (comparing every pair took 39 s for 20,000 rows)."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for variant in seen:
        if variant:
            automaton.add_word(variant, variant)
    if not len(automaton):
        return []
    automaton.make_automaton()
    problems = []
    for longer, (line, target) in seen.items():
        if not target:
            continue
        for shorter in dict.fromkeys(found for _, found in automaton.iter(longer)):
            short_line, short_target = seen[shorter]
            if shorter != longer and short_target and not _contains_any(target, short_target):
                problems.append(f"{path}:{line}: '{longer}' contains '{shorter}' (line {short_line}) "
                                f"but its target does not contain '{short_target}'")
    return problems


def _contains_any(text: str, targets: str) -> bool:
    lowered = text.lower()
    return any(t.strip().lower() in lowered for t in targets.split("|"))


def notices_as_problems(notices: list[str], path: str) -> list[str]:
    """Encoding notices in lint's file:line form (a file read as GB18030 should be re-saved as UTF-8)."""
    return [n if n.startswith(f"{path}:") and n[len(path) + 1 : len(path) + 2].isdigit() else f"{path}:1: {n}"
            for n in notices if "UTF-8" in n]
