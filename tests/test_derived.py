"""The Traditional Chinese edition is converted from the Simplified one at
every build (sco_report/derive.py): nothing Simplified left in it, every page
there with the same ids, its language tagged, and no page of it stored."""

from __future__ import annotations

import re

import opencc
import pytest
from bs4 import BeautifulSoup

import sitelib
from sco_report import languages, reportdata

DERIVED = [lang.code for lang in languages.LANGUAGES if lang.derived_from]
CONVERT = reportdata.load(sitelib.ROOT)["convert"]


def leftovers(text: str, lang: str) -> list[str]:
    """Where a text is not what converting its own Simplified form gives:
    a Simplified character left, or a conversion the overrides do not
    account for. Characters both scripts write (干涉, 批准) pass, since
    converting back and forth keeps them."""
    conv = CONVERT[lang]
    masked = text
    for trad in conv.overrides.values():
        masked = masked.replace(trad, "\u3007" * len(trad))
    back = conv(opencc.OpenCC("t2s").convert(masked))
    return [masked[max(0, i - 6):i + 6] for i, (a, b) in enumerate(zip(masked, back)) if a != b]


def own_text(path, lang: str) -> str:
    """A page's text in its own language: not what is marked as another
    (lang=…), nor the language switcher's names of the other languages."""
    doc = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")   # not sitelib's shared, cached tree
    for el in doc.select("[lang]"):
        if not el.decomposed and el.name != "html" and el["lang"] not in (lang, languages.get(lang).tag):
            el.decompose()
    for el in doc.select("a[hreflang], script, style"):
        el.decompose()
    # and what it says in attributes: tooltips, labels, the description
    attrs = [v for el in doc.find_all(True) for k, v in el.attrs.items()
             if k in ("title", "content", "alt", "aria-label", "placeholder") and isinstance(v, str)]
    return doc.get_text(" ") + " ".join(attrs)


@pytest.mark.parametrize("lang", DERIVED)
def test_no_simplified_character_left(site, lang):
    root = sitelib.lang_root(site, lang)
    pages = sorted(root.glob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        assert leftovers(own_text(page, lang), lang) == [], page.name


def test_the_check_finds_a_simplified_character():
    lang = DERIVED[0]
    assert leftovers("上海合作組織", lang) == []
    assert leftovers("上海合作组織", lang) != []


@pytest.mark.parametrize("lang", DERIVED)
def test_every_source_page_has_its_counterpart_with_the_same_ids(site, lang):
    source = languages.source(lang)
    # (a parallel view's ids carry their column's language)
    pages = sorted(p.relative_to(sitelib.lang_root(site, source)).as_posix()
                   for p in sitelib.lang_root(site, source).glob("*.html") if not p.name.endswith(sitelib.PARALLEL))
    assert "overview.html" in pages and "404.html" in pages
    for rel in pages:
        ids = [el["id"] for el in sitelib.soup(sitelib.lang_root(site, source) / rel).select("article [id]")]
        # (a figure's ids carry its language's code)
        theirs = [re.sub(f"-{lang}(?=-|$)", f"-{source}", el["id"])
                  for el in sitelib.soup(sitelib.lang_root(site, lang) / rel).select("article [id]")]
        assert theirs == ids, rel


@pytest.mark.parametrize("lang", languages.CODES)
def test_pages_carry_the_language_tag(site, lang):
    tag = languages.get(lang).tag
    for rel in ("index.html", "challenges.html", "404.html"):
        doc = sitelib.soup(sitelib.lang_root(site, lang) / rel)
        assert doc.html["lang"] == tag, rel
    doc = sitelib.soup(sitelib.lang_root(site, lang) / "challenges.html")
    assert doc.select_one('meta[property="og:locale"]')["content"] == languages.get(lang).og_locale
    alternates = {m["content"] for m in doc.select('meta[property="og:locale:alternate"]')}
    assert alternates == {languages.get(o).og_locale for o in languages.others(lang)}


def test_sitemap_pairs_every_page_by_tag(site):
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for block in re.findall(r"<url>.*?</url>", sitemap, re.S):
        tags = re.findall(r'hreflang="([^"]+)"', block)
        assert sorted(tags) == sorted([lang.tag for lang in languages.LANGUAGES] + ["x-default"]), block
    assert "/zh-Hant/challenges.html" in sitemap


def test_search_entries_keep_their_word_boundaries():
    from sco_report import search
    lang = DERIVED[0]
    docs = [{"location": "challenges.html#expansion", "title": "扩员\u200b带来\u200b新\u200b问题",
             "text": "<p>取得\u200b的\u200b成就\u200b和\u200b面临\u200b的\u200b挑战</p>"}]
    (doc,) = search.derived_docs(docs, CONVERT[lang])
    assert doc["title"] == "擴員\u200b帶來\u200b新\u200b問題"
    assert doc["text"] == "<p>取得\u200b的\u200b成就\u200b和\u200b面臨\u200b的\u200b挑戰</p>"   # an override across a boundary
    assert doc["location"] == docs[0]["location"]


def test_an_override_that_changes_the_length_is_refused_in_one_line():
    from sco_report import derive
    from sco_report.schema import DataError
    lang = DERIVED[0]
    with pytest.raises(DataError, match=rf"^data/opencc-overrides.yml \[{lang}\]: '发布: 發布了' must be"):
        derive.converters({lang: {"发布": "發布了"}})
    with pytest.raises(DataError, match=r"^data/opencc-overrides.yml \[xx\]: no derived language"):
        derive.converters({"xx": {}})
