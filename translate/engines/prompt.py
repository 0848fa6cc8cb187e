"""The LLM prompt: loaded from a versioned data file (prompts/NAME.toml), rendered per request."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .base import GlossaryNote, TranslationRequest

DEFAULT_PROMPT = "news-v2"
_LATIN = re.compile(r"[\x20-\x7e\u00c0-\u024f]+")  # Latin letters, digits and ASCII punctuation only
KIND_WORDS = {"title": "headline", "heading": "heading", "byline": "byline", "caption": "caption",
              "quote": "quotation", "paragraph": "paragraph"}


@dataclass(frozen=True)
class Prompt:
    version: str
    texts: dict

    def messages(self, request: TranslationRequest) -> list[dict]:
        """The chat messages for one request (a re-ask adds the earlier reply and what it missed)."""
        messages = [{"role": "system", "content": self.texts["system"].strip()},
                    {"role": "user", "content": self.user_message(request)}]
        if request.feedback:
            messages.append({"role": "assistant", "content": request.previous_reply})
            messages.append({"role": "user", "content": self.texts["reask"].format(
                problems="\n".join(request.feedback)).strip()})
        return messages

    def user_message(self, request: TranslationRequest) -> str:
        t = self.texts
        sections = []
        if request.title and request.title != request.text:
            english = request.title_block.translation if request.title_block else ""
            sections.append(t["title_translation"].format(title=request.title, translation=english) if english
                            else t["title"].format(title=request.title))
        if request.context:
            lines = [t["context_header"]]
            for block in request.context:
                lines.append(t["context_source"].format(source=block.source))
                if block.translation:
                    lines.append(t["context_translation"].format(translation=block.translation))
            sections.append("\n".join(lines))
        terms = [g for g in request.glossary if g.kind != "number" and not covered_by_system(g)]
        if terms:
            lines = [t["glossary_header"]]
            for entry in terms:
                note = t["glossary_note"].format(note=entry.note) if entry.note else ""
                lines.append(t["glossary_keep" if entry.kind == "keep" else "glossary_line"].format(
                    source=entry.source, target=entry.target, kind=entry.kind, note=note))
            sections.append("\n".join(lines))
        numbers = [g for g in request.glossary if g.kind == "number"]
        if numbers:
            sections.append("\n".join([t["numbers_header"]] + [t["number_line"].format(source=n.source, target=n.target)
                                                              for n in numbers]))
        sections.append(t["task"].format(kind=KIND_WORDS.get(request.kind, "text"), text=request.text))
        return "\n\n".join(sections)

    def problem(self, kind: str, **fields) -> str:
        """One line of a re-ask: kind is 'term', 'number', 'number_as_written' or 'chinese'."""
        return self.texts[f"problem_{kind}"].format(**fields)

    def identity(self, request: TranslationRequest) -> str:
        """What the reply depends on, for the cache key: prompt version, title, context sources,
        glossary entries, the text and (for a re-ask) the earlier reply and the feedback.
        Context translations (and the title's) are left out: they follow from the sources, and whether
        one was finished when the request was sent depends on timing, which must not defeat the cache.
        Glossary entries the prompt leaves out are left out here too."""
        return json.dumps({
            "prompt": self.version, "title": request.title, "kind": request.kind,
            "context": [c.source for c in request.context],
            "glossary": [[g.source, g.target, g.kind, g.note] for g in request.glossary if not covered_by_system(g)],
            "text": request.text, "previous": request.previous_reply, "feedback": request.feedback,
        }, ensure_ascii=False, sort_keys=True)


def covered_by_system(entry: GlossaryNote) -> bool:
    """A Latin-script entry rendered as it is written (AI = AI, GPU = GPU): the system prompt already
    says to keep such words, so the line only costs tokens, unless it carries a note for translators."""
    return not entry.note and entry.source == entry.target and _LATIN.fullmatch(entry.source) is not None


@lru_cache(maxsize=None)
def load_prompt(name: str = DEFAULT_PROMPT) -> Prompt:
    """The prompt shipped as prompts/NAME.toml."""
    data = tomllib.loads(resources.files("translate.engines").joinpath("prompts", f"{name}.toml").read_text("utf-8"))
    return Prompt(data["version"], data)
