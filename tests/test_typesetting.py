"""The PDFs set as a book designer would have them (issue 28): Chinese justified
flush with even spacing, English quotes and breaks, pages composed, tables
captioned; and the Chinese spacing rule of CONTRIBUTING.md in the pages.

Positions come from PDFium (tests/pdflines.py). Each check is a function of
the lines it reads, tried on built lines below and on a broken case beside it."""

from __future__ import annotations

import copy

import re

import pytest

import pdflines
import sitelib
from sco_report import languages, pdf, typography
from sco_report import reportdata as rd

ROOT = sitelib.ROOT
LANGS = sitelib.LANGS
DATA = rd.load(ROOT)
UI = DATA["ui"]
BASE = "sailing-steady-to-success-" + re.search(r'^version = "(.+)"', (ROOT / "pyproject.toml").read_text(),
                                                re.M).group(1)
MM = 72 / 25.4
CSS = pdf.STYLESHEET.read_text(encoding="utf-8")
BODY_PT = float(re.search(r"html \{ font-size: ([\d.]+)pt", CSS).group(1))
# by language: the Chinese editions' rules (html[lang^="zh"]) or the English one's
LEADING = {lang.code: float(re.search(r'html\[lang' + (r'\^="zh"' if lang.han else '="en"')
                                      + r'\] body \{ line-height: ([\d.]+)', CSS).group(1)) for lang in languages.LANGUAGES}
NOTE_PT = {lang.code: float(re.search(r'html\[lang' + (r'\^="zh"' if lang.han else '="en"')
                                      + r'\] \.rpt-note \{ font-size: ([\d.]+)pt', CSS).group(1)) for lang in languages.LANGUAGES}
# the text column: the page's margins; a finding box's text ends its padding short of it
MARGIN = [float(v) * MM for v in re.search(r"@page \{[^}]*?margin: ([\d.]+)mm ([\d.]+)mm ([\d.]+)mm ([\d.]+)mm",
                                             CSS).groups()]   # top, right, bottom, left
BOX = float(re.search(r"\.admonition\.finding \{[^}]*?padding: \S+ ([\d.]+)mm", CSS).group(1)) * MM
H1_PT = float(re.search(r"^h1 \{ font-size: ([\d.]+)pt", CSS, re.M).group(1))


@pytest.fixture(scope="session")
def lines(site) -> dict[str, list[pdflines.Page]]:
    return {lang: pdflines.read(site / "downloads" / f"{BASE}-{lang}.pdf") for lang in LANGS}


# --- Chinese justified as Chinese -----------------------------------------------------------

def short_lines(pages, size=BODY_PT, leading=LEADING["zh"] * BODY_PT) -> list[str]:
    """Lines of justified paragraphs, but their last, that end more than a
    character short of the column's right edge (or a finding box's)."""
    out = []
    for page in pages:
        right = page.width - MARGIN[1]
        for para in pdflines.paragraphs(page, size, leading):
            for line in para[:-1]:
                edge = min((right, right - BOX), key=lambda e: abs(e - line.end))
                if edge - line.end > size:
                    out.append(f"p. {page.number}: {line.text[-15:]!r} ends {(edge - line.end) / size:.1f} em short")
    return out


def wide_spaces(pages, size=BODY_PT) -> list[str]:
    return [f"p. {page.number}: a {gap / size:.1f} em space in {line.text[:30]!r}"
            for page in pages for line in page.lines if abs(line.size - size) < .05
            for gap in pdflines.word_gaps(line) if gap > size]


@pytest.mark.parametrize("lang", [lang.code for lang in languages.LANGUAGES if lang.han])
def test_chinese_justified_lines_end_flush_with_no_wide_space(lines, lang):
    pages = lines[lang]
    assert sum(len(p) for page in pages for p in pdflines.paragraphs(page, BODY_PT, LEADING[lang] * BODY_PT)) > 300
    assert not short_lines(pages, BODY_PT, LEADING[lang] * BODY_PT), short_lines(pages)[:5]
    assert not wide_spaces(pages), wide_spaces(pages)[:5]


def _line(text, left, right, y=100.0, size=BODY_PT, page=1, space_at=None):
    """A synthetic line of evenly spread characters."""
    step = (right - left) / len(text)
    chars = [(c, left + i * step, left + (i + 1) * step, left + i * step) for i, c in enumerate(text)]
    return pdflines.Line(page, y, size, chars)


def test_short_lines_and_wide_spaces_are_found():
    """The checks above on lines as WeasyPrint set them before (a line ending
    short, a line whose one space took the slack)."""
    right = 595.28 - MARGIN[1]
    lead = LEADING["zh"] * BODY_PT
    good = [_line("上" * 40, MARGIN[3], right, 100 + i * lead) for i in range(3)]
    page = pdflines.Page(1, 595.28, 841.89, good)
    assert short_lines([page]) == [] and wide_spaces([page]) == []
    page.lines[0] = _line("上" * 38, MARGIN[3], right - 2.5 * BODY_PT, 100)
    assert len(short_lines([page])) == 1
    chars = [("见", 100, 110, 100), ("附", 110, 120, 110), (" ", 120, 120, 120), ("A", 160, 167, 160)]
    assert len(wide_spaces([pdflines.Page(1, 595.28, 841.89, [pdflines.Line(1, 100, BODY_PT, chars)])])) == 1


def loose_punctuation(pages, size=BODY_PT) -> list[str]:
    """Two punctuation marks that meet (a closing one, then any) set a full em
    apart instead of half: the blank half of the first is left in."""
    out = []
    for page in pages:
        for line in page.lines:
            if abs(line.size - size) > .05:
                continue
            raised = [c[3] for other in page.lines if line.y - size < other.y < line.y for c in other.chars]
            for a, b in zip(line.chars, line.chars[1:]):
                if a[0] in typography.CLOSING and b[0] in typography.CLOSING + typography.OPENING + "？！" \
                        and not any(a[3] < x < b[3] for x in raised) and b[3] - a[3] > .75 * size \
                        and not (page.in_link(a[3] + 1, line.y - 2) and not page.in_link(b[3] + 1, line.y - 2)):
                    # (a link's last mark keeps its blank: a span inside a link would make
                    # WeasyPrint add a link annotation that is not in the structure tree)
                    out.append(f"p. {page.number}: {a[0] + b[0]!r} {(b[3] - a[3]) / size:.2f} em apart")
    return out


@pytest.mark.parametrize("lang", [lang.code for lang in languages.LANGUAGES if typography.simplified(lang.code)])
def test_adjacent_punctuation_compressed(lines, lang):
    assert not loose_punctuation(lines[lang]), loose_punctuation(lines[lang])[:5]


def test_loose_punctuation_is_found():
    def page(gap):
        chars = [("说", 100, 110, 100), ("明", 110, 120, 110), ("）", 120, 125, 120), ("。", 120 + gap, 125 + gap,
                                                                                     120 + gap)]
        return [pdflines.Page(1, 595.28, 841.89, [pdflines.Line(1, 100, BODY_PT, chars)])]
    assert loose_punctuation(page(BODY_PT)) and not loose_punctuation(page(BODY_PT / 2))


# --- Quotes, hyphens, breaks --------------------------------------------------------------

STRAIGHT = re.compile(r"[\"']")


def straight_quotes(text: str) -> list[str]:
    return [text[max(0, m.start() - 20):m.end() + 10] for m in STRAIGHT.finditer(text)]


@pytest.mark.parametrize("lang", LANGS)
def test_no_straight_quotes_in_the_pdf(lines, lang):
    text = "\n".join(line.text for page in lines[lang] for line in page.lines)
    assert not straight_quotes(text), straight_quotes(text)[:5]
    if lang == languages.LATIN:
        assert "’" in text and "“" in text   # the text has quotes, typographic ones


def test_no_straight_quotes_in_the_english_pages(site):
    for page in sorted(sitelib.lang_root(site, languages.LATIN).glob("*.html")):
        article = sitelib.soup(page).select_one("article")
        if article is None:
            continue
        article = copy.copy(article)   # the parse is shared (sitelib.soup): edit a copy
        for el in article.select("pre, code, script, style"):
            el.decompose()
        found = straight_quotes(article.get_text())
        assert not found, (page.name, found[:3])


NESTED = re.compile(r"“[^”]{0,200}“")   # a double quote opened inside another


@pytest.mark.parametrize("lang", LANGS)
def test_quotes_inside_quotes_are_single(lines, lang):
    text = "".join(line.text for page in lines[lang] for line in page.lines)
    found = [m.group(0)[-40:] for m in NESTED.finditer(text)]
    assert not found, found[:3]
    assert not NESTED.search("“一种精神”“两驾马车”，“Commentary: economic ‘wheels’”")
    assert NESTED.search("“Commentary: economic “wheels””")


def test_straight_quotes_are_found():
    assert straight_quotes("the report's finding") and straight_quotes('the "wheels"')
    assert not straight_quotes("the report’s “wheels” and ‘nested’ ones")


def body_sequence(pages, size=BODY_PT) -> list[pdflines.Line]:
    """The text's lines in reading order across the pages (notes, tables and
    headings, set in other sizes, left out)."""
    return [line for page in pages for line in page.lines if abs(line.size - size) < .05]


def bad_breaks(seq, lang: str) -> list[str]:
    """Line breaks the text must not have: inside a name of the data,
    hyphenated with fewer than three letters on a side, a third hyphenated
    line in a row; inside "A.3", a day and its month, a number and its
    measure word."""
    proper, people = typography.names(DATA["report"], lang)
    out, run = [], 0
    for a, b in zip(seq, seq[1:]):
        end, start = a.text.rstrip().replace("\xa0", " "), b.text.lstrip().replace("\xa0", " ")
        where = f"p. {a.page}: {end[-20:]!r} | {start[:20]!r}"
        hyphen = re.search(r"([A-Za-z]+)[-\u2010]$", end)
        if end.endswith("\u2010"):
            out.append(f"{where}: U+2010 ends the line (a viewer copies it, where it drops a hyphen-minus)")
        run = run + 1 if hyphen else 0
        joined = (end[:-1] if hyphen else end + " ") + start
        at = len(end) - 1 if hyphen else len(end)
        for name in proper:
            for m in re.finditer(re.escape(name), joined):
                if m.start() < at < m.end() and (hyphen or name in people):
                    out.append(f"{where}: breaks {name!r}")
        if hyphen:
            after = re.match(r"[A-Za-z]*", start).group(0)
            if len(hyphen.group(1)) < 3 or len(after) < 3:
                out.append(f"{where}: fewer than three letters on a side")
            if run > 2:
                out.append(f"{where}: a third hyphenated line in a row")
        if re.search(r"\b[A-Z]\.$", end) and re.match(r"\d", start):
            out.append(f"{where}: breaks a section label")
        if re.search(r"(^|\s)\d{1,2}$", end) and re.match("|".join(typography.EN_MONTHS), start):
            out.append(f"{where}: parts a day from its month")
        if re.search(r"\d$", end) and re.match(f"[{typography.MEASURES}]", start) or \
                end.endswith("第") and re.match(r"\d", start):
            out.append(f"{where}: parts a number from its measure word")
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_no_bad_line_breaks(lines, lang):
    seq = body_sequence(lines[lang])
    assert len(seq) > 250
    assert not bad_breaks(seq, lang), bad_breaks(seq, lang)[:5]


def test_bad_breaks_are_found():
    """What the English PDF had: Shang-hai, re-port, three in a row, 'Xi | Jinping',
    '7 | June', 'A. | 3'; and '第5 | 章' in Chinese."""
    def seq(*texts):
        return [_line(t, 62, 530, 100 + 15 * i) for i, t in enumerate(texts)]
    assert bad_breaks(seq("the summit in Shang-", "hai was", "the"), "en") == [
        "p. 1: 'the summit in Shang-' | 'hai was': breaks 'Shanghai'"]
    assert "fewer than three" in bad_breaks(seq("as the re-", "port says"), "en")[0]
    assert "third" in bad_breaks(seq("aaa bbb-", "ccc ddd-", "eee fff-", "ggg"), "en")[-1]
    assert "breaks 'Xi Jinping'" in bad_breaks(seq("said Xi", "Jinping"), "en")[0]
    assert "day" in bad_breaks(seq("on 7", "June 2002"), "en")[0]
    assert "label" in bad_breaks(seq("see appendix A.", "3 for"), "en")[0]
    assert "measure" in bad_breaks(seq("详见第5", "章"), "zh")[0]
    assert bad_breaks(seq("the Shanghai", "summit, Xi Jinping and", "co-operation"), "en") == []


# --- Pages that look composed ----------------------------------------------------------------

def fill(page, note_pt) -> float:
    """How far down the text area the page's text runs (0 to 1), its notes left out."""
    top, bottom = MARGIN[0], page.height - MARGIN[2]
    body = [line for line in page.lines if top - 2 < line.y < bottom]
    body = body[:len(body) - len(_notes(body, note_pt))]
    return (max(line.y for line in body) - top) / (bottom - top) if body else 0.0


def thin_pages(pages, note_pt) -> list[str]:
    """Pages less than a third full, but a chapter's last (the one before a
    page that opens a chapter with its h1, or the last page); the cover and
    the contents left out."""
    opens = {page.number for page in pages if any(abs(line.size - H1_PT) < .1 for line in page.lines)}
    return [f"p. {page.number}: {fill(page, note_pt):.0%} full" for page in pages[2:]
            if page.number + 1 not in opens and page.number != len(pages) and fill(page, note_pt) < 1 / 3]


def stranded(pages, note_pt, lang) -> list[str]:
    """A heading, a lead-in (a line ending in a colon) or a table's caption
    with fewer than two lines of what it introduces after it on its page
    (its notes left out); the cover and the contents left out."""
    caption = re.compile(re.escape(UI["table_label"][lang]).replace(re.escape("{n}"), r"[A-Z]\.\d"))
    out = []
    for page in pages[2:]:
        top, bottom = MARGIN[0], page.height - MARGIN[2]
        body = [line for line in page.lines if top - 2 < line.y < bottom]
        body = body[:len(body) - len(_notes(body, note_pt))]
        for i, line in enumerate(body):
            heading = line.size > BODY_PT + .5
            if heading and i + 1 < len(body) and body[i + 1].size > BODY_PT + .5:
                continue   # not a heading's last line
            what = ("heading" if heading else "lead-in" if line.text.rstrip().endswith(("：", ":"))
                    else "caption" if line.size < BODY_PT and caption.match(line.text) else None)
            after = [rest for rest in body[i + 1:] if rest.size <= BODY_PT + .5]
            if what and len(after) < 2:
                out.append(f"p. {page.number}: {what} {line.text[:30]!r}, {len(after)} line(s) after it")
    return out


def _notes(body, note_pt) -> list:
    """The page's notes: from the first "N. " at the left margin down."""
    for i, line in enumerate(body):
        if abs(line.size - note_pt) < .05 and abs(line.left - MARGIN[3]) < 1.5 and re.match(r"\d+\.", line.text) \
                and all(abs(rest.size - note_pt) < .05 or rest.size < note_pt for rest in body[i:]):
            return body[i:]
    return []


@pytest.mark.parametrize("lang", LANGS)
def test_headings_lead_ins_and_captions_keep_two_lines_with_them(lines, lang):
    assert not stranded(lines[lang], NOTE_PT[lang], lang), stranded(lines[lang], NOTE_PT[lang], lang)


def test_stranded_headings_and_captions_are_found():
    def page(*rows):
        return [pdflines.Page(n, 595.28, 841.89, []) for n in (1, 2)] + [pdflines.Page(3, 595.28, 841.89, [
            pdflines.Line(3, MARGIN[0] + 20 * i, size, [(ch, MARGIN[3] + 10 * j, MARGIN[3] + 10 * j + 9, 0)
                                                        for j, ch in enumerate(text)])
            for i, (text, size) in enumerate(rows)])]
    body = ("正文一行。", BODY_PT)
    assert stranded(page(body, ("A.1 标题", 13.0), body), 9.0, "zh") == ["p. 3: heading 'A.1 标题', 1 line(s) after it"]
    assert stranded(page(body, ("下表列出六次会晤：", BODY_PT), body), 9.0, "zh")
    assert stranded(page(body, body, ("表A.1 会晤", 8.5)), 9.0, "zh") == ["p. 3: caption '表A.1 会晤', 0 line(s) after it"]
    assert not stranded(page(("A.1 标题", 13.0), ("表A.1 会晤", 8.5), body, body), 9.0, "zh")


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_less_than_a_third_full_but_chapter_ends(lines, lang):
    assert not thin_pages(lines[lang], NOTE_PT[lang]), thin_pages(lines[lang], NOTE_PT[lang])


def test_thin_pages_are_found():
    def page(n, ys, size=BODY_PT):
        return pdflines.Page(n, 595.28, 841.89, [_line("文" * 10, 62, 200, y, size, n) for y in ys])
    opener = page(3, [100, 700])
    opener.lines.insert(0, _line("一", 62, 90, 80, H1_PT, 3))
    full = [page(1, [100]), page(2, [100])]
    stranded = page(4, [80, 95, 110])
    last = page(5, [80, 700])
    assert thin_pages(full + [opener, stranded, last], NOTE_PT["zh"]) == ["p. 4: 6% full"]
    # a chapter's last page may be short
    assert thin_pages(full + [opener, stranded, pdflines.Page(5, 595.28, 841.89, opener.lines)],
                      NOTE_PT["zh"]) == []


# --- Tables numbered and captioned -------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_table_has_a_numbered_caption(site, lines, lang):
    label = DATA["ui"]["table_label"][lang]
    pattern = re.escape(label).replace(r"\{n\}", r"[A-Z0-9]+(?:\.\d+)*")
    captions = []
    for page in sorted(sitelib.lang_root(site, lang).glob("*.html")):
        article = sitelib.soup(page).select_one("article")
        for table in article.select("table") if article else []:
            caption = next(c for c in table.children if getattr(c, "name", None))   # its first element
            assert caption.name == "caption", (page.name, str(table)[:80])
            number = caption.select_one(".rpt-table-number")
            assert number and re.fullmatch(pattern, number.get_text()), (page.name, caption.get_text())
            captions.append(" ".join(caption.get_text().split()))
    assert len(captions) >= 4 and len(set(captions)) == len(captions), captions
    text = re.sub(r"\s+", "", "".join(line.text for page in lines[lang] for line in page.lines))
    for caption in captions:   # and the PDF prints them
        assert re.sub(r"\s+", "", caption) in text, caption


# --- The spacing of Chinese beside Latin and digits (CONTRIBUTING.md) ------------------------------

HAN = r"[\u3400-\u9fff]"
SPACING = [
    (re.compile(rf"{HAN} (?=\d|[A-Z]\.\d)"), "a space between Chinese and a number or label"),
    (re.compile(rf"(?:\d|%|\b[A-Z]\.\d+) {HAN}"), "a space between a number or label and Chinese"),
    (re.compile(rf"{HAN}(?=[A-Za-z]{{2,}})|(?<![./:\w-])[A-Za-z]{{2,}}{HAN}"),
     "no space between Chinese and a Latin word"),
]


def spacing_problems(text: str) -> list[str]:
    return [f"{why}: {text[max(0, m.start() - 8):m.end() + 8]!r}" for pattern, why in SPACING
            for m in pattern.finditer(text)]


@pytest.mark.parametrize("lang", [lang.code for lang in languages.LANGUAGES if lang.han])
def test_chinese_spacing_rule_in_the_pages(site, lang):
    for page in sorted(sitelib.lang_root(site, lang).glob("*.html")):
        article = sitelib.soup(page).select_one("article")
        if article is None:
            continue
        article = copy.copy(article)   # the parse is shared (sitelib.soup): edit a copy
        for el in article.select("pre, code, script, style, svg, .footnote, a.headerlink, select,"
                                  " .rpt-fig-number, .rpt-table-number"):   # a caption's label, then a space
            el.decompose()
        for el in article.select("h1, h2, h3, h4, li, caption"):   # a section number opens them
            first = el.find(string=True)
            if first and re.match(r"\s*(?:\d+|[A-Z])(?:\.\d+)* ", first):
                first.replace_with(re.sub(r"^(\s*(?:\d+|[A-Z])(?:\.\d+)*) ", r"\1", first))
        for block in article.select("p, li, td, th, h1, h2, h3, caption, figcaption"):
            found = spacing_problems(" ".join(block.get_text().split()))
            assert not found, (page.name, found[:3])


def test_spacing_problems_are_found():
    assert spacing_problems("见第 5 章") and spacing_problems("见附录 A.3。")
    assert spacing_problems("用Zotero导入")
    assert spacing_problems("约 40% 的人口") and spacing_problems("此PDF版")
    assert not spacing_problems("2018年6月9日，约40%，见第5章、附录A.3，用 Zotero 导入，见 http://x.cn/a中")
