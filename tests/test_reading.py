"""Reading, linking and citing, in the real browser: the language switch keeps
the section, permalinks copy the section's URL, the cite box, the 404 pages
on a sub-path, and print."""

from __future__ import annotations

import datetime as dt

import pytest

from sco_report import reportdata as rd
import sitelib
from sco_report import languages
from browserlib import FIXED_CLOCK, FIXED_DATE, open_tab

pytestmark = pytest.mark.browser

PREFIX = {lang: languages.prefix(lang) for lang in languages.CODES}
OTHER = {"zh": "en", "en": "zh"}
UI = rd.load(sitelib.ROOT)["ui"]


CLIPBOARD = ["clipboard-read", "clipboard-write"]


def toast(page) -> str:
    """The brief message site.js shows and announces (role=status)."""
    page.wait_for_function("document.querySelector('.rpt-toast[role=status]').textContent.length > 0")
    return page.locator(".rpt-toast[role=status]").inner_text()


def switch(tab, to):
    return tab.switch_language(to)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_switch_keeps_the_linked_section(browser, root, lang):
    with open_tab(browser, root) as tab:
        tab.goto(PREFIX[lang] + "challenges.html#expansion")
        page = switch(tab, OTHER[lang])
        assert page.url == f"{root}{PREFIX[OTHER[lang]]}challenges.html#expansion"
        assert page.locator("html").get_attribute("lang") == languages.get(OTHER[lang]).tag
        page = switch(tab, lang)  # and back
        assert page.url == f"{root}{PREFIX[lang]}challenges.html#expansion"
        assert tab.errors == [] and tab.outside() == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_switch_keeps_the_section_scrolled_to(browser, root, lang):
    with open_tab(browser, root) as tab:
        page = tab.goto(PREFIX[lang] + "challenges.html")
        # read on into 3.2 without clicking anything: its heading above the
        # reading line, the next heading well below it
        page.evaluate("""() => {
            const hs = [...document.querySelectorAll('article h2[id], article h3[id]')];
            const i = hs.findIndex(h => h.id === 'security-cooperation');
            const y = h => h.getBoundingClientRect().top + window.scrollY;
            window.scrollTo(0, (y(hs[i]) + y(hs[i + 1])) / 2 - 150);
        }""")
        page.wait_for_function(
            f"document.querySelector('a.md-select__link[hreflang={OTHER[lang]}]').getAttribute('href')"
            ".endsWith('#security-cooperation')")
        assert "#" not in page.url
        page = switch(tab, OTHER[lang])
        assert page.url == f"{root}{PREFIX[OTHER[lang]]}challenges.html#security-cooperation"
        # the other page opens at that section
        top = page.evaluate("document.getElementById('security-cooperation').getBoundingClientRect().top")
        assert 0 <= top < 200
        assert tab.errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_permalink_copies_the_section_url_and_says_so(browser, http_root, lang):
    with open_tab(browser, http_root, permissions=CLIPBOARD) as tab:
        page = tab.goto(PREFIX[lang] + "challenges.html")
        link = page.locator("h2#expansion a.headerlink")
        assert UI["permalink_title"][lang] in link.get_attribute("aria-label")
        link.focus()  # reachable from the keyboard
        page.keyboard.press("Enter")
        assert toast(page) == UI["link_copied"][lang]
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == f"{http_root}{PREFIX[lang]}challenges.html#expansion"
        assert tab.errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cite_box_completes_the_section_and_date(browser, http_root, lang):
    """The cite box (exact texts: test_citation.py) gets the section being
    read and today's date (a fixed clock); the report's citation never names this site."""
    with open_tab(browser, http_root, permissions=CLIPBOARD, init_script=FIXED_CLOCK) as tab:
        page = tab.goto(PREFIX[lang] + "challenges.html#expansion")
        summary = page.locator("summary.rpt-cite__summary")
        assert summary.inner_text() == UI["cite_summary"][lang]
        # closed, the panel is not rendered (site.css says why); open, it is
        body = page.locator("details.rpt-cite > .rpt-cite__body")
        assert body.evaluate("el => getComputedStyle(el).display") == "none"
        summary.click()
        assert body.evaluate("el => getComputedStyle(el).display") == "block"
        assert page.locator("#rpt-cite-scope").input_value() == "expansion"
        canonical = page.locator("link[rel=canonical]").get_attribute("href")
        iso = dt.date(*FIXED_DATE).isoformat()
        d = dt.date(*FIXED_DATE)
        long = f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else d.strftime("%B ") + f"{d.day}, {d.year}"
        gbt = page.locator("#rpt-cite-edition-gbt").inner_text()
        assert gbt.endswith(f"[{iso}]. {canonical}#expansion."), gbt
        apa = page.locator("#rpt-cite-edition-apa").inner_text()
        assert long in apa and apa.endswith(f"{canonical}#expansion"), apa
        bib = page.locator("#rpt-cite-edition-bibtex").inner_text()
        assert f"urldate      = {{{iso}}}" in bib and f"{canonical}#expansion}}" in bib, bib
        for form in ("gbt", "apa", "bibtex"):
            report = page.locator(f"#rpt-cite-report-{form}").inner_text()
            assert canonical.split("/")[2] not in report, report
        # another section, chosen by the reader
        page.select_option("#rpt-cite-scope", "economic-cooperation")
        assert "#economic-cooperation" in page.locator("#rpt-cite-edition-apa").inner_text()
        page.locator("button[data-rpt-copy=rpt-cite-edition-bibtex]").click()
        assert toast(page) == UI["citation_copied"][lang]
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.locator("#rpt-cite-edition-bibtex").inner_text()
        assert tab.errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_404_in_its_language_on_a_sub_path(browser, subpath, lang):
    root, _ = subpath
    with open_tab(browser, root) as tab:
        tab.expect_404 = True
        response = tab.page.goto(root + PREFIX[lang] + "no/such/deep/page.html")
        page = tab.page
        assert response.status == 404
        assert page.locator("html").get_attribute("lang") == languages.get(lang).tag
        assert page.locator("article h1").inner_text().replace("¶", "").strip() == \
            {"zh": "页面未找到", "en": "Page not found"}[lang]
        # styled (its stylesheet loaded from the sub-path), nothing failed
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        assert tab.errors == [], tab.errors
        tab.expect_404 = False
        page.locator("article a[href$='index.html']").first.click()
        page.wait_for_load_state("load")
        assert page.url == root + PREFIX[lang] + "index.html"
        assert page.locator("html").get_attribute("lang") == languages.get(lang).tag
        assert tab.errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_print_shows_the_chapter_alone_with_link_addresses(browser, http_root, lang):
    with open_tab(browser, http_root) as tab:
        page = tab.goto(PREFIX[lang] + "overview.html")
        page.emulate_media(media="print")
        for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer",
                         ".md-search", ".rpt-cite", "h2 .headerlink"):
            shown = page.evaluate(f"""() => [...document.querySelectorAll({selector!r})]
                .some(e => getComputedStyle(e).display !== 'none')""")
            assert not shown, selector
        assert page.locator("article h1").is_visible()
        assert page.locator("div.footnote").is_visible()
        # an external link in the text prints its address; notes already show theirs
        after = page.evaluate("""() => {
            const a = document.createElement('a'); a.href = 'https://example.org/x';
            a.textContent = 'x'; document.querySelector('article p').appendChild(a);
            return getComputedStyle(a, '::after').content }""")
        assert "https://example.org/x" in after
        note = page.evaluate("""() => getComputedStyle(
            document.querySelector('.footnote a[href^="http"]'), '::after').content""")
        assert note in ("none", "normal")
        assert page.evaluate("getComputedStyle(document.querySelector('article h2')).breakAfter") == "avoid"
