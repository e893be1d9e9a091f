"""Search ranks what a reader means: the name of a place, person, document or
body finds first the place that treats it (its timeline row, its glossary
entry, the section about it), not a page that mentions it in passing.
The glossary terms and timeline rows are search entries of their own
(sco_report/search.py), built from data/report.yml.

It knows the report's vocabulary (docs/assets/javascripts/search.js): the
terms are words, a phrase ranks above its words apart, a query in
traditional characters or in the other language finds what the same term
finds, and an empty result says where else to look; over HTTP and from the
offline copy alike."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest

import sitelib
from sco_report import languages
from browserlib import open_tab
from sco_report import languages, reportdata, search, theme_patches

# (language, query, the first result's page, the section shown first in it)
QUERIES = [
    ("zh", "叶卡捷琳堡", "timeline.html", "timeline.html#summit-9"),        # a summit city
    ("zh", "地区反恐怖机构", "glossary.html", "glossary.html#term-rats"),    # an SCO body
    ("zh", "秘书处", "glossary.html", "glossary.html#term-secretariat"),
    ("zh", "睦邻友好合作条约", "glossary.html", "glossary.html#term-good-neighbourliness-treaty"),  # a treaty
    ("zh", "张德广", "overview.html", "overview.html#structure"),          # an official
    # the Traditional edition's index is the Simplified one's, converted (sco_report/search.py)
    ("zh-Hant", "葉卡捷琳堡", "timeline.html", "timeline.html#summit-9"),
    ("zh-Hant", "地區反恐怖機構", "glossary.html", "glossary.html#term-rats"),
    ("zh-Hant", "睦鄰友好合作條約", "glossary.html", "glossary.html#term-good-neighbourliness-treaty"),
    ("zh-Hant", "張德廣", "overview.html", "overview.html#structure"),
    ("en", "Yekaterinburg", "timeline.html", "timeline.html#summit-9"),
    ("en", "Ufa", "timeline.html", "timeline.html#summit-15"),
    ("en", "Regional Anti-Terrorist Structure", "glossary.html", "glossary.html#term-rats"),
    ("en", "Shanghai Convention", "glossary.html", "glossary.html#term-shanghai-convention"),
    ("en", "Zhang Deguang", "overview.html", "overview.html#structure"),
]


@pytest.mark.parametrize("lang", sitelib.LANGS)
def test_data_entries_point_at_real_anchors(site, lang):
    root = sitelib.lang_root(site, lang)
    index = json.loads((root / "search" / "search_index.json").read_text(encoding="utf-8"))
    data_entries = [d for d in index["docs"] if "#term-" in d["location"] or "#summit-" in d["location"]
                    or "#shanghai-five-" in d["location"]]
    assert len(data_entries) > 40
    for entry in data_entries:
        page, anchor = entry["location"].split("#")
        assert sitelib.soup(root / page).find(id=anchor) is not None, entry["location"]


@pytest.fixture(scope="module")
def search_tab(browser, http_root):
    """One tab per language, on its home page, kept for every query of this
    module: the search index loads once, as for a reader who searches twice."""
    tabs, contexts = {}, []

    def tab(lang):
        if lang not in tabs:
            contexts.append(open_tab(browser, http_root))
            tabs[lang] = contexts[-1].__enter__()
            tabs[lang].goto(languages.prefix(lang) + "index.html")
        return tabs[lang]
    yield tab
    for context in contexts:
        context.__exit__(None, None, None)


@pytest.mark.browser
@pytest.mark.parametrize("lang,query,page,section", QUERIES)
def test_a_name_finds_the_place_that_treats_it(search_tab, http_root, lang, query, page, section):
    prefix = languages.prefix(lang)
    tab = search_tab(lang)
    found = [h[len(http_root) + len(prefix):] for h in tab.search(query)]
    assert found[:2] == [page, section], found[:6]
    assert tab.errors == []


# (language, query, the first result's page, the section shown first in it).
# Run on 1.1.0 (79528c7) in the same browser, every row but the last of each
# language failed; what came first then is in its comment.
VOCABULARY = [
    ("zh", "上海精神", "framework.html", "framework.html#one-spirit"),    # a term: index.html, timeline.html
    ("zh", "兩駕馬車", "framework.html", "framework.html#two-carriages"),  # traditional script: nothing
    ("zh", "RATS", "glossary.html", "glossary.html#term-rats"),           # English: nothing
    ("zh", "Qingdao", "timeline.html", "timeline.html#summit-18"),        # accomplishments.html
    ("zh", "Shanghai Spirit", "framework.html", "framework.html#one-spirit"),  # glossary.html
    ("zh", "安全合作", "challenges.html", "challenges.html#security-cooperation"),  # a phrase: glossary.html#term-security-concept
    ("zh", "地区反恐怖机构", "glossary.html", "glossary.html#term-rats"),  # right then too
    ("en", "上海精神", "framework.html", "framework.html#one-spirit"),    # Chinese: glossary.html
    ("en", "兩駕馬車", "framework.html", "framework.html#two-carriages"),  # traditional script: nothing
    ("en", "economic belt", "glossary.html", "glossary.html#term-silk-road-economic-belt"),  # a phrase: framework.html
    ("en", "Shanghai Spirit", "framework.html", "framework.html#one-spirit"),  # right then too
    # the Traditional edition (issue 26) with a simplified query, and in English
    ("zh-Hant", "两驾马车", "framework.html", "framework.html#two-carriages"),
    ("zh-Hant", "RATS", "glossary.html", "glossary.html#term-rats"),
]
# a query in traditional characters and the same in simplified ones
SCRIPTS = [("zh", "兩駕馬車", "两驾马车"), ("zh", "上合組織", "上合组织"), ("zh", "地區反恐怖機構", "地区反恐怖机构"),
           ("en", "兩駕馬車", "两驾马车"), ("zh-Hant", "两驾马车", "兩駕馬車")]
# nothing in either edition; and a name only the other edition spells
EMPTY = {"zh": "量子计算", "en": "quantum computing", "zh-Hant": "量子計算"}
ELSEWHERE = {"zh": ("Zhang Deguang", "overview.html#structure"), "en": ("张德广", "overview.html#structure"),
             "zh-Hant": ("Zhang Deguang", "overview.html#structure")}


def _elsewhere(lang: str) -> list[str]:
    """The editions an empty result offers: those with other pages, not one
    converted from the same text."""
    return [o for o in languages.others(lang) if languages.source(o) != languages.source(lang)]


@pytest.fixture(scope="module")
def tabs(browser, request):
    """One tab per (root, language), on its home page, kept for the module."""
    made, contexts = {}, []

    def tab(where, lang):
        if (where, lang) not in made:
            root = request.getfixturevalue("http_root" if where == "http" else "disk_root")
            contexts.append(open_tab(browser, root))
            made[where, lang] = contexts[-1].__enter__()
            made[where, lang].goto(languages.prefix(lang) + "index.html")
        return made[where, lang]
    yield tab
    for context in contexts:
        context.__exit__(None, None, None)


def _found(tab, lang, query):
    """The results' links, relative to the language's folder. The list is
    emptied first: two queries in a row may rightly give the same list
    (RATS and 地区反恐怖机构), which Tab.search would wait to change."""
    tab.page.evaluate("() => { const l = document.querySelector('.md-search-result__list'); if (l) l.innerHTML = ''; }")
    start = len(tab.root) + len(languages.prefix(lang))
    return [h[start:] if h.startswith(tab.root) else h for h in tab.search(query)]


def _pages_holding(site, lang, phrase) -> set[str]:
    """The pages whose search entries have the phrase (as a reader sees it)."""
    index = json.loads((sitelib.lang_root(site, lang) / theme_patches.SEARCH_INDEX).read_text(encoding="utf-8"))
    return {doc["location"].split("#")[0] for doc in index["docs"]
            if phrase.lower() in re.sub(r"<[^>]+>|\u200b", "", doc["title"] + " " + doc["text"]).lower()}


@pytest.mark.browser
@pytest.mark.parametrize("where", ["http", "disk"])
@pytest.mark.parametrize("lang,query,page,section", VOCABULARY)
def test_the_report_vocabulary_finds_the_section_that_treats_it(tabs, site, where, lang, query, page, section):
    tab = tabs(where, lang)
    found = _found(tab, lang, query)
    assert found[:2] == [page, section], found[:6]
    assert tab.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("lang,phrase", [("zh", "上海精神"), ("zh", "安全合作"), ("en", "economic belt")])
def test_pages_with_the_whole_phrase_come_first(browser, http_root, site, lang, phrase):
    """Every page whose text has the whole term or phrase ranks above every
    page that has only a part of it."""
    holding = _pages_holding(site, lang, phrase)
    with open_tab(browser, http_root) as tab:
        tab.goto(languages.prefix(lang) + "index.html")
        pages = list(dict.fromkeys(h.split("#")[0] for h in _found(tab, lang, phrase)))
    marks = [p in holding for p in pages]
    assert marks == sorted(marks, reverse=True) and marks[0], list(zip(pages, marks))


@pytest.mark.browser
@pytest.mark.parametrize("where", ["http", "disk"])
@pytest.mark.parametrize("lang,traditional,simplified", SCRIPTS)
def test_traditional_script_finds_what_simplified_finds(browser, request, where, lang, traditional, simplified):
    """The same results in the same order (each the first query of a tab:
    the converter loads at the traditional one)."""
    root = request.getfixturevalue("http_root" if where == "http" else "disk_root")
    found = []
    for query in (traditional, simplified):
        with open_tab(browser, root) as tab:
            tab.goto(languages.prefix(lang) + "index.html")
            found.append(_found(tab, lang, query))
            assert tab.errors == []
    assert found[0] and found[0] == found[1]


@pytest.mark.browser
@pytest.mark.parametrize("where", ["http", "disk"])
@pytest.mark.parametrize("lang", sitelib.LANGS)
def test_an_empty_result_offers_the_other_edition_and_the_glossary(tabs, where, lang):
    tab = tabs(where, lang)
    query = EMPTY[lang]
    assert _found(tab, lang, query) == []
    offers = tab.page.eval_on_selector_all(".rpt-search-help a", "els => els.map(a => [a.href, a.textContent])")
    assert [href for href, _ in offers] == [
        *(f"{tab.root}{languages.prefix(other)}index.html?{urlencode({'q': query})}" for other in _elsewhere(lang)),
        f"{tab.root}{languages.prefix(lang)}{search.GLOSSARY}"]
    assert query in offers[0][1]
    assert tab.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("where", ["http", "disk"])
@pytest.mark.parametrize("lang", sitelib.LANGS)
def test_the_other_edition_link_searches_there(tabs, where, lang):
    """A name only the other edition spells: its link opens that edition
    with the query searched, the treating section first."""
    tab = tabs(where, lang)
    query, section = ELSEWHERE[lang]
    other = _elsewhere(lang)[0]
    assert _found(tab, lang, query) == []
    page = tab.page
    page.locator(".rpt-search-help a").first.click()
    page.wait_for_function("""() => document.querySelectorAll('.md-search-result__item').length > 0""")
    hrefs = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(a => a.getAttribute('href'))")
    start = len(tab.root) + len(languages.prefix(other))
    assert [h[start:] for h in hrefs][1] == section, hrefs[:4]
    assert tab.errors == []
    page.goto(tab.root + languages.prefix(lang) + "index.html")   # the next test's tab on its own page


def test_the_terms_are_words_of_the_index(site):
    """Every glossary name that occurs in the Chinese text is one word of
    the index there (jieba's dictionary), never cut in two."""
    data = reportdata.load(sitelib.ROOT)["report"]
    words = search.dictionary_words(data)
    assert "上海精神" in words and "两驾马车" in words and "地区反恐怖机构" in words
    lang = sitelib.LANGS[0]
    index = json.loads((sitelib.lang_root(site, lang) / theme_patches.SEARCH_INDEX).read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    cut, seen = [], 0
    for doc in index["docs"]:
        text = re.sub(r"<[^>]+>", "", doc["title"] + " " + doc["text"])
        tokens = [t for t in separator.split(text) if t]
        for word in words:
            if word in text.replace(theme_patches.SEARCH_WORD_BREAK, ""):
                seen += 1
                if not any(word in token for token in tokens):
                    cut.append((doc["location"], word))
    assert seen > 50 and cut == []
