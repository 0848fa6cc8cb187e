"""A news .docx with the parts editors' files have (page header and footer, title, byline, headings,
lists, a hyperlink, a table with a nested table, a caption, a quote, a tracked change, a formula
field, a comment, a paragraph of one-character runs), built with python-docx from an article's lines."""

from __future__ import annotations

from pathlib import Path

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def build_news_docx(lines: list[str], path: Path) -> Path:
    """`lines[0]` the title, `lines[1]` the byline, the rest body paragraphs (at least six)."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body

    def raw(xml: str) -> None:
        body.insert(len(body) - 1, parse_xml(xml))  # before the section properties, which come last

    document.sections[0].header.paragraphs[0].text = "页眉：周刊 第12期"
    document.sections[0].footer.paragraphs[0].text = "页脚：仅供参考"
    document.add_heading(lines[0], 0)
    document.add_paragraph(lines[1])
    document.add_heading("一、要点", 1)
    document.add_paragraph(lines[2], style="List Bullet")
    document.add_paragraph(lines[3], style="List Number")
    link = document.add_paragraph("详情见")
    rid = document.part.relate_to("https://example.com/a", HYPERLINK, is_external=True)
    link._p.append(parse_xml(f'<w:hyperlink {W} {R} r:id="{rid}"><w:r><w:t>官方网站</w:t></w:r></w:hyperlink>'))
    link.add_run("。")
    table = document.add_table(rows=2, cols=3)
    for i, row in enumerate([["项目", "旧标准", "新标准"], ["比例", "50%", ""]]):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    inner = table.cell(1, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "嵌套甲", "嵌套乙"
    document.add_paragraph("图1：现场照片。", style="Caption")
    document.add_paragraph(lines[4], style="Quote")
    raw(f'<w:p {W}><w:r><w:t xml:space="preserve">患者普遍表示</w:t></w:r><w:ins w:id="91" w:author="e" '
        'w:date="2024-01-01T00:00:00Z"><w:r><w:t>非常</w:t></w:r></w:ins><w:del w:id="92" w:author="e" '
        'w:date="2024-01-01T00:00:00Z"><w:r><w:delText>有些</w:delText></w:r></w:del><w:r><w:t>满意。</w:t></w:r></w:p>')
    raw(f'<w:p {W}><w:r><w:t xml:space="preserve">合计为</w:t></w:r><w:fldSimple w:instr=" =SUM(ABOVE) "><w:r>'
        '<w:t>1,800</w:t></w:r></w:fldSimple><w:r><w:t>元。</w:t></w:r></w:p>')
    runs = document.add_paragraph()
    for ch in lines[5]:
        runs.add_run(ch).bold = ord(ch) % 2 == 0
    commented = document.add_paragraph(lines[6] if len(lines) > 6 else "专家点评：方向正确。")
    document.add_comment(commented.runs, text="请核实", author="编辑", initials="ED")
    for line in lines[7:]:
        document.add_paragraph(line)
    document.save(path)
    return path


# What the file holds as blocks, in reading order, for lines[0:7] (and lines[7:] after them)
def expected_sources(lines: list[str]) -> list[str]:
    return ["页眉：周刊 第12期", lines[0], lines[1], "一、要点", lines[2], lines[3], "详情见官方网站。",
            "项目", "旧标准", "新标准", "比例", "50%", "嵌套甲", "嵌套乙", "图1：现场照片。", lines[4],
            "患者普遍表示非常满意。", "合计为1,800元。", lines[5], lines[6], *lines[7:], "页脚：仅供参考"]
