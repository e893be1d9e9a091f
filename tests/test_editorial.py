"""Editorial rules the build's output can show (CONTRIBUTING.md): boxes stop
where their source stops, one pointer per section and none alone, no link to
a copy on a scraper site, one name for this site everywhere, citations never
dated before what they cite, and BibTeX that BibTeX reads as meant."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from mkdocs.config import load_config

import sitelib
from sco_report import languages, state
from sco_report import reportdata as rd
from sco_report.schema import DataError
from sitelib import LANGS, soup

DATA = rd.load(sitelib.ROOT)
REPORT = DATA["report"]
CHAPTERS = ["overview", "accomplishments", "challenges", "recommendations", "framework", "timeline",
            "glossary", "about"]

# --- finding boxes stop where their source stops --------------------------------------

# CRNTT's text of the report's conclusion breaks off mid-sentence, after these
# words (zh: its own; en: our paraphrase's); a box must stop there too.
CUT = {"zh": ("使之与安全合作", "……"), "en": ("so that it", " …")}
BOX = re.compile(r"^!!! finding crntt[^\n]*\n((?:[ \t]+[^\n]*\n|\n)+)", re.M)


def cut_off_problems(markdown: str, lang: str) -> list[str]:
    """Each CRNTT box in which the words before the break are not followed by
    the ellipsis (the sentence finished by us)."""
    words, ellipsis = CUT[lang]
    out = []
    for box in BOX.finditer(markdown):
        text = " ".join(box.group(1).split())
        for m in re.finditer(re.escape(words), text):
            if not text[m.end():].startswith(ellipsis):
                out.append(text[max(0, m.start() - 20):m.end() + 20])
    return out


@pytest.mark.parametrize("lang", languages.STORED)   # the source files; the converted edition follows
def test_a_box_stops_where_its_source_breaks_off(lang):
    texts = [(sitelib.ROOT / "docs" / lang / f"{page}.md").read_text(encoding="utf-8") for page in CHAPTERS]
    assert sum(CUT[lang][0] in t for t in texts) >= 1, "the passage is quoted nowhere: update CUT"
    assert [p for t in texts for p in cut_off_problems(t, lang)] == []


def test_a_box_that_finishes_the_sentence_is_caught():
    finished = {"zh": "!!! finding crntt\n\n    报告认为应补齐经济合作的短板，使之与安全合作相匹配。\n",
                "en": "!!! finding crntt\n\n    The report wants economic cooperation built up so that it matches security.\n"}
    stopped = {"zh": "!!! finding crntt\n\n    报告认为应补齐经济合作的短板，使之与安全合作……\n",
               "en": "!!! finding crntt\n\n    The report wants economic cooperation built up so that it …\n"}
    for lang in languages.STORED:
        assert cut_off_problems(finished[lang], lang), lang
        assert cut_off_problems(stopped[lang], lang) == [], lang


# --- pointers ------------------------------------------------------------------------

def cross_references(article) -> dict[str, list[str]]:
    """The links to a section of this site in each h2 section of an article
    (not notes, permalinks, downloads or the tools under the title)."""
    out, section = {}, "(top)"
    for el in article.find_all(["h2", "a"]):
        if el.name == "h2":
            section = el.get("id")
            continue
        href = el.get("href", "")
        if (set(el.get("class") or []) & {"headerlink", "footnote-ref", "footnote-backref"}
                or el.find_parent(class_=["footnote", "rpt-tools"]) or urlsplit(href).scheme or "#" not in href):
            continue
        out.setdefault(section, []).append(href)
    return out


POINTER_WORDS = re.compile(r"see|also|section|chapter|appendix|and|in|[见参详第节章附录和及]|\W|\d", re.I)


def pointer_problems(article, page: str) -> tuple[dict, list]:
    """({section: its cross-references} where more than one, [paragraphs that are only a pointer])."""
    many = {f"{page}#{s}": links for s, links in cross_references(article).items() if len(links) > 1}
    alone = []
    for p in article.find_all("p"):
        links = [a for a in p.find_all("a") if "#" in a.get("href", "") and not urlsplit(a["href"]).scheme
                 and "footnote-ref" not in (a.get("class") or [])]
        if not links:
            continue
        rest = p.get_text()
        for a in links + p.select("sup"):
            rest = rest.replace(a.get_text(), "")
        if not POINTER_WORDS.sub("", rest):
            alone.append(f"{page}: {p.get_text()[:60]}")
    return many, alone


@pytest.mark.parametrize("lang", LANGS)
def test_at_most_one_cross_reference_per_section_and_none_alone(site, lang):
    for page in CHAPTERS:
        article = soup(sitelib.lang_root(site, lang) / f"{page}.html").select_one("article")
        assert pointer_problems(article, page) == ({}, []), page


def test_the_pointer_check_catches_two_and_a_lone_one():
    from bs4 import BeautifulSoup
    article = BeautifulSoup(
        '<article><h2 id="a">A</h2><p>Text with <a href="x.html#b">3.2</a> and <a href="#c">3.3</a>.</p>'
        '<h2 id="d">D</h2><p>See <a href="y.html#e">section 4.1</a>.</p></article>', "lxml").article
    many, alone = pointer_problems(article, "p")
    assert many == {"p#a": ["x.html#b", "#c"]}
    assert alone == ["p: See section 4.1."]


# --- sources ----------------------------------------------------------------------------

# Content-scraper sites that carried a copy of a Xinhua or People's Daily article
# (editorial review 2), and every site data/report.yml marks `link: false`.
SCRAPERS = {"warmhandsnow.com", "ohmylovin.com", "seaspiritstudio.com", "m.vmrendering-studio.com",
            "m.jizihe.com", "feifmx.com"} | {
    urlsplit(src["url"]).hostname.removeprefix("www.") for src in REPORT["sources"].values()
    if src.get("link") is False}


def test_no_link_leads_to_a_scraper_site(site):
    found = []
    for page in site.rglob("*.html"):
        for a in soup(page).find_all("a", href=True):
            host = (urlsplit(a["href"]).hostname or "").removeprefix("www.")
            if host in SCRAPERS:
                found.append(f"{page.relative_to(site)}: {a['href']}")
    assert found == []
    # the notes still say what was read, and where
    note = soup(site / "en" / "challenges.html").find(string=re.compile("unofficial copy"))
    assert note is not None


# --- one name for this site ---------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_site_has_one_name_everywhere(site, lang):
    name = REPORT["edition"]["title"][lang]
    config = load_config(str(sitelib.ROOT / "mkdocs.yml"))
    i18n = {entry.locale: entry for entry in config.plugins["i18n"].config.languages}
    # a derived language's name is its source's, converted at build (sco_report/derive.py)
    source = languages.source(lang)
    assert (i18n[lang].site_name or config.site_name) == REPORT["edition"]["title"][source]
    assert REPORT["edition"]["author"][lang] == name   # the site's name as a corporate author
    root = sitelib.lang_root(site, lang)
    home = soup(root / "index.html")
    assert home.select_one("article h1").get_text().replace("¶", "").strip() == name
    for page in CHAPTERS:
        doc = soup(root / f"{page}.html")
        assert doc.select_one('meta[property="og:site_name"]')["content"] == name, page
        assert doc.title.get_text().endswith(f" - {name}"), page
        heading = doc.select_one("#rpt-cite-edition-heading")   # the cite box (about.html has the full one)
        assert page == "about" or name in heading.get_text(), page


# --- dates -------------------------------------------------------------------------------

def test_the_edition_is_never_dated_before_what_it_cites(site, monkeypatch, tmp_path):
    (year, month, day), _ = state.newest_source(REPORT)
    text = next(p.get_text() for p in soup(site / "about.html").select("p.rpt-cite--gbt") if "[EB/OL]" in p.get_text())
    built = re.search(r"\((\d{4}-\d{2}-\d{2})\)", text).group(1)
    assert built >= f"{year:04d}-{month or 1:02d}-{day or 1:02d}", text
    # outside git, with no SOURCE_DATE_EPOCH: the newest source's day
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    newest = dt.datetime(year, month or 1, day or 1, tzinfo=dt.timezone.utc)
    assert state.source_date_epoch(tmp_path, REPORT) == int(newest.timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1527120000")   # the report's launch, 2018
    with pytest.raises(DataError) as err:
        state.source_date_epoch(tmp_path, REPORT)
    assert "\n" not in str(err.value) and "earlier than the newest source" in str(err.value)


# --- BibTeX as BibTeX reads it ------------------------------------------------------------

def _bodies(field: str) -> list[str]:
    """A BibTeX list field split at its top-level " and "s, outer braces off."""
    parts, depth, current = [], 0, ""
    words = re.split(r"(\s+and\s+|[{}])", field)
    for w in words:
        if w == "{":
            depth += 1
        elif w == "}":
            depth -= 1
        if depth == 0 and re.fullmatch(r"\s+and\s+", w or ""):
            parts.append(current)
            current = ""
        else:
            current += w
    parts.append(current)
    return [p.strip().removeprefix("{").removesuffix("}") for p in parts]


@pytest.mark.parametrize("lang", LANGS)
def test_bibtex_reads_as_two_publishers_with_their_places(site, lang):
    from pybtex.database import parse_string
    text = soup(sitelib.lang_root(site, lang) / "about.html")
    report = parse_string(text.select_one("#rpt-cite-report-bibtex, pre.rpt-cite--bibtex").get_text(), "bibtex")
    (entry,) = report.entries.values()
    publishers = REPORT["report"]["publishers"]
    assert entry.type == "book"
    assert _bodies(entry.fields["publisher"]) == [p["name"][lang] for p in publishers]
    assert _bodies(entry.fields["address"]) == [p["place"][lang] for p in publishers]
    assert [str(p).replace("{", "").replace("}", "") for p in entry.persons["editor"]] == [
        f"{e['family'][lang]}, {e['given'][lang]}" if not languages.get(lang).han else e["name"][lang]
        for e in REPORT["report"]["editors"]]
    babel = languages.get(lang).bibtex_langid
    assert entry.fields.get("langid") == babel   # none where babel has no such language


# --- typography ----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_no_typewriter_quotes_in_what_readers_read(site, lang):
    """Markdown's smarty extension sets ’ “ ” in the text; what does not pass
    through Markdown (data/ui.yml, mkdocs.yml, figures) is typed so."""
    found = []
    for page in sorted(sitelib.lang_root(site, lang).glob("*.html")):
        doc = soup(page)
        for text in doc.body.find_all(string=re.compile(r"['\"]")):
            if not text.find_parent(["script", "style", "code", "pre"]):
                found.append(f"{page.name}: {text.strip()[:60]!r}")
    assert found == []
