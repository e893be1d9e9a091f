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
