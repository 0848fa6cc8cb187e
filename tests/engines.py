"""A deterministic engine for tests: same protocol as the real engines, rule-based output.

It is a test double, not a translator: it maps a few Chinese words to English, copies Latin
text and placeholders, and can be told to misbehave (drop, alter, fail, loop, empty).
"""

from __future__ import annotations

import re

WORDS = {
    "日活": "daily actives", "开源": "open sourcing", "大模型": "big models", "突破": "broke through",
    "人工智能": "artificial intelligence", "公司": "company", "用户": "users", "达到": "reached",
    "的": " ", "了": "", "是": " is ", "在": " in ", "和": " and ", "万": " ten-thousand", "亿": " hundred-million",
    "元": " yuan", "张": "", "芯片": " chips", "有": " has ", "我们": "we", "人": "people", "做": "make",
}
_TOKEN = re.compile(r"ZX\d+|[A-Za-z0-9][A-Za-z0-9.%\-]*|[\u4e00-\u9fff]|.", re.S)


class RuleEngine:
    name = "rule-test-engine"
    max_input_tokens = 512

    def __init__(self, drop=(), alter_placeholders=None, fail_on=None, empty_on=None, loop_on=None,
                 keep_han=False, interrupt_after=None):
        self.drop = list(drop)
        self.alter_placeholders = alter_placeholders  # function(str) -> str
        self.fail_on, self.empty_on, self.loop_on = fail_on, empty_on, loop_on
        self.keep_han = keep_han
        self.interrupt_after = interrupt_after
        self.calls: list[list[str]] = []
        self.seen = 0

    def describe(self) -> dict:
        return {"engine": self.name}

    def translate(self, texts, progress=None):
        self.calls.append(list(texts))
        outputs = []
        for text in texts:
            if self.interrupt_after is not None and self.seen >= self.interrupt_after:
                raise KeyboardInterrupt
            self.seen += 1
            if self.fail_on and self.fail_on in text:
                raise RuntimeError("engine crashed on this input")
            outputs.append(self.translate_one(text))
        return outputs

    def translate_one(self, text: str) -> str:
        if self.empty_on and self.empty_on in text:
            return ""
        if self.loop_on and self.loop_on in text:
            return "the market the market the market the market the market"
        out = []
        i = 0
        while i < len(text):
            word = next((w for w in sorted(WORDS, key=len, reverse=True) if text.startswith(w, i)), None)
            if word:
                out.append(" " + WORDS[word] + " ")
                i += len(word)
                continue
            token = _TOKEN.match(text, i).group()
            if "\u4e00" <= token <= "\u9fff":
                out.append(token if self.keep_han else " ")
            elif token.startswith("ZX") and self.alter_placeholders:
                out.append(self.alter_placeholders(token))
            elif token in "，,。；;：:！？!?":
                out.append({"，": ",", "。": ".", "；": ";", "：": ":", "！": "!", "？": "?"}.get(token, token) + " ")
            else:
                out.append(token if token.strip() else " ")
            i += len(token)
        result = re.sub(r"\s+", " ", "".join(out)).strip()
        for word in self.drop:
            result = result.replace(word, "")
        return result or "ok"
