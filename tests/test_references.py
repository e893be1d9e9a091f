"""For reference managers: each page's head read as Zotero's embedded-metadata
translator reads it, its JSON-LD against the schema.org types it uses, and
the RIS, CSL-JSON and BibTeX citations read back by real processors: rispy,
pybtex, and citeproc-js with the official APA 7 style (citation-js, from npm).
All of it agrees with the cite box, which comes from the same data."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

import sitelib
from browserlib import FIXED_CLOCK, open_tab
from sco_report import languages
from sco_report import reportdata as rd
from sitelib import LANGS, soup

DATA = rd.load(sitelib.ROOT)["report"]
NAME = DATA["edition"]["title"]
CSL_RENDER = sitelib.ROOT / "tests" / "csl_render.js"
BUILT = "2026-11-27"   # sitelib.BUILD_EPOCH


def zotero_item(doc) -> dict:
    """The fields Zotero's Embedded Metadata translator takes from Highwire
    Press tags: the item type (webpage: no journal, book, report or thesis
    tags), title, authors, date, language and the PDF attachment."""
    tags: dict[str, list[str]] = {}
    for meta in doc.select("meta[name^=citation_]"):
        tags.setdefault(meta["name"], []).append(meta["content"])
    markers = {"citation_journal_title": "journalArticle", "citation_conference_title": "conferencePaper",
               "citation_inbook_title": "bookSection", "citation_technical_report_institution": "report",
               "citation_dissertation_institution": "thesis", "citation_isbn": "book"}
    kind = next((t for tag, t in markers.items() if tag in tags), "webpage")
    one = lambda name: (tags.get(name) or [None])[0]
    return {"itemType": kind, "title": one("citation_title"), "creators": tags.get("citation_author", []),
            "date": one("citation_publication_date") or one("citation_date"), "language": one("citation_language"),
            "pdf": one("citation_pdf_url"), "url": one("citation_public_url")}


@pytest.mark.parametrize("lang", LANGS)
def test_a_chapter_reads_as_a_page_of_this_site(site, lang):
    doc = soup(sitelib.lang_root(site, lang) / "challenges.html")
    item = zotero_item(doc)
    title = doc.select_one("article h1").get_text().replace("¶", "").strip()
    canonical = doc.select_one("link[rel=canonical]")["href"]
    home = canonical[:-len(languages.prefix(lang) + "challenges.html")]   # the site's address
    (pdf,) = [p.relative_to(site).as_posix() for p in (site / "downloads").glob(f"*-{lang}.pdf")]
    assert item == {"itemType": "webpage", "title": title, "creators": [DATA["edition"]["author"][lang]],
                    "date": BUILT.replace("-", "/"), "language": languages.get(lang).tag,
                    "pdf": home + pdf, "url": canonical}
    # the cite box says the same
    apa = doc.select_one("#rpt-cite-edition-apa").get_text()
    assert title in apa and NAME[lang].rstrip("”") in apa


# schema.org: the properties each type used here has (from schema.org's
# definitions: CreativeWork's for WebPage, WebSite and Report; Thing's for all)
THING = {"@type", "@id", "name", "url", "alternateName"}
CREATIVE_WORK = THING | {"inLanguage", "isPartOf", "about", "dateModified", "datePublished", "author",
                         "publisher", "editor", "version", "isBasedOn"}
TYPES = {"WebPage": CREATIVE_WORK, "WebSite": CREATIVE_WORK, "Report": CREATIVE_WORK,
         "Person": THING, "Organization": THING | {"address"}, "PostalAddress": THING | {"addressLocality"}}


def _nodes(value):
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _nodes(v)
    elif isinstance(value, list):
        for v in value:
            yield from _nodes(v)


@pytest.mark.parametrize("lang", LANGS)
def test_json_ld_describes_two_works(site, lang):
    doc = soup(sitelib.lang_root(site, lang) / "challenges.html")
    (script,) = doc.select('script[type="application/ld+json"]')
    data = json.loads(script.string)
    assert data["@context"] == "https://schema.org"
    for node in _nodes(data["@graph"]):
        if "@type" in node:
            assert node["@type"] in TYPES, node["@type"]
            assert set(node) <= TYPES[node["@type"]], (node["@type"], set(node) - TYPES[node["@type"]])
    by_type = {node["@type"]: node for node in data["@graph"]}
    page, site_node, report = by_type["WebPage"], by_type["WebSite"], by_type["Report"]
    assert page["isPartOf"]["@id"] == site_node["@id"]
    assert site_node["isBasedOn"]["@id"] == site_node["about"]["@id"] == report["@id"] == page["about"]["@id"]
    assert site_node["name"] == site_node["author"]["name"] == NAME[lang]
    rep = DATA["report"]
    assert report["name"] == rep["title"][lang]
    assert [e["name"] for e in report["editor"]] == [e["name"][lang] for e in rep["editors"]]
    assert [(p["name"], p["address"]["addressLocality"]) for p in report["publisher"]] == [
        (p["name"][lang], p["place"][lang]) for p in rep["publishers"]]
    assert report["datePublished"] == rep["released"]


# --- the files ------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_ris_files_read_back(site, lang):
    import rispy
    folder = sitelib.lang_root(site, lang) / "cite"
    (report,) = rispy.loads((folder / "report.ris").read_text(encoding="utf-8"))
    rep = DATA["report"]
    assert report["type_of_reference"] == "RPRT"
    assert report["title"] == rep["title"][lang]
    assert report["publisher"].split("; ") == [p["name"][lang] for p in rep["publishers"]]
    assert report["place_published"].split("; ") == [p["place"][lang] for p in rep["publishers"]]
    assert report["year"] == rep["year"] and report["urls"] == [DATA["sources"][rep["source"][0]]["url"]]
    assert report["language"] == languages.get(lang).tag
    assert len(report["secondary_authors"]) == len(rep["editors"])
    (guide,) = rispy.loads((folder / "guide.ris").read_text(encoding="utf-8"))
    assert guide["type_of_reference"] == "ELEC"
    assert guide["title"] == NAME[lang] and guide["authors"] == [DATA["edition"]["author"][lang]]
    assert re.fullmatch(rf"https?://[^/]+/{re.escape(languages.prefix(lang))}", guide["urls"][0])
    assert guide["year"] == BUILT[:4] and guide["date"] == BUILT.replace("-", "/")
    assert "access_date" not in guide   # the manager records its own


def render_apa(items: list[dict]) -> list[str]:
    node = shutil.which("node")
    module = sitelib.ROOT / "tests" / "node_modules" / "@citation-js" / "plugin-csl"
    sitelib.missing_tools({"node": bool(node), "citation-js": module.exists()},
                          "run `make test`: it installs citation-js from npm")
    out = subprocess.run([node, str(CSL_RENDER)], input=json.dumps(items), capture_output=True, text=True,
                         cwd=CSL_RENDER.parent, check=True)
    return out.stdout.strip().split("\n")


# Where this site's APA and citeproc's differ on purpose (CONTRIBUTING.md,
# "Citations"): the version and the retrieval date of a page that changes.
HOUSE_ONLY = re.compile(r" \(Version [\d.]+\)| Retrieved [^,]+(, \d{4})?, from")


def test_csl_json_through_citeproc_gives_the_cite_box_apa(site):
    lang = languages.LATIN
    root = sitelib.lang_root(site, lang)
    report = json.loads((root / "cite" / "report.json").read_text(encoding="utf-8"))
    guide = json.loads((root / "cite" / "guide.json").read_text(encoding="utf-8"))
    rendered = render_apa(report + guide)
    about = soup(root / "about.html")
    house = [p.get_text() for p in about.select("p.rpt-cite--apa")]
    assert rendered[0] == house[0]   # the report: the same, word for word
    # this site as a whole: the same but for what APA 7 wants of a page that changes
    # (without the version, the title's closing quote meets the period: American
    # punctuation puts the period inside, as citeproc does and our text does after the author)
    expected = HOUSE_ONLY.sub("", house[-1]).replace("”. ", ".” ")
    assert rendered[1] == expected


def test_the_cite_box_offers_the_section_as_files(browser, http_root):
    """The RIS and CSL-JSON the cite box saves name the section being read
    and today's date; rispy and json read them."""
    import rispy
    prefix = languages.prefix(languages.LATIN)
    with open_tab(browser, http_root, init_script=FIXED_CLOCK) as tab:
        page = tab.goto(prefix + "challenges.html#expansion")
        page.locator("summary.rpt-cite__summary").click()
        assert page.locator("pre.rpt-cite__data").first.is_hidden()   # saved, not shown
        files = {}
        for fmt in ("ris", "csl"):
            with page.expect_download() as info:
                page.locator(f'a[data-rpt-file="rpt-cite-edition-{fmt}"]').click()
            files[fmt] = info.value.suggested_filename, open(info.value.path(), encoding="utf-8").read()
        assert tab.errors == []
    (name, text) = files["ris"]
    (entry,) = rispy.loads(text)
    assert name == "guide.ris" and entry["urls"][0].endswith("/en/challenges.html#expansion")
    assert entry["access_date"] == "2026-11-27" and entry["title"] == "3 Challenges"
    (name, text) = files["csl"]
    (item,) = json.loads(text)
    assert name == "guide.json" and item["URL"].endswith("/en/challenges.html#expansion")
    assert item["accessed"] == {"raw": "2026-11-27"} and item["type"] == "webpage"


@pytest.mark.parametrize("lang", LANGS)
def test_this_sites_bibtex_reads_back(site, lang):
    """pybtex reads this site's entry (about#cite) field by field: one corporate
    author, the site's title, the version, the dates, the URL."""
    from pybtex.database import parse_string
    about = soup(sitelib.lang_root(site, lang) / "about.html")
    # on screen (the print one, without an access date, is read below)
    entries = [parse_string(pre.get_text(), "bibtex") for pre in about.select("pre.rpt-cite--bibtex:not(.rpt-print)")]
    (entry,) = [e for db in entries for e in db.entries.values() if e.type == "misc"]
    (printed,) = [e for pre in about.select("pre.rpt-cite--bibtex.rpt-print")
                  for e in parse_string(pre.get_text(), "bibtex").entries.values()]
    assert "urldate" not in printed.fields and printed.fields["url"] == entry.fields["url"]
    (author,) = entry.persons["author"]
    assert str(author).strip("{}") == DATA["edition"]["author"][lang]   # braced: one body, not a person
    assert entry.fields["title"] == NAME[lang]
    assert entry.fields["year"] == BUILT[:4] and entry.fields["date"] == BUILT
    assert entry.fields["url"].endswith("/" + languages.prefix(lang))
    assert re.search(r"1\.\d+\.\d+", entry.fields["howpublished"])
    # the placeholder, which site.js replaces with today's date
    assert entry.fields["urldate"] == rd.ui_strings(rd.load(sitelib.ROOT)["ui"], lang)["cite_accessed_placeholder"]
