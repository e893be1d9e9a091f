"""What the server's Content-Security-Policy must allow, read from the built
pages, and the nginx include that hands it to deploy/nginx.conf.

The policy (deploy/nginx.conf) allows no inline script and no inline style
but those listed here by their SHA-256 hashes (hashes()):

- scripts: every <script> without src that a browser runs
  (Material's own few lines in each page's head and body, our template's
  one line in overrides/main.html). Data blocks (type="application/json",
  Material's __config and our #rpt-ui) are never run, so are not listed.
- styles: every style attribute and <style> element (tables' column
  alignment from Markdown, the figures' width), allowed with 'unsafe-hashes'.
- An inline event handler (onclick=…) or a javascript: URL cannot be
  allowed that way without also allowing any injected one: the build fails
  on them, naming the page.

write_nginx_include writes site/.nginx/site.conf: these hash lists and the
404 page per language for the path of SITE_URL, as nginx variables. It is
written after the offline zip (which never holds server configuration) and
goes wherever site/ goes; deploy/nginx.conf refuses to serve it.

A step of plugin.py calls write_nginx_include() at the end of the
build. Pages are parsed with lxml.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html
from mkdocs.exceptions import PluginError

INCLUDE = Path(".nginx") / "site.conf"
# <script type> values a browser runs (the HTML standard's JavaScript MIME
# type essence matches, and "module"); anything else is a data block.
JS_TYPES = {"", "module", "text/javascript", "application/javascript", "application/ecmascript",
            "application/x-ecmascript", "application/x-javascript", "text/ecmascript",
            "text/javascript1.0", "text/javascript1.1", "text/javascript1.2", "text/javascript1.3",
            "text/javascript1.4", "text/javascript1.5", "text/jscript", "text/livescript",
            "text/x-ecmascript", "text/x-javascript"}
SAFE_PATH = re.compile(r"^/[A-Za-z0-9._~/-]*$")


def csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def pages(site: Path) -> list[Path]:
    """The built HTML pages (not server configuration in hidden folders)."""
    return [p for p in sorted(site.rglob("*.html"))
            if not any(part.startswith(".") for part in p.relative_to(site).parts)]


def hashes(site: Path) -> tuple[list[str], list[str]]:
    """(script hashes, style hashes) of the pages, each sorted; one parse
    of each page. Fails the build on inline event handlers and javascript:
    URLs, which no hash can allow."""
    scripts, styles = set(), set()
    for page in pages(site):
        doc = lxml_html.document_fromstring(page.read_text(encoding="utf-8"))
        rel = page.relative_to(site).as_posix()
        for attr in doc.xpath("//@*[starts-with(name(), 'on')]"):
            raise PluginError(f"{rel}: <{attr.getparent().tag} {attr.attrname}=…> is an inline event handler, "
                              "which the Content-Security-Policy blocks; attach it from docs/assets/javascripts/site.js")
        for url in doc.xpath("//@href | //@src | //@action | //@formaction"):
            if str(url).strip().lower().startswith("javascript:"):
                raise PluginError(f"{rel}: <{url.getparent().tag} {url.attrname}={str(url)[:40]!r}> is a javascript: "
                                  "URL, which the Content-Security-Policy blocks; attach it from docs/assets/javascripts/site.js")
        for script in doc.xpath("//script[not(@src)]"):
            if (script.get("type") or "").strip().lower() in JS_TYPES:
                scripts.add(csp_hash(script.text or ""))
        styles.update(csp_hash(str(value)) for value in doc.xpath("//@style"))
        styles.update(csp_hash(style.text or "") for style in doc.xpath("//style"))
    return sorted(scripts), sorted(styles)


def language_folders(site: Path) -> list[str]:
    """The folders with a 404 page of their own (one per language but the default)."""
    return sorted(d.name for d in site.iterdir()
                  if d.is_dir() and not d.name.startswith(".") and (d / "404.html").is_file())


def nginx_include(site_url: str, folders: list[str], scripts: list[str], styles: list[str]) -> str:
    base = unquote(urlsplit(site_url or "/").path or "/")
    if not base.endswith("/"):
        base += "/"
    if not SAFE_PATH.match(base):
        raise PluginError(f"mkdocs.yml site_url / SITE_URL {site_url!r}: its path {base!r} has characters "
                          "the nginx include cannot hold (use letters, digits and . _ ~ - /)")
    pattern = base.replace(".", r"\.")
    lines = [
        f"# Written by the build (sco_report/csp.py) for SITE_URL {site_url or '/'}",
        "# Do not edit: every build writes it anew. Include it in the server block",
        "# before deploy/nginx.conf, which reads these variables.",
        "",
        "# The inline scripts of the pages, by hash (Content-Security-Policy script-src).",
        f'set $sco_report_script_hashes "{" ".join(scripts)}";',
        "# Their style attributes, by hash (style-src, with 'unsafe-hashes').",
        f'set $sco_report_style_hashes "{" ".join(styles)}";',
        "# The 404 page for a missing address, in the language of its folder.",
        f"set $sco_report_404 {base}404.html;",
    ]
    for folder in folders:
        lines += [f'if ($uri ~ "^{pattern}{folder}/") {{',
                  f"    set $sco_report_404 {base}{folder}/404.html;",
                  "}"]
    return "\n".join(lines) + "\n"


def write_nginx_include(site: Path, site_url: str) -> Path:
    target = site / INCLUDE
    target.parent.mkdir(parents=True, exist_ok=True)
    scripts, styles = hashes(site)
    target.write_text(nginx_include(site_url, language_folders(site), scripts, styles), encoding="utf-8")
    return target
