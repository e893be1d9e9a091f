"""Search ranks what a reader means: the name of a place, person, document or
body finds first the place that treats it (its timeline row, its glossary
entry, the section about it), not a page that mentions it in passing.
The glossary terms and timeline rows are search entries of their own
(sco_report/search.py), built from data/report.yml."""

from __future__ import annotations

import json

import pytest

import sitelib
from sco_report import languages
from browserlib import open_tab

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
