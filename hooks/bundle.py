"""Hook: make the built site self-contained and package it for offline reading.

After both languages are built and the search indexes split:
1. Nothing outside the site: source maps go (1.3 MB nobody reading needs),
   and the two remote scripts Material's bundle may load on its own (a
   ResizeObserver polyfill for old browsers, Mermaid for diagrams) point to
   files inside the site instead of unpkg.com.
2. The whole site is zipped, reproducibly (entries sorted, timestamps from
   SOURCE_DATE_EPOCH, fixed permissions), into
   site/downloads/<name>-<version>.zip with one top-level folder of the same
   name. The zip never contains itself. Inside the zip, download links point
   to the published site, since the zip cannot hold itself.
3. The site's download links get the zip's size.
"""

from __future__ import annotations

import os
import re
import time
import zipfile
from pathlib import Path

from mkdocs.plugins import event_priority

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


def _self_contained(site: Path) -> None:
    for path in site.rglob("*.map"):
        path.unlink()
    for path in (site / "assets" / "javascripts").glob("bundle.*.min.js"):
        js = path.read_text(encoding="utf-8")
        for remote, local in THEME_REMOTE.items():
            # the page's scope URL (__md_scope) is the site root on every page
            js = js.replace(f'"{remote}"', f'new URL("{local}",__md_scope).href')
        path.write_text(js, encoding="utf-8")


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


@event_priority(-200)  # after the search indexes are split (-150)
def on_post_build(config):
    plugin = config.plugins.get("i18n")
    if plugin is not None and plugin.building:
        return  # a nested per-language build
    site = Path(config.site_dir)
    root = Path(config.config_file_path).parent
    _self_contained(site)
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
