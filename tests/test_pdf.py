"""The PDF edition (sco_report/pdf.py): one PDF per language, made by the session
build, read back with pypdf (structure) and PDFium (text). Its reproducibility is tested with the zip's,
in test_bundle.py (two builds of one commit give the same bytes)."""

from __future__ import annotations

import ctypes
import re
from pathlib import Path
from urllib.parse import urlsplit

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

import sitelib
from sco_report import languages, offline_zip, pdf, state, textfmt
from sco_report import reportdata as rd

ROOT = sitelib.ROOT
LANGS = sitelib.LANGS
BUDGET = 2_000_000  # bytes per PDF (issue 12)
DATA = rd.load(ROOT)           # {"report": data/report.yml, "ui": data/ui.yml}
REPORT = DATA["report"]["report"]
BASE = "sailing-steady-to-success-" + re.search(r'^version = "(.+)"', (ROOT / "pyproject.toml").read_text(),
                                                re.M).group(1)


@pytest.fixture(scope="session")
def pdfs(site) -> dict[str, Path]:
    return {lang: site / "downloads" / f"{BASE}-{lang}.pdf" for lang in LANGS}


@pytest.fixture(scope="session")
def readers(pdfs) -> dict[str, PdfReader]:
    return {lang: PdfReader(path) for lang, path in pdfs.items()}


def _run(obj, textpage) -> tuple[str, float, float, float]:
    """(text, x, y, size in pt) of one of PDFium's text objects."""
    length = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
    buffer = (ctypes.c_ushort * (length // 2))()
    raw.FPDFTextObj_GetText(obj.raw, textpage.raw, buffer, length)
    size = ctypes.c_float()
    raw.FPDFTextObj_GetFontSize(obj.raw, size)
    matrix = obj.get_matrix()
    return bytes(buffer)[:-2].decode("utf-16-le"), matrix.e, matrix.f, size.value * matrix.a


@pytest.fixture(scope="session")
def pages(pdfs) -> dict[str, list[tuple[str, list]]]:
    """Each page's text, and its text runs (text, x, y, font size in pt) as
    the PDF draws them, read once per language with PDFium, the engine of
    Chromium's PDF viewer: what a reader who searches or copies gets (and
    ten times quicker than pypdf's extraction)."""
    out = {}
    for lang, path in pdfs.items():
        doc = pdfium.PdfDocument(path)
        out[lang] = []
        for page in doc:
            textpage = page.get_textpage()
            runs = [_run(obj, textpage) for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT])]
            out[lang].append((textpage.get_text_range(), runs))
        doc.close()
    return out


def nav() -> list[str]:
    """The pages the PDFs hold: mkdocs.yml's nav, as MkDocs reads it."""
    return state.nav_pages(load_config(str(ROOT / "mkdocs.yml")).nav)


def headings(site: Path, lang: str, page: str, levels=("h1", "h2", "h3")) -> list[tuple[str, str, str]]:
    """(tag, id, text) of the page's headings, as the site shows them."""
    article = sitelib.soup(sitelib.lang_root(site, lang) / f"{page}.html").select_one("article")
    out = []
    for h in article.find_all(list(levels)):
        if h.find_parent(class_=pdf.SCREEN):   # not in the PDF
            continue
        text = "".join(s for s in h.find_all(string=True) if not s.find_parent("a", class_="headerlink"))
        out.append((h.name, h.get("id"), " ".join(text.split())))
    return out


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_nav_is_the_order_of_the_edition():
    assert nav()[:5] == ["overview", "accomplishments", "challenges", "recommendations", "framework"]
    assert nav()[5:] == ["timeline", "glossary", "about"]


@pytest.mark.parametrize("lang", LANGS)
def test_exists_within_budget(pdfs, lang):
    path = pdfs[lang]
    assert path.exists(), path
    assert path.read_bytes().startswith(b"%PDF-")
    assert path.stat().st_size <= BUDGET, f"{path.name}: {path.stat().st_size} bytes"


@pytest.mark.parametrize("page", ["about.html", "index.html"])
@pytest.mark.parametrize("lang", LANGS)
def test_linked_with_sizes_from_about_and_home(site, pdfs, lang, page):
    where = sitelib.lang_root(site, lang) / page
    links = sitelib.soup(where).select('article a.rpt-download[type="application/pdf"]')
    code = {languages.get(code).tag: code for code in LANGS}
    assert [code[a["hreflang"]] for a in links] == list(LANGS), where
    zip_link = sitelib.soup(where).select_one("article a.rpt-download")
    assert zip_link["href"].endswith(".zip"), "the zip link comes first"
    for link in links:
        target = pdfs[code[link["hreflang"]]]
        assert (where.parent / link["href"]).resolve() == target.resolve()
        size = link.find_next_sibling("span", class_="rpt-download-size")
        assert size is not None and not size.has_attr("hidden"), where
        template = DATA["ui"]["download_size"][lang]
        assert size.get_text() == offline_zip.human_size(target.stat().st_size, template), (where, size.get_text())


@pytest.mark.parametrize("lang", LANGS)
def test_every_heading_in_order_with_its_number(site, readers, pages, lang):
    reader = readers[lang]
    first = next(o for o in reader.outline if not isinstance(o, list) and o.title == headings(
        site, lang, nav()[0], ("h1",))[0][2])
    start = reader.get_destination_page_number(first)
    text = squeeze("".join(text for text, _ in pages[lang][start:]))
    pos = 0
    for page in nav():
        for tag, ident, title in headings(site, lang, page):
            found = text.find(squeeze(title), pos)
            assert found >= 0, f"{lang}: {page}#{ident} {title!r} missing or out of order"
            pos = found + len(squeeze(title))


@pytest.mark.parametrize("lang", LANGS)
def test_every_section_id_is_a_named_destination(site, readers, pages, lang):
    reader = readers[lang]
    dests = reader.named_destinations
    for page in nav():
        for tag, ident, title in headings(site, lang, page, ("h1", "h2", "h3", "h4", "h5", "h6")):
            assert ident in dests, f"{lang}: #{ident} ({page}) is not a named destination"
    # …and it opens the page where the section starts
    number = reader.get_destination_page_number(dests["expansion"])
    assert "3.4" in pages[lang][number][0]


@pytest.mark.parametrize("lang", LANGS)
def test_section_ids_are_unique_across_the_pages(site, lang):
    seen: dict[str, str] = {}
    for page in nav():
        for tag, ident, title in headings(site, lang, page, ("h1", "h2", "h3", "h4", "h5", "h6")):
            assert ident not in seen, f"{lang}: #{ident} is on {seen[ident]} and {page}"
            seen[ident] = page


@pytest.mark.parametrize("lang", LANGS)
def test_outline_mirrors_chapters_and_sections(site, readers, lang):
    outline = readers[lang].outline
    chapters, sections = [], {}
    for i, item in enumerate(outline):
        if isinstance(item, list):
            continue
        chapters.append(item.title)
        following = outline[i + 1] if i + 1 < len(outline) and isinstance(outline[i + 1], list) else []
        sections[item.title] = [s.title for s in following if not isinstance(s, list)]
    expected = [headings(site, lang, page, ("h1",))[0][2] for page in nav()]
    assert chapters[1:] == expected  # after the contents
    assert chapters[0] == DATA["ui"]["pdf_contents"][lang]
    for page, title in zip(nav(), expected):
        h2 = [t for tag, _, t in headings(site, lang, page, ("h2",))]
        assert sections[title][:len(h2)] == h2, page


def fonts_of(resources, seen=None) -> list[DictionaryObject]:
    """Every font a content stream can use, including those of form XObjects
    (the SVG figures)."""
    seen = set() if seen is None else seen
    out = []
    if resources is None:
        return out
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) not in seen:
            seen.add(id(font))
            out.append(font)
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            out += fonts_of(xobject.get("/Resources"), seen)
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_all_fonts_embedded_and_the_chosen_ones(readers, lang):
    names = set()
    for page in readers[lang].pages:
        for font in fonts_of(page.get("/Resources")):
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    families = {re.sub(r"-(Bold|Italic|BoldItalic|Oblique|Regular)$", "", n) for n in names}
    wanted = {f.replace(" ", "-") for f in languages.get(lang).fonts.values()}
    assert families <= wanted, families - wanted
    body = languages.get(lang).fonts["serif"].replace(" ", "-")
    assert body in families


def link_targets(reader: PdfReader) -> tuple[list, list[str]]:
    internal, external = [], []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            action = action.get_object() if action is not None else None
            if action is not None and action.get("/S") == "/URI":
                external.append(str(action["/URI"]))
            else:
                internal.append(annot.get("/Dest") if "/Dest" in annot else action.get("/D"))
    return internal, external


@pytest.mark.parametrize("lang", LANGS)
def test_links_resolve(site, readers, lang):
    reader = readers[lang]
    dests = reader.named_destinations
    internal, external = link_targets(reader)
    names = set()
    for dest in internal:
        if isinstance(dest, (ArrayObject, list)):
            assert isinstance(dest[0], IndirectObject) and dest[0].get_object().get("/Type") == "/Page"
        else:
            assert str(dest) in dests, f"{lang}: link to #{dest}, which is not in the PDF"
            names.add(str(dest))
    # links between the site's pages became links inside the PDF
    wanted = set()
    for page in nav():
        article = sitelib.soup(sitelib.lang_root(site, lang) / f"{page}.html").select_one("article")
        for a in article.select('a[href*=".html#"]'):
            target, _, fragment = a["href"].partition("#")
            if target[:-5] in nav() and not a.get("class"):
                wanted.add(fragment)
    assert "four-areas" in wanted  # challenges.html links to framework.html#four-areas
    assert wanted <= names, wanted - names
    # everything else leads to the web: the online site (its address once, on the cover), the sources
    assert all(re.match(r"https?://", url) for url in external), [u for u in external if "://" not in u][:3]
    assert sitelib.SITE_URL + languages.prefix(lang) in external


@pytest.mark.parametrize("lang", LANGS)
def test_footnotes_at_the_foot_of_the_page_with_urls(site, readers, pages, lang):
    """The first note of chapter 3 is on the chapter's first page, with its URL."""
    reader = readers[lang]
    number = reader.get_destination_page_number(reader.named_destinations["challenges"])
    page = reader.pages[number]
    text, runs = pages[lang][number]
    url = DATA["report"]["sources"]["rdcy-report"]["url"]
    assert squeeze(url) in squeeze(text)
    # …in the lower part of the page, below the text that cites it
    where = [(t, y) for t, _, y, _ in runs]
    heights = [y for t, y in where if len(t.strip()) > 8 and url.startswith(t.strip())]   # its first piece
    assert heights and max(heights) < float(page.mediabox.height) * 0.35, heights
    # no leftover of the site's footnote list or its back links
    assert "↩" not in "".join(text for text, _ in pages[lang])


# Where the notes are: pdf.css sets a note's call and the note (its marker "N. "
# on a text run of its own, at the left edge of the text column) in sizes of
# their own, and numbers the notes from 1 in each chapter.
CSS = pdf.STYLESHEET.read_text(encoding="utf-8")
CALL_PT = float(re.search(r"\.rpt-note::footnote-call \{[^}]*?font-size: ([\d.]+)pt", CSS).group(1))
# each language's size: the Chinese editions' (html[lang^="zh"]) or the English one's
NOTE_PT = {lang.code: float(re.search(rf'html\[lang{sel}"\] \.rpt-note \{{ font-size: ([\d.]+)pt', CSS).group(1))
           for lang in languages.LANGUAGES for sel in [r'\^="zh' if lang.han else '="en']}
LEFT_PT = float(re.search(r"@page \{[^}]*?margin: \S+ \S+ \S+ ([\d.]+)mm", CSS).group(1)) * 72 / 25.4


def notes_and_calls(pages: list[tuple[str, list]],
                    note_pt: float) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(number, page) of every note call in the text, and of every note at the
    foot of a page, in the order of the document (pages from 1), from the
    `pages` fixture's text runs of one PDF."""
    calls, notes = [], []
    for number, (_, page_runs) in enumerate(pages, 1):
        runs = [(t.replace("\u2060", "").strip(), x, size) for t, x, _, size in page_runs]
        for text, x, pt in runs:
            if abs(pt - CALL_PT) < .05 and text.isdigit():
                calls.append((int(text), number))
            elif abs(pt - note_pt) < .05 and abs(x - LEFT_PT) < 1 and re.fullmatch(r"\d+\.", text):
                notes.append((int(text[:-1]), number))
    return calls, notes


@pytest.mark.parametrize("lang", LANGS)
def test_every_note_on_the_page_of_its_call(site, pages, lang):
    """Footnotes as real footnotes at the bottom of the page they are cited on."""
    calls, notes = notes_and_calls(pages[lang], NOTE_PT[lang])
    cited = {page: len(sitelib.soup(sitelib.lang_root(site, lang) / f"{page}.html").select("article a.footnote-ref"))
             for page in nav()}
    assert len(calls) == sum(cited.values()), f"{lang}: {len(calls)} note calls in the PDF, {sum(cited.values())} cited"
    assert [n for n, _ in notes] == [n for n, _ in calls], f"{lang}: the notes are not those of the calls, in order"
    chapters = [page for page in nav() if cited[page]]   # the numbers start again in each
    chapter, elsewhere = -1, []
    for (number, call_page), (_, note_page) in zip(calls, notes):
        chapter += number == 1
        if note_page != call_page:
            elsewhere.append(f"{chapters[chapter]} note {number}: called on p. {call_page}, set on p. {note_page}")
    assert not elsewhere, f"{lang}: " + "; ".join(elsewhere)


@pytest.mark.parametrize("lang", LANGS)
def test_no_screen_only_ui(site, pages, lang):
    text = "".join(text for text, _ in pages[lang])
    for page in nav():   # no permalink after any heading
        for tag, ident, title in headings(site, lang, page):
            assert squeeze(title) + "¶" not in squeeze(text), title
    # the cite box and the parallel-view link followed the title: now the text does
    # (the edition's address is on the cover; test_print.py checks what else is screen-only)
    t = {k: v[lang] for k, v in DATA["ui"].items()}
    for unique in ("cite_note", "cite_edition", "cite_whole_page"):  # the cite box's own strings
        assert squeeze(t[unique]) not in squeeze(text), unique


@pytest.mark.parametrize("lang", LANGS)
def test_metadata_names_this_edition(readers, lang):
    reader = readers[lang]
    meta = reader.metadata
    assert meta.title == DATA["report"]["edition"]["title"][lang]   # this guide, not the report
    assert meta.author == DATA["report"]["edition"]["author"][lang]  # this edition, not the report's makers
    assert meta.subject and meta["/Keywords"]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == languages.get(lang).tag
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root   # tagged
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp


def struct_elements(reader: PdfReader) -> list[DictionaryObject]:
    """Every element of the PDF's structure tree, in the order of the tree."""
    out = []

    def walk(kids):
        for kid in (kids if isinstance(kids, (ArrayObject, list)) else [kids]):
            kid = kid.get_object()
            if isinstance(kid, DictionaryObject) and "/S" in kid:
                out.append(kid)
                walk(kid.get("/K", []))
    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_tagged_for_pdf_ua(site, readers, lang):
    """What PDF/UA-1 asks of the document that can be read back here (WeasyPrint's
    pdf/ua-1 variant, sco_report/pdf.py): the title shown, the figures with their text
    alternative, table data cells tied to their headers, links described and
    tagged, annotations in structure order."""
    reader = readers[lang]
    root = reader.trailer["/Root"]
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert DATA["report"]["edition"]["title"][lang] in xmp   # dc:title
    elements = struct_elements(reader)
    roles = [str(e["/S"]) for e in elements]
    assert roles[0] == "/Document" and "/H1" in roles and "/P" in roles
    # the figures: each tagged, with the SVG's title as its text alternative
    titles = [" ".join(svg.title.get_text().split()) for page in nav()
              for svg in sitelib.soup(sitelib.lang_root(site, lang) / f"{page}.html").select("article figure svg")]
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert len(titles) == 3 and len(figures) == len(titles)
    for figure, title in zip(figures, titles):
        assert title in str(figure.get("/Alt", "")), title
    # tables: every data cell names header cells that exist
    ids = [str(e["/ID"]) for e in elements if e["/S"] == "/TH"]
    assert ids and len(ids) == len(set(ids))
    cells = [e for e in elements if e["/S"] == "/TD"]
    assert cells
    for cell in cells:
        headers = [str(h) for h in cell["/A"]["/Headers"]]
        assert headers and set(headers) <= set(ids), headers
    # links: described, tied to the structure tree, in structure order
    for page in reader.pages:
        annots = [a.get_object() for a in page.get("/Annots") or []]
        if annots:
            assert page["/Tabs"] == "/S"
        for annot in annots:
            assert annot.get("/Contents") and "/StructParent" in annot, annot.get("/Rect")
    # each annotation in one Link element (a link broken over lines or pieces has several)
    refs = [k.get_object().raw_get("/Obj").idnum for e in elements if e["/S"] == "/Link"
            for k in (e["/K"] if isinstance(e["/K"], list) else [e["/K"]])
            if isinstance(k.get_object(), DictionaryObject) and k.get_object().get("/Type") == "/OBJR"]
    annots = [a.idnum for p in reader.pages for a in p.get("/Annots") or []]
    assert sorted(refs) == sorted(annots)


@pytest.mark.parametrize("lang", LANGS)
def test_cover_states_the_edition(pages, lang):
    text = pages[lang][0][0]
    report = REPORT
    for other in (lang, languages.other(lang)):   # its own language's title and its pair's
        assert squeeze(report["title"][other]) in squeeze(text)
    for publisher in report["publishers"]:
        assert squeeze(publisher["name"][lang]) in squeeze(text)
    for editor in report["editors"]:
        assert editor["name"][lang] in text
    assert squeeze(DATA["ui"]["pdf_edition"][lang])[:30] in squeeze(text)
    # the edition as a reader counts it, and the month of SOURCE_DATE_EPOCH of the test build
    edition = DATA["ui"]["pdf_edition_version"][lang].format(version=pdf.edition_number(BASE.rsplit("-", 1)[1]),
                                                             month=textfmt.format_date("2026-11", lang))
    assert squeeze(edition) in squeeze(text)


# --- maintainers' errors ----------------------------------------------------------------

def test_missing_font_fails_in_one_line(site, tmp_path):
    fonts = {lang.code: {**lang.fonts, "serif": lang.fonts["serif"].replace("CJK SC", "CJK XX")}
             for lang in languages.LANGUAGES}
    with pytest.raises(PluginError) as err:
        pdf.build_pdfs(site, state.standalone(ROOT), fonts=fonts)
    assert str(err.value) == ("PDF: font 'Noto Serif CJK XX' not installed: run `python3 "
                              "sco_report/system_deps.py build` (it installs what the PDFs need, or names it)")


def test_missing_pango_message(monkeypatch, site, tmp_path):
    def no_pango(name):
        raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
    monkeypatch.setattr(pdf, "_IMPORT", no_pango)
    with pytest.raises(PluginError) as err:
        pdf.build_pdfs(tmp_path, state.standalone(ROOT))
    assert "\n" not in str(err.value)
    assert str(err.value).startswith("PDF: WeasyPrint cannot load Pango (cannot load library 'libpango-1.0-0'")
    assert str(err.value).endswith("install the Debian packages libpango-1.0-0 and libpangoft2-1.0-0")


def test_character_without_a_glyph_is_named_with_its_page():
    files = pdf.font_files(languages.get("zh").fonts.values())
    pdf.check_glyphs([("challenges.html", "经贸合作 SCO “一带一路” 2018—2019")], files, "zh")
    with pytest.raises(PluginError) as err:
        pdf.check_glyphs([("challenges.html", "经贸合作\U000F0001")], files, "zh")
    assert str(err.value).startswith("PDF [zh]: challenges.html: character U+F0001 ")
    assert "\n" not in str(err.value)


def test_duplicate_id_across_pages_is_named(tmp_path):
    page = ('<html><body><article class="md-content__inner md-typeset"><h1 id="{h1}">{h1}</h1>'
            '<h2 id="shared">x</h2></article></body></html>')
    for name in ("one", "two"):
        (tmp_path / f"{name}.html").write_text(page.format(h1=name), encoding="utf-8")
    edition = pdf.Edition(tmp_path, ROOT, "zh", DATA["report"], DATA["ui"], ["one", "two"], "", "d/x", "0", 0)
    with pytest.raises(PluginError) as err:
        edition.build()
    assert str(err.value) == ("PDF [zh]: id 'shared' is used by one.html and two.html; "
                              "ids must be unique across one language's pages")


@pytest.mark.parametrize("value,serving,expected", [
    ("auto", False, True), ("auto", True, False), ("", False, True), (0, False, False), ("off", False, False),
    (1, True, True), ("true", True, True), (True, True, True), (False, False, False)])
def test_pdf_switch(value, serving, expected):
    """mkdocs.yml's `pdf: !ENV [RPT_PDF, auto]`: `mkdocs build` makes the PDFs and
    `mkdocs serve` does not, unless RPT_PDF says otherwise."""
    from sco_report.plugin import _switch
    assert _switch(value, serving) is expected
    with pytest.raises(PluginError) as err:
        _switch("sometimes", serving)
    assert "RPT_PDF" in str(err.value)
