"""Accessibility: axe-core on every page of both languages, at desktop and
phone widths, in the real browser. Zero violations; no rule is disabled.

Each page is loaded once: axe runs at the desktop width, the window is
narrowed to the phone's, and axe runs again on the laid-out page."""

from __future__ import annotations

import pytest

import sitelib
from browserlib import open_tab

pytestmark = pytest.mark.browser

# axe-core from npm, pinned in tests/package-lock.json (make test installs it)
AXE = sitelib.ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}
# axe judges the page at rest. Transitions only move between states axe
# would see anyway, and caught mid-fade a colour fails contrast: they are
# turned off, and the page is checked once laid out and done animating.
STILL = "*, *::before, *::after { transition: none !important; animation: none !important; }"
SETTLED = """Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))
    .then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))"""


PARTS = 4  # each language's pages in four tests, so that the workers share them


def pages(site, lang):
    prefix = "" if lang == sitelib.LANGS[0] else f"{lang}/"
    rels = sitelib.content_pages(site, lang) + sitelib.parallel_pages(site, lang) + ["404.html"]
    return [prefix + rel for rel in rels]


def violations(page, preload: bool) -> list[str]:
    """axe's violations on the page as it is laid out now. `preload` has axe
    fetch the stylesheets and media again for the two rules that read them
    (css-orientation-lock, no-autoplay-audio); what they read is the same at
    every width, so once a page is enough."""
    results = page.evaluate(f"axe.run(document, {{resultTypes: ['violations'], preload: {str(preload).lower()}}})")
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
            for v in results["violations"]]


def axe_script() -> str:
    sitelib.missing_tools({f"axe-core ({AXE})": AXE.exists()}, "run `make test`: it installs axe-core from npm")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize("lang", sitelib.LANGS)
def test_no_axe_violations(browser, http_root, site, lang, part):
    axe = axe_script()
    found = {}
    with open_tab(browser, http_root, *WIDTHS["desktop"]) as tab:
        for rel in pages(site, lang)[part::PARTS]:
            page = tab.goto(rel)
            page.add_style_tag(content=STILL)
            page.evaluate(axe)
            for width, size in WIDTHS.items():
                page.set_viewport_size(dict(zip(("width", "height"), size)))
                page.evaluate(SETTLED)
                found.update({f"{rel} ({width})": v for v in [violations(page, width == "desktop")] if v})
    assert found == {}


QUERY = {"zh": "上海精神", "en": "Shanghai Spirit", "zh-Hant": "上海精神"}
# what search.js offers instead
EMPTY = {"zh": "量子计算", "en": "quantum computing", "zh-Hant": "量子計算"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", sitelib.LANGS)
def test_no_axe_violations_in_what_readers_open(browser, http_root, lang, scheme):
    """What a reader opens, in each colour scheme: the cite box and its QR
    code, a tooltip, the language menu, search results and an empty result
    at desktop width;
    the navigation drawer at phone width. axe on each state as it stands."""
    axe = axe_script()
    prefix = "" if lang == sitelib.LANGS[0] else f"{lang}/"
    found = {}

    def check(state):
        page.evaluate(SETTLED)
        if v := violations(page, False):
            found[state] = v

    with open_tab(browser, http_root, *WIDTHS["desktop"], color_scheme=scheme) as tab:
        page = tab.goto(prefix + "challenges.html")
        page.add_style_tag(content=STILL)
        page.evaluate(axe)
        page.locator("summary.rpt-cite__summary").click()
        check("cite box")
        page.locator(".rpt-cite__qr > button").click()
        page.locator("#rpt-cite-qr svg[role=img]").wait_for(state="visible")
        check("QR code")
        page.locator("article abbr").first.hover()
        page.locator("#rpt-tip").wait_for(state="visible")
        check("tooltip")
        page.locator(".md-header__option .md-select").first.hover()
        page.locator("a.md-select__link").first.wait_for(state="visible")
        check("language menu")
        tab.search(QUERY[lang])
        check("search results")
        tab.search(EMPTY[lang])
        page.locator(".rpt-search-help a").first.wait_for(state="visible")
        check("empty search result")
    with open_tab(browser, http_root, *WIDTHS["phone"], color_scheme=scheme) as tab:
        page = tab.goto(prefix + "challenges.html")
        page.add_style_tag(content=STILL)
        page.evaluate(axe)
        page.locator("label.md-header__button[for=__drawer]").click()
        page.locator("nav.md-nav--primary").first.wait_for(state="visible")
        check("navigation drawer")
    assert found == {}


def test_axe_sees_violations_on_a_broken_page(browser, http_root, site):
    """The same loading and call, on a page given a faint paragraph and an
    image without alt text, reports both."""
    with open_tab(browser, http_root, *WIDTHS["phone"]) as tab:
        page = tab.goto("en/about.html")
        page.evaluate("""() => document.querySelector("article").insertAdjacentHTML("afterbegin",
            '<p style="color:#ddd;background:#fff">Faint</p><img src="assets/images/favicon.svg">')""")
        page.evaluate(axe_script())
        found = violations(page, False)
    assert [v.split(":")[0] for v in found] == ["color-contrast", "image-alt"], found
