"""Shared fixtures.

- `site`: the site, built once per session, strictly, exactly as `make build`
  (PDFs included). `again`: the same commit built a second time (for the
  reproducibility test). `subpath`: the site built with SITE_URL on a
  sub-path and served there.
- `browser`: the system Chromium driven by Playwright (no browser download):
  $CHROMIUM, else Debian's chromium-headless-shell, else the full browser on
  PATH. Without one, browser tests skip with a reason, except under CI=true,
  where they fail.
- `http_root` / `disk_root`: the built site over HTTP on 127.0.0.1 (a server
  started and stopped here), and the offline zip unpacked and opened from disk.

Under pytest-xdist (`make test` runs `pytest -n auto`) the three builds are
started once, by the controller, as soon as the session starts, and run while
the workers start and run the tests that need no site; every worker then
reads the same folders. Run without -n, a fixture builds when first asked.
Every build but `again` runs in a child of a warm build server that the
session starts first (tests/buildserver.py: Python and the packages are
loaded once, not once per build).
"""

from __future__ import annotations

import functools
import http.server
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

import browserlib  # noqa: E402
import sitelib  # noqa: E402

SUBPATH = "/sco-report/"


def _subpath_url(port: int) -> str:
    return f"http://127.0.0.1:{port}{SUBPATH}"


def _spare_port() -> int:
    """A free port below Linux's ephemeral range (32768-60999), so that no
    outgoing connection is given it between now and the server binding it."""
    for _ in range(200):
        port = random.randrange(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port in 20000-32000")


# what the session builds: name -> options of sitelib.Build.start
BUILDS = {
    "site": dict(pdf=True),
    "subpath": dict(pdf=False),       # SITE_URL on a sub-path (its port is chosen first)
    # the same commit again, on the CPU the others leave, in a new interpreter
    # (not a child of the warm build server): another hash seed, another process
    "again": dict(pdf=True, nice=10, fresh=True),
}
SITE_FIXTURES = {"site", "subpath", "again", "http_root", "disk_root", "bundle", "root"}


def pytest_collection_modifyitems(config, items):
    """Tests that need no built site first, while the builds run; then the
    longest (axe on every page) so that the workers end together."""
    def rank(item):
        if not SITE_FIXTURES & set(item.fixturenames):
            return 0
        return 1 if item.path.name == "test_a11y.py" else 2
    items.sort(key=rank)   # stable: the same order on every worker


def _start_build_server() -> tuple[subprocess.Popen, Path]:
    """tests/buildserver.py on a socket in a folder of its own; builds find
    it through $RPT_BUILD_SERVER, which the xdist workers inherit."""
    where = Path(tempfile.mkdtemp(prefix="rpt-build-server-"))
    address = where / "socket"
    proc = subprocess.Popen([sys.executable, str(Path(__file__).parent / "buildserver.py"), str(address)],
                            cwd=sitelib.ROOT, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while not address.exists():   # bound before it imports anything: builds queue from here on
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"tests/buildserver.py did not start (exit status {proc.poll()})")
        time.sleep(0.02)
    os.environ[sitelib.SERVER] = str(address)
    return proc, where


def pytest_configure(config):
    """The session's warm build server; under xdist, the controller also
    starts every build at once."""
    if hasattr(config, "workerinput") or config.option.collectonly:
        return
    config.rpt_server = _start_build_server()
    if not getattr(config.option, "numprocesses", None):
        return
    where = Path(tempfile.mkdtemp(prefix="rpt-builds-"))
    port = _spare_port()
    builds = {}
    for name, options in BUILDS.items():
        env = {"SITE_URL": _subpath_url(port)} if name == "subpath" else None
        builds[name] = sitelib.Build(where / name).start(sitelib.ROOT, env=env, **options)
    server = _serve_subpath(where / "subpath", port)  # for every worker, from here
    config.rpt_builds = (where, port, builds, server)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    where, port, _, _ = node.config.rpt_builds
    node.workerinput["rpt_builds"] = str(where)
    node.workerinput["rpt_port"] = port


def pytest_unconfigure(config):
    if hasattr(config, "rpt_server"):
        proc, where = config.rpt_server
        os.killpg(proc.pid, signal.SIGKILL)   # the server and any build still running
        proc.wait()
        os.environ.pop(sitelib.SERVER, None)
        shutil.rmtree(where, ignore_errors=True)
    if hasattr(config, "rpt_builds"):
        where, _, builds, server = config.rpt_builds
        server.shutdown()
        server.server_close()
        for build in builds.values():
            build.stop()
        shutil.rmtree(where, ignore_errors=True)


def _built(request, tmp_path_factory, name: str, env: dict | None = None) -> Path:
    """The folder of one of BUILDS: started by the controller (xdist), or built now."""
    shared = getattr(request.config, "workerinput", {}).get("rpt_builds")
    if shared:
        build = sitelib.Build(Path(shared) / name)
    else:
        build = sitelib.Build(tmp_path_factory.mktemp(name) / "out").start(sitelib.ROOT, env=env, **BUILDS[name])
    returncode, stderr = build.wait()
    if returncode != 0:
        pytest.fail(f"mkdocs build --strict ({name}) failed:\n" + stderr[-3000:], pytrace=False)
    return build.out


@pytest.fixture(scope="session")
def site(request, tmp_path_factory) -> Path:
    return _built(request, tmp_path_factory, "site")


@pytest.fixture(scope="session")
def again(request, tmp_path_factory) -> Path:
    """The same commit built again, into another folder, with the PDFs."""
    return _built(request, tmp_path_factory, "again")


# --- browser ---------------------------------------------------------------------

# Debian's chromium-headless-shell first: Chromium's headless build (the same
# Blink and V8 as the chromium package of the same version, without the
# browser's windowing and UI layers), which is what Playwright itself runs
# for headless tests. The browser tests take about a quarter less CPU in it
# than in the full browser's headless mode (the whole suite a sixth less).
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
    args = CHROMIUM_ARGS + (["--no-sandbox"] if os.geteuid() == 0 else [])
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


def _serve_subpath(out: Path, port: int) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (_SubPathHandler,), {"site": out})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def subpath(request, tmp_path_factory):
    """(root URL, site dir): the site built with SITE_URL on a sub-path and
    served there. The port is chosen before the build, so that SITE_URL can
    name it; under xdist the controller serves it for every worker."""
    workerinput = getattr(request.config, "workerinput", {})
    port = workerinput.get("rpt_port") or _spare_port()
    root = _subpath_url(port)
    out = _built(request, tmp_path_factory, "subpath", env={"SITE_URL": root})
    if workerinput.get("rpt_port"):
        yield root, out
        return
    try:
        server = _serve_subpath(out, port)
    except OSError as err:
        pytest.fail(f"port {port}, named in the sub-path build's SITE_URL, is taken: {err}", pytrace=False)
    yield root, out
    server.shutdown()
    server.server_close()
