"""make bench: this site against a default mkdocs-material + static-i18n setup.

Both are built from the same pages here, in one run:
- "ours": the project as `make build` builds it;
- "baseline": the same Markdown (with this project's data references already
  expanded, since a new user has no data hook) built with the configuration a
  new user would write: theme material, default palette and fonts, default
  search, the i18n plugin with zh as default and en, no hooks, no CSS or JS.

Measured, for the home page and one chapter in each language:
- bytes (gzip, response bodies) and requests of a cold load, with and without
  the search index, served by a local gzip-ing HTTP server;
- Lighthouse 12.2.3 mobile on the system Chromium, five runs per page and
  site, the two sites taking turns: the four category scores, Total Blocking
  Time and main-thread time (medians, with the spread of the five runs);
and, for the whole site: build time (median of 5), offline zip size, and the
time from the last keystroke of a query to the first result (Chinese and
English, over HTTP and from disk, median of 5, after the index has loaded).

Says what it is doing as it goes (on stderr). Writes bench/RESULTS.md and
prints it. Exits 1 if a budget is missed.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import http.server
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
PAGES = ["index.html", "challenges.html", "en/index.html", "en/challenges.html"]
CHAPTERS = ["challenges.html", "en/challenges.html"]
QUERIES = {"zh": ("index.html", "上海精神"), "en": ("en/index.html", "Shanghai Spirit")}
RUNS = 5
BUDGET = {"chapter_kb": 80, "performance": 95, "build_ratio": 1.3, "search_ms": 300}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def say(message: str) -> None:
    """Progress, as it happens (stderr, so that stdout is the report)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

sys.path.insert(0, str(ROOT / "hooks"))


def chromium() -> str:
    exe = os.environ.get("CHROMIUM") or next(
        (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    if not exe:
        sys.exit("make bench needs Chromium (Debian package chromium, or CHROMIUM=/path)")
    return exe


# --- serving with gzip ------------------------------------------------------------------

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, compressed like a production server would (gzip -6).
    It also counts what it sends (path, body bytes): the browser's own
    accounting misses what a search worker fetches."""

    sent: list = []

    def log_message(self, *args):
        pass

    def send_header(self, keyword, value):
        if keyword == "Content-Length":
            self.sent.append((self.path, int(value)))
        super().send_header(keyword, value)

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.suffix in COMPRESSIBLE or not path.is_file() or \
                "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io
        return io.BytesIO(body)


def serve(directory: Path):
    handler = type("Handler", (GzipHandler,), {"sent": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    server.sent = handler.sent
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- the two sites ----------------------------------------------------------------------

def build(project: Path, out: Path, site_url: str, strict: bool) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url,
           "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1527120000")}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)] + (["--strict"] if strict else [])
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build of {project} failed:\n{result.stderr[-2000:]}")
    return took


BASELINE_CONFIG = """\
site_name: {site_name}
site_url: !ENV [SITE_URL, "{site_url}"]
theme:
  name: material
  language: zh
plugins:
  - search
  - i18n:
      docs_structure: folder
      languages:
        - locale: zh
          default: true
          name: 中文
        - locale: en
          name: English
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
nav:
{nav}
"""


def make_baseline(site_url: str) -> Path:
    """The same pages, data references expanded, default configuration."""
    import data as data_hook  # hooks/data.py: render() is a plain function of the page and the state
    import state
    import yaml
    build = state.standalone(ROOT, site_url)
    project = WORK / "baseline"
    shutil.rmtree(project, ignore_errors=True)
    for lang in ("zh", "en"):
        for md in sorted((ROOT / "docs" / lang).glob("*.md")):
            if md.name == "404.md":
                continue  # a new user has the theme's 404
            out = project / "docs" / lang / md.name
            out.parent.mkdir(parents=True, exist_ok=True)
            page_url = ("" if lang == "zh" else "en/") + md.with_suffix(".html").name
            out.write_text(data_hook.render(md.read_text(encoding="utf-8"), lang, str(md), build, page_url),
                           encoding="utf-8")

    class Loader(yaml.SafeLoader):  # mkdocs.yml as plain YAML: MkDocs' own tags read as null
        pass
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)["nav"]
    nav_text = yaml.safe_dump(nav, allow_unicode=True, default_flow_style=False).rstrip()
    (project / "mkdocs.yml").write_text(BASELINE_CONFIG.format(
        site_name=build.data["report"]["title"]["zh"], site_url=site_url, nav=nav_text), encoding="utf-8")
    return project


def zip_size(site: Path) -> int:
    """Ours: the zip the build makes. Baseline: the whole site, zipped."""
    made = sorted((site / "downloads").glob("*.zip")) if (site / "downloads").exists() else []
    if made:
        return made[0].stat().st_size
    target = WORK / "baseline.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(site.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(site).as_posix())
    return target.stat().st_size


# --- measurements in the browser ----------------------------------------------------------

def page_url(base: str, rel: str, directory_urls: bool) -> str:
    if directory_urls and rel.endswith("index.html"):
        return base + rel[: -len("index.html")]
    if directory_urls:
        return base + rel[: -len(".html")] + "/"
    return base + rel


def cold_loads(browser, base: str, server, directory_urls: bool) -> dict:
    out = {}
    for rel in PAGES:
        context = browser.new_context(viewport={"width": 412, "height": 823})
        page = context.new_page()
        failed = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        server.sent.clear()
        page.goto(page_url(base, rel, directory_urls), wait_until="load")
        page.wait_for_timeout(2000)  # the search worker fetches its index after load
        context.close()
        sent = list(server.sent)
        index = [n for path, n in sent if "search_index" in path]
        external = [u for u in failed if not u.startswith(base)]
        total = sum(n for _, n in sent)
        out[rel] = {"requests": len(sent) + len(external), "bytes": total,
                    "requests_no_index": len(sent) + len(external) - len(index),
                    "bytes_no_index": total - sum(index), "external": len(external),
                    "files": sorted(sent, key=lambda item: -item[1])}
    return out


def search_latency(browser, base: str, lang: str, directory_urls: bool) -> tuple[float | None, float | None]:
    """(opening the search box until it is ready, last keystroke until the
    first result), medians in ms; None if search never answers."""
    rel, query = QUERIES[lang]
    times, opening = [], []
    for _ in range(RUNS):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(page_url(base, rel, directory_urls), wait_until="load")
        box = page.locator("input.md-search__input")
        opened = page.evaluate("performance.now()")
        box.click()
        ready = page.evaluate("JSON.parse(document.getElementById('__config').textContent)"
                              ".translations['search.result.placeholder']")
        try:
            page.wait_for_function(f"document.querySelector('.md-search-result__meta').textContent.trim() === {json.dumps(ready)}",
                                   timeout=10000)
        except Exception:
            context.close()
            return None, None
        opening.append(page.evaluate("performance.now()") - opened)
        page.evaluate("""() => {
            window.__t = {};
            const list = document.querySelector('.md-search-result__list');
            new MutationObserver(() => {
                if (window.__t.key && list.children.length && !window.__t.result) window.__t.result = performance.now();
            }).observe(list, {childList: true});
            document.querySelector('input.md-search__input').addEventListener('keyup', () => { window.__t.key = performance.now(); });
        }""")
        # the whole query goes in without key events (as an IME commits a
        # phrase); the last keystroke is then a key release that types nothing
        page.keyboard.insert_text(query)
        box.press("Shift")
        try:
            page.wait_for_function("window.__t.result", timeout=5000)
        except Exception:
            context.close()
            return statistics.median(opening), None
        t = page.evaluate("window.__t")
        times.append(max(0.0, t["result"] - t["key"]))
        context.close()
    return statistics.median(opening), statistics.median(times)


LIGHTHOUSE_RUNS = 5


def lighthouse_all(urls: dict, exe: str) -> dict:
    """{site: {page: summary}}. Five runs per page and site: one run varies by
    several points on a busy two-core machine, so each figure is a median, and
    the two sites take turns (ours, baseline, ours...) so that a slow spell of
    the machine falls on both."""
    runs = {name: {rel: [] for rel in PAGES} for name in urls}
    for rel in PAGES:
        for i in range(LIGHTHOUSE_RUNS):
            for name in urls:
                say(f"Lighthouse {rel} ({name}), run {i + 1} of {LIGHTHOUSE_RUNS}")
                result = lighthouse_once(urls[name][rel], exe)
                if "error" in result:
                    say(f"  failed: {result['error'][-200:]}")
                else:
                    say(f"  performance {result['performance']}, TBT {result['tbt']:.0f} ms, "
                        f"main thread {result['mainthread'] / 1000:.2f} s")
                runs[name][rel].append(result)
    return {name: {rel: summarize(r) for rel, r in pages.items()} for name, pages in runs.items()}


def spread(values: list) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarize(runs: list) -> dict:
    good = [r for r in runs if "error" not in r]
    if not good:
        return {"error": runs[0]["error"]}
    out = {k: spread([r[k] for r in good if r.get(k) is not None]) for k in CATEGORIES + ("tbt", "mainthread")}
    out["runs"] = len(good)
    out["failing"] = {k: sorted({a for r in good for a in r["_failing"].get(k, [])})
                      for k in CATEGORIES if any(k in r["_failing"] for r in good)}
    return out


def lighthouse_once(url: str, exe: str) -> dict:
    out = WORK / "lh.json"
    out.unlink(missing_ok=True)
    env = {**os.environ, "CHROME_PATH": exe}
    flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
    result = subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
                             "--only-categories=" + ",".join(CATEGORIES),
                             f"--chrome-flags={flags}", "--max-wait-for-load=20000"],
                            env=env, capture_output=True, text=True)
    if result.returncode != 0 or not out.exists():
        return {"error": (result.stderr or result.stdout)[-300:]}
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    scores = {k: round(v["score"] * 100) if v["score"] is not None else None
              for k, v in report["categories"].items()}
    scores["tbt"] = audits["total-blocking-time"]["numericValue"]
    scores["mainthread"] = audits["mainthread-work-breakdown"]["numericValue"]
    failing = {k: [a for a in cat["auditRefs"] if a["weight"] and (audits[a["id"]]["score"] or 0) < 0.9]
               for k, cat in report["categories"].items()}
    scores["_failing"] = {k: [a["id"] for a in v] for k, v in failing.items() if v}
    return scores


# --- report --------------------------------------------------------------------------------

def versions(exe: str) -> dict:
    from importlib.metadata import version
    v = {name: version(name) for name in ("mkdocs", "mkdocs-material", "mkdocs-static-i18n",
                                          "pymdown-extensions", "jieba", "playwright")}
    v["python"] = platform.python_version()
    v["chromium"] = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    v["node"] = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    v["lighthouse"] = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
    return v


def machine() -> str:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    mem = ""
    try:
        kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        pass
    return f"{platform.system()} {platform.release()} {platform.machine()}, {cpu}, {os.cpu_count()} cores{mem}"


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def main() -> int:
    from playwright.sync_api import sync_playwright
    exe = chromium()
    WORK.mkdir(parents=True, exist_ok=True)
    results: dict = {"ours": {}, "baseline": {}}
    servers = {}
    sites = {"ours": WORK / "site-ours", "baseline": WORK / "site-baseline"}
    for name, site in sites.items():
        shutil.rmtree(site, ignore_errors=True)
        site.mkdir(parents=True)
        servers[name] = serve(site)
    base = {name: f"http://127.0.0.1:{srv.server_address[1]}/" for name, srv in servers.items()}
    say("preparing the baseline: the same pages, default configuration")
    projects = {"ours": ROOT, "baseline": make_baseline(base["baseline"])}

    # build time: the median of five full builds each, alternating
    times = {name: [] for name in sites}
    for i in range(RUNS):
        for name in sites:
            say(f"build {i + 1} of {RUNS} ({name})")
            times[name].append(build(projects[name], sites[name], base[name], strict=(name == "ours")))
    for name in sites:
        results[name]["build_s"] = statistics.median(times[name])
        results[name]["zip"] = zip_size(sites[name])

    unzipped = WORK / "unzipped"
    shutil.rmtree(unzipped, ignore_errors=True)
    with zipfile.ZipFile(next((sites["ours"] / "downloads").glob("*.zip"))) as zf:
        zf.extractall(unzipped)
    disk_base = next(unzipped.iterdir()).as_uri() + "/"

    with sync_playwright() as pw:
        args = ["--headless=new", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run"] + (["--no-sandbox"] if os.geteuid() == 0 else [])
        browser = pw.chromium.launch(executable_path=exe, args=args)
        for name in sites:
            dirs = name == "baseline"
            say(f"cold loads of {', '.join(PAGES)} ({name})")
            results[name]["loads"] = cold_loads(browser, base[name], servers[name], dirs)
            say(f"search, {RUNS} times in each language, over HTTP ({name})")
            results[name]["search"] = {
                (lang, "http"): search_latency(browser, base[name], lang, dirs) for lang in QUERIES}
        say(f"search, {RUNS} times in each language, from disk (ours)")
        for lang in QUERIES:
            results["ours"]["search"][(lang, "disk")] = search_latency(browser, disk_base, lang, False)
            results["baseline"]["search"][(lang, "disk")] = (None, None)  # no offline setup
        browser.close()

    urls = {name: {rel: page_url(base[name], rel, name == "baseline") for rel in PAGES} for name in sites}
    for name, pages in lighthouse_all(urls, exe).items():
        results[name]["lighthouse"] = pages

    for srv in servers.values():
        srv.shutdown()
    report, ok = write_report(results, versions(exe))
    print(report)
    return 0 if ok else 1


def write_report(r: dict, v: dict) -> tuple[str, bool]:
    ours, base = r["ours"], r["baseline"]
    checks = []
    lines = [
        "# Benchmark: this site against a default setup",
        "",
        f"Run {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} by `make bench` (bench/run.py).",
        f"Machine: {machine()}.",
        "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()) + ".",
        "",
        "Baseline: the same pages (data references expanded) built with the configuration a new user would",
        "write: theme material with its default palette and fonts, default search, the i18n plugin (zh default,",
        "en), no hooks, no custom CSS or JavaScript. Both sites served from 127.0.0.1 by one gzip (-6) server.",
        "",
        "## Cold load (gzip bytes of response bodies, requests)",
        "",
        "| page | ours: KB | ours: requests | ours without index: KB | requests | baseline: KB | baseline: requests | baseline without index: KB | requests | baseline external requests |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for rel in PAGES:
        o, b = ours["loads"][rel], base["loads"][rel]
        lines.append(f"| {rel} | {kb(o['bytes'])} | {o['requests']} | {kb(o['bytes_no_index'])} | "
                     f"{o['requests_no_index']} | {kb(b['bytes'])} | {b['requests']} | {kb(b['bytes_no_index'])} | "
                     f"{b['requests_no_index']} | {b['external']} |")
        if rel in CHAPTERS:
            checks.append((f"cold chapter load {rel} ≤ {BUDGET['chapter_kb']} KB without index",
                           o["bytes_no_index"] <= BUDGET["chapter_kb"] * 1024, f"{kb(o['bytes_no_index'])} KB"))
            checks.append((f"cold chapter load {rel} ≤ baseline (without index)",
                           o["bytes_no_index"] <= b["bytes_no_index"],
                           f"{kb(o['bytes_no_index'])} vs {kb(b['bytes_no_index'])} KB"))
    lines += ["", "Requests to other hosts (the baseline's Google Fonts) fail here, offline; their bytes count as 0.",
              "", f"## Lighthouse 12.2.3, mobile: median of {LIGHTHOUSE_RUNS} runs (min–max)", "",
              "Each page was measured five times on each site, the sites taking turns, so that a busy spell of",
              "the machine falls on both. Total Blocking Time and main-thread time are Lighthouse's simulated",
              "(4× slower CPU) figures; on a shared two-core machine single runs differ widely, hence the spread.",
              "", "| page | site | performance | TBT (ms) | main thread (s) | accessibility | best practices | SEO | audits below 0.9 in any run |",
              "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]

    def cell(x: dict, fmt=lambda v: f"{v:.0f}") -> str:
        return f"{fmt(x['median'])} ({fmt(x['min'])}–{fmt(x['max'])})" if x["min"] != x["max"] else fmt(x["median"])

    seconds = lambda v: f"{v / 1000:.2f}"  # noqa: E731
    for rel in PAGES:
        for name, res in (("ours", ours), ("baseline", base)):
            s = res["lighthouse"][rel]
            if "error" in s:
                lines.append(f"| {rel} | {name} | error: {s['error'][:60]} | | | | | | |")
                if name == "ours":
                    checks.append((f"Lighthouse ran on {rel}", False, s["error"][:80]))
                continue
            fails = "; ".join(f"{k}: {', '.join(ids)}" for k, ids in s["failing"].items())
            lines.append(f"| {rel} | {name} | {cell(s['performance'])} | {cell(s['tbt'])} | "
                         f"{cell(s['mainthread'], seconds)} | {cell(s['accessibility'])} | "
                         f"{cell(s['best-practices'])} | {cell(s['seo'])} | {fails} |")
        o, b = ours["lighthouse"][rel], base["lighthouse"][rel]
        if "error" in o or "error" in b:
            continue
        perf, tbt = o["performance"]["median"], o["tbt"]["median"]
        checks.append((f"Lighthouse performance ≥ {BUDGET['performance']} and ≥ baseline on {rel} (medians)",
                       perf >= BUDGET["performance"] and perf >= b["performance"]["median"],
                       f"{perf:.0f} ({o['performance']['min']:.0f}–{o['performance']['max']:.0f}) vs "
                       f"{b['performance']['median']:.0f} ({b['performance']['min']:.0f}–{b['performance']['max']:.0f})"))
        checks.append((f"Total Blocking Time ≤ baseline on {rel} (medians)", tbt <= b["tbt"]["median"],
                       f"{tbt:.0f} ({o['tbt']['min']:.0f}–{o['tbt']['max']:.0f}) vs "
                       f"{b['tbt']['median']:.0f} ({b['tbt']['min']:.0f}–{b['tbt']['max']:.0f}) ms"))
        others = {k: o[k]["median"] for k in CATEGORIES[1:] if o[k]["median"] < 100}
        checks.append((f"accessibility, best practices, SEO = 100 on {rel} (medians)", not others,
                       str(others or "all 100")))
    ratio = ours["build_s"] / base["build_s"]
    checks.append((f"build time ≤ {BUDGET['build_ratio']}× baseline", ratio <= BUDGET["build_ratio"], f"{ratio:.2f}×"))
    lines += ["", "## Build and bundle", "",
              "| | ours | baseline |", "| --- | ---: | ---: |",
              f"| full build, median of {RUNS} (s) | {ours['build_s']:.2f} | {base['build_s']:.2f} |",
              f"| offline zip (KB) | {kb(ours['zip'])} | {kb(base['zip'])} |",
              "", "The baseline has no offline zip of its own: its figure is its whole site folder, zipped.",
              "", f"## Search (ms, median of {RUNS})", "",
              "Last keystroke to first result, once the index is loaded; in brackets, opening the search box to",
              "its being ready (this site loads the worker and index only then; the baseline on every page view).",
              "", "| query | ours over HTTP | ours from disk | baseline over HTTP |", "| --- | ---: | ---: | ---: |"]
    for lang, (_, query) in QUERIES.items():
        cells = []
        for name, mode in (("ours", "http"), ("ours", "disk"), ("baseline", "http")):
            opening, t = r[name]["search"][(lang, mode)]
            if opening is None:
                cells.append("n/a")
            else:
                cells.append(("no result" if t is None else f"{t:.0f}") + f" ({opening:.0f})")
            if name == "ours":
                checks.append((f"search {lang} ({mode}) ≤ {BUDGET['search_ms']} ms", t is not None and t <= BUDGET["search_ms"],
                               "no result" if t is None else f"{t:.0f} ms"))
        lines.append(f"| {query} ({lang}) | " + " | ".join(cells) + " |")
    lines += ["", "## Budgets", "", "| budget | met | measured |", "| --- | --- | --- |"]
    lines += [f"| {name} | {'yes' if ok else '**no**'} | {value} |" for name, ok, value in checks]
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "RESULTS.md").write_text(text, encoding="utf-8")
    return text, all(ok for _, ok, _ in checks)


if __name__ == "__main__":
    sys.exit(main())
