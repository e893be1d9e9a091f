"""Behaviour in a real browser (system Chromium), both languages, once over
HTTP and once from the unzipped offline bundle on disk."""

from __future__ import annotations

import pytest

from browserlib import cpu_load, open_tab
from sco_report import languages

pytestmark = pytest.mark.browser

PREFIX = {lang: languages.prefix(lang) for lang in languages.CODES}
OTHER = {"zh": "en", "en": "zh"}
CHAPTER_H1 = {"zh": "3 发展面临的挑战", "en": "3 Challenges"}
SEARCH = {"zh": ("上海精神", "framework.html"), "en": ("Shanghai Spirit", "framework.html"),
          "zh-Hant": ("上海精神", "framework.html")}


def h1(page) -> str:
    return page.locator("article h1").first.inner_text().replace("¶", "").strip()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_read_navigate_switch(browser, root, lang):
    with open_tab(browser, root) as tab:
        page = tab.goto(PREFIX[lang] + "challenges.html")
        assert page.locator("html").get_attribute("lang") == languages.get(lang).tag
        assert h1(page) == CHAPTER_H1[lang]
        assert page.locator("article h2#expansion").count() == 1

        # into another chapter through the navigation
        page.locator("nav.md-nav--primary a[href$='framework.html']").first.click()
        page.wait_for_url("**/framework.html")
        assert page.locator("article h2#two-carriages").count() == 1

        # the switcher leads to the same page in the other language
        other = "en" if lang == "zh" else "zh"
        tab.switch_language(other)
        assert page.url.startswith(f"{tab.root}{PREFIX[other]}framework.html")
        assert page.locator("html").get_attribute("lang") == languages.get(other).tag
        assert page.locator("article h2#two-carriages").count() == 1

        assert tab.outside() == []
        assert tab.errors == []


@pytest.mark.parametrize("lang", languages.CODES)
def test_search_finds_the_framework_page(browser, root, lang):
    query, target = SEARCH[lang]
    with open_tab(browser, root) as tab:
        tab.goto(PREFIX[lang] + "index.html")
        hrefs = tab.search(query)  # waits for the first result (how fast: make bench)
        pages = [h.split("#")[0].split("?")[0] for h in hrefs]
        assert any(p.endswith(PREFIX[lang] + target) for p in pages), hrefs
        # results stay in the reader's language
        folders = {o: f"/{PREFIX[o]}" for o in languages.others(languages.DEFAULT)}
        for other, folder in folders.items():
            assert all((folder in p) == (other == lang) for p in pages), (other, hrefs)
        assert tab.outside() == []
        assert tab.errors == []


def test_search_loads_only_when_opened(browser, http_root):
    """A reader who never searches downloads neither the search worker nor
    the index (nor sitemaps, nor anything not needed to read the page)."""
    with open_tab(browser, http_root) as tab:
        page = tab.goto("challenges.html")
        page.wait_for_load_state("networkidle")  # all it loads by itself, it has loaded
        loaded = [u[len(http_root):] for u in tab.requests]
        assert not any(("search" in u or "lunr" in u or "sitemap" in u) for u in loaded), loaded
        assert len(loaded) <= 10, loaded
        hrefs = tab.search("上海精神")
        assert hrefs
        assert any(u.endswith("search/search_index.json") for u in tab.requests)
        assert tab.errors == []


SWITCHES = 20  # in each direction


@pytest.mark.stress  # `make stress`, run by .ci/run: minutes of a busy CPU
def test_switch_right_after_opening_a_section_under_cpu_load(browser, root):
    """Open a chapter at #expansion and switch language at once (hover the
    switcher, click the other language), on a slowed, busy CPU: the other
    language must open at #expansion, SWITCHES times in a row each way.
    Each switch lands on the page the next one starts from (en, zh, en...).
    Before site.js trusted the address over the scroll position, a scroll
    that was not the reader's (Playwright retrying a click whose target was
    still fading in scrolls the page up) sent 3 to 6 of 10, and 10 to 14 of
    20, switches in each direction one or two sections early
    (#bilateral-multilateral, #security-cooperation), over HTTP and from disk.
    It takes about two minutes per root: each switch loads a page and waits
    out Playwright's click retries on a CPU slowed six times."""
    landed = {"en": [], "zh": []}  # where each switch from that language led
    with open_tab(browser, root) as tab:
        page = tab.page
        with cpu_load(page):
            lang = "en"
            tab.goto(PREFIX[lang] + "challenges.html#expansion")
            for _ in range(2 * SWITCHES):
                other = OTHER[lang]
                page.locator(".md-header__option .md-select").first.hover()
                page.locator(f"a.md-select__link[hreflang={other}]").click()
                page.wait_for_url(f"{root}{PREFIX[other]}challenges.html*", wait_until="commit")
                section = page.url.partition("#")[2]
                landed[lang].append(section)
                if section != "expansion":  # start the next switch where it should
                    page.goto(f"{root}{PREFIX[other]}challenges.html#expansion")
                page.wait_for_load_state("load")
                lang = other
        assert page.locator("html").get_attribute("lang") == lang
        assert tab.errors == []
    wrong = {lang: [s for s in sections if s != "expansion"] for lang, sections in landed.items()}
    assert wrong == {"en": [], "zh": []}, \
        f"en→zh: {len(wrong['en'])} of {SWITCHES} wrong, zh→en: {len(wrong['zh'])} of {SWITCHES} wrong: {wrong}"


def test_switch_keeps_the_section_through_every_language_and_back(browser, root):
    """From each language to the next, then back to the first, at
    #expansion: every language opens there, its own tag on the page."""
    order = list(languages.CODES) + [languages.CODES[0]]
    with open_tab(browser, root) as tab:
        page = tab.goto(PREFIX[order[0]] + "challenges.html#expansion")
        for to in order[1:]:
            tab.switch_language(to)
            page.wait_for_url(f"{tab.root}{PREFIX[to]}challenges.html*")
            assert page.url.endswith(f"{PREFIX[to]}challenges.html#expansion"), (to, page.url)
            assert page.locator("html").get_attribute("lang") == languages.get(to).tag
            page.wait_for_load_state("load")
        assert tab.outside() == []
        assert tab.errors == []


def switch_href(page, to: str) -> str:
    return page.locator(f"a.md-select__link[hreflang={to}]").get_attribute("href")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_switch_follows_only_the_readers_own_scrolling(browser, root, lang):
    """Scrolls the reader did not make leave the linked section in place;
    the reader's own (wheel, keys) move it."""
    other = OTHER[lang]
    with open_tab(browser, root) as tab:
        page = tab.goto(PREFIX[lang] + "challenges.html#expansion")
        assert switch_href(page, other).endswith("challenges.html#expansion")
        # a script scrolls to another section: still #expansion
        page.evaluate("document.getElementById('security-cooperation').scrollIntoView()")
        page.wait_for_function("document.getElementById('security-cooperation').getBoundingClientRect().top < 100")
        page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        assert switch_href(page, other).endswith("challenges.html#expansion")
        # the reader turns the wheel a little there: the section in view
        page.mouse.move(600, 500)
        page.mouse.wheel(0, 60)
        page.wait_for_function(
            f"document.querySelector('a.md-select__link[hreflang={other}]').getAttribute('href').endsWith('#security-cooperation')")
        # and goes back to the start with the keyboard: no section
        page.keyboard.press("Home")
        page.wait_for_function(
            f"!document.querySelector('a.md-select__link[hreflang={other}]').getAttribute('href').includes('#')")
        # a link in the page names a section again, even after the reader scrolled
        page.locator(".md-sidebar--secondary a[href='#expansion']").click()
        page.wait_for_function(
            f"document.querySelector('a.md-select__link[hreflang={other}]').getAttribute('href').endsWith('#expansion')")
        assert tab.errors == []


TIP = "#rpt-tip"
NOTE_TEXT = """ref => {
    const note = document.getElementById(decodeURIComponent(ref.getAttribute('href').slice(1))).cloneNode(true);
    note.querySelectorAll('.footnote-backref').forEach(a => a.remove());
    return note.textContent.replace(/\\s+/g, ' ').trim();
}"""


def tip_text(page) -> str:
    return " ".join(page.locator(TIP).inner_text().split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explanations_show_on_hover_and_focus(browser, root, lang):
    """Abbreviations and note references explain themselves to the mouse and
    the keyboard; nothing is built for them before they are first used."""
    with open_tab(browser, root) as tab:
        page = tab.goto(PREFIX[lang] + "challenges.html")
        assert page.locator(f"{TIP}, .md-tooltip2, .md-tooltip").count() == 0
        abbr = page.locator("article abbr").first  # every one has a title
        title = abbr.get_attribute("title")
        assert title and abbr.get_attribute("tabindex") == "0"  # reachable with Tab

        abbr.hover()
        page.locator(TIP).wait_for(state="visible")
        assert tip_text(page) == title
        assert abbr.get_attribute("aria-describedby") == "rpt-tip"
        page.mouse.move(5, 400)  # away, over nothing that explains
        page.locator(TIP).wait_for(state="hidden")
        assert abbr.get_attribute("title") == title  # still there for screen readers
        assert abbr.get_attribute("aria-describedby") is None

        abbr.focus()
        page.locator(TIP).wait_for(state="visible")
        assert tip_text(page) == title
        page.keyboard.press("Escape")  # dismissed without moving focus
        page.locator(TIP).wait_for(state="hidden")

        ref = page.locator("article a.footnote-ref").nth(1)
        note = ref.evaluate(NOTE_TEXT)
        assert len(note) > 20
        ref.hover()
        page.wait_for_function(f"document.querySelector('{TIP}').textContent.trim().length > 0")
        page.locator(TIP).wait_for(state="visible")
        assert tip_text(page) == note
        page.mouse.move(5, 400)
        page.locator(TIP).wait_for(state="hidden")
        ref.focus()
        page.locator(TIP).wait_for(state="visible")
        assert tip_text(page) == note
        assert ref.get_attribute("aria-describedby") == "rpt-tip"
        page.keyboard.press("Tab")  # focus moves on: the note goes (the next stop may explain itself)
        ref.evaluate("""ref => new Promise(done => { const check = () =>
            document.activeElement !== ref && !ref.hasAttribute('aria-describedby')
            && (document.querySelector('#rpt-tip').hidden
                || document.activeElement.getAttribute('aria-describedby') === 'rpt-tip')
            ? done() : requestAnimationFrame(check); check() })""")
        assert ref.evaluate("ref => !ref.hasAttribute('aria-describedby')")
        assert tab.errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explanations_show_on_tap(browser, root, lang):
    """On a touch screen a tap shows the explanation; a second tap on a note
    reference follows it to the note."""
    with open_tab(browser, root, width=412, height=823, has_touch=True, is_mobile=True) as tab:
        page = tab.goto(PREFIX[lang] + "challenges.html")
        abbr = page.locator("article abbr").first  # every one has a title
        title = abbr.get_attribute("title")
        abbr.tap()
        page.locator(TIP).wait_for(state="visible")
        assert tip_text(page) == title

        ref = page.locator("article a.footnote-ref").nth(1)
        note = ref.evaluate(NOTE_TEXT)
        href = ref.get_attribute("href")
        ref.tap()
        page.wait_for_function(f"document.querySelector('{TIP}').textContent.trim().length > 20")
        assert tip_text(page) == note
        assert "#" not in page.url  # the first tap stayed in the text
        ref.tap()
        page.wait_for_url(f"**/challenges.html{href}")
        page.locator(TIP).wait_for(state="hidden")
        assert tab.errors == []


SCHEME = "document.body.getAttribute('data-md-color-scheme')"


@pytest.mark.parametrize("prefers", ["light", "dark"])
def test_colour_scheme_switch(browser, root, prefers):
    """The first visit follows the system's preference; the switch (mouse or
    keyboard) changes the scheme, and the choice holds on the next page."""
    first, other = ("default", "slate") if prefers == "light" else ("slate", "default")
    with open_tab(browser, root, color_scheme=prefers) as tab:
        page = tab.goto("en/challenges.html")
        assert page.evaluate(SCHEME) == first
        toggle = page.locator("form[data-rpt-palette] label:visible")
        assert toggle.count() == 1
        toggle.click()
        page.wait_for_function(f"{SCHEME} === '{other}'")
        page = tab.goto("challenges.html")  # another page, the other language
        assert page.evaluate(SCHEME) == other
        # from the keyboard: Enter on the focused option switches back
        page.locator("form[data-rpt-palette] input").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_function(f"{SCHEME} === '{first}'")
        assert page.locator("form[data-rpt-palette] label:visible").count() == 1
        assert tab.errors == []


def test_a_shared_tab_comes_back_as_new(browser, http_root):
    """Tests share tabs (browserlib.open_tab): what one test leaves in its
    tab must not reach the next one that gets it."""
    with open_tab(browser, http_root) as tab:
        page = tab.goto("challenges.html")
        page.evaluate("localStorage.setItem('rpt-left', '1'); sessionStorage.setItem('rpt-left', '1')")
        page.context.add_cookies([{"name": "rpt-left", "value": "1", "url": http_root}])
        page.emulate_media(media="print", color_scheme="dark")
        page.context.grant_permissions(["clipboard-read"])
        page.set_viewport_size({"width": 500, "height": 400})
        tab.errors.append("left by the earlier test")
        first = tab
    with open_tab(browser, http_root) as tab:
        assert tab is first, "a tab left without an error is shared"
        assert tab.page.url == "about:blank" and tab.requests == [] and tab.errors == []
        page = tab.goto("challenges.html")
        assert page.evaluate("[localStorage.length, sessionStorage.length, document.cookie]") == [0, 0, ""]
        assert page.evaluate("matchMedia('print').matches") is False
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") is False
        assert page.evaluate("navigator.permissions.query({name: 'clipboard-read'}).then(p => p.state)") != "granted"
        assert page.viewport_size == {"width": 1280, "height": 900}
    with pytest.raises(AssertionError):
        with open_tab(browser, http_root) as tab:
            failed = tab
            raise AssertionError("a failing test")
    with open_tab(browser, http_root) as tab:
        assert tab is not failed, "a failing test's tab is closed, not shared"
