"""The built site, both languages: structure, languages, links, privacy, search.

These run on the output of the strict build (the `site` fixture)."""

from __future__ import annotations

import json
import re

import pytest

import sitelib
from sco_report import languages
from sitelib import LANGS, soup

CHAPTERS = ["index.html", "overview.html", "accomplishments.html", "challenges.html",
            "recommendations.html", "framework.html", "timeline.html", "glossary.html",
            "about.html"]


def test_same_pages_in_both_languages(site):
    zh = sitelib.content_pages(site, "zh")
    en = sitelib.content_pages(site, "en")
    assert zh == en
    assert len(zh) >= 3


@pytest.mark.parametrize("rel", ["index.html", "overview.html", "framework.html"])
def test_foundation_pages_exist(site, rel):
    for lang in LANGS:
        assert (sitelib.lang_root(site, lang) / rel).exists(), f"{lang}/{rel}"


def test_same_heading_ids_in_same_order(site):
    for rel, zh, en in sitelib.page_pairs(site):
        zh_ids, en_ids = sitelib.heading_ids(zh), sitelib.heading_ids(en)
        assert zh_ids == en_ids, rel
        assert all(hid for _, hid in zh_ids), f"{rel}: a heading has no id"


def test_internal_links_and_anchors_resolve(site):
    assert sitelib.broken_links(site) == []


@pytest.mark.parametrize("lang", LANGS)
def test_html_lang(site, lang):
    for rel in sitelib.content_pages(site, lang):
        html = soup(sitelib.lang_root(site, lang) / rel).html
        assert html["lang"] == languages.get(lang).tag, f"{lang}/{rel}"


def test_switcher_points_to_counterpart(site):
    for rel, zh, en in sitelib.page_pairs(site):
        for page, target_lang, target in ((zh, "en", en), (en, "zh", zh)):
            links = soup(page).select(f"a.md-select__link[hreflang={target_lang}]")
            assert len(links) == 1, f"{page}: one switcher link to {target_lang}"
            resolved = (page.parent / links[0]["href"].split("#")[0]).resolve()
            assert resolved == target.resolve(), f"{page} -> {links[0]['href']}"


@pytest.mark.parametrize("lang", LANGS)
def test_theme_strings_in_page_language(site, lang):
    # Material's own strings, from its partial for the language
    expected = {"zh": ("搜索", "目录"), "en": ("Search", "Table of contents"), "zh-Hant": ("搜尋", "目錄")}[lang]
    for rel in sitelib.content_pages(site, lang):
        doc = soup(sitelib.lang_root(site, lang) / rel)
        search = doc.select_one("input.md-search__input")
        assert search["placeholder"] == expected[0], f"{lang}/{rel}"
        toc = doc.select_one("nav.md-nav--secondary label.md-nav__title")
        if toc is not None:
            assert expected[1] in toc.get_text(), f"{lang}/{rel}"


@pytest.mark.parametrize("lang", LANGS)
def test_page_titles_come_from_h1(site, lang):
    for rel in sitelib.content_pages(site, lang):
        doc = soup(sitelib.lang_root(site, lang) / rel)
        h1 = doc.select_one("article h1")
        title = h1.get_text().replace("¶", "").strip()
        if rel != "index.html":
            assert doc.title.get_text().startswith(title), f"{lang}/{rel}"
        else:  # the home page is titled by the report's title alone
            assert doc.title.get_text() == title, f"{lang}/{rel}"


def test_nothing_loaded_from_outside_the_site(site):
    assert sitelib.external_resources(site) == []


def test_no_script_holds_up_the_parser(site):
    """Every script file of every page is deferred: the iframe-worker shim in
    <head>, Material's bundle and our site.js at the end of <body>."""
    found = []
    for page in sorted(site.rglob("*.html")):
        for script in soup(page).find_all("script", src=True):
            name = script["src"].rsplit("/", 1)[-1]
            if not (script.has_attr("defer") or script.has_attr("async")):
                found.append(f"{page.relative_to(site)}: {name}")
    assert found == []


def test_no_mermaid_diagram(site):
    """The one remote URL left in Material's bundle (sitelib.ALLOWED_THEME_URLS)
    is only loaded for a Mermaid diagram: there must be none."""
    for page in site.rglob("*.html"):
        doc = soup(page)
        assert not doc.select(".mermaid, code.language-mermaid, pre.mermaid"), page


@pytest.mark.parametrize("lang", LANGS)
def test_text_is_in_the_page_language(site, lang):
    problems = {}
    for rel in sitelib.content_pages(site, lang):
        found = sitelib.wrong_language(sitelib.lang_root(site, lang) / rel, lang)
        if found:
            problems[rel] = found
    assert problems == {}


def _index(site, lang):
    root = sitelib.lang_root(site, lang)
    return json.loads((root / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_each_language_has_its_own_search_index(site):
    for lang in LANGS:
        index = _index(site, lang)
        assert {d["location"].split("#")[0] for d in index["docs"]} == set(sitelib.content_pages(site, lang)), lang
        if languages.get(lang).han:
            assert all(sitelib.CJK.search(d["title"] + d["text"]) for d in index["docs"] if d["text"]), lang
        # each index holds its own language's pages only
        assert not any(d["location"].startswith(tuple(map(languages.prefix, languages.others(languages.DEFAULT))))
                       for d in index["docs"]), lang


def test_chinese_search_text_is_segmented(site):
    zh = _index(site, "zh")
    sep = re.compile(zh["config"]["separator"])
    assert sep.search("\u200b"), "the separator must split jieba's U+200B boundaries"
    text = " ".join(d["text"] for d in zh["docs"])
    assert "\u200b" in text
    tokens = {t for t in sep.split(re.sub(r"<[^>]+>", " ", text)) if t}
    assert "上海" in tokens and "精神" in tokens


def test_english_pages_search_their_own_index(site):
    for lang in languages.others(languages.DEFAULT):   # every language in a folder of its own
        folder = sitelib.lang_root(site, lang)
        for rel in sitelib.content_pages(site, lang):
            config = json.loads(soup(folder / rel).select_one("#__config").string)
            base = (folder / rel).parent / config["base"]
            assert (base.resolve() / "search" / "search_index.json") == (folder / "search" / "search_index.json").resolve()
    for rel in sitelib.content_pages(site, "zh"):
        config = json.loads(soup(site / rel).select_one("#__config").string)
        assert ((site / rel).parent / config["base"]).resolve() == site.resolve()


@pytest.mark.parametrize("lang", LANGS)
def test_text_in_another_language_is_marked_with_its_tag(site, lang):
    """A Chinese title on an English page is lang="zh-Hans", not "zh": by
    the script in the tag, a browser picks Simplified or Traditional glyphs."""
    tags = {language.tag for language in languages.LANGUAGES}
    root = sitelib.lang_root(site, lang)
    found = {el["lang"] for rel in sitelib.content_pages(site, lang) + sitelib.parallel_pages(site, lang)
             for el in sitelib.soup(root / rel).select("article [lang]")}
    assert found and found <= tags, found - tags
