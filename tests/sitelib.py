"""Helpers shared by the tests: build the site, read the built HTML, check links.

The checks here are plain functions of a site directory, so that the tests
can prove them against small broken fixtures as well as run them on the
real build.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from sco_report import languages

ROOT = Path(__file__).resolve().parent.parent
LANGS = languages.CODES
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# the sub-path build (conftest's `subpath`): only its path is fetched (the
# 404 pages' <base>), so that any port can serve it
SUBPATH = "/sco-report/"
BUILD_EPOCH = "1795737600"   # 2026-11-27, the tests' build date
SUBPATH_SITE_URL = "https://reader.example.net" + SUBPATH
# the address of the main test build (conftest's `site`): explicit, since mkdocs.yml
# has none; a reserved domain (RFC 2606), like every address the tests make up
SITE_URL = "https://guide.example.net/"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose tool is not installed, saying why and how to get
    it; under CI=true, fail instead: CI must run every test."""
    import pytest
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def missing_tools(tools: dict[str, bool], hint: str) -> None:
    """skip_or_fail when a tool in {name: found} is missing, naming it."""
    missing = [name for name, found in tools.items() if not found]
    if missing:
        skip_or_fail(" and ".join(missing) + " not found: " + hint)


def _command(out: Path, env: dict | None, pdf: bool, config: Path | None = None) -> tuple[list[str], dict]:
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "RPT_PDF": "1" if pdf else "0", **(env or {})}
    # a fixed date, so that dated outputs (citations, sitemap) can be compared
    # with exact strings; without it the build uses the last commit's time.
    # Never earlier than the newest source cited: the build refuses that.
    full_env.setdefault("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    where = ["-f", str(config)] if config else []
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out), *where], full_env


def build(project: Path, out: Path, env: dict | None = None, pdf: bool = False) -> subprocess.CompletedProcess:
    """Run the same strict build as `make build`, into `out`. Without the
    PDFs (RPT_PDF=0) unless pdf=True: fixtures need not pay for them."""
    returncode, stderr = Build(out).start(project, env=env, pdf=pdf).wait()
    return subprocess.CompletedProcess(_command(out, env, pdf)[0], returncode, "", stderr)


class Build:
    """The same build as `mkdocs build --strict -d OUT` in the project's
    folder, in a process of its own in the background: started by one
    process, waited for by any (the pytest-xdist workers), through files next
    to `out`: <out>.log (stderr) and <out>.rc (the exit status, written last)."""

    def __init__(self, out: Path):
        self.out = out
        self.log = out.with_name(out.name + ".log")
        self.rc = out.with_name(out.name + ".rc")

    def claim(self) -> bool:
        """True for the one caller that is to start this build."""
        self.out.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.close(os.open(self.out.with_name(self.out.name + ".claim"), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            return True
        except FileExistsError:
            return False

    def start(self, project: Path, env: dict | None = None, pdf: bool = False, config: Path | None = None) -> "Build":
        cmd, full_env = _command(self.out, env, pdf, config)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "w") as log:
            proc = subprocess.Popen(cmd, cwd=project, env=full_env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=log)

        def record():
            part = self.rc.with_name(self.rc.name + ".part")
            part.write_text(str(proc.wait()))
            part.rename(self.rc)
        threading.Thread(target=record, daemon=True).start()
        return self

    def wait(self, timeout: float = 900) -> tuple[int, str]:
        """(exit status, stderr) once the build has ended."""
        deadline = time.monotonic() + timeout
        while not self.rc.exists():
            if time.monotonic() > deadline:
                return 1, f"{self.out.name}: the build did not end within {timeout:.0f} s"
            time.sleep(0.1)
        return int(self.rc.read_text()), self.log.read_text(encoding="utf-8", errors="replace")


@functools.lru_cache(maxsize=None)
def _soup(path: str, mtime: float) -> BeautifulSoup:
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "lxml")


def soup(path: Path) -> BeautifulSoup:
    return _soup(str(path), path.stat().st_mtime)


def lang_root(site: Path, lang: str) -> Path:
    return site / languages.prefix(lang)


def content_pages(site: Path, lang: str) -> list[str]:
    """Relative paths of the built HTML pages of one language (no 404)."""
    root = lang_root(site, lang)
    out = []
    for path in root.rglob("*.html"):
        rel = path.relative_to(root).as_posix()
        if lang == languages.DEFAULT and rel.split("/", 1)[0] + "/" in map(languages.prefix, languages.others(lang)):
            continue
        if rel in ("404.html",) or rel.startswith(("assets/", "search/")) or rel.endswith(PARALLEL):
            continue
        out.append(rel)
    return sorted(out)


PARALLEL = "-parallel.html"


def parallel_pages(site: Path, lang: str) -> list[str]:
    """The parallel views of one side of the site."""
    return sorted(p.name for p in lang_root(site, lang).glob("*" + PARALLEL))


def page_pairs(site: Path) -> list[tuple[str, Path, Path]]:
    return [(rel, site / rel, site / "en" / rel) for rel in content_pages(site, "zh")]


def heading_ids(page: Path) -> list[tuple[str, str | None]]:
    article = soup(page).select_one("article")
    return [(h.name, h.get("id")) for h in article.find_all(re.compile(r"^h[1-6]$"))]


# --- Links --------------------------------------------------------------------

RESOURCE_ATTRS = {
    "a": ["href"], "link": ["href"], "script": ["src"], "img": ["src"],
    "iframe": ["src"], "source": ["src"], "video": ["src", "poster"],
    "audio": ["src"], "embed": ["src"], "object": ["data"], "use": ["href", "xlink:href"],
    "form": ["action"],
}


def broken_links(site: Path) -> list[str]:
    """Every internal href/src in the built HTML that does not resolve.

    Relative URLs must point at a file in the site; a #fragment must be an id
    (or a name) in the target page. Returns one line per problem.
    """
    problems = []
    ids_cache: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids_cache:
            doc = soup(path)
            ids_cache[path] = {el["id"] for el in doc.find_all(id=True)} | {
                el["name"] for el in doc.find_all("a", attrs={"name": True})}
        return ids_cache[path]

    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue  # served at any depth; tested through its <base> elsewhere
        doc = soup(page)
        for tag, attrs in RESOURCE_ATTRS.items():
            for el in doc.find_all(tag):
                for attr in attrs:
                    url = el.get(attr)
                    if not url:
                        continue
                    parts = urlsplit(url)
                    if parts.scheme or url.startswith("//") or url.startswith(("mailto:", "data:", "javascript:")):
                        continue
                    rel = page.relative_to(site).as_posix()
                    if parts.path.startswith("/"):
                        problems.append(f"{rel}: absolute path {url!r} breaks from disk and on a sub-path")
                        continue
                    target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                    if target.is_dir():
                        target = target / "index.html"
                    if not target.exists() or not str(target).startswith(str(site.resolve())):
                        problems.append(f"{rel}: <{tag} {attr}={url!r}> points to a missing file")
                        continue
                    if parts.fragment and target.suffix == ".html":
                        frag = unquote(parts.fragment)
                        if frag not in ids_of(target):
                            problems.append(f"{rel}: <{tag} {attr}={url!r}>: no id {frag!r} in "
                                            f"{target.relative_to(site.resolve()).as_posix()}")
    return problems


# --- External resources -----------------------------------------------------------

# HTML elements and attributes that make a browser fetch something by itself.
LOADING = {
    "script": ["src"], "img": ["src", "srcset"], "iframe": ["src"], "frame": ["src"],
    "source": ["src", "srcset"], "video": ["src", "poster"], "audio": ["src"],
    "track": ["src"], "embed": ["src"], "object": ["data"], "input": ["src"],
    "image": ["href", "xlink:href"], "use": ["href", "xlink:href"],
}
LOADING_REL = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch",
               "preconnect", "dns-prefetch", "modulepreload", "manifest", "mask-icon"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""", re.I)
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)""", re.I)
# In JavaScript, a remote URL handed to something that loads it.
JS_LOAD = re.compile(
    r"""(?:src\s*=|importScripts\(|import\(|fetch\(|\.open\(\s*["'][A-Z]+["']\s*,|"""
    r"""loadScript\(|new\s+URL\(|new\s+Worker\()\s*[`'"](https?:)?//""", re.I)
JS_CDN = re.compile(r"""["'`]https?://(?:unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|"""
                    r"""fonts\.(?:googleapis|gstatic)\.com|www\.google-analytics\.com|"""
                    r"""www\.googletagmanager\.com|polyfill\.io|ajax\.googleapis\.com)[^"'`]*""", re.I)


# Theme URLs allowed to stay in the built JavaScript, each with its reason.
ALLOWED_THEME_URLS = {
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js":
        "Material's bundle loads Mermaid only on a page that has a Mermaid diagram; the report has "
        "none (test_site.py::test_no_mermaid_diagram), so this is never requested",
}


def _remote(url: str) -> bool:
    url = url.strip()
    return url.startswith("//") or bool(re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I)) and not url.startswith("file:")


def external_resources(site: Path) -> list[str]:
    """Every reference in built HTML/CSS/JS that would load something from
    outside the site. Ordinary <a href> links are fine and not reported."""
    problems = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            doc = soup(path)
            for tag, attrs in LOADING.items():
                for el in doc.find_all(tag):
                    for attr in attrs:
                        for url in re.split(r",\s*", el.get(attr) or ""):
                            url = url.split(" ")[0]
                            if url and _remote(url):
                                problems.append(f"{rel}: <{tag} {attr}={url!r}>")
            for el in doc.find_all("link"):
                rels = {r.lower() for r in (el.get("rel") or [])}
                if rels & LOADING_REL and _remote(el.get("href", "")):
                    problems.append(f"{rel}: <link rel={' '.join(rels)} href={el['href']!r}>")
            for el in doc.find_all("meta", attrs={"http-equiv": re.compile("refresh", re.I)}):
                if _remote(el.get("content", "").split("url=")[-1]):
                    problems.append(f"{rel}: <meta http-equiv=refresh> to another site")
            styles = [s.get_text() for s in doc.find_all("style")]
            styles += [el["style"] for el in doc.find_all(style=True)]
            for css in styles:
                for url in CSS_URL.findall(css) + CSS_IMPORT.findall(css):
                    if _remote(url):
                        problems.append(f"{rel}: CSS url({url!r})")
            for script in doc.find_all("script", src=False):
                problems += [f"{rel}: inline script loads {m.group(0)!r}"
                             for m in JS_LOAD.finditer(script.get_text())]
        elif path.suffix == ".css":
            css = path.read_text(encoding="utf-8", errors="replace")
            for url in CSS_URL.findall(css) + CSS_IMPORT.findall(css):
                if _remote(url):
                    problems.append(f"{rel}: CSS url({url!r})")
        elif path.suffix == ".js":
            js = path.read_text(encoding="utf-8", errors="replace")
            problems += [f"{rel}: loads {m.group(0)!r}" for m in JS_LOAD.finditer(js)]
            problems += [f"{rel}: references {m.group(0)!r}" for m in JS_CDN.finditer(js)
                         if m.group(0)[1:] not in ALLOWED_THEME_URLS]
    return sorted(set(problems))


# --- Language of the text ---------------------------------------------------------

def _text_outside_other_lang(el, other: str) -> str:
    """The text of an element, leaving out parts marked lang=<other>, links'
    URLs, code and abbreviations' own text."""
    parts = []
    for node in el.descendants:
        if isinstance(node, str):
            parent = node.parent
            skip = False
            while parent is not None and parent is not el.parent:
                if parent.name in ("code", "pre", "script", "style") or (
                        parent.get("lang", "").startswith(other)):
                    skip = True
                    break
                parent = parent.parent
            if not skip:
                parts.append(str(node))
    return "".join(parts)


def wrong_language(page: Path, lang: str) -> list[str]:
    """Paragraphs and list items written in the other language.

    English pages: no Han character outside an element marked lang="zh".
    Chinese pages: no paragraph that is mostly English words outside an
    element marked lang="en" (names, abbreviations and URLs are fine).
    """
    doc = soup(page)
    main = doc.select_one("article")
    problems = []
    for el in main.find_all(["p", "li", "td", "th", "dt", "dd", "figcaption", "h1", "h2", "h3", "h4"]):
        if el.find(["p", "li"]):  # judged at the innermost block
            continue
        if el.find_parent(attrs={"lang": re.compile("^" + ("zh" if lang == "en" else "en"))}):
            continue
        if lang == "en":
            text = _text_outside_other_lang(el, "zh")
            if CJK.search(text):
                problems.append(f"{text.strip()[:80]!r}")
        else:
            text = _text_outside_other_lang(el, "en")
            text = re.sub(r"https?://\S+", "", text)
            words = LATIN_WORD.findall(text)
            han = len(CJK.findall(text))
            if len(words) >= 6 and len(words) > han / 2:
                problems.append(f"{text.strip()[:80]!r}")
    return problems


def reordered_config(project: Path, where: Path) -> Path:
    """A config file in `where` that is the project's mkdocs.yml with the
    `report` plugin moved to the head of the plugins list, and the project's
    folders named absolutely (a child config, mkdocs.yml inherited)."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    block = re.search(r"^plugins:\n((?:[ #].*\n|\n)+)", text, re.M).group(1)
    items = re.split(r"(?m)^(?=  - )", block)
    ours = [i for i in items if i.startswith("  - report")]
    assert len(ours) == 1, "mkdocs.yml lists the report plugin once"
    others = [i for i in items if i.strip() and i not in ours]
    where.mkdir(parents=True, exist_ok=True)
    config = where / "mkdocs-reordered.yml"
    config.write_text(
        f"INHERIT: {(project / 'mkdocs.yml').as_posix()}\n"
        f"docs_dir: {(project / 'docs').as_posix()}\n"
        f"theme:\n  custom_dir: {(project / 'overrides').as_posix()}\n"
        f"watch: [{(project / 'data').as_posix()}, {(project / 'overrides').as_posix()}]\n"
        "plugins:\n" + "".join(ours + others), encoding="utf-8")
    return config
