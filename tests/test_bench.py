"""translate bench runs every setting and reports comparable figures (timings are not asserted)."""

from translate.measure.bench import SETTINGS, run_bench


def test_bench_reports_every_setting_with_equal_forced_output(tiny_model):
    report = run_bench(model=str(tiny_model), random_weights=False, forced=True, paragraphs=3, quiet=True)
    rows = report["results"]
    assert [r["name"] for r in rows] == [s.name for s in SETTINGS]
    assert {"engine", "batching", "beams", "out_tokens_per_s", "seconds", "peak_rss_mb"} <= set(rows[0])
    assert len({r["out_tokens"] for r in rows}) == 1 and rows[0]["paragraphs"] == 3
    naive = rows[0]
    assert naive["engine"] == "transformers" and naive["batching"] == "none" and naive["beams"] == 4
    assert naive["speedup"] == 1.0 and all(r["out_tokens_per_s"] > 0 and r["peak_rss_mb"] > 0 for r in rows)


def test_bench_modes_exclude_each_other_loudly():
    from click.testing import CliRunner

    from translate.cli import cli

    done = CliRunner().invoke(cli, ["bench", "--align", "--repair"])
    assert done.exit_code == 2 and "give one --mode" in done.output
    done = CliRunner().invoke(cli, ["bench", "--mode", "align", "--llm"])
    assert done.exit_code == 2 and "align and llm" in done.output
    for wrong, words in ((["--only", "naive,nosuch"], "no such setting nosuch"), (["--article", "/no/such.txt"], "no such file")):
        done = CliRunner().invoke(cli, ["bench", *wrong])
        assert done.exit_code == 2 and words in done.output and len(done.output.strip().splitlines()) == 1, done.output


def test_corpus_bench_compares_a_folder_with_one_file_of_the_same_paragraphs(tmp_path, tiny_model):
    from translate.measure.corpus_bench import run_corpus_bench, write_corpus

    corpus, single = write_corpus(tmp_path, 7)
    articles = sorted(corpus.rglob("*.txt"))
    assert len(articles) == 7 and {p.parent.parent.parent for p in articles} == {corpus}  # two levels
    in_folder = sorted(line for p in articles for line in p.read_text(encoding="utf-8").splitlines())
    assert in_folder == sorted(single.read_text(encoding="utf-8").splitlines())
    assert len(set(in_folder)) == len(in_folder)  # no paragraph repeats: nothing comes from the cache
    report = run_corpus_bench(sizes=(2,), ray=False, quiet=True, model=str(tiny_model))
    row = report["corpus"][0]
    assert row["articles"] == 2 and row["folder_seconds"] > 0 and row["single_file_seconds"] > 0
    assert row["one_by_one_seconds"] > 0 and row["folder_peak_rss_mb"] > 0
    assert row["within_target"] == (row["ratio"] <= 1.5)
