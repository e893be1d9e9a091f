"""A page in the system Chromium that records what it loads and what it logs."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager

import pytest

pytestmark = pytest.mark.browser


class Tab:
    def __init__(self, context, root: str):
        self.context = context
        self.root = root
        self.page = context.new_page()
        self.requests: list[str] = []
        self.expect_404 = False
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", self._failed)

    def reset(self, width: int, height: int) -> bool:
        """Back to the state of a new tab, for the next test: the page's
        storage cleared and the page left for about:blank (its timers,
        workers and listeners end with it), cookies and granted permissions
        cleared, the pointer back at (0, 0) where a new tab has it, media
        emulation and window size as a new context has them, nothing
        recorded. The HTTP cache stays, as in a reader's browser. False if
        it could not be done."""
        page = self.page
        try:
            if page.url.startswith(("http:", "file:")):
                page.evaluate("() => { try { localStorage.clear(); sessionStorage.clear(); } catch (e) {} }")
            page.goto("about:blank")
            page.mouse.move(0, 0)
            page.emulate_media(media="null", color_scheme="light")  # as a new context has them
            if page.viewport_size != {"width": width, "height": height}:
                page.set_viewport_size({"width": width, "height": height})
            self.context.clear_cookies()
            self.context.clear_permissions()
        except Exception:  # the page crashed or is gone: the caller closes it
            return False
        self.requests.clear()
        self.errors.clear()
        self.expect_404 = False
        return True

    def _console(self, msg):
        if msg.type != "error":
            return
        # A 404 page is served with status 404, which the browser logs: that
        # is the page doing its job, not an error in it.
        own_404 = "status of 404" in msg.text and msg.location.get("url") == self.page.url \
            and self.page.url.endswith(".html") and self.expect_404
        if not own_404:
            self.errors.append(f"console: {msg.text}")

    def _failed(self, request):
        # ERR_ABORTED: the page navigated away while a request was in flight
        if "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(f"request failed: {request.url} ({request.failure})")

    def goto(self, rel: str):
        self.page.goto(self.root + rel)
        self.page.wait_for_load_state("load")
        return self.page

    def switch_language(self, to: str):
        """Switch to the other language as a reader does: the pointer onto the
        switcher, then a click on the language once its menu has opened.
        Real pointer moves, not Playwright's hover() and click(): those
        scroll the page when they retry on a menu still fading in (a sticky
        header's element is "scrolled into view" by moving the page), and a
        scroll of the page is what the switcher reads when no section is
        named in the address."""
        page = self.page
        box = page.locator(".md-header__option .md-select").first.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        link = page.locator(f"a.md-select__link[hreflang={to}]")
        link.wait_for(state="visible")
        link.evaluate("a => Promise.all(a.closest('.md-select').getAnimations({subtree: true})"
                      ".map(x => x.finished.catch(() => null)))")
        box = link.bounding_box()
        with page.expect_navigation(wait_until="load"):
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        return page

    def outside(self) -> list[str]:
        """Requests to anything but the site itself."""
        ok = (self.root, "data:", "blob:", "about:")
        return [url for url in self.requests if not url.startswith(ok)]

    def search(self, query: str) -> list[str]:
        """Type a query into the header search box; return the hrefs of results."""
        page = self.page
        box = page.locator("input.md-search__input")
        if not box.is_visible():
            page.locator("label.md-search__icon[for=__search]").first.click()
        box.click()
        # what the list shows now (empty, or an earlier query's results)
        before = page.evaluate("(document.querySelector('.md-search-result__list') || {}).innerHTML || ''")
        box.fill("")
        # The whole query goes in at once, as an input method commits a
        # phrase (typing it key by key would search for every prefix and
        # replace the results while they are read). Material reads the box on
        # keyup: end as a reader's IME commit does, with a key release that
        # types nothing.
        page.keyboard.insert_text(query)
        box.press("Shift")
        page.wait_for_function("""before => {
            const list = document.querySelector('.md-search-result__list');
            return list && list.children.length > 0 && list.innerHTML !== before;
        }""", arg=before)
        return page.eval_on_selector_all(".md-search-result__item a", "els => els.map(a => a.getAttribute('href'))")


class Browser:
    """The session's Chromium (a Playwright Browser, whose methods it passes
    on), with the tabs its tests have finished with.

    A new tab costs a renderer process and a cold start of the theme's
    scripts, more CPU than most tests spend on their own.
    So a tab that a test leaves without an error is reset (see Tab.reset)
    and handed to the next test asking for the same root and settings.
    A test that fails leaves its tab to be closed."""

    def __init__(self, browser):
        self.browser = browser
        self.idle: dict[tuple, list[Tab]] = {}

    def __getattr__(self, name):
        return getattr(self.browser, name)


def _frozen(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


@contextmanager
def open_tab(browser, root: str, width: int = 1280, height: int = 900, *,
             init_script: str | None = None, color_scheme: str | None = None,
             permissions: list[str] | None = None, **kwargs):
    """A tab on `root` at width x height, a shared one if the session's
    Browser has one with these settings; kwargs go to new_context, and
    `init_script` runs before every page's own scripts. `color_scheme`
    ("light" or "dark": the system's preference) is emulated in the tab and
    `permissions` granted to it, so that such tests share tabs with the
    others (Tab.reset takes both back)."""
    idle = getattr(browser, "idle", None)
    key = None if idle is None else (root, width, height, init_script, _frozen(kwargs))
    tab = idle[key].pop() if key is not None and idle.get(key) else None
    if tab is None:
        context = browser.new_context(viewport={"width": width, "height": height}, **kwargs)
        if init_script:
            context.add_init_script(init_script)
        tab = Tab(context, root)
    if color_scheme:
        tab.page.emulate_media(color_scheme=color_scheme)
    if permissions:
        tab.context.grant_permissions(permissions)
    done = False
    try:
        yield tab
        done = True
    finally:
        if done and key is not None and tab.reset(width, height):
            idle.setdefault(key, []).append(tab)
        else:
            tab.context.close()


# A loop that keeps one core busy and ends by itself after `seconds`, so that
# nothing is left spinning even if the test process dies.
_SPIN = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"


@contextmanager
def cpu_load(page, rate: float = 6, spinners: int = 2, seconds: int = 300):
    """The page's CPU slowed `rate` times (Chrome's DevTools throttling) while
    `spinners` busy loops compete for the machine's cores, as on a slow,
    busy phone or laptop. Every loop is bounded and killed on the way out."""
    procs = [subprocess.Popen([sys.executable, "-c", _SPIN.format(seconds=seconds)])
             for _ in range(spinners)]
    cdp = None
    try:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
        yield cdp
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()
        if cdp is not None:
            try:
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
                cdp.detach()
            except Exception:  # the page may be gone already
                pass


# For tests that read a date the page takes from the clock: 27 November 2026,
# noon, whatever the day the tests run (an init script, so that such tabs
# are never shared with others).
FIXED_DATE = (2026, 11, 27)
FIXED_CLOCK = ("(() => { const now = new Date(%d, %d, %d, 12).valueOf(), Real = Date;"
               " class Fixed extends Real { constructor(...a) { super(...(a.length ? a : [now])); }"
               " static now() { return now; } }; globalThis.Date = Fixed; })();"
               % (FIXED_DATE[0], FIXED_DATE[1] - 1, FIXED_DATE[2]))
