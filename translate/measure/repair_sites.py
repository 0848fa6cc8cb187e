"""Match the repairs made in a spun text to the sites the reference spinner wrote (`translate bench --repair`).

A site is (offset, spun form) -> original. A repair may cover several sites, lie inside one, or touch none: the
last kind is a genuine word changed inside a spun document.
"""

from __future__ import annotations


def off_site_repairs(made: dict, truth: dict) -> list[tuple[int, str]]:
    """Repairs that touch no spinner site: genuine words changed inside a spun document."""
    spans = sorted((o, o + len(f)) for o, f in truth)
    return [(o, f) for o, f in made if (o, f) not in truth
            and not any(start < o + len(f) and o < end for start, end in spans)]


def match_sites(made: dict, truth: dict) -> dict:
    """A repair that spans spinner sites (认真东谈主 -> 负责人 for 负责 + 人, 大模子 for 模型) counts per site, and
    one inside a site that gives the site's original (好意思 -> 美 inside 完好意思 for 完美) counts as that site."""
    result = {}
    for (offset, form), restored in made.items():
        if (offset, form) in truth:
            result[(offset, form)] = restored
            continue
        covered = sorted(k for k in truth if offset <= k[0] and k[0] + len(k[1]) <= offset + len(form))
        if covered and _restore_sites(form, offset, covered, truth) == restored:
            result.update({k: truth[k] for k in covered})
            continue
        site = _enclosing_site(offset, form, restored, truth)
        result[site or (offset, form)] = truth[site] if site else restored
    return result


def _enclosing_site(offset: int, form: str, restored: str, truth: dict) -> tuple[int, str] | None:
    """The spinner site around a repair made on part of it, where that repair gives the site's original."""
    for (site_offset, site_form), original in truth.items():
        start, end = offset - site_offset, offset - site_offset + len(form)
        if 0 <= start and end <= len(site_form) and site_form[:start] + restored + site_form[end:] == original:
            return site_offset, site_form
    return None


def _restore_sites(form: str, offset: int, covered: list, truth: dict) -> str:
    """`form` with each covered spinner site put back to its original (大模子 -> 大模型 for 模型 -> 模子)."""
    out, position = [], 0
    for site_offset, site_form in covered:
        out.append(form[position:site_offset - offset])
        out.append(truth[(site_offset, site_form)])
        position = site_offset - offset + len(site_form)
    return "".join(out) + form[position:]


def covering_kind(key: tuple[int, str], repairs: list) -> str | None:
    return next((r.rule for r in repairs if r.offset <= key[0] < r.offset + len(r.spun)), None)


def examples(truth: dict, made: dict, spun: str, limit: int = 12) -> list[str]:
    """A few wrong or missing repairs, with context, to read."""
    found = []
    for (offset, form), original in truth.items():
        if made.get((offset, form)) != original:
            found.append(f"{spun[max(0, offset - 4):offset]}[{form}->{original}|{made.get((offset, form), '-')}]"
                         f"{spun[offset + len(form):offset + len(form) + 4]}")
    found += [f"{spun[max(0, o - 4):o]}[{f}=>{r} false]{spun[o + len(f):o + len(f) + 4]}"
              for (o, f), r in made.items() if (o, f) not in truth]
    return found[:limit]
