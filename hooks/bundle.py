"""Hook: make the built site lean and self-contained, and package it for
offline reading.

After both languages are built and the search indexes split:
1. Nothing outside the site: source maps go (1.3 MB nobody reading needs),
   and the two remote scripts Material's bundle may load on its own (a
   ResizeObserver polyfill for old browsers, Mermaid for diagrams) point to
   files inside the site instead of unpkg.com.
   Lean: Material starts its search worker and downloads the search index
   on every page view; here both wait until the reader opens search (as
   Material already does from disk). The theme's stylesheets lose the rules
   that can match nothing on this site (classes that appear in no page and
   no script, right-to-left rules, palette colours not used), and our own
   stylesheet and script lose comments and indentation. Each rewrite of the
   theme checks the exact text it replaces, so a Material upgrade that
   changes it fails the build instead of silently doing nothing.
2. The whole site is zipped, reproducibly (entries sorted, timestamps from
   SOURCE_DATE_EPOCH, fixed permissions), into
   site/downloads/<name>-<version>.zip with one top-level folder of the same
   name. The zip never contains itself. Inside the zip, download links point
   to the published site, since the zip cannot hold itself.
3. The site's download links get the zip's size.
Before the zip is made, hooks/pdf.py sets the PDF edition of each language
into site/downloads/ (so the zip, which leaves downloads/ out, stays
HTML-only); `mkdocs serve` and RPT_PDF=0 skip it (see hooks/pdf.py).
"""

from __future__ import annotations

import os
import re
import time
import zipfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

import pdf
import reportdata as rd

NAME = "sailing-steady-to-success"
DOWNLOADS = "downloads"
THEME_REMOTE = {
    # Material's bundle loads these by itself; ours are vendored next to it.
    "https://unpkg.com/resize-observer-polyfill": "assets/javascripts/resize-observer-polyfill.js",
    # The report has no Mermaid diagrams, so this is never requested; if one
    # is ever added, vendor mermaid.min.js here rather than load a CDN.
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "assets/javascripts/mermaid.min.js",
}
SIZE_SLOT = re.compile(r'(<span class="rpt-download-size")( hidden)?>[^<]*(</span>)')
DOWNLOAD_HREF = re.compile(r'(<a class="rpt-download" href=")((?:\.\./)*' + DOWNLOADS + r'/[^"]+)"')


def version(root: Path) -> str:
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^version\s*=\s*"([^"]+)"', text, re.M).group(1)


def bundle_name(root: Path) -> str:
    return f"{NAME}-{version(root)}"


def download_path(root: Path) -> str:
    """Where the zip lives, relative to the site root."""
    return f"{DOWNLOADS}/{bundle_name(root)}.zip"


# Material 9.7.6's bundle, minified: the search worker is created when the
# bundle runs (Mn) and set up at once except from disk (Ei).
LAZY_SEARCH = {
    "function Mn(e,t=new Worker(e)){":
        "function Mn(e,t=new __rptLazyWorker(e)){",
    'L($(location.protocol!=="file:"),Je("search"))':
        "L($(!1),Je(\"search\"))",
}
# A stand-in that starts the real worker (or iframe-worker's, from disk) at
# the first message, which Material sends when search is opened.
LAZY_WORKER = (
    "var __rptLazyWorker=class{constructor(u){this.u=u;this.w=null;this.l=[]}"
    "addEventListener(t,f,o){this.l.push([t,f,o]);this.w&&this.w.addEventListener(t,f,o)}"
    "removeEventListener(t,f,o){this.l=this.l.filter(x=>x[1]!==f);this.w&&this.w.removeEventListener(t,f,o)}"
    "postMessage(m){if(!this.w){this.w=new Worker(this.u);for(const[t,f,o]of this.l)this.w.addEventListener(t,f,o)}"
    "this.w.postMessage(m)}};"
)


def _replace(text: str, old: str, new: str, where: str) -> str:
    if old not in text:
        raise PluginError(f"{where}: the text hooks/bundle.py rewrites is not there ({old[:50]!r}); "
                          "was Material upgraded? Update hooks/bundle.py")
    return text.replace(old, new)


def _self_contained(site: Path) -> None:
    for path in site.rglob("*.map"):
        path.unlink()
    for path in (site / "assets" / "javascripts").glob("bundle.*.min.js"):
        js = path.read_text(encoding="utf-8")
        where = path.relative_to(site).as_posix()
        for remote, local in THEME_REMOTE.items():
            # the page's scope URL (__md_scope) is the site root on every page
            js = _replace(js, f'"{remote}"', f'new URL("{local}",__md_scope).href', where)
        for old, new in LAZY_SEARCH.items():
            js = _replace(js, old, new, where)
        # after the "use strict" directive, which must stay the first statement
        strict = '"use strict";'
        if not js.startswith(strict):
            raise PluginError(f"{where}: does not start with {strict}; was Material upgraded? Update hooks/bundle.py")
        path.write_text(strict + LAZY_WORKER + js[len(strict):], encoding="utf-8")


# --- leaner stylesheets --------------------------------------------------------------------

FUNCTIONAL = re.compile(r":(?:not|is|where|has|matches|-webkit-any)\([^()]*\)")
CLASS = re.compile(r"\.(-?[A-Za-z_][\w-]*)")
COLOR_ATTR = re.compile(r"\[data-md-color-(primary|accent|scheme)=[\"']?([\w-]+)")


def _used(site: Path) -> tuple[set[str], set[tuple[str, str]]]:
    """Class names any page or script can put in the document, and the
    palette attribute values the pages use."""
    classes: set[str] = set()
    colors: set[tuple[str, str]] = set()
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for value in re.findall(r'class="([^"]*)"', html):
            classes.update(value.split())
        colors.update(re.findall(r'data-md-color-(primary|accent|scheme)="([\w-]+)"', html))
    for script in site.rglob("*.js"):
        classes.update(re.findall(r"[A-Za-z_][\w-]*", script.read_text(encoding="utf-8", errors="replace")))
    return classes, colors


def _keep(selector: str, classes: set[str], colors: set[tuple[str, str]]) -> bool:
    if "dir=rtl" in selector:
        return False  # both languages are left-to-right
    for kind, value in COLOR_ATTR.findall(selector):
        if (kind, value) not in colors:
            return False
    plain = selector
    while True:  # classes inside :not(), :is() … are not required to match
        stripped = FUNCTIONAL.sub("", plain)
        if stripped == plain:
            break
        plain = stripped
    return all(name in classes for name in CLASS.findall(plain))


def _purge(css: str, classes, colors) -> str:
    out, i = [], 0
    while i < len(css):
        brace = css.find("{", i)
        if brace < 0:
            out.append(css[i:])
            break
        head = css[i:brace]
        if head.lstrip().startswith("@"):
            depth, k = 1, brace + 1
            while depth:
                depth += {"{": 1, "}": -1}.get(css[k], 0)
                k += 1
            if head.lstrip().startswith(("@media", "@supports", "@layer", "@container")):
                inner = _purge(css[brace + 1:k - 1], classes, colors)
                if inner.strip():
                    out.append(head + "{" + inner + "}")
            else:
                out.append(css[i:k])  # @keyframes, @font-face, @page …
            i = k
        else:
            end = css.find("}", brace)
            selectors = [s for s in _split_selectors(head) if _keep(s, classes, colors)]
            if selectors:
                out.append(",".join(selectors) + css[brace:end + 1])
            i = end + 1
    return "".join(out)


def _split_selectors(head: str) -> list[str]:
    """Split a selector list at top-level commas (not those inside :is(…))."""
    if "(" not in head:
        return head.split(",")
    parts, depth, start = [], 0, 0
    for n, ch in enumerate(head):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(head[start:n])
            start = n + 1
    parts.append(head[start:])
    return parts


def _strip(text: str) -> str:
    """Our own CSS and JS without comments and indentation (both are written
    without comment markers inside strings)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip()) + "\n"


def _lean(site: Path) -> None:
    classes, colors = _used(site)
    for path in (site / "assets" / "stylesheets").glob("*.min.css"):
        path.write_text(_purge(path.read_text(encoding="utf-8"), classes, colors), encoding="utf-8")
    for path in (site / "assets" / "stylesheets" / "site.css", site / "assets" / "javascripts" / "site.js"):
        if path.exists():
            path.write_text(_strip(path.read_text(encoding="utf-8")), encoding="utf-8")


def _zip(site: Path, target: Path, top: str, site_url: str) -> None:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip cannot go before 1980
    files = sorted(p for p in site.rglob("*") if p.is_file()
                   and p.relative_to(site).parts[0] != DOWNLOADS)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            rel = path.relative_to(site).as_posix()
            data = path.read_bytes()
            if path.suffix == ".html":
                data = DOWNLOAD_HREF.sub(
                    lambda m: f'{m.group(1)}{site_url}{download_path_of(m.group(2))}"',
                    data.decode("utf-8")).encode("utf-8")
            info = zipfile.ZipInfo(f"{top}/{rel}", date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            zf.writestr(info, data, compresslevel=9)
    tmp.replace(target)


def download_path_of(href: str) -> str:
    return href[href.index(DOWNLOADS):]


def human_size(size: int, lang: str) -> str:
    mb = size / 1_000_000
    text = f"{mb:.1f} MB" if mb >= 0.1 else f"{size // 1000} KB"
    return rd.ui(lang)["download_size"].format(size=text)


_COMMAND: list[str] = []   # build, serve or gh-deploy: serve skips the PDFs


def on_startup(*, command, dirty):
    _COMMAND[:] = [command]


@event_priority(-200)  # after the search indexes are split (-150)
def on_post_build(config):
    plugin = config.plugins.get("i18n")
    if plugin is not None and plugin.building:
        return  # a nested per-language build
    site = Path(config.site_dir)
    root = Path(config.config_file_path).parent
    _self_contained(site)
    _lean(site)
    if pdf.enabled(_COMMAND[0] if _COMMAND else None):
        pdf.build_pdfs(site, root, base=bundle_name(root), version=version(root),
                       site_url=config.site_url or "", downloads=DOWNLOADS)
    target = site / download_path(root)
    _zip(site, target, bundle_name(root), config.site_url or "")
    size = target.stat().st_size
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "rpt-download-size" not in html:
            continue
        lang = "en" if page.relative_to(site).parts[0] == "en" else "zh"
        html = SIZE_SLOT.sub(lambda m: f"{m.group(1)}>{human_size(size, lang)}{m.group(3)}", html)
        page.write_text(html, encoding="utf-8")
