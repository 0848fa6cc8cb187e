"""Names as news writes them: the full form at first mention, a short form after it ("Robin Zeng", then
"Zeng"; "Liang Wenfeng", then "Liang"; "Sam Altman", then "Altman"; "Alibaba Group", then "Alibaba")."""

from __future__ import annotations

import functools
import re

_HAN = re.compile(r"^[\u3400-\u9fff]{2,4}$")
_FOREIGN_NAME_DOT = re.compile(r"[·•‧・]")
_LINKING = frozenset("of and the for de la von van".split())


class NameMentions:
    """The glossary names whose full form an article has shown so far, block by block, in reading order."""

    def __init__(self):
        self.shown: set[str] = set()

    def record(self, key: str) -> None:
        self.shown.add(key)

    def short_form_used(self, translation: str, source: str, key: str, targets: list[str]) -> str | None:
        """The short form of a name the article has already given in full, if `translation` uses one."""
        if key not in self.shown:
            return None
        for target in targets:
            for form in short_forms(source, target):
                if re.search(rf"(?<![A-Za-z0-9]){re.escape(form)}(?![A-Za-z0-9])", translation, re.IGNORECASE):
                    return form
        return None


@functools.lru_cache(maxsize=4096)
def short_forms(source: str, target: str) -> tuple[str, ...]:
    """How news refers to `target` (the English of the name `source`) after its first mention: the surname
    of a person (found by the pinyin of the Chinese surname, or the last word of a foreign name written with
    ·), otherwise the name's leading words and its initials (Contemporary Amperex Technology: CATL)."""
    words = target.split()
    if len(words) < 2:
        return ()
    if _HAN.match(source):
        surnames = _surname_readings(source)
        by_pinyin = tuple(w for w in words if _plain(w) in surnames)
        if by_pinyin:
            return by_pinyin
    if _FOREIGN_NAME_DOT.search(source):
        return (words[-1],)
    forms = [" ".join(words[:k]) for k in range(1, len(words))
             if words[k - 1][:1].isupper() and words[k - 1].lower() not in _LINKING]
    initials = "".join(w[0] for w in words if w[:1].isupper())
    if len(initials) >= 2:
        forms.append(initials)
    if _HAN.match(source):  # a Chinese name whose English does not follow its pinyin (Terry Gou): first or last
        forms.append(words[-1])
    return tuple(dict.fromkeys(forms))


def _plain(word: str) -> str:
    return re.sub(r"[^a-z]", "", word.lower())


def _surname_readings(name: str) -> set[str]:
    """Every pinyin reading of the name's first character, and of its first two (欧阳, 司马)."""
    from pypinyin import Style, pinyin

    readings = {r for group in pinyin(name[0], style=Style.NORMAL, heteronym=True) for r in group}
    double = pinyin(name[:2], style=Style.NORMAL)
    readings.add("".join(group[0] for group in double))
    return readings
