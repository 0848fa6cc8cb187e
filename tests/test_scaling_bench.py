"""The huge-input measures of `translate bench --scaling` run end to end (tiny sizes here; big ones in bench)."""

from translate.measure.scaling import measure_docx, measure_paragraph


def test_huge_input_measures_run_the_whole_pipeline(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "d").mkdir()
    paragraph = measure_paragraph(str(tmp_path / "p"), 0.02)
    blocks = measure_docx(str(tmp_path / "d"), 30)
    assert "error" not in paragraph and "error" not in blocks
    assert paragraph["blocks"] == 2 and paragraph["segments"] > 50 and paragraph["peak_rss_mb"] > 0
    assert blocks["blocks"] == 30 and blocks["write_seconds"] > 0
    assert {"blocks.bilingual.docx", "blocks.bilingual.md", "blocks.en.docx", "blocks.en.md", "blocks.json"} <= {
        p.name for p in (tmp_path / "d" / "out").glob("blocks.*")}
    assert set(blocks["stage_seconds"]) == {"read", "repair", "translate", "qa", "write"}
    assert blocks["stage_seconds"]["write"] > 0


def test_link_fragment_and_glossary_measures_report_per_size_rates(tmp_path):
    from translate.measure.scaling import measure_glossary, measure_link_fragments

    (tmp_path / "f").mkdir()
    (tmp_path / "g").mkdir()
    fragments = measure_link_fragments(str(tmp_path / "f"), 0.01)
    glossary = measure_glossary(str(tmp_path / "g"), 300)
    assert "error" not in fragments and fragments["blocks"] == 2 and fragments["seconds_per_mb"] > 0
    assert glossary["added"] == 300 and glossary["import_seconds_per_10k"] >= glossary["import_seconds"]
