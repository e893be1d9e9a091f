"""Hook: what search engines, link previews and lost readers see.

- site_url comes from mkdocs.yml (SITE_URL in the environment overrides it).
- Every page gets absolute hreflang alternates for both languages plus
  x-default (the Chinese page), a description in its own language (its first
  paragraph, unless the page sets one) and Open Graph / Twitter metadata
  (rendered by overrides/main.html from `seo` in the page context).
- robots.txt points crawlers to sitemap.xml, which lists every page with
  its hreflang pair. Dates come from SOURCE_DATE_EPOCH, so builds are
  reproducible.
- 404: one page per language (docs/<lang>/404.md) at /404.html and
  /en/404.html instead of the theme's single one. A 404 page is served at any
  missing address, so it carries <base href> pointing at its own folder on
  the published site, and Material's base is made absolute to match.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority

import reportdata as rd

LOCALES = {"zh": "zh_CN", "en": "en_US"}
PAGES: dict[str, list[str]] = {}     # language -> page urls built (for the sitemap)
MATERIAL_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
TAGS = re.compile(r"<[^>]+>")
NOTE_REF = re.compile(r"<sup[^>]*>.*?</sup>", re.S)


def _default(config) -> str:
    plugin = config.plugins.get("i18n")
    return plugin.default_language if plugin else "zh"


def is_404(page) -> bool:
    return page.file.src_uri.endswith("/404.md") or page.file.src_uri == "404.md"


def on_config(config):
    # Both are written by this hook instead: one 404 per language, one sitemap
    # with every language's pages.
    config.theme.static_templates.discard("404.html")
    config.theme.static_templates.discard("sitemap.xml")
    return config


def on_pre_build(config):
    plugin = config.plugins.get("i18n")
    if plugin is None or not plugin.building:
        PAGES.clear()  # the first (default-language) build of a run


def absolute(config, url: str) -> str:
    return (config.site_url or "/").rstrip("/") + "/" + url.lstrip("/")


def describe(page_html: str, lang: str) -> str:
    """The first paragraph of the page, as plain text, cut to a preview's length."""
    for para in re.findall(r"<p>(.*?)</p>", page_html, re.S):
        text = html.unescape(TAGS.sub("", NOTE_REF.sub("", para))).strip()
        text = re.sub(r"\s+", " ", text)
        if len(text) < 20:
            continue
        limit = 110 if lang == "zh" else 200
        if len(text) > limit:
            cut = text[:limit]
            if lang == "en":
                cut = cut.rsplit(" ", 1)[0]
            text = cut.rstrip("，,;；：:、") + "…"
        return text
    return ""


def on_page_content(page_html, page, config, files):
    lang = rd.lang_of(page)
    page.meta.setdefault("description", describe(page_html, lang) or config.site_description)
    return page_html


def on_page_context(context, page, config, nav):
    lang = rd.lang_of(page)
    default = _default(config)
    alternates = {}
    for other, file in sorted(getattr(page.file, "alternates", {}).items()):
        alternates[other] = absolute(config, file.url)
    if not is_404(page):
        PAGES.setdefault(lang, []).append(page.url)
    context["seo"] = {
        "locale": LOCALES[lang],
        "alternate_locales": [LOCALES[o] for o in alternates if o != lang],
        "alternates": alternates,
        "x_default": alternates.get(default),
        "is_404": is_404(page),
    }
    return context


def on_post_page(output, page, config):
    # Material prints relative hreflang links; search engines want absolute
    # ones, which main.html writes from `seo.alternates`.
    output = MATERIAL_ALTERNATE.sub("", output)
    if is_404(page):
        output = _fix_404(output, page, config)
    return output


def _fix_404(output: str, page, config) -> str:
    lang = rd.lang_of(page)
    root = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
    folder = root if lang == _default(config) else f"{root}{lang}/"
    output = output.replace("<head>", f'<head>\n    <base href="{folder}">', 1)

    def absolute_base(m):
        data = json.loads(m.group(2))
        # Material resolves its base against the address bar, not <base>
        data["base"] = folder
        return m.group(1) + json.dumps(data, separators=(",", ":")).replace("<", "\\u003c") + m.group(3)

    output = CONFIG_SCRIPT.sub(absolute_base, output, count=1)
    return re.sub(r'__md_scope=new URL\("[^"]*"', f'__md_scope=new URL("{root}"', output, count=1)


def _sitemap(config, langs: list[str], pairs: list[str], date: str) -> str:
    default = _default(config)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for lang in langs:
        for rel in pairs:
            url = rel if lang == default else f"{lang}/{rel}"
            lines.append("  <url>")
            lines.append(f"    <loc>{html.escape(absolute(config, url))}</loc>")
            lines.append(f"    <lastmod>{date}</lastmod>")
            for other in [default] + [o for o in PAGES if o != default]:
                alt = rel if other == default else f"{other}/{rel}"
                lines.append(f'    <xhtml:link rel="alternate" hreflang="{other}" '
                             f'href="{html.escape(absolute(config, alt))}"/>')
            lines.append(f'    <xhtml:link rel="alternate" hreflang="x-default" '
                         f'href="{html.escape(absolute(config, rel))}"/>')
            lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


@event_priority(-150)  # after the i18n plugin has built every language
def on_post_build(config):
    plugin = config.plugins.get("i18n")
    if plugin is not None and plugin.building:
        return
    site = Path(config.site_dir)
    default = _default(config)
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or int(dt.datetime.now().timestamp())
    date = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).date().isoformat()
    pairs = sorted(PAGES.get(default, []))
    langs = [default] + [lang for lang in PAGES if lang != default]
    (site / "sitemap.xml").write_text(_sitemap(config, langs, pairs, date), encoding="utf-8")
    (site / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {absolute(config, 'sitemap.xml')}\n",
                                     encoding="utf-8")
