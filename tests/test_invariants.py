"""Property tests: whatever the article, every block comes out once, in order, in every output."""

import json
import re
import tempfile

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translate.formats.docx.oxml import hidden_ids, original_text
from translate.pipeline.options import RunOptions
from translate.pipeline.run import run_file

LINE = st.text(alphabet=st.sampled_from(list("东谈主作念莫得人工智能模型日活开源。，,!?“”（） 3.5%万亿AI")), min_size=1, max_size=60)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(LINE.filter(lambda s: s.strip()), min_size=1, max_size=12))
def test_every_block_appears_once_in_order_in_every_output(rule_engine, lines):
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/a.txt"
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines))
        options = RunOptions(out_dir=f"{folder}/out", quiet=True, use_cache=False)
        try:
            result = run_file(path, options, load_engine=lambda: rule_engine())
        except Exception as exc:  # a run with flagged blocks still writes every output
            assert getattr(exc, "exit_code", None) == 1
            result = None
        data = json.loads(open(f"{folder}/out/a.json", encoding="utf-8").read())
        expected = [line.strip() for line in lines if line.strip()]
        assert [b["source"] for b in data["blocks"]] == expected
        ids = [b["id"] for b in data["blocks"]]
        markdown = open(f"{folder}/out/a.bilingual.md", encoding="utf-8").read()
        assert re.findall(r"^<!-- block (\S+) ", markdown, re.M) == ids
        rows = docx.Document(f"{folder}/out/a.bilingual.docx").tables[0].rows
        assert [hidden_ids(r.cells[0]._tc)[0] for r in rows] == ids
        assert [original_text(r.cells[0]._tc) for r in rows] == expected
        again = run_file(path, RunOptions(out_dir=f"{folder}/again", quiet=True, use_cache=False, formats=("json",)),
                         load_engine=lambda: rule_engine()) if result else None
        if again:
            assert [b.id for b in again.document.blocks] == ids  # ids are stable across runs
