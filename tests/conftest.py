"""Shared fixtures.

- `site`: the site, built strictly, exactly as `make build` (PDFs included).
  `again`: the same commit built a second time (the reproducibility test).
  `subpath`: the site built with SITE_URL on a sub-path and served there.
  `preview`: the site built without an address (no SITE_URL), PDFs included.
- `browser`: the system Chromium driven by Playwright (no browser download):
  $CHROMIUM, else Debian's chromium-headless-shell, else the full browser on
  PATH. Without one, browser tests skip with a reason, except under CI=true,
  where they fail.
- `http_root` / `disk_root`: the built site over HTTP on 127.0.0.1 (a server
  started and stopped here), and the offline zip unpacked and opened from disk.

A build is made only if a collected test needs it, once per session: each
pytest-xdist worker starts, as soon as it has collected the tests, the
builds its tests need that no other worker has started yet (a claim file
decides), and runs the tests that need no site while they build. Each build
is a plain `mkdocs build` process.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import tempfile
import threading
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import browserlib  # noqa: E402
import sitelib  # noqa: E402

SUBPATH = sitelib.SUBPATH

# what the session may build: name -> (options of sitelib.Build.start, the fixtures that need it)
BUILDS = {
    "site": (dict(pdf=True, env={"SITE_URL": sitelib.SITE_URL}), {"site", "http_root", "disk_root", "bundle", "root"}),
    "subpath": (dict(pdf=False, env={"SITE_URL": sitelib.SUBPATH_SITE_URL}), {"subpath"}),
    "again": (dict(pdf=True, env={"SITE_URL": sitelib.SITE_URL}), {"again"}),
    # no address: what a build prints without one (mkdocs.yml reads SITE_URL only)
    "preview": (dict(pdf=True, env={"SITE_URL": ""}), {"preview"}),
    # the sub-path build again, with the report plugin listed first
    "reordered": (dict(pdf=False, env={"SITE_URL": sitelib.SUBPATH_SITE_URL}), {"reordered"}),
}
SITE_FIXTURES = set().union(*(needs for _, needs in BUILDS.values()))


def _builds_dir(config) -> Path:
    return Path(getattr(config, "workerinput", {}).get("rpt_builds") or config.rpt_builds)


def pytest_configure(config):
    """One folder for the session's builds, shared with the xdist workers."""
    if not hasattr(config, "workerinput"):
        config.rpt_builds = tempfile.mkdtemp(prefix="rpt-builds-")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    node.workerinput["rpt_builds"] = node.config.rpt_builds


def pytest_unconfigure(config):
    if not hasattr(config, "workerinput"):
        shutil.rmtree(config.rpt_builds, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """Start the builds the collected tests need; order the tests that need
    no built site first, while the builds run, then the longest (axe on
    every page) so that the workers end together."""
    needed = set().union(*(set(item.fixturenames) for item in items)) if items else set()
    if not config.option.collectonly:
        for name, (options, fixtures) in BUILDS.items():
            if fixtures & needed:
                _start(_builds_dir(config), name)

    def rank(item):
        if not SITE_FIXTURES & set(item.fixturenames):
            return 0
        return 1 if item.path.name == "test_a11y.py" else 2
    items.sort(key=rank)   # stable: the same order on every worker


def _start(where: Path, name: str) -> sitelib.Build:
    """One of BUILDS, started unless another worker has started it."""
    build = sitelib.Build(where / name)
    if build.claim():
        options, _ = BUILDS[name]
        config = sitelib.reordered_config(sitelib.ROOT, where / "config") if name == "reordered" else None
        build.start(sitelib.ROOT, config=config, **options)
    return build


def _built(request, name: str) -> Path:
    """The folder of one of BUILDS, once it is built (started at collection,
    or now when a fixture asks for it on its own)."""
    build = _start(_builds_dir(request.config), name)
    returncode, stderr = build.wait()
    if returncode != 0:
        pytest.fail(f"mkdocs build --strict ({name}) failed:\n" + stderr[-3000:], pytrace=False)
    return build.out


@pytest.fixture(scope="session")
def site(request) -> Path:
    return _built(request, "site")


@pytest.fixture(scope="session")
def reordered(request) -> Path:
    """The sub-path build again, with `report` first among the plugins."""
    return _built(request, "reordered")


@pytest.fixture(scope="session")
def preview(request) -> tuple[Path, str]:
    """(site dir, the build's log): the site built without SITE_URL."""
    out = _built(request, "preview")
    return out, sitelib.Build(out).log.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def again(request) -> Path:
    """The same commit built again, into another folder, with the PDFs."""
    return _built(request, "again")


# --- browser ---------------------------------------------------------------------

# Debian's chromium-headless-shell first: Chromium's headless build (the same
# Blink and V8 as the chromium package of the same version, without the
# browser's windowing and UI layers), which is what Playwright itself runs
# for headless tests, and cheaper than the full browser's headless mode.
# Then the full browser, which `make bench` uses (it measures what readers'
# browsers do).
CHROMIUM_NAMES = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium_executable() -> str | None:
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


# Playwright adds the rest: --headless (the full browser's headless mode, or
# the shell's only one), no first run, background networking, component
# updates, sync or default apps, and its own --disable-features list, which a
# second --disable-features here would replace (the last one wins).
CHROMIUM_ARGS = ["--disable-gpu", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    exe = chromium_executable()
    if exe is None:
        sitelib.skip_or_fail("no Chromium found: install Debian's chromium or set CHROMIUM=/path/to/chrome")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    args = CHROMIUM_ARGS + (["--no-sandbox"] if getattr(os, "geteuid", lambda: 1)() == 0 else [])
    browser = playwright.chromium.launch(executable_path=exe, args=args)
    yield browserlib.Browser(browser)
    browser.close()
    playwright.stop()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="session")
def http_root(site):
    server = serve(site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def bundle(site) -> Path:
    zips = sorted((site / "downloads").glob("*.zip"))
    assert len(zips) == 1, zips
    return zips[0]


@pytest.fixture(scope="session")
def disk_root(bundle, tmp_path_factory) -> str:
    where = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(where)
    (top,) = list(where.iterdir())
    return top.as_uri() + "/"


@pytest.fixture(params=["http", "file"])
def root(request) -> str:
    """The site's root URL, once over HTTP and once from disk."""
    return request.getfixturevalue("http_root" if request.param == "http" else "disk_root")


# --- the site built for a sub-path, served like a static host --------------------

class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under /sco-report/ and, like a static host configured
    with error pages, answers a missing address with the 404 page of its
    language (the English one under /sco-report/en/)."""

    site: Path

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        path = path.split("?", 1)[0].split("#", 1)[0]
        if not path.startswith(SUBPATH):
            return str(self.site / "__nowhere__")
        return str(self.site / path[len(SUBPATH):])

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        lang_404 = "en/404.html" if self.path.startswith(SUBPATH + "en/") else "404.html"
        body = (self.site / lang_404).read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def subpath(request):
    """(root URL, site dir): the site built with SITE_URL on a sub-path
    (sitelib.SUBPATH_SITE_URL) and served at that path on 127.0.0.1."""
    out = _built(request, "subpath")
    handler = type("Handler", (_SubPathHandler,), {"site": out})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}", out
    server.shutdown()
    server.server_close()
