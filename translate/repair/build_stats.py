"""Rebuild context_stats.tsv, the compact statistics that source repair weighs its evidence with.

    python -m translate.repair.build_stats            # writes translate/repair/context_stats.tsv

For every form in spin_table.tsv (each spun form and each original) it records:
- `rate`: how often the form occurs as a word in modern clean text, per token, from wordfreq's
  Chinese word list (CC-BY-SA 4.0: the derived rates carry that licence and its attribution);
  0 where wordfreq does not list the form as a word.
- `dict`: its frequency in jieba's dictionary (MIT), 0 if it is no word there.
- `left` / `right`: the characters that precede / follow the form inside longer dictionary
  words (jieba's dictionary and wordfreq's list), with summed word frequencies: character
  bigram evidence of which neighbours each reading takes (人民|群众, 全球|化, 世界|观).
Only build-time needs wordfreq (`pip install wordfreq`); the shipped table is all run time reads.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOP_CONTEXTS = 30
WORDFREQ_SCALE = 1e8  # wordfreq rates (per token) -> counts comparable with jieba's


def table_forms(table_path: Path = HERE / "spin_table.tsv") -> set[str]:
    rows = csv.DictReader((line for line in table_path.read_text("utf-8").splitlines() if not line.startswith("#")),
                          delimiter="\t")
    forms = set()
    for row in rows:
        if row["rule"] not in ("keep", "word"):
            forms.update((row["spun"], row["original"]))
    return forms


def dictionary_words() -> tuple[dict[str, int], dict[str, float]]:
    import jieba
    import wordfreq

    jieba_words = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 2:
                jieba_words[parts[0]] = int(parts[1])
    return jieba_words, wordfreq.get_frequency_dict("zh", "large")


def build(forms: set[str]) -> list[tuple[str, float, int, Counter, Counter]]:
    jieba_words, modern = dictionary_words()
    weighted: dict[str, float] = defaultdict(float)
    for word, count in jieba_words.items():
        weighted[word] += count
    for word, rate in modern.items():
        weighted[word] += rate * WORDFREQ_SCALE
    by_char: dict[str, list[str]] = defaultdict(list)
    for form in forms:
        by_char[form[0]].append(form)
    left: dict[str, Counter] = defaultdict(Counter)
    right: dict[str, Counter] = defaultdict(Counter)
    for word, weight in weighted.items():
        if len(word) < 2:
            continue
        for index, char in enumerate(word):
            for form in by_char.get(char, ()):
                if len(form) < len(word) and word.startswith(form, index):
                    if index:
                        left[form][word[index - 1]] += weight
                    if index + len(form) < len(word):
                        right[form][word[index + len(form)]] += weight
    return [(form, modern.get(form, 0.0), jieba_words.get(form, 0), left[form], right[form]) for form in sorted(forms)]


def _contexts(counter: Counter) -> str:
    return " ".join(f"{char}={round(count)}" for char, count in counter.most_common(TOP_CONTEXTS) if count >= 1)


def write(rows, path: Path = HERE / "context_stats.tsv") -> None:
    lines = ["# Built by translate/repair/build_stats.py from jieba's dict.txt (MIT) and wordfreq's Chinese list",
             "# (CC-BY-SA 4.0, by Robyn Speer et al.). rate: per-token rate of the form as a word in modern text;",
             "# dict: jieba frequency; left/right: neighbour characters inside longer words, with summed counts.",
             "form\trate\tdict\tleft_total\tright_total\tleft\tright"]
    for form, rate, count, left, right in rows:
        lines.append(f"{form}\t{rate:.3g}\t{count}\t{round(sum(left.values()))}\t{round(sum(right.values()))}\t"
                     f"{_contexts(left)}\t{_contexts(right)}")
    from ..pipeline.atomic import write_text

    write_text(path, "\n".join(lines) + "\n")


def main() -> int:
    forms = table_forms()
    write(build(forms))
    print(f"context_stats.tsv: {len(forms)} forms", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
