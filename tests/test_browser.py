"""Behaviour in a real browser (system Chromium), both languages, once over
HTTP and once from the unzipped offline bundle on disk."""

from __future__ import annotations

import time

import pytest

from browserlib import open_tab

pytestmark = pytest.mark.browser

PREFIX = {"zh": "", "en": "en/"}
CHAPTER_H1 = {"zh": "3 发展面临的挑战", "en": "3 Challenges"}
SEARCH = {"zh": ("上海精神", "framework.html"), "en": ("Shanghai Spirit", "framework.html")}


def h1(page) -> str:
    return page.locator("article h1").first.inner_text().replace("¶", "").strip()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_read_navigate_switch(browser, root, lang):
    with open_tab(browser, root) as tab:
        page = tab.goto(PREFIX[lang] + "challenges.html")
        assert page.locator("html").get_attribute("lang") == lang
        assert h1(page) == CHAPTER_H1[lang]
        assert page.locator("article h2#expansion").count() == 1

        # into another chapter through the navigation
        page.locator("nav.md-nav--primary a[href$='framework.html']").first.click()
        page.wait_for_url("**/framework.html")
        assert page.locator("article h2#two-carriages").count() == 1

        # the switcher leads to the same page in the other language
        other = "en" if lang == "zh" else "zh"
        page.locator(".md-header__option .md-select").first.hover()
        page.locator(f"a.md-select__link[hreflang={other}]").click()
        page.wait_for_url(f"{tab.root}{PREFIX[other]}framework.html*")
        assert page.locator("html").get_attribute("lang") == other
        assert page.locator("article h2#two-carriages").count() == 1

        assert tab.outside() == []
        assert tab.errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_search_finds_the_framework_page(browser, root, lang):
    query, target = SEARCH[lang]
    with open_tab(browser, root) as tab:
        tab.goto(PREFIX[lang] + "index.html")
        start = time.monotonic()
        hrefs = tab.search(query)
        assert time.monotonic() - start < 3, "first results took more than 3 s"
        pages = [h.split("#")[0].split("?")[0] for h in hrefs]
        assert any(p.endswith(PREFIX[lang] + target) for p in pages), hrefs
        # results stay in the reader's language
        if lang == "zh":
            assert not any("/en/" in p for p in pages), hrefs
        else:
            assert all("/en/" in p for p in pages), hrefs
        assert tab.outside() == []
        assert tab.errors == []


def test_search_loads_only_when_opened(browser, http_root):
    """A reader who never searches downloads neither the search worker nor
    the index (nor sitemaps, nor anything not needed to read the page)."""
    with open_tab(browser, http_root) as tab:
        page = tab.goto("challenges.html")
        page.wait_for_timeout(800)
        loaded = [u[len(http_root):] for u in tab.requests]
        assert not any(("search" in u or "lunr" in u or "sitemap" in u) for u in loaded), loaded
        assert len(loaded) <= 10, loaded
        hrefs = tab.search("上海精神")
        assert hrefs
        assert any(u.endswith("search/search_index.json") for u in tab.requests)
        assert tab.errors == []
