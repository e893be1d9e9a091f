"""The site's address in every output, and the PDF as a print text (issue 28,
points 1, 4, 6 and 7), on two session builds: `site`, built for an explicit
test address (sitelib.SITE_URL), and `preview`, built without one.

- No placeholder domain in any output of either build (HTML, XML, JSON, RIS,
  robots.txt, the nginx include, the PDFs' text); the preview says so once in
  its log and prints no address at all.
- Nothing screen-only in the PDF; the cover names what it is and who made it.
- Notes: a URL breaks only after a slash or before a dot; no two identical
  notes in a row on a page ("Ibid." only after its note on the same page);
  a note's call never touches the digits of a number.

Each check is a function of plain data, proved against a broken input."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from pypdf import PdfReader

import sitelib
from sco_report import languages, pdf, seo
from sco_report import reportdata as rd
from test_pdf import BASE, CALL_PT, LEFT_PT, NOTE_PT, _run, link_targets, pages, pdfs, squeeze  # noqa: F401

DATA = rd.load(sitelib.ROOT)
UI = DATA["ui"]
LANGS = sitelib.LANGS
# reserved for examples and tests (RFC 2606, RFC 6761), an address no reader can use: the
# host of any URL, and the example domains anywhere (a PDF may break a URL over lines)
HOST = re.compile(r"(?i)\bhttps?://([a-z0-9.-]+)")
RESERVED = re.compile(r"(?i)(?:^|\.)(?:example\.(?:org|com|net|edu)|[a-z0-9-]+\.(?:example|invalid|test|localhost))$")
EXAMPLE = re.compile(r"(?i)(?<![\w.-])(?:[a-z0-9-]+\.)*example\.(?:org|com|net|edu)(?![\w-])")
TWINS = (".gz", ".br")   # compressed copies of files read here


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        sitelib.skip_or_fail("pdftotext not found: install poppler-utils")
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def placeholder_domains(site: Path, allowed: str = "") -> list[str]:
    """'file: domain' for each placeholder domain in the site's files (the
    PDFs by their text), except the host of `allowed`, the build's own
    test address."""
    host = re.sub(r"^https?://([^/]+).*", r"\1", allowed).lower() if allowed else None
    found = []
    for path in sorted(p for p in site.rglob("*") if p.is_file() and p.suffix not in TWINS):
        if path.suffix == ".pdf":
            text = pdf_text(path)
        elif path.suffix in (".zip", ".png", ".ico", ".woff", ".woff2"):
            continue   # the zip holds the same files as the site
        else:
            text = path.read_bytes().decode("utf-8", "replace")
        hosts = {h.lower().rstrip(".") for h in HOST.findall(text) if RESERVED.search(h.rstrip("."))}
        hosts |= {m.group(0).lower() for m in EXAMPLE.finditer(text)}
        for domain in sorted(hosts - {host}):
            found.append(f"{path.relative_to(site)}: {domain}")
    return found


def pdf_paths(site: Path) -> dict[str, Path]:
    return {lang: site / "downloads" / f"{BASE}-{lang}.pdf" for lang in LANGS}


# --- 1. The address ----------------------------------------------------------------

def test_no_placeholder_domain_in_any_output(site, preview):
    assert placeholder_domains(site, sitelib.SITE_URL) == []
    assert placeholder_domains(preview[0]) == []


def test_placeholder_check_finds_the_old_default(tmp_path):
    """The check, on what the old default address (mkdocs.yml until 1.1.0) wrote."""
    weasyprint = pytest.importorskip("weasyprint")
    old = "https://sco-report.example.org/"
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "overview.html").write_text(f'<link rel="canonical" href="{old}en/overview.html">')
    (tmp_path / "sitemap.xml.gz").write_bytes(b"not read")
    (tmp_path / "downloads").mkdir()
    weasyprint.HTML(string=f"<p>Online: {old}</p>").write_pdf(tmp_path / "downloads" / "x.pdf")
    assert placeholder_domains(tmp_path) == ["downloads/x.pdf: sco-report.example.org",
                                             "en/overview.html: sco-report.example.org"]
    assert placeholder_domains(tmp_path, old) == []
    assert placeholder_domains(tmp_path, sitelib.SITE_URL) != []


def test_preview_says_so_once_and_prints_no_address(preview):
    out, log = preview
    assert log.count(seo.NO_ADDRESS) == 1 and "WARNING" not in log
    assert not (out / "sitemap.xml").exists()                   # a sitemap holds absolute addresses only
    assert "Sitemap:" not in (out / "robots.txt").read_text(encoding="utf-8")
    for lang in LANGS:
        root = sitelib.lang_root(out, lang)
        for rel in sitelib.content_pages(out, lang):
            head = sitelib.soup(root / rel).head
            assert head.select('link[rel=canonical], meta[property="og:url"], meta[name=citation_public_url], '
                               'meta[name=citation_pdf_url]') == [], rel
        for name in ("guide.ris", "guide.json"):
            assert "://" not in (root / "cite" / name).read_text(encoding="utf-8"), name
        cover = pdf_text(pdf_paths(out)[lang]).split("\f")[0]
        assert squeeze(UI["pdf_preview"][lang]) in squeeze(cover)
        assert "://" not in cover


def test_release_prints_its_address(site):
    for lang in LANGS:
        home = sitelib.SITE_URL + languages.prefix(lang)
        cover = pdf_text(pdf_paths(site)[lang]).split("\f")[0]
        assert home in cover and squeeze(UI["pdf_online"][lang]) in squeeze(cover)
        ris = (sitelib.lang_root(site, lang) / "cite" / "guide.ris").read_bytes().decode("utf-8")
        assert f"UR  - {home}\r\n" in ris


# --- 4. A print text -----------------------------------------------------------------

def screen_only(site: Path, lang: str) -> list[str]:
    """What the PDF must not say: the text of every element marked rpt-screen
    in the pages it holds, and the site's own interface strings."""
    texts = []
    for page in sitelib.content_pages(site, lang):
        for el in sitelib.soup(sitelib.lang_root(site, lang) / page).select(f"article .{pdf.SCREEN}"):
            texts.append(el.get_text())
    texts += [UI[key][lang] for key in ("cite_accessed_placeholder", "download_label", "download_pdf_zh",
                                        "download_pdf_en")]
    texts += ["英文版 PDF", "中文版 PDF", "Chinese PDF", "English PDF"]   # the openers' old link labels
    return [t for t in texts if t.strip()]


def printed_screen_text(text: str, strings: list[str]) -> list[str]:
    flat = squeeze(text)
    return [s for s in strings if squeeze(s) in flat]


@pytest.mark.parametrize("lang", LANGS)
def test_no_screen_only_text_in_the_pdf(site, pages, lang):
    strings = screen_only(site, lang)
    assert len(strings) > 8   # the tooltip, cite-box and download sentences, the placeholder, …
    assert printed_screen_text("".join(text for text, _ in pages[lang]), strings) == []
    # the printed citations of this edition: no placeholder, the lead-in says how to add a date
    about = sitelib.soup(sitelib.lang_root(site, lang) / "about.html")
    printed = [el.get_text() for el in about.select(f"article .rpt-cite.{pdf.PRINT}")]
    assert len(printed) == 3 and all(squeeze(t) in squeeze("".join(x for x, _ in pages[lang])) for t in printed)


def test_screen_text_check_finds_the_old_pdf_text():
    old = "引用本站（报告导读整体；“引用日期”请换成实际访问日期）：… (2026-12-07)[引用日期]. https://…"
    assert printed_screen_text(old, ["引用日期", "离线版"]) == ["引用日期"]


# --- 6. The cover ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_cover_says_what_this_is(site, pages, lang):
    t = {key: value[lang] for key, value in UI.items()}
    cover, second = squeeze(pages[lang][0][0]), squeeze(pages[lang][1][0])
    edition = DATA["report"]["edition"]
    assert cover.startswith(squeeze(edition["title"][lang]))   # the guide, named as the site names itself
    for label in ("pdf_publishers", "pdf_editors", "pdf_released", "pdf_edition_editors", "pdf_online",
                  "pdf_rights", "pdf_permission"):
        assert squeeze(t[label]) in cover, label
    assert squeeze(t["pdf_edition_editors_value"].format(author=edition["author"][lang])) in cover
    # the rights line starts with the site's own copyright line
    footer = sitelib.soup(sitelib.lang_root(site, lang) / "about.html").select_one(".md-copyright__highlight")
    assert squeeze(footer.get_text()) + squeeze(t["pdf_permission"]) in cover
    assert "双语" not in cover and "bilingual" not in cover.lower()   # a one-language PDF
    assert second.startswith(squeeze(t["pdf_contents"]))   # the cover is one page


# --- 7. Notes ----------------------------------------------------------------------

def bad_url_breaks(text: str, urls: list[str]) -> list[str]:
    """Every line break inside one of `urls` in the text that is not after a
    slash or before a dot, and every line that ends in a bare scheme."""
    bad = [f"line ends with its scheme: {line[-50:]!r}" for line in text.split("\n")
           if re.search(r"https?://$", line.strip())]
    for url in urls:
        for m in re.finditer("\n?".join(map(re.escape, url)), text):
            chunk = m.group(0)
            for i in (i for i, ch in enumerate(chunk) if ch == "\n"):
                before, after = chunk[:i], chunk[i + 1:]
                if not ((before.endswith("/") and not before.endswith("//")) or after.startswith(".")):
                    bad.append(f"{url}: a line ends in {before[-15:]!r}")
    return bad


@pytest.mark.parametrize("lang", LANGS)
def test_urls_break_after_a_slash_or_before_a_dot(site, lang):
    path = pdf_paths(site)[lang]
    text = pdf_text(path)
    urls = sorted({u for u in link_targets(PdfReader(path))[1] if u.startswith("http")})
    found = [u for u in urls if re.search("\n?".join(map(re.escape, u)), text)]
    assert len(found) > 0.9 * len(urls) > 50, (len(found), len(urls))   # the check reads the notes' URLs
    broken = [u for u in found if "\n" in re.search("\n?".join(map(re.escape, u)), text).group(0)]
    assert len(broken) > 20   # many URLs do break over lines
    assert bad_url_breaks(text, found) == []


def test_url_break_check_finds_the_old_breaks():
    urls = ["http://english.eastday.com/a-b/node1/x.html", "https://www.sco-summit.org/x"]
    old = "6月15日，http://\nenglish.eastday.com/a-\nb/node1/x.html。见 https://www.sco-\nsummit.org/x"
    assert bad_url_breaks(old, urls) == [
        "line ends with its scheme: '6月15日，http://'",
        "http://english.eastday.com/a-b/node1/x.html: a line ends in 'http://'",
        "http://english.eastday.com/a-b/node1/x.html: a line ends in '.eastday.com/a-'",
        "https://www.sco-summit.org/x: a line ends in 'ttps://www.sco-'"]
    good = "6月15日，http://english\n.eastday.com/a-b/\nnode1/x.html。"
    assert bad_url_breaks(good, urls[:1]) == []


def notes_of(runs: list, note_pt: float) -> list[str]:
    """The notes at the foot of one page, in order, from its text runs (text,
    x, y, size): each starts with its marker "N." at the left edge."""
    notes = []
    for text, x, _, size in runs:
        text = text.replace("\u2060", "")
        if abs(size - note_pt) >= .05:
            continue
        if abs(x - LEFT_PT) < 1 and re.fullmatch(r"\d+\.", text.strip()):
            notes.append("")
        elif notes:
            notes[-1] += text
    return [" ".join(note.split()) for note in notes]


def repeated_notes(pages_runs: list[list], ibid: str, note_pt: float) -> list[str]:
    """Two identical notes in a row on a page, and an "Ibid." first on its
    page (a run of Ibid. after one note is what a press sets)."""
    bad = []
    for number, runs in enumerate(pages_runs, 1):
        notes = notes_of(runs, note_pt)
        bad += [f"p. {number}: {a[:40]!r} twice" for a, b in zip(notes, notes[1:]) if a == b != ibid]
        if notes and notes[0] == ibid:
            bad.append(f"p. {number}: {ibid} first on the page")
    return bad


@pytest.mark.parametrize("lang", LANGS)
def test_no_note_repeated_in_a_row(pages, lang):
    ibid = UI["pdf_ibid"][lang]
    runs = [r for _, r in pages[lang]]
    assert sum(notes_of(r, NOTE_PT[lang]).count(ibid) for r in runs) > 10   # the timeline's tables
    assert repeated_notes(runs, ibid, NOTE_PT[lang]) == []


def test_repeated_note_check_finds_repeats():
    def note(n, y, text):
        return [(f"{n}. ", LEFT_PT, y, 8.0), (text, LEFT_PT + 12, y, 8.0)]
    page = note(1, 100, "Xinhua, chronology.") + note(2, 90, "Xinhua, chronology.") + note(3, 80, "Ibid.")
    assert repeated_notes([page, note(4, 100, "Ibid.")], "Ibid.", 8.0) == [
        "p. 1: 'Xinhua, chronology.' twice", "p. 2: Ibid. first on the page"]


def calls_touching_digits(objects: list) -> list[str]:
    """objects: (text, left, right, bottom, size) of one page's text runs, in
    the order drawn. A note call (its size) right after a run that ends in a
    digit, or right before one that starts with a digit, with less than 1 pt
    between them: "2001³²" reads as one number."""
    bad = []
    for i, (text, left, right, bottom, size) in enumerate(objects):
        if abs(size - CALL_PT) >= .05 or not text.replace("\u2060", "").strip().isdigit():
            continue
        for j, gap in ((i - 1, lambda o: left - o[2]), (i + 1, lambda o: o[1] - right)):
            if not 0 <= j < len(objects):
                continue
            other = objects[j]
            digit = other[0].rstrip()[-1:] if j < i else other[0].lstrip()[:1]
            if digit.isdigit() and abs(other[3] - bottom) < 8 and -1 < gap(other) < 1:
                bad.append(f"{other[0].strip()[-12:]!r} and call {text.strip()}" if j < i
                           else f"call {text.strip()} and {other[0].strip()[:12]!r}")
    return bad


@pytest.mark.parametrize("lang", LANGS)
def test_no_call_fused_with_a_number(site, lang):
    doc = pdfium.PdfDocument(pdf_paths(site)[lang])
    bad, calls = [], 0
    for number, page in enumerate(doc, 1):
        textpage = page.get_textpage()
        objects = []
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT]):
            text, _, _, size = _run(obj, textpage)
            left, bottom, right, _ = obj.get_bounds()
            objects.append((text, left, right, bottom, size))
        calls += sum(abs(o[4] - CALL_PT) < .05 for o in objects)
        bad += [f"p. {number}: {b}" for b in calls_touching_digits(objects)]
    doc.close()
    assert calls > 100 and bad == []


def test_fused_call_check_finds_a_fused_call():
    cell = [("member state from 2001", 300, 380, 500, 9.0), ("32", 380.2, 385, 503, CALL_PT)]
    assert calls_touching_digits(cell) == ["'te from 2001' and call 32"]
    spaced = [("member state from 2001", 300, 380, 500, 9.0), ("32", 381.6, 386, 503, CALL_PT)]
    assert calls_touching_digits(spaced) == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_print_only_text_hidden_on_screen(browser, http_root, lang):
    """The web page shows the screen's citations and lead-in, not the print ones."""
    from browserlib import open_tab
    with open_tab(browser, http_root) as tab:
        page = tab.goto(languages.prefix(lang) + "about.html")
        printed, screen = page.locator(f"article .{pdf.PRINT}"), page.locator(f"article .{pdf.SCREEN}")
        assert printed.count() == 4 and screen.count() > 4
        assert not any(printed.nth(i).is_visible() for i in range(printed.count()))
        assert page.locator("article p.rpt-cite--gbt:visible").count() == 3   # the report's two, this site's
        assert tab.errors == []
