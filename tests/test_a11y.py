"""Accessibility: axe-core on every page of both languages, at desktop and
phone widths, in the real browser. Zero violations; no rule is disabled."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

import sitelib
from browserlib import open_tab

pytestmark = pytest.mark.browser

AXE = Axe()
WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}


def pages(site):
    out = []
    for lang, prefix in (("zh", ""), ("en", "en/")):
        rels = sitelib.content_pages(site, lang) + sitelib.parallel_pages(site, lang) + ["404.html"]
        out += [(lang, prefix + rel) for rel in rels]
    return out


@pytest.mark.parametrize("width", WIDTHS)
def test_no_axe_violations(browser, http_root, site, width):
    w, h = WIDTHS[width]
    found = {}
    with open_tab(browser, http_root, w, h) as tab:
        for lang, rel in pages(site):
            tab.goto(rel)
            results = AXE.run(tab.page)
            if results.violations_count:
                found[rel] = [
                    f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
                    for v in results.response["violations"]]
    assert found == {}
