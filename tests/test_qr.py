"""The cite box's QR code of the section link (issue 27, point 4), in the real
browser: it reads back, from a screenshot, as the chosen section's published
URL, in both colour schemes, over HTTP and from disk; its library (vendored,
docs/assets/javascripts/qrcode-generator.js) is loaded only when a reader
asks for the code; the code's text alternative and the text beside it are
that URL, and the link can be copied. (axe on the opened code: test_a11y.py.)"""

from __future__ import annotations

import io

import pytest

from sco_report import reportdata as rd
import sitelib
from sco_report import languages
from browserlib import open_tab

pytestmark = pytest.mark.browser

PREFIX = {lang: languages.prefix(lang) for lang in languages.CODES}
UI = rd.load(sitelib.ROOT)["ui"]
LIBRARY = "assets/javascripts/qrcode-generator.js"
CLIPBOARD = ["clipboard-read", "clipboard-write"]


def decode(locator) -> str:
    """The text of the one QR code in a screenshot of the element, as a
    phone's reader (zxing-cpp) finds it."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    image = Image.open(io.BytesIO(locator.screenshot())).convert("L")
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, f"{len(found)} QR codes found"
    return found[0].text


def library_requests(tab) -> list[str]:
    return [u for u in tab.requests if u.split("?")[0].endswith(LIBRARY)]


def open_qr(page):
    """The cite box opened, then its QR code, with the mouse."""
    page.locator("summary.rpt-cite__summary").click()
    button = page.locator(".rpt-cite__qr > button[aria-controls]")
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    code = page.locator("#rpt-cite-qr svg[role=img]")
    code.wait_for(state="visible")
    return button, code


def wait_drawn(page, url: str):
    """Until the code in the page is the one of `url` (drawn once the library is in)."""
    page.wait_for_function("url => { const svg = document.querySelector('#rpt-cite-qr svg[role=img]');"
                           " return !!svg && svg.getAttribute('aria-label') === url; }", arg=url)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", sitelib.LANGS)
def test_qr_code_reads_as_the_section_link(browser, root, lang, scheme):
    with open_tab(browser, root, color_scheme=scheme) as tab:
        page = tab.goto(PREFIX[lang] + "challenges.html#expansion")
        page.wait_for_load_state("networkidle")
        canonical = page.locator("link[rel=canonical]").get_attribute("href")
        assert canonical == f"{sitelib.SITE_URL}{PREFIX[lang]}challenges.html"
        assert library_requests(tab) == [], "loaded before it was asked for"
        button, code = open_qr(page)
        assert button.inner_text() == UI["cite_qr"][lang]
        url = canonical + "#expansion"
        wait_drawn(page, url)
        assert decode(code) == url
        # its text alternative, and the text beside it, are the URL
        assert code.get_attribute("aria-label") == url
        assert page.locator("#rpt-cite-qr .rpt-cite__qr-url").inner_text() == url
        # big enough for a phone across a desk, on white in either scheme
        box = code.bounding_box()
        assert box["width"] >= 160 and box["height"] >= 160, box
        assert code.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 255, 255)"
        # another section, chosen by the reader: drawn anew, the library not fetched again
        page.select_option("#rpt-cite-scope", "economic-cooperation")
        url = canonical + "#economic-cooperation"
        wait_drawn(page, url)
        assert decode(code) == url
        page.select_option("#rpt-cite-scope", "")
        wait_drawn(page, canonical)
        assert decode(code) == canonical
        assert len(library_requests(tab)) == 1
        assert tab.errors == [] and tab.outside() == []


def test_qr_costs_nothing_until_asked_for(browser, http_root, site):
    """A cold page names no QR library; a reader who opens the cite box and
    chooses sections without asking for the code downloads nothing more."""
    html = (site / "challenges.html").read_text(encoding="utf-8")
    assert "qrcode" not in html
    with open_tab(browser, http_root) as tab:
        page = tab.goto("challenges.html")
        page.wait_for_load_state("networkidle")
        before = list(tab.requests)
        page.locator("summary.rpt-cite__summary").click()
        page.select_option("#rpt-cite-scope", "expansion")
        page.wait_for_timeout(300)
        assert tab.requests == before
        assert page.locator("#rpt-cite-qr").is_hidden()
        assert page.locator("#rpt-cite-qr svg").count() == 0
        assert tab.errors == []


@pytest.mark.parametrize("lang", sitelib.LANGS)
def test_qr_from_the_keyboard_and_its_link_copied(browser, http_root, lang):
    with open_tab(browser, http_root, permissions=CLIPBOARD) as tab:
        page = tab.goto(PREFIX[lang] + "challenges.html")
        page.locator("summary.rpt-cite__summary").focus()
        page.keyboard.press("Enter")                      # the cite box opens
        page.locator("#rpt-cite-scope").focus()
        page.keyboard.press("Tab")                        # the next stop is the QR button
        button = page.locator(".rpt-cite__qr > button")
        assert button.evaluate("el => el === document.activeElement")
        assert button.get_attribute("aria-controls") == "rpt-cite-qr"
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-expanded") == "true"
        canonical = page.locator("link[rel=canonical]").get_attribute("href")
        wait_drawn(page, canonical)
        page.keyboard.press("Tab")                        # on to the copy button
        copy = page.locator("#rpt-cite-qr button")
        assert copy.evaluate("el => el === document.activeElement")
        assert copy.inner_text() == UI["link_copy"][lang]
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelector('.rpt-toast[role=status]').textContent.length > 0")
        assert page.locator(".rpt-toast[role=status]").inner_text() == UI["page_link_copied"][lang]
        assert page.evaluate("navigator.clipboard.readText()") == canonical
        button.focus()
        page.keyboard.press(" ")                          # closed again
        assert button.get_attribute("aria-expanded") == "false"
        assert page.locator("#rpt-cite-qr").is_hidden()
        assert tab.errors == []
