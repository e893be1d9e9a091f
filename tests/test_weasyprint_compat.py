"""The one change to WeasyPrint (sco_report/weasyprint_compat.py) is still
needed (the upstream behaviour is still there) and does its job; and the
line-break bug of the pinned WeasyPrint is still there (pyproject.toml)."""

from sco_report import weasyprint_compat as compat


def test_upstream_still_moves_notes_away_from_their_calls():
    """Kozea/WeasyPrint#2432 as WeasyPrint does it: note 4 is cited on page 1
    and set on page 2. When this fails, WeasyPrint no longer does that: delete
    notes_stay_with_their_calls and its use in sco_report/pdf.py (and this test)."""
    assert compat.sample_pages() == [(["1", "2", "3", "4"], ["1", "2", "3"]), ([], ["4"])], compat.ISSUE


def test_patched_every_note_is_on_the_page_of_its_call():
    with compat.notes_stay_with_their_calls():
        pages = compat.sample_pages()
    assert pages == [([], []), (["1", "2", "3", "4"], ["1", "2", "3", "4"])]
    # and the patch is gone afterwards
    assert compat.sample_pages()[1] == ([], ["4"])


def _lines(html: str) -> list[str]:
    """The text of each line of the first page, read back from the PDF."""
    import io

    import weasyprint
    from pypdf import PdfReader
    text = PdfReader(io.BytesIO(weasyprint.HTML(string=html).write_pdf())).pages[0].extract_text()
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_upstream_still_sets_a_first_word_alone_before_an_inline_element():
    """WeasyPrint 70.0: when a line's natural break falls just before an
    inline element, the line is set with its first word alone (69.0: 'aaa bbb
    ccc ddd' / 'eee fff'). When this fails, the bug is fixed upstream: drop
    this test and the note at the pin in pyproject.toml."""
    html = ("<style>@page { size: A4; margin: 0 } body { margin: 0; font: 10pt 'Noto Serif' }</style>"
            "<p style='width: 77pt'>aaa bbb ccc ddd <span>eee</span> fff</p>")
    assert _lines(html) == ["aaa", "bbb ccc ddd eee", "fff"]


# A narrow Chinese paragraph with digits and Latin words, justified: the
# lines' right ends (pt short of the measure) as WeasyPrint sets them.
CHINESE = ("<style>@page { size: 220pt 400pt; margin: 0 } body { margin: 0 }"
           "p { font: 10pt 'Noto Serif CJK SC'; text-align: justify; width: 200pt; line-height: 1.8 }</style>"
           "<p lang='zh-Hans'>上海合作组织于2001年6月15日在上海成立，成员国由6个增至8个，"
           "英文简称 SCO。2018年6月，青岛峰会发表《青岛宣言》，批准《上海合作组织成员国长期睦邻友好合作条约》"
           "实施纲要（2018—2022年），并就 Three Connections 作出说明。各方同意继续推进“一带一路”建设。</p>")


def _chinese_shortfalls(tmp_path, patched: bool) -> list[float]:
    import weasyprint

    import pdflines
    path = tmp_path / f"zh-{patched}.pdf"
    with compat.inter_character_justification(patched):
        document = weasyprint.HTML(string=CHINESE).render()
    document.write_pdf(path)
    lines = pdflines.read(path)[0].lines
    assert len(lines) >= 5
    right = max(line.end for line in lines)
    return [right - line.end for line in lines[:-1]]


def test_upstream_still_justifies_chinese_at_spaces_only(tmp_path):
    """WeasyPrint 70 widens only spaces: a Chinese line ends short when it has
    none (and puts all its slack in one when it has one). When this fails,
    WeasyPrint spreads the slack itself (text-justify: inter-character?):
    delete inter_character_justification, its use in pdf.render, and this test."""
    assert max(_chinese_shortfalls(tmp_path, False)) > 2


def test_patched_chinese_lines_end_flush(tmp_path):
    assert max(_chinese_shortfalls(tmp_path, True)) < .5
    # and the patch is gone afterwards
    from weasyprint.layout import inline
    assert inline.justify_line.__module__ == "weasyprint.layout.inline"
