"""What search engines and link previews read, on the built HTML: site_url
from one value (SITE_URL overrides it), sitemap with hreflang pairs (their one place), and
each page's canonical, description and Open Graph/Twitter meta."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

import sitelib
from sco_report import languages
from sitelib import LANGS, soup

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
LOCALE = {"zh": "zh_CN", "en": "en_US", "zh-Hant": "zh_TW"}
CONFIGURED = sitelib.SITE_URL


def test_site_url_comes_from_config_and_the_environment(site, subpath):
    _, other = subpath
    root = sitelib.SUBPATH_SITE_URL
    assert soup(site / "overview.html").select_one("link[rel=canonical]")["href"] == CONFIGURED + "overview.html"
    assert soup(other / "en" / "overview.html").select_one("link[rel=canonical]")["href"] == root + "en/overview.html"
    assert (other / "sitemap.xml").read_text(encoding="utf-8").count(root) > 10
    assert CONFIGURED not in (other / "sitemap.xml").read_text(encoding="utf-8")


def test_sitemap_lists_every_page_with_its_pair(site):
    tree = ET.parse(site / "sitemap.xml")
    urls = tree.getroot().findall("s:url", NS)
    pages = sitelib.content_pages(site, "zh")
    expected = {CONFIGURED + languages.prefix(lang) + rel for rel in pages for lang in LANGS}
    locs = [u.find("s:loc", NS).text for u in urls]
    assert sorted(locs) == sorted(expected)
    for url in urls:
        loc = url.find("s:loc", NS).text
        rel = loc[len(CONFIGURED):]
        for lang in languages.others(languages.DEFAULT):
            rel = rel.removeprefix(languages.prefix(lang))
        # a list, not a dict: a duplicated hreflang must fail; by BCP 47 tag
        links = sorted((l.get("hreflang"), l.get("href")) for l in url.findall("x:link", NS))
        assert links == sorted([(languages.get(lang).tag, CONFIGURED + languages.prefix(lang) + rel)
                                for lang in LANGS] + [("x-default", CONFIGURED + rel)])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", url.find("s:lastmod", NS).text)
    assert not any("404" in loc for loc in locs)
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {CONFIGURED}sitemap.xml" in robots


@pytest.mark.parametrize("lang", LANGS)
def test_head_metadata(site, lang):
    for rel in sitelib.content_pages(site, lang):
        doc = soup(sitelib.lang_root(site, lang) / rel)
        head = doc.head
        own = CONFIGURED + languages.prefix(lang) + rel
        assert head.select_one("link[rel=canonical]")["href"] == own
        # hreflang pairs live in one place, the sitemap (test above)
        assert head.select("link[rel=alternate][hreflang]") == []
        description = head.select_one("meta[name=description]")["content"]
        assert len(description) > 20, rel
        if languages.get(lang).han:
            assert len(sitelib.CJK.findall(description)) > 10, rel
        else:
            assert not sitelib.CJK.search(description), rel
        og = {m["property"]: m["content"] for m in head.select("meta[property]")}
        assert og["og:locale"] == LOCALE[lang]
        alternates = [m["content"] for m in head.select('meta[property="og:locale:alternate"]')]
        assert sorted(alternates) == sorted(LOCALE[o] for o in languages.others(lang))
        assert og["og:url"] == own and og["og:description"] == description
        assert og["og:title"] and og["og:site_name"] and og["og:type"] in ("website", "article")
        assert head.select_one("meta[name='twitter:card']")["content"] == "summary"
        assert head.select_one("meta[name='twitter:title']")["content"] == og["og:title"]


@pytest.mark.parametrize("lang", LANGS)
def test_404_pages(site, lang):
    page = sitelib.lang_root(site, lang) / "404.html"
    doc = soup(page)
    assert doc.html["lang"] == languages.get(lang).tag
    assert doc.select_one("base")["href"] == "/" + languages.prefix(lang)
    assert doc.select_one("meta[name=robots]")["content"] == "noindex"
    assert not doc.select("link[rel=alternate][hreflang]")
    index = json_index(site, lang)
    assert not any(d["location"].startswith("404") for d in index["docs"])


def json_index(site, lang):
    import json
    return json.loads((sitelib.lang_root(site, lang) / "search" / "search_index.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", LANGS)
def test_footnote_and_permalink_titles_in_the_page_language(site, lang):
    """Per-language Markdown settings (sco_report/theme_patches.py configure_markdown):
    the footnote back-links and permalinks speak the page's language."""
    from sco_report import reportdata
    ui = reportdata.ui_strings(reportdata.load(sitelib.ROOT)["ui"], lang)
    doc = soup(sitelib.lang_root(site, lang) / "challenges.html")
    notes = doc.select("div.footnote > ol > li")
    assert notes
    for n, note in enumerate(notes, 1):  # a note cited twice has two back-links, both to note n
        for link in note.select("a.footnote-backref"):
            assert link["title"] == ui["footnote_back"].format(n=n)
    permalink = doc.select_one("h2#expansion a.headerlink")
    assert permalink["title"] == ui["permalink_title"]
    assert permalink["aria-label"].startswith(ui["permalink_title"] + ": 3.4")
