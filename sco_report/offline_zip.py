"""The offline edition: one reproducible zip of the whole site, and the sizes
shown next to every download link.

sco_report/data.py renders the links ({{ download:zip }}) with
link_attrs() and size_slot(); the pipeline calls write() after everything
else has been written into the site.

- The zip has one top-level folder named after the report and the version;
  entries are sorted, timestamps come from the build's SOURCE_DATE_EPOCH,
  permissions are fixed, so two builds of one commit give the same bytes.
- It holds the site but not downloads/ (it cannot hold itself, and the PDFs
  are downloads of their own); inside it, download links point to the
  published site.
- Then every download link's size slot gets the file's size.
The links and slots are our own markup, written by size_slot() and
link_attrs() below; they are found with a parser and replaced exactly.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import lxml.html

from . import languages

NAME = "sailing-steady-to-success"
DOWNLOADS = "downloads"


def bundle_name(version: str) -> str:
    return f"{NAME}-{version}"


def download_path(version: str) -> str:
    """Where the zip lives, relative to the site root."""
    return f"{DOWNLOADS}/{bundle_name(version)}.zip"


def link_attrs(target: str, href: str) -> str:
    """A download link's attributes: the file (from the site root) and its href."""
    return f'data-rpt-download="{target}" href="{href}"'


def size_slot(target: str) -> str:
    return f'<span class="rpt-download-size" data-rpt-size="{target}" hidden></span>'


def _links(html: str) -> set[tuple[str, str]]:
    doc = lxml.html.document_fromstring(html)
    return {(a.get("data-rpt-download"), a.get("href")) for a in doc.iter("a") if a.get("data-rpt-download")}


def _zip(site: Path, target: Path, top: str, site_url: str, epoch: int) -> None:
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip cannot go before 1980
    # not downloads/, nor compressed twins (MkDocs writes sitemap.xml.gz), which a reader never
    # opens, nor hidden files: the server's .nginx/ include, which MkDocs' clean keeps from the
    # last build into the same folder (it skips dot-files), so that the zip would differ
    files = sorted(p for p in site.rglob("*") if p.is_file() and p.relative_to(site).parts[0] != DOWNLOADS
                   and p.suffix not in (".gz", ".br")
                   and not any(part.startswith(".") for part in p.relative_to(site).parts))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            rel = path.relative_to(site).as_posix()
            data = path.read_bytes()
            # from disk, a download goes to the published file (none in a preview build)
            if site_url and path.suffix == ".html" and b"data-rpt-download=" in data:
                text = data.decode("utf-8")
                for file, href in _links(text):
                    text = text.replace(link_attrs(file, href), link_attrs(file, site_url + file))
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(f"{top}/{rel}", date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            # zlib's default level: 9 makes the zip 0.6% smaller and takes twice as long
            zf.writestr(info, data, compresslevel=6)
    tmp.replace(target)


def human_size(size: int, template: str) -> str:
    mb = size / 1_000_000
    return template.format(size=f"{mb:.1f} MB" if mb >= 0.1 else f"{size // 1000} KB")


def write(site: Path, build) -> Path:
    """The zip, then every download link's size."""
    target = site / download_path(build.version)
    _zip(site, target, bundle_name(build.version), build.site_url, build.epoch)
    fill_sizes(site, build)
    return target


def fill_sizes(site: Path, build) -> None:
    for lang in languages.CODES:
        folder = build.folder(site, lang)
        template = build.ui(lang)["download_size"]
        for page in folder.glob("*.html"):
            html = page.read_text(encoding="utf-8")
            if "data-rpt-size=" not in html:
                continue
            doc = lxml.html.document_fromstring(html)
            for slot in doc.iter("span"):
                file = slot.get("data-rpt-size")
                if not file:
                    continue
                if not (site / file).exists():
                    continue  # not made in this build (the PDFs under RPT_PDF=0): the slot stays hidden
                size = human_size((site / file).stat().st_size, template)
                html = html.replace(size_slot(file), size_slot(file).replace(" hidden></span>", f">{size}</span>"))
            page.write_text(html, encoding="utf-8")
