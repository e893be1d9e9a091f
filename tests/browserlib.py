"""A page in the system Chromium that records what it loads and what it logs."""

from __future__ import annotations

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
        box.press_sequentially(query, delay=20)
        # Playwright inserts CJK characters as text, without the key events an
        # input method sends; Material reads the box on keyup, so end the way a
        # reader's IME commit does, with a key release that types nothing.
        box.press("Shift")
        items = page.locator(".md-search-result__item a")
        items.first.wait_for(state="attached", timeout=3000)
        return [items.nth(i).get_attribute("href") for i in range(items.count())]


@contextmanager
def open_tab(browser, root: str, width: int = 1280, height: int = 900, **kwargs):
    context = browser.new_context(viewport={"width": width, "height": height}, **kwargs)
    try:
        yield Tab(context, root)
    finally:
        context.close()
