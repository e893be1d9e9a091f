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
    prefix = "" if lang == "zh" else "en/"
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


def test_the_parts_cover_every_page(site):
    for lang in sitelib.LANGS:
        parts = [pages(site, lang)[part::PARTS] for part in range(PARTS)]
        assert sorted(sum(parts, [])) == sorted(pages(site, lang)) and all(parts)


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
