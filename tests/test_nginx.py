"""The site behind nginx as deploy/nginx.conf and the build's include
(site/.nginx/site.conf) configure it: Debian's nginx, started once per
session as a plain process on 127.0.0.1 and stopped at the end whatever
happens, serving the sub-path build of conftest's `subpath` fixture at
/sco-report/, once in a server block of its own (the file's first layout)
and once inside a location on a host that serves other things (its second).

Checked with plain HTTP requests: compression, caching, types, 404s and
security headers on every kind of answer; and in the real browser: every
page renders in both languages with no CSP violation and no console error,
search, the language switcher, the cite box, the 404 pages, the download.
A page with one inline script and one style attribute of its own proves
that a violation is seen when there is one.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import http.client
import os
import re
import shutil
import socket
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest
from bs4 import BeautifulSoup

import sitelib
from sco_report import languages
from browserlib import open_tab
from test_qr import decode

ROOT = sitelib.ROOT
DEPLOY = ROOT / "deploy" / "nginx.conf"
BROTLI_MODULE = "ngx_http_brotli_static_module.so"
PREFIX = {lang: languages.prefix(lang) for lang in languages.CODES}
HASHED = re.compile(r"\.[0-9a-f]{8}(\.min)?\.(css|js)$")
TWIN_SUFFIXES = (".html", ".css", ".js", ".json", ".svg", ".xml")

YEAR = "public, max-age=31536000, immutable"
DAY = "public, max-age=86400"
REVALIDATE = "no-cache"
SECURITY = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                          "microphone=(), payment=(), usb=()",
}
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".zip": "application/zip",
    ".pdf": "application/pdf",
}

# Listens to the browser's own report of each violation, from the first
# line of every page on.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
    e.effectiveDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
"""
# The proof page: a real page plus an inline script and a style attribute
# that no build put there.
INJECTED_SCRIPT = "<script>window.__injected = 1</script>"
INJECTED_STYLE = '<p style="color: red">injected</p>'


# --- the server ------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _modules_dir(exe: str) -> Path:
    """Where this nginx keeps its dynamic modules (Debian: /usr/lib/nginx/modules)."""
    info = subprocess.run([exe, "-V"], capture_output=True, text=True).stderr
    found = re.search(r"--modules-path=(\S+)", info)
    return Path(found.group(1) if found else "/usr/lib/nginx/modules")


CONFIG = """\
# Written by tests/test_nginx.py for one test session.
{user}
worker_processes 1;
pid "{work}/nginx.pid";
error_log "{work}/error.log" warn;
load_module "{module}";
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path "{work}/temp/body";
    proxy_temp_path "{work}/temp/proxy";
    fastcgi_temp_path "{work}/temp/fastcgi";
    uwsgi_temp_path "{work}/temp/uwsgi";
    scgi_temp_path "{work}/temp/scgi";

    # 1. A server block of its own.
    server {{
        listen 127.0.0.1:{port};
        root "{webroot}";
        include "{site}/.nginx/site.conf";
        include "{deploy}";
    }}

    # 2. A host that serves other things too.
    server {{
        listen 127.0.0.1:{shared_port};
        root "{webroot}";
        include "{site}/.nginx/site.conf";
        location {prefix} {{
            include "{deploy}";
        }}
    }}
}}
"""


@dataclass
class Nginx:
    root: str          # http://127.0.0.1:<port>/sco-report/
    port: int
    shared_port: int   # the same site, deploy/nginx.conf inside a location
    prefix: str        # /sco-report/
    site: Path


def _wait_until_listening(proc, ports, log: Path):
    for _ in range(400):  # bounded: 20 s at most
        if proc.poll() is not None:
            pytest.fail("nginx stopped at start:\n" + (log.read_text() if log.exists() else ""), pytrace=False)
        try:
            for port in ports:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            proc_wait(proc, 0.05)
    pytest.fail("nginx did not start listening:\n" + (log.read_text() if log.exists() else ""), pytrace=False)


def proc_wait(proc, seconds: float):
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        pass


@pytest.fixture(scope="session")
def nginx(subpath, tmp_path_factory):
    exe = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if exe is None:
        sitelib.skip_or_fail("no nginx: install Debian's nginx (`.ci/run` does)")
    module = _modules_dir(exe) / BROTLI_MODULE
    if not module.exists():
        sitelib.skip_or_fail(f"no {module}: install Debian's libnginx-mod-http-brotli-static (`.ci/run` does)")
    root_url, site = subpath
    prefix = urlsplit(root_url).path
    work = tmp_path_factory.mktemp("nginx")
    (work / "temp").mkdir()
    webroot = work / "www"
    (webroot / prefix.strip("/")).parent.mkdir(parents=True, exist_ok=True)
    (webroot / prefix.strip("/")).symlink_to(site, target_is_directory=True)
    (webroot / "other.html").write_text("<!doctype html><title>other</title><p>another site", encoding="utf-8")
    # the proof page, outside the site, under the same server's headers;
    # <base> makes the real page's relative links work from there
    page = (site / "index.html").read_text(encoding="utf-8")
    page = page.replace("<head>", f'<head><base href="{prefix}">', 1)
    page = page.replace("</body>", f"{INJECTED_STYLE}{INJECTED_SCRIPT}</body>", 1)
    (webroot / "csp-proof").mkdir()
    (webroot / "csp-proof" / "index.html").write_text(page, encoding="utf-8")

    port, shared_port = _free_port(), _free_port()
    conf = work / "nginx.conf"
    conf.write_text(CONFIG.format(
        user="user root;" if os.geteuid() == 0 else "",  # workers must read the pytest temp dirs
        work=work, module=module, port=port, shared_port=shared_port, webroot=webroot,
        site=site, deploy=DEPLOY, prefix=prefix), encoding="utf-8")
    log = work / "error.log"
    cmd = [exe, "-p", str(work), "-c", str(conf), "-e", str(log), "-g", "daemon off;"]
    check = subprocess.run(cmd[:-2] + ["-t"], capture_output=True, text=True)
    if check.returncode != 0:
        pytest.fail("nginx -t refused the configuration:\n" + check.stderr, pytrace=False)
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_listening(proc, (port, shared_port), log)
        yield Nginx(f"http://127.0.0.1:{port}{prefix}", port, shared_port, prefix, site)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]   # lower-case names; repeated ones joined with ", "
    body: bytes


def request(port: int, path: str, method: str = "GET", **headers) -> Answer:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers={k.replace("_", "-"): v for k, v in headers.items()})
        resp = conn.getresponse()
        joined: dict[str, str] = {}
        for name, value in resp.getheaders():
            joined[name.lower()] = f"{joined[name.lower()]}, {value}" if name.lower() in joined else value
        return Answer(resp.status, joined, resp.read())
    finally:
        conn.close()


def get(server: Nginx, rel: str, **headers) -> Answer:
    return request(server.port, server.prefix + rel, **headers)


def site_files(site: Path):
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site)
        if path.is_file() and not rel.parts[0].startswith(".") and path.suffix not in (".gz", ".br"):
            yield rel.as_posix(), path


# --- what the build says the CSP must allow, computed here independently -------------

def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def expected_hashes(site: Path) -> tuple[set[str], set[str]]:
    """Inline scripts a browser runs, and style attributes, of every page:
    Python's own HTML parser here, lxml in the build."""
    scripts, styles = set(), set()
    for page in site.rglob("*.html"):
        if page.relative_to(site).parts[0].startswith("."):
            continue
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for s in doc.find_all("script", src=False):
            if s.get("type", "") in ("", "text/javascript", "module"):
                scripts.add(_hash(s.string or ""))
        styles |= {_hash(el["style"]) for el in doc.find_all(style=True)}
    return scripts, styles


def directives(csp: str) -> dict[str, list[str]]:
    out = {}
    for part in csp.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


# --- HTTP --------------------------------------------------------------------------

def test_text_files_come_precompressed(nginx):
    """Every file with twins is sent as Brotli or gzip, as the request asks,
    with Vary: Accept-Encoding; the bodies unpack to the file."""
    checked = 0
    for rel, path in site_files(nginx.site):
        if not path.with_name(path.name + ".gz").exists():
            continue
        data = path.read_bytes()
        for encoding, unpack in (("br", brotli.decompress), ("gzip", gzip.decompress)):
            answer = get(nginx, rel, Accept_Encoding=f"{encoding}")
            assert answer.status == 200, rel
            assert answer.headers.get("content-encoding") == encoding, rel
            assert "Accept-Encoding" in answer.headers.get("vary", ""), rel
            assert unpack(answer.body) == data, rel
        plain = get(nginx, rel)
        assert "content-encoding" not in plain.headers and plain.body == data, rel
        checked += 1
    kinds = {Path(rel).suffix for rel, path in site_files(nginx.site) if path.with_name(path.name + ".gz").exists()}
    assert kinds >= {".html", ".css", ".js", ".json", ".xml"}, kinds
    assert checked > 40


def test_small_files_come_as_they_are(nginx):
    answer = get(nginx, "assets/images/favicon.svg", Accept_Encoding="gzip, br")
    assert answer.status == 200 and "content-encoding" not in answer.headers
    assert answer.body == (nginx.site / "assets/images/favicon.svg").read_bytes()


def test_browsers_get_compressed_pages(browser, nginx):
    with open_tab(browser, nginx.root) as tab:
        response = tab.page.goto(nginx.root + "challenges.html")
        assert response.headers.get("content-encoding") in ("gzip", "br")


def cache_cases(site: Path) -> dict[str, str]:
    cases = {rel: YEAR for rel, _ in site_files(site) if rel.startswith("assets/") and HASHED.search(rel)}
    assert {re.sub(r"\.[0-9a-f]{8}", "", r) for r in cases} >= {
        "assets/javascripts/bundle.min.js", "assets/stylesheets/main.min.css",
        "assets/stylesheets/palette.min.css", "assets/javascripts/workers/search.min.js",
        "assets/stylesheets/site.css", "assets/javascripts/site.js"}, sorted(cases)
    for rel in ("index.html", "en/challenges.html", "challenges-parallel.html", "404.html", "en/404.html",
                "search/search_index.json", "en/search/search_index.json", "sitemap.xml", "robots.txt",
                *[f"downloads/{p.name}" for p in (site / "downloads").iterdir()]):
        cases[rel] = REVALIDATE
    for rel in ("assets/images/favicon.svg", "assets/javascripts/iframe-worker-shim.js",
                "assets/javascripts/lunr/min/lunr.zh.min.js"):
        cases[rel] = DAY
    return cases


def test_cache_headers(nginx):
    for rel, expected in cache_cases(nginx.site).items():
        answer = get(nginx, rel, Accept_Encoding="gzip")
        assert answer.status == 200, rel
        assert answer.headers.get("cache-control") == expected, rel


def test_revalidation_answers_304_with_the_same_headers(nginx):
    first = get(nginx, "en/index.html", Accept_Encoding="gzip")
    again = get(nginx, "en/index.html", Accept_Encoding="gzip", If_None_Match=first.headers["etag"])
    assert again.status == 304 and again.body == b""
    for name in ("cache-control", "content-security-policy", *SECURITY):
        assert again.headers.get(name) == first.headers.get(name), name


def test_content_types(nginx):
    seen = set()
    for rel, path in site_files(nginx.site):
        if path.suffix in TYPES:
            answer = get(nginx, rel)
            assert answer.headers.get("content-type") == TYPES[path.suffix], rel
            seen.add(path.suffix)
    assert seen >= {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".zip"}, seen


def answers_of_every_kind(nginx) -> dict[str, Answer]:
    site = nginx.site
    bundle = next((site / "assets/javascripts").glob("bundle.*.min.js")).name
    zip_name = next((site / "downloads").glob("*.zip")).name
    return {
        "page": get(nginx, "overview.html", Accept_Encoding="br"),
        "English page": get(nginx, "en/overview.html"),
        "site root": get(nginx, ""),
        "hashed script": get(nginx, f"assets/javascripts/{bundle}", Accept_Encoding="gzip"),
        "unhashed asset": get(nginx, "assets/images/favicon.svg"),
        "search index": get(nginx, "search/search_index.json", Accept_Encoding="gzip"),
        "sitemap": get(nginx, "sitemap.xml"),
        "download": get(nginx, f"downloads/{zip_name}"),
        "HEAD": request(nginx.port, nginx.prefix + "index.html", "HEAD"),
        "404": get(nginx, "no/such/page.html"),
        "English 404": get(nginx, "en/no/such/page.html"),
        "directory (403 → 404)": get(nginx, "assets/"),
        "server include": get(nginx, ".nginx/site.conf"),
        "redirect": request(nginx.port, nginx.prefix.rstrip("/")),
        "outside the site": request(nginx.port, "/nothing-here.html"),
    }


def test_security_headers_on_every_kind_of_answer(nginx):
    scripts, styles = expected_hashes(nginx.site)
    for kind, answer in answers_of_every_kind(nginx).items():
        for name, value in SECURITY.items():
            assert answer.headers.get(name) == value, f"{kind}: {name}"
        assert "cache-control" in answer.headers, kind
        csp = answer.headers.get("content-security-policy", "")
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, kind
        d = directives(csp)
        assert d["default-src"] == ["'self'"], kind
        assert d["script-src"][0] == "'self'" and set(d["script-src"][1:]) == scripts, kind
        assert d["style-src"][:2] == ["'self'", "'unsafe-hashes'"] and set(d["style-src"][2:]) == styles, kind
        assert d["img-src"] == ["'self'", "data:"], kind
        assert d["worker-src"] == ["'self'"] and d["object-src"] == ["'none'"], kind
        assert d["base-uri"] == ["'self'"] and d["frame-ancestors"] == ["'none'"], kind
        assert "strict-transport-security" not in answer.headers, f"{kind}: HSTS over plain HTTP"
    assert len(scripts) >= 4 and styles


def test_404s_in_their_language(nginx):
    answers = answers_of_every_kind(nginx)
    for kind, lang in (("404", "zh"), ("English 404", "en"), ("directory (403 → 404)", "zh"),
                       ("server include", "zh"), ("outside the site", "zh")):
        answer = answers[kind]
        assert answer.status == 404, kind
        assert answer.headers["cache-control"] == REVALIDATE, kind
        assert f'<html lang="{languages.get(lang).tag}"'.encode() in answer.body, kind
    assert answers["redirect"].status == 301
    assert answers["redirect"].headers["location"] == nginx.prefix


def test_inside_a_location_on_a_shared_host(nginx):
    """deploy/nginx.conf's second layout: the same answers for the report,
    and none of its headers on the host's other pages."""
    shared = nginx.shared_port
    bundle = next((nginx.site / "assets/javascripts").glob("bundle.*.min.js")).name
    page = request(shared, nginx.prefix + "en/overview.html", Accept_Encoding="gzip")
    asset = request(shared, nginx.prefix + f"assets/javascripts/{bundle}")
    missing = request(shared, nginx.prefix + "en/no/such/page.html")
    assert page.status == 200 and page.headers["content-encoding"] == "gzip"
    assert page.headers["cache-control"] == REVALIDATE and asset.headers["cache-control"] == YEAR
    assert missing.status == 404 and b'<html lang="en"' in missing.body
    for answer in (page, asset, missing):
        assert "script-src 'self' 'sha256-" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
    other = request(shared, "/other.html")
    assert other.status == 200
    assert not {"content-security-policy", "cache-control", "x-content-type-options"} & set(other.headers)


def test_downloads_have_their_types(nginx):
    downloads = sorted((nginx.site / "downloads").iterdir())
    assert any(p.suffix == ".zip" for p in downloads)
    for path in downloads:
        answer = get(nginx, f"downloads/{path.name}", Accept_Encoding="gzip, br")
        assert answer.status == 200
        assert answer.headers["content-type"] == TYPES[path.suffix], path.name
        assert "content-encoding" not in answer.headers and answer.body == path.read_bytes()


# --- in the browser ------------------------------------------------------------------

@contextmanager
def tab_with_csp(browser, root: str, **kwargs):
    with open_tab(browser, root, init_script=CSP_LISTENER, **kwargs) as tab:
        yield tab


def violations(tab) -> list[str]:
    # let the reports of the last moment arrive (they are queued as tasks)
    return tab.page.evaluate("() => new Promise(r => setTimeout(() => r(window.__csp), 0))")


def all_pages(site: Path) -> list[tuple[str, str]]:
    return [(lang, PREFIX[lang] + rel) for lang in languages.CODES
            for rel in sitelib.content_pages(site, lang) + sitelib.parallel_pages(site, lang)]


# What test_every_page_renders_... reads off each page once it has loaded: its
# language, whether its title shows, the position of Material's header, our
# toast, and the CSP violations reported until now (see violations()).
RENDERED = """() => new Promise(r => setTimeout(() => {
    const h1 = document.querySelector("article h1"), box = h1 && h1.getBoundingClientRect();
    r({lang: document.documentElement.lang,
       title: !!h1 && h1.checkVisibility({visibilityProperty: true}) && box.width > 0 && box.height > 0,
       header: getComputedStyle(document.querySelector(".md-header")).position,
       toast: !!document.querySelector(".rpt-toast[role=status]"),
       csp: window.__csp});
}, 0))"""


@pytest.mark.browser
def test_every_page_renders_without_violation_or_error(browser, nginx):
    problems = {}
    pages = all_pages(nginx.site)
    assert len(pages) >= 20
    with tab_with_csp(browser, nginx.root) as tab:
        for lang, rel in pages:
            response = tab.page.goto(nginx.root + rel)
            tab.page.wait_for_load_state("load")
            found = []
            if response.status != 200:
                found.append(f"status {response.status}")
            if "script-src 'self' 'sha256-" not in response.headers.get("content-security-policy", ""):
                found.append("no CSP header")
            # one call into the page, in its own world: Playwright's locators
            # would load its selector engine into every page (a third of the cost)
            seen = tab.page.evaluate(RENDERED)
            if seen["lang"] != languages.get(lang).tag:
                found.append("wrong lang")
            if not seen["title"]:
                found.append("no title")
            # the stylesheets and scripts ran: Material's sticky header, our toast
            if seen["header"] != "sticky":
                found.append("theme stylesheet not applied")
            if not seen["toast"]:
                found.append("site.js did not run")
            found += [f"CSP: {v}" for v in seen["csp"]]
            found += tab.errors + [f"outside: {u}" for u in tab.outside()]
            tab.errors.clear()
            tab.requests.clear()
            if found:
                problems[rel] = found
    assert problems == {}


@pytest.mark.browser
# a term; the same in traditional script and in the other language (search.js
# and the converter it loads, under the Content-Security-Policy)
@pytest.mark.parametrize("lang,query", [("zh", "上海精神"), ("en", "Shanghai Spirit"), ("zh", "兩駕馬車"),
                                        ("en", "上海精神")])
def test_search_works(browser, nginx, lang, query):
    with tab_with_csp(browser, nginx.root) as tab:
        tab.goto(PREFIX[lang] + "index.html")
        hrefs = [h.split("#")[0] for h in tab.search(query)]
        assert any(h.endswith(PREFIX[lang] + "framework.html") for h in hrefs), hrefs
        assert all(("/en/" in h) == (lang == "en") for h in hrefs), hrefs
        assert any(u.endswith("search/search_index.json") for u in tab.requests)
        assert violations(tab) == [] and tab.errors == [] and tab.outside() == []


@pytest.mark.browser
def test_an_empty_search_result_offers_help(browser, nginx):
    with tab_with_csp(browser, nginx.root) as tab:
        page = tab.goto("index.html")
        tab.search("量子计算")
        help_box = page.locator(".rpt-search-help")
        assert help_box.is_visible() and help_box.locator("a").count() == 2
        assert violations(tab) == [] and tab.errors == [] and tab.outside() == []


@pytest.mark.browser
def test_switcher_and_cite_box(browser, nginx):
    with tab_with_csp(browser, nginx.root, permissions=["clipboard-read", "clipboard-write"]) as tab:
        # (that the switch keeps the section is test_reading.py's)
        page = tab.goto("challenges.html")
        tab.switch_language("en")
        assert page.url.startswith(nginx.root + "en/challenges.html")
        assert page.locator("html").get_attribute("lang") == "en"
        page.locator("summary.rpt-cite__summary").click()
        page.select_option("#rpt-cite-scope", "expansion")
        assert "#expansion" in page.locator("#rpt-cite-edition-apa").inner_text()
        page.locator("button[data-rpt-copy=rpt-cite-edition-bibtex]").click()
        # (a locator, not wait_for_function, which needs eval: the CSP refuses it)
        page.locator(".rpt-toast.rpt-toast--on").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == page.locator("#rpt-cite-edition-bibtex").inner_text()
        # the QR code: its library loaded from the site (script-src 'self'),
        # its SVG built by DOM calls (no inline style or script)
        page.locator(".rpt-cite__qr > button").click()
        code = page.locator("#rpt-cite-qr svg[role=img]")
        code.wait_for()
        url = page.locator("link[rel=canonical]").get_attribute("href") + "#expansion"
        assert code.get_attribute("aria-label") == url and decode(code) == url
        assert violations(tab) == [] and tab.errors == [] and tab.outside() == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_404_page_in_the_browser(browser, nginx, lang):
    with tab_with_csp(browser, nginx.root) as tab:
        tab.expect_404 = True
        response = tab.page.goto(nginx.root + PREFIX[lang] + "no/such/deep/page.html")
        page = tab.page
        assert response.status == 404
        assert page.locator("html").get_attribute("lang") == languages.get(lang).tag
        assert page.locator("article h1").inner_text().replace("¶", "").strip() == \
            {"zh": "页面未找到", "en": "Page not found"}[lang]
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        assert violations(tab) == [] and tab.errors == [], tab.errors


@pytest.mark.browser
def test_download_link_downloads_the_zip(browser, nginx):
    zip_path = next((nginx.site / "downloads").glob("*.zip"))
    with tab_with_csp(browser, nginx.root) as tab:   # (Playwright's contexts accept downloads)
        page = tab.goto("en/about.html")
        with page.expect_download() as info:
            page.locator("a.rpt-download").first.click()
        download = info.value
        assert download.suggested_filename == zip_path.name
        assert Path(download.path()).read_bytes() == zip_path.read_bytes()
        assert violations(tab) == [] and tab.errors == []


@pytest.mark.browser
def test_a_violation_is_seen_when_there_is_one(browser, nginx):
    """The proof: the real home page with one inline script and one style
    attribute that the build did not see. Both are refused and reported;
    the page's own inline scripts still run."""
    with tab_with_csp(browser, f"http://127.0.0.1:{nginx.port}/") as tab:
        tab.goto("csp-proof/index.html")
        page = tab.page
        found = violations(tab)
        for _ in range(100):  # bounded; usually there at once
            if len(found) >= 2:
                break
            page.wait_for_timeout(50)
            found = violations(tab)
        assert sorted(v.split(" ")[0] for v in found) == ["script-src-elem", "style-src-attr"], found
        assert page.evaluate("typeof window.__injected") == "undefined"
        assert page.evaluate("typeof __md_scope") == "object"       # Material's head script ran
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        assert any("Content Security Policy" in e for e in tab.errors), tab.errors  # the console says so too
