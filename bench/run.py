"""make bench: this site against a default mkdocs-material + static-i18n setup.

Both are built from the same pages here, in one run:
- "ours": the project as `make build` builds it;
- "baseline": the same Markdown (with this project's data references already
  expanded, since a new user has no data hook) built with the configuration a
  new user would write: theme material, default palette and fonts, default
  search, the i18n plugin with zh as default and en, no hooks, no CSS or JS.

Both are served by Debian's nginx (a plain process on 127.0.0.1, its
configuration written to bench/work/nginx.conf, stopped at the end): ours
with the build's site/.nginx/site.conf and deploy/nginx.conf, as the README
says; the baseline with the same server block without them, gzip on for text
types, no cache headers (NGINX_CONFIG below).

Measured, for the home page and one chapter in each language, from each
site's nginx access log (bytes as sent, headers included; requests):
- a cold view (empty cache) and a repeat view (the other page of the language
  first, then this one, counted alone), with and without the search index;
- Lighthouse 12.2.3 mobile on the system Chromium, five runs per page and
  site, the two sites taking turns: the four category scores, Total Blocking
  Time and main-thread time (medians, with the spread of the five runs);
and, for the whole site: build time (median of 5; ours without its PDFs,
RPT_PDF=0, against the baseline per language built, since ours also builds
the converted Traditional edition; and with them, every language's PDF, for
what the PDFs add), the
PDFs' and the offline zip's sizes, and the time from the last keystroke of a
query to the first result (Chinese and English, over HTTP and from disk,
median of 5, after the index has loaded).

Says what it is doing as it goes (on stderr). Writes bench/RESULTS.md and
prints it; the raw figures go to bench/work/results.json. Exits 1 if a
budget is missed.

BENCH_QUICK=1 (while changing this file; its RESULTS.md is not one to
commit): two builds of each kind, two searches and one Lighthouse run per
page and site instead of five.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
PAGES = ["index.html", "challenges.html", "en/index.html", "en/challenges.html"]
CHAPTERS = ["challenges.html", "en/challenges.html"]
# (language, page, query): a term in each language, and a query in
# traditional characters (the converter loads at it: its first time counts)
QUERIES = [("zh", "index.html", "上海精神"), ("en", "en/index.html", "Shanghai Spirit"),
           ("zh", "index.html", "兩駕馬車")]
# 1.1.0 (commit 79528c7), the reference of the search budgets: its search
# indexes' bytes (its own build, deterministic) and its bench/RESULTS.md's
# last-keystroke-to-first-result medians over HTTP on this machine (ms)
V110 = {"index": {"zh": 141472, "en": 112686}, "search_ms": {"上海精神": 22, "Shanghai Spirit": 24}}
INDEX_GROWTH = 1.25   # issue 25: neither may grow by more than a quarter
QUICK = os.environ.get("BENCH_QUICK", "") == "1"
RUNS = 2 if QUICK else 5
BUDGET = {"chapter_kb": 80, "repeat_extra_kb": 2, "repeat_requests": 2, "performance": 95, "build_ratio": 1.3,
          "search_ms": 300, "pdf_s": 15, "pdf_mb": 2}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def say(message: str) -> None:
    """Progress, as it happens (stderr, so that stdout is the report)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)



def chromium() -> str:
    exe = os.environ.get("CHROMIUM") or next(
        (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    if not exe:
        sys.exit("make bench needs Chromium (Debian package chromium, or CHROMIUM=/path)")
    return exe


# --- serving: Debian's nginx ----------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_exe() -> tuple[str, Path]:
    """(nginx, its Brotli module): Debian's packages nginx and libnginx-mod-http-brotli-static."""
    exe = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if not exe:
        sys.exit("make bench needs nginx (Debian packages nginx and libnginx-mod-http-brotli-static)")
    info = subprocess.run([exe, "-V"], capture_output=True, text=True).stderr.split()
    modules = next((a.split("=", 1)[1] for a in info if a.startswith("--modules-path=")), "/usr/lib/nginx/modules")
    module = Path(modules) / "ngx_http_brotli_static_module.so"
    if not module.exists():
        sys.exit(f"make bench needs {module} (Debian package libnginx-mod-http-brotli-static)")
    return exe, module


# The http block holds what Debian's stock /etc/nginx/nginx.conf sets (but its
# logs and the ssl lines, which plain HTTP does not use). Ours is the server
# block of the README's Publishing section; the baseline is the same block
# without our two includes, and with the one thing an admin of a default
# setup adds: gzip for text types (Debian's commented-out gzip_types line,
# at nginx's default level, 1). Each site writes an access log of its own,
# which is what the loads are counted from.
NGINX_CONFIG = """\
# Written by bench/run.py for one run.
{user}
worker_processes 1;
pid "{work}/nginx.pid";
error_log "{work}/nginx-error.log" warn;
load_module "{module}";
events {{ worker_connections 256; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    gzip on;

    client_body_temp_path "{work}/nginx-temp/body";
    proxy_temp_path "{work}/nginx-temp/proxy";
    fastcgi_temp_path "{work}/nginx-temp/fastcgi";
    uwsgi_temp_path "{work}/nginx-temp/uwsgi";
    scgi_temp_path "{work}/nginx-temp/scgi";
    log_format bench "$request_uri $status $bytes_sent $body_bytes_sent $sent_http_content_encoding $http_accept_encoding";

    # ours
    server {{
        listen 127.0.0.1:{ours_port};
        access_log "{work}/access-ours.log" bench;
        root "{ours}";
        include "{ours}/.nginx/site.conf";
        include "{deploy}";
    }}

    # baseline
    server {{
        listen 127.0.0.1:{baseline_port};
        access_log "{work}/access-baseline.log" bench;
        root "{baseline}";
        gzip_types text/plain text/css application/json application/javascript text/xml application/xml application/xml+rss text/javascript;
    }}
}}
"""


class AccessLog:
    """One site's access log: mark() before a load, since(mark) after it."""

    def __init__(self, path: Path):
        self.path = path

    def mark(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0

    def since(self, offset: int) -> list[dict]:
        with open(self.path, "rb") as f:
            f.seek(offset)
            lines = f.read().decode("utf-8").splitlines()
        out = []
        for line in lines:  # the request's Accept-Encoding, last, may hold spaces
            uri, status, sent, body, encoding, accept = line.split(" ", 5)
            out.append({"uri": uri, "status": int(status), "bytes": int(sent), "body": int(body),
                        "encoding": "" if encoding == "-" else encoding, "accept": accept})
        return out


@contextlib.contextmanager
def nginx(sites: dict, ports: dict):
    """Both sites behind one nginx, a plain process on 127.0.0.1, stopped at
    the end whatever happens. Yields {site: AccessLog}."""
    exe, module = nginx_exe()
    shutil.rmtree(WORK / "nginx-temp", ignore_errors=True)
    (WORK / "nginx-temp").mkdir(parents=True)
    logs = {name: AccessLog(WORK / f"access-{name}.log") for name in sites}
    for log in logs.values():
        log.path.unlink(missing_ok=True)
    conf = WORK / "nginx.conf"
    conf.write_text(NGINX_CONFIG.format(
        user="user root;" if os.geteuid() == 0 else "",  # workers read what the bench's user can
        work=WORK, module=module, deploy=ROOT / "deploy" / "nginx.conf",
        ours=sites["ours"], baseline=sites["baseline"],
        ours_port=ports["ours"], baseline_port=ports["baseline"]), encoding="utf-8")
    error_log = WORK / "nginx-error.log"
    error_log.unlink(missing_ok=True)
    cmd = [exe, "-p", str(WORK), "-c", str(conf), "-e", str(error_log), "-g", "daemon off;"]
    check = subprocess.run(cmd[:-2] + ["-t"], capture_output=True, text=True)
    if check.returncode != 0:
        sys.exit("nginx -t refused bench/work/nginx.conf:\n" + check.stderr)
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(400):  # 20 s at most
            if proc.poll() is not None:
                sys.exit("nginx stopped at start:\n" + (error_log.read_text() if error_log.exists() else ""))
            try:
                for port in ports.values():
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            sys.exit("nginx did not start listening")
        yield logs
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- the two sites ----------------------------------------------------------------------

def build(project: Path, out: Path, site_url: str, strict: bool, pdf: bool = False) -> tuple[float, float]:
    """(seconds, CPU seconds) one `mkdocs build` took, the CPU time of the
    processes it forks included: unlike the first, the second hardly grows
    when other work shares the machine. RPT_PDF says whether ours sets its
    PDFs (sco_report/pdf.py); the baseline has no hooks and ignores it."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url, "RPT_PDF": "1" if pdf else "0",
           "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1795737600")}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)] + (["--strict"] if strict else [])
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    result = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
    took, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"build of {project} failed:\n{result.stderr[-2000:]}")
    return took, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


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
    import yaml
    from mkdocs.config import load_config

    from sco_report import data as data_hook  # render() is a plain function of the page and the state
    from sco_report import languages, state
    build = state.standalone(ROOT, site_url)
    project = WORK / "baseline"
    shutil.rmtree(project, ignore_errors=True)
    for lang in languages.STORED:   # a default setup has no converted edition
        for md in sorted((ROOT / "docs" / lang).glob("*.md")):
            if md.name == "404.md":
                continue  # a new user has the theme's 404
            out = project / "docs" / lang / md.name
            out.parent.mkdir(parents=True, exist_ok=True)
            page_url = languages.prefix(lang) + md.with_suffix(".html").name
            out.write_text(data_hook.render(md.read_text(encoding="utf-8"), lang, str(md), build, page_url),
                           encoding="utf-8")
    nav = load_config(str(ROOT / "mkdocs.yml")).nav
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


# The other page a repeat view comes from: the reader was on it, then clicks on.
CAME_FROM = {"index.html": "challenges.html", "challenges.html": "index.html",
             "en/index.html": "en/challenges.html", "en/challenges.html": "en/index.html"}
SETTLE_MS = 2000  # after load: late fetches (the baseline's search worker fetches its index)


def load(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_timeout(SETTLE_MS)


def view(browser, log: AccessLog, base: str, url: str, came_from: str | None = None) -> dict:
    """What the server sent for one page view, from its access log. Cold: a
    fresh browser (empty cache). Repeat: the same browser first views
    came_from, then this page; only this second view is counted."""
    context = browser.new_context(viewport={"width": 412, "height": 823})
    try:
        page = context.new_page()
        failed = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        if came_from:
            load(page, came_from)
        failed.clear()
        start = log.mark()
        load(page, url)
        sent = log.since(start)
    finally:
        context.close()
    external = [u for u in failed if not u.startswith(base)]
    index = [e for e in sent if "search_index" in e["uri"]]
    html = [e for e in sent if e["uri"] == urlsplit(url).path]
    statuses = collections.Counter(e["status"] for e in sent)
    return {"requests": len(sent) + len(external), "bytes": sum(e["bytes"] for e in sent),
            "body": sum(e["body"] for e in sent),
            "requests_no_index": len(sent) + len(external) - len(index),
            "bytes_no_index": sum(e["bytes"] for e in sent) - sum(e["bytes"] for e in index),
            "body_no_index": sum(e["body"] for e in sent) - sum(e["body"] for e in index),
            "html": sum(e["bytes"] for e in html), "external": len(external),
            "statuses": dict(sorted(statuses.items())),
            "encodings": sorted({e["encoding"] for e in sent if e["encoding"]}),
            "accept": sorted({e["accept"] for e in sent}),
            "files": sorted(((e["uri"], e["status"], e["bytes"]) for e in sent), key=lambda item: -item[2])}


# A repeat view twice: with every file of the site modified just before, and a
# day before. nginx sends the file's time as Last-Modified; an answer without
# Cache-Control (the baseline's) stays fresh in the browser for a tenth of
# that age, so without this the baseline's figure would depend on how long
# ago the bench built it. Ours sends Cache-Control on every answer.
AGES = {"published just now": 0, "published a day before": 86400}


def age(site: Path, seconds: float) -> None:
    when = time.time() - seconds
    for path in site.rglob("*"):
        os.utime(path, (when, when))


def views(browser, name: str, site: Path, base: str, log: AccessLog, directory_urls: bool) -> dict:
    out = {}
    for rel in PAGES:
        url = page_url(base, rel, directory_urls)
        say(f"cold view of {rel} ({name})")
        out[rel] = {"cold": view(browser, log, base, url)}
        for label, seconds in AGES.items():
            say(f"repeat view of {rel}, coming from {CAME_FROM[rel]}, {label} ({name})")
            age(site, seconds)
            out[rel][label] = view(browser, log, base, url, page_url(base, CAME_FROM[rel], directory_urls))
    return out


def index_sizes(site: Path) -> dict[str, tuple[int, int]]:
    """{language: (bytes of its search index, the same compressed with Brotli)},
    the languages whose folder has one (the baseline: one for both)."""
    import brotli
    from sco_report import languages
    out = {}
    for lang in languages.CODES:
        path = site / languages.prefix(lang) / "search" / "search_index.json"
        if path.is_file():
            data = path.read_bytes()
            out[lang] = (len(data), len(brotli.compress(data)))
    return out


def search_latency(browser, base: str, rel: str, query: str, directory_urls: bool) -> tuple[float | None, float | None]:
    """(opening the search box until it is ready, last keystroke until the
    first result), medians in ms; None if search never answers."""
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
        # locators, not wait_for_function, whose predicate our Content-Security-Policy refuses to run
        try:
            page.locator(".md-search-result__meta", has_text=ready).wait_for(timeout=10000)
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
        for _ in range(250):  # 5 s at most; the times are taken in the page, polling only waits
            t = page.evaluate("window.__t")
            if t.get("result"):
                break
            page.wait_for_timeout(20)
        context.close()
        if not t.get("result"):
            return statistics.median(opening), None
        times.append(max(0.0, t["result"] - t["key"]))
    return statistics.median(opening), statistics.median(times)


LIGHTHOUSE_RUNS = 1 if QUICK else 5


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
                    say(f"  performance {result['performance']}, first paint {result['fcp'] / 1000:.2f} s, "
                        f"TBT {result['tbt']:.0f} ms (from the start {result['blocking']:.0f} ms), "
                        f"main thread {result['mainthread'] / 1000:.2f} s")
                runs[name][rel].append(result)
    return {name: {rel: summarize(r) for rel, r in pages.items()} for name, pages in runs.items()}


def spread(values: list) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def summarize(runs: list) -> dict:
    good = [r for r in runs if "error" not in r]
    if not good:
        return {"error": runs[0]["error"]}
    out = {k: spread([r[k] for r in good if r.get(k) is not None]) for k in CATEGORIES + ("fcp", "tbt", "blocking", "mainthread")}
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
    scores["fcp"] = audits["first-contentful-paint"]["numericValue"]
    scores["tbt"] = audits["total-blocking-time"]["numericValue"]
    # the same sum over every long task until interactive, before the first paint too
    interactive = audits["interactive"]["numericValue"]
    scores["blocking"] = sum(max(0, t["duration"] - 50)
                             for t in audits["long-tasks"].get("details", {}).get("items", [])
                             if t["startTime"] < interactive)
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
    nginx_exe()  # before the builds: says at once if nginx is missing
    WORK.mkdir(parents=True, exist_ok=True)
    results: dict = {"ours": {}, "baseline": {}, "load": [os.getloadavg()]}
    sites = {"ours": WORK / "site-ours", "baseline": WORK / "site-baseline"}
    ports = {name: free_port() for name in sites}  # each site is built for its address
    base = {name: f"http://127.0.0.1:{port}/" for name, port in ports.items()}
    say("preparing the baseline: the same pages, default configuration")
    projects = {"ours": ROOT, "baseline": make_baseline(base["baseline"])}

    # build time, median of RUNS each, taking turns: ours without the PDFs
    # (the HTML site, against the baseline), the baseline, ours with them
    # (the PDFs' cost); the last build, ours in full, is the one measured below
    times = {"ours": [], "baseline": [], "ours_pdf": []}
    for i in range(RUNS):
        say(f"build {i + 1} of {RUNS} (ours, without PDFs)")
        times["ours"].append(build(ROOT, sites["ours"], base["ours"], strict=True))
        say(f"build {i + 1} of {RUNS} (baseline)")
        times["baseline"].append(build(projects["baseline"], sites["baseline"], base["baseline"], strict=False))
        say(f"build {i + 1} of {RUNS} (ours, with PDFs)")
        times["ours_pdf"].append(build(ROOT, sites["ours"], base["ours"], strict=True, pdf=True))
    for name in sites:
        results[name]["build_s"] = statistics.median(t for t, _ in times[name])
        results[name]["build_cpu_s"] = statistics.median(c for _, c in times[name])
        results[name]["zip"] = zip_size(sites[name])
        results[name]["index"] = index_sizes(sites[name])
    results["ours"]["build_pdf_s"] = statistics.median(t for t, _ in times["ours_pdf"])
    results["ours"]["build_pdf_cpu_s"] = statistics.median(c for _, c in times["ours_pdf"])
    results["ours"]["pdfs"] = {p.name: p.stat().st_size for p in sorted((sites["ours"] / "downloads").glob("*.pdf"))}

    unzipped = WORK / "unzipped"
    shutil.rmtree(unzipped, ignore_errors=True)
    with zipfile.ZipFile(next((sites["ours"] / "downloads").glob("*.zip"))) as zf:
        zf.extractall(unzipped)
    disk_base = next(unzipped.iterdir()).as_uri() + "/"

    say(f"starting nginx: ours at {base['ours']}, baseline at {base['baseline']}")
    with nginx(sites, ports) as logs:
        with sync_playwright() as pw:
            args = ["--headless=new", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run"] + (["--no-sandbox"] if os.geteuid() == 0 else [])
            browser = pw.chromium.launch(executable_path=exe, args=args)
            for name in sites:
                dirs = name == "baseline"
                results[name]["views"] = views(browser, name, sites[name], base[name], logs[name], dirs)
                say(f"search, {RUNS} times in each language, over HTTP ({name})")
                results[name]["search"] = {
                    (query, "http"): search_latency(browser, base[name], rel, query, dirs) for _, rel, query in QUERIES}
            say(f"search, {RUNS} times in each language, from disk (ours)")
            for _, rel, query in QUERIES:
                results["ours"]["search"][(query, "disk")] = search_latency(browser, disk_base, rel, query, False)
                results["baseline"]["search"][(query, "disk")] = (None, None)  # no offline setup
            browser.close()

        urls = {name: {rel: page_url(base[name], rel, name == "baseline") for rel in PAGES} for name in sites}
        for name, pages in lighthouse_all(urls, exe).items():
            results[name]["lighthouse"] = pages
    say("nginx stopped")
    results["load"].append(os.getloadavg())

    (WORK / "results.json").write_text(json.dumps({name: {k: v for k, v in results[name].items() if k != "search"}
                                                   for name in sites}, indent=1), encoding="utf-8")
    report, ok = write_report(results, versions(exe))
    print(report)
    return 0 if ok else 1


def encodings(res: dict) -> str:
    return ", ".join(sorted({e for x in res["views"].values() for e in x["cold"]["encodings"]})) or "none"


def write_report(r: dict, v: dict) -> tuple[str, bool]:
    from sco_report import languages
    ours, base = r["ours"], r["baseline"]
    checks = []
    lines = [
        "# Benchmark: this site against a default setup",
        "",
        f"Run {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} by `make bench` (bench/run.py).",
        f"Machine: {machine()}.",
        "Load average (1, 5, 15 min) before the run " + ", ".join(f"{x:.1f}" for x in r["load"][0])
        + "; at its end, its own work included, " + ", ".join(f"{x:.1f}" for x in r["load"][1])
        + f". Above {os.cpu_count()} before the run, other work shared the machine: the timings (builds,",
        "Lighthouse, search) then come out slower and more spread than on a quiet one.",
        "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()) + ".",
        *(["", "**BENCH_QUICK=1: fewer runs than the default; not figures to commit.**"] if QUICK else []),
        "",
        "Baseline: the same pages (data references expanded) built with the configuration a new user would",
        "write: theme material with its default palette and fonts, default search, the i18n plugin (zh default,",
        "en), no hooks, no custom CSS or JavaScript.",
        "",
        "## How they were served",
        "",
        "Both by Debian's nginx, one process on 127.0.0.1 (its configuration: bench/work/nginx.conf), with what",
        "Debian's stock nginx.conf sets for HTTP: `sendfile on; tcp_nopush on; include mime.types;",
        "default_type application/octet-stream; gzip on;` (gzip for text/html only, at nginx's default level 1).",
        "",
        "- ours: the server block of the README's Publishing section, `root` the built site, then",
        "  `include site/.nginx/site.conf` (the build's CSP hashes and 404 pages) and `include deploy/nginx.conf`:",
        "  the build's .br and .gz twins (brotli_static, gzip_static), Cache-Control (hashed names a year,",
        "  immutable; the rest of assets/ a day; everything else no-cache, i.e. revalidated), the security",
        "  headers, 404 pages per language.",
        "- baseline: the same block without the two includes, plus what an admin adds to the default: Debian's",
        "  commented-out line `gzip_types text/plain text/css application/json application/javascript text/xml",
        "  application/xml application/xml+rss text/javascript` (compressed on the fly, level 1). No",
        "  Cache-Control; nginx's default ETag and Last-Modified.",
        "",
        "Chromium asked for " + " or ".join(f"`{a}`" for a in sorted({a for res in (ours, base) for x in res["views"].values()
                                                                     for a in x["cold"]["accept"]}))
        + " and got, on the cold views: ours " + encodings(ours) + "; baseline " + encodings(base) + ".",
        "",
        "## Page views: cold and repeat (bytes over the wire, requests)",
        "",
        "Counted from each site's nginx access log, so what the search worker fetches counts too: bytes are",
        "`$bytes_sent`, status line, headers and body as sent. Cold: a fresh browser (empty cache, mobile",
        f"viewport) loads the page and waits {SETTLE_MS / 1000:.0f} s after load. Repeat: a fresh browser views the other",
        "page of the language (for a chapter, the home page; for a home page, the chapter), then this one, as a",
        "reader clicking on; only this second view counts. It is measured twice, with every file of the site",
        "last modified just before and a day before: an answer without Cache-Control (the baseline's) stays",
        "fresh in the browser for a tenth of its Last-Modified age, so the baseline's repeat view depends on",
        "how long ago the site was published; ours, which sends Cache-Control, does not. HTML: the page's own",
        "answer. Bodies: the cold view without the index, response bodies only (`$body_bytes_sent`), the",
        "measure of the cold chapter budget (as when the bench had a server of its own).",
        "",
        "| page | site | HTML KB | cold KB | requests | without index: KB | bodies KB | requests |"
        + "".join(f" repeat, {label}: KB | requests (answers) |" for label in AGES),
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |" + " ---: | --- |" * len(AGES),
    ]

    def answers(x: dict) -> str:
        return ", ".join(f"{n}×{status}" for status, n in x["statuses"].items()) or "none"

    for rel in PAGES:
        for name, res in (("ours", ours), ("baseline", base)):
            x = res["views"][rel]
            c = x["cold"]
            lines.append(f"| {rel} | {name} | {kb(c['html'])} | {kb(c['bytes'])} | {c['requests']} | "
                         f"{kb(c['bytes_no_index'])} | {kb(c['body_no_index'])} | {c['requests_no_index']} |"
                         + "".join(f" {kb(x[label]['bytes'])} | {x[label]['requests']} ({answers(x[label])}) |"
                                   for label in AGES))
        if rel in CHAPTERS:
            o, b = ours["views"][rel]["cold"], base["views"][rel]["cold"]
            checks.append((f"cold chapter load {rel} ≤ {BUDGET['chapter_kb']} KB of bodies without index",
                           o["body_no_index"] <= BUDGET["chapter_kb"] * 1024,
                           f"{kb(o['body_no_index'])} KB ({kb(o['bytes_no_index'])} KB over the wire)"))
            checks.append((f"cold chapter load {rel} ≤ baseline over the wire (without index)",
                           o["bytes_no_index"] <= b["bytes_no_index"],
                           f"{kb(o['bytes_no_index'])} vs {kb(b['bytes_no_index'])} KB"))
            for label in AGES:
                x = ours["views"][rel][label]
                checks.append((f"repeat view of {rel}, {label}: ≤ its HTML + {BUDGET['repeat_extra_kb']} KB, "
                               f"≤ {BUDGET['repeat_requests']} requests",
                               x["bytes"] <= x["html"] + BUDGET["repeat_extra_kb"] * 1024
                               and x["requests"] <= BUDGET["repeat_requests"],
                               f"{kb(x['bytes'])} KB (HTML {kb(x['html'])}), requests: {x['requests']}"))
    lines += ["", "Requests to other hosts (the baseline's Google Fonts) fail here, offline; they count as requests",
              "of no bytes.",
              "", f"## Lighthouse 12.2.3, mobile: median of {LIGHTHOUSE_RUNS} runs (min–max)", "",
              f"Each page was measured {LIGHTHOUSE_RUNS} times on each site, the sites taking turns, so that a busy spell of",
              "the machine falls on both. Total Blocking Time and main-thread time are Lighthouse's simulated",
              "(4× slower CPU) figures; on a shared two-core machine single runs differ widely, hence the spread.",
              "Total Blocking Time counts only the long tasks after the first contentful paint (FCP). The baseline",
              "loads Material's script at the end of `<body>` without `defer`, and its single runs fall into two",
              "groups: where the browser first lays the whole page out while parsing, before the first paint,",
              "Material's start-up task is short (about 70 ms at 4× slower CPU); where that first layout falls",
              "inside the task instead, it takes about 200–300 ms and counts when the simulated first paint comes",
              "before it: most of the spread of its TBT. Ours loads that script with `defer`, as it loads its own:",
              "the first layout falls in the parser's tasks in every run, and the start-up task stays short. The",
              "column after TBT sums the same blocking time (each long task's time beyond 50 ms, from Lighthouse's",
              "long-tasks audit) over every long task until the page is interactive, before the first paint too:",
              "how long the main thread blocks during the whole load, measured alike on both sites.",
              "", "| page | site | performance | first contentful paint (s) | TBT (ms) | blocking from the start (ms) | main thread (s) | accessibility | best practices | SEO | audits below 0.9 in any run |",
              "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]

    def cell(x: dict, fmt=lambda v: f"{v:.0f}") -> str:
        return f"{fmt(x['median'])} ({fmt(x['min'])}–{fmt(x['max'])})" if x["min"] != x["max"] else fmt(x["median"])

    seconds = lambda v: f"{v / 1000:.2f}"  # noqa: E731
    for rel in PAGES:
        for name, res in (("ours", ours), ("baseline", base)):
            s = res["lighthouse"][rel]
            if "error" in s:
                lines.append(f"| {rel} | {name} | error: {s['error'][:60]} | | | | | | | | |")
                if name == "ours":
                    checks.append((f"Lighthouse ran on {rel}", False, s["error"][:80]))
                continue
            fails = "; ".join(f"{k}: {', '.join(ids)}" for k, ids in s["failing"].items())
            lines.append(f"| {rel} | {name} | {cell(s['performance'])} | {cell(s['fcp'], seconds)} | "
                         f"{cell(s['tbt'])} | {cell(s['blocking'])} | "
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
    # per language built: the baseline builds the stored ones, ours also the converted
    per = len(languages.STORED) / len(languages.CODES)
    ratio = ours["build_s"] / base["build_s"] * per
    checks.append((f"build time per language ≤ {BUDGET['build_ratio']}× baseline's (ours without PDFs)",
                   ratio <= BUDGET["build_ratio"],
                   f"{ratio:.2f}× (CPU time {ours['build_cpu_s'] / base['build_cpu_s'] * per:.2f}×)"))
    pdf_cost = ours["build_pdf_s"] - ours["build_s"]
    pdf_cpu = ours["build_pdf_cpu_s"] - ours["build_cpu_s"]
    checks.append((f"the PDFs add ≤ {BUDGET['pdf_s']} s to the build (medians)", pdf_cost <= BUDGET["pdf_s"],
                   f"{pdf_cost:.1f} s (CPU {pdf_cpu:.1f} s)"))
    checks.append(("a PDF per language built", len(ours["pdfs"]) == len(languages.CODES),
                   ", ".join(ours["pdfs"]) or "none"))
    for pdf_name, size in ours["pdfs"].items():
        checks.append((f"{pdf_name} ≤ {BUDGET['pdf_mb']} MB", size <= BUDGET["pdf_mb"] * 1024 * 1024,
                       f"{size / 1024 / 1024:.2f} MB"))
    lines += ["", "## Build and bundle", "",
              "Each build is a `mkdocs build` of its own; the runs take turns (ours without PDFs, baseline, ours",
              f"with PDFs), {RUNS} of each, and the figure is the median. Ours is built without its PDFs",
              "(`RPT_PDF=0`) to compare with the baseline, which has none, and with them (`RPT_PDF=1`, as",
              "`make build` does) for what they cost; the last build, with PDFs, is the site measured above.",
              "",
              "CPU: the CPU time of the build and the processes it forks (the PDFs of the languages are set",
              "in parallel), which other work on the machine hardly changes; the budgets are on the time itself.",
              "",
              "| | ours | baseline |", "| --- | ---: | ---: |",
              f"| languages built | {', '.join(languages.CODES)} | {', '.join(languages.STORED)} |",
              f"| build of the HTML site, median of {RUNS} (s) | {ours['build_s']:.2f} | {base['build_s']:.2f} |",
              f"| its CPU time (s) | {ours['build_cpu_s']:.2f} | {base['build_cpu_s']:.2f} |",
              f"| build with the PDFs, median of {RUNS} (s) | {ours['build_pdf_s']:.2f} | |",
              f"| its CPU time (s) | {ours['build_pdf_cpu_s']:.2f} | |",
              f"| the PDFs add (s) | {pdf_cost:.2f} | |",
              f"| the PDFs add, CPU time (s) | {pdf_cpu:.2f} | |",
              f"| offline zip (KB) | {kb(ours['zip'])} | {kb(base['zip'])} |",
              *[f"| {pdf_name} (MB) | {size / 1024 / 1024:.2f} | |" for pdf_name, size in ours["pdfs"].items()],
              "", "The baseline has no offline zip of its own: its figure is its whole site folder, zipped.",
              "", f"## Search (ms, median of {RUNS})", "",
              "Last keystroke to first result, once the index is loaded; in brackets, opening the search box to",
              "its being ready (this site loads the worker and index only then; the baseline on every page view).",
              "", "| query | ours over HTTP | ours from disk | baseline over HTTP |", "| --- | ---: | ---: | ---: |"]
    for lang, _, query in QUERIES:
        cells = []
        for name, mode in (("ours", "http"), ("ours", "disk"), ("baseline", "http")):
            opening, t = r[name]["search"][(query, mode)]
            if opening is None:
                cells.append("n/a")
            else:
                cells.append(("no result" if t is None else f"{t:.0f}") + f" ({opening:.0f})")
            if name == "ours":
                checks.append((f"search {query} ({mode}) ≤ {BUDGET['search_ms']} ms",
                               t is not None and t <= BUDGET["search_ms"], "no result" if t is None else f"{t:.0f} ms"))
            if name == "ours" and mode == "http" and query in V110["search_ms"]:
                limit = V110["search_ms"][query] * INDEX_GROWTH
                checks.append((f"search {query} (http) ≤ 1.1.0's × {INDEX_GROWTH} ({limit:.0f} ms)",
                               t is not None and t <= limit, "no result" if t is None else f"{t:.0f} ms"))
        lines.append(f"| {query} ({lang}) | " + " | ".join(cells) + " |")
    lines += ["", "### Search index per language (KB: as stored; Brotli, as sent)", "",
              "The baseline writes one index for both languages; each of its pages loads all of it.", "",
              "| language | ours | ours, br | 1.1.0 | baseline | baseline, br |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for lang, (size, br) in ours["index"].items():
        base_size, base_br = next(iter(base["index"].values()))
        before = V110["index"].get(lang)   # none for an edition 1.1.0 did not have
        lines.append(f"| {lang} | {kb(size)} | {kb(br)} | {kb(before) if before else '–'} | {kb(base_size)} | "
                     f"{kb(base_br)} |")
        if before:
            limit = before * INDEX_GROWTH
            checks.append((f"search index {lang} ≤ 1.1.0's × {INDEX_GROWTH} ({kb(limit)} KB)", size <= limit,
                           f"{kb(size)} KB"))
    lines += ["", "## Budgets", "", "| budget | met | measured |", "| --- | --- | --- |"]
    lines += [f"| {name} | {'yes' if ok else '**no**'} | {value} |" for name, ok, value in checks]
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "RESULTS.md").write_text(text, encoding="utf-8")
    return text, all(ok for _, ok, _ in checks)


if __name__ == "__main__":
    sys.exit(main())
