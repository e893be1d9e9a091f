"""Shared fixtures.

- `site`: the site, built once per session, strictly, exactly as `make build`
  (PDFs included).
- `browser`: the system Chromium driven by Playwright (no browser download).
  Found via $CHROMIUM or on PATH; without it browser tests skip with a reason,
  except under CI=true, where they fail.
- `http_root` / `disk_root`: the built site over HTTP on 127.0.0.1 (a server
  started and stopped here), and the offline zip unpacked and opened from disk.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import threading
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

import sitelib  # noqa: E402


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = sitelib.build(sitelib.ROOT, out, pdf=True)
    if result.returncode != 0:
        pytest.fail("mkdocs build --strict failed:\n" + result.stderr[-3000:], pytrace=False)
    return out


# --- browser ---------------------------------------------------------------------

def chromium_executable() -> str | None:
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM_ARGS = [
    "--headless=new", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-features=Translate,OptimizationHints,MediaRouter",
]


@pytest.fixture(scope="session")
def browser():
    exe = chromium_executable()
    if exe is None:
        reason = "no Chromium found: install Debian's chromium or set CHROMIUM=/path/to/chrome"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    args = CHROMIUM_ARGS + (["--no-sandbox"] if os.geteuid() == 0 else [])
    browser = playwright.chromium.launch(executable_path=exe, args=args)
    yield browser
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

SUBPATH = "/sco-report/"


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
def subpath(tmp_path_factory):
    """(root URL, site dir): the site built with SITE_URL on a sub-path and
    served there. The port is bound first so that SITE_URL can name it."""
    out = tmp_path_factory.mktemp("subpath-site")
    handler = type("Handler", (_SubPathHandler,), {"site": out})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    root = f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"
    result = sitelib.build(sitelib.ROOT, out, env={"SITE_URL": root})
    if result.returncode != 0:
        server.server_close()
        pytest.fail("build with SITE_URL failed:\n" + result.stderr[-3000:], pytrace=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, out
    server.shutdown()
    server.server_close()
