"""Hook: what search engines, link previews and lost readers see.

- site_url comes from mkdocs.yml (SITE_URL in the environment overrides it).
- Each page gets a description in its own language (its first paragraph,
  unless the page sets one) and Open Graph / Twitter metadata, rendered by
  overrides/main.html from `seo` in the page context.
- hreflang pairs live in one place, the sitemap: overrides/sitemap.xml, a
  template that mkdocs-static-i18n renders with every language's alternates
  (dates from SOURCE_DATE_EPOCH); overrides/robots.txt points to it.
- 404: one page per language (docs/<lang>/404.md) at /404.html and
  /en/404.html instead of the theme's single one. A 404 page is served at any
  missing address, so it carries <base href> for its own folder on the
  published site (overrides/main.html), and Material's base and scope are
  made absolute to match (hooks/theme_patches.py).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.html

import state
import theme_patches

LOCALES = {"zh": "zh_CN", "en": "en_US"}


def is_404(page) -> bool:
    return page.file.src_uri.split("/")[-1] == "404.md"


def on_config(config):
    # one 404 per language instead (docs/<lang>/404.md); the languages after
    # the first are built with the same config, whose theme has none left
    if not state.is_nested(config):
        theme_patches.drop_theme_404(config)
    return config


def describe(page_html: str, lang: str) -> str:
    """The first paragraph of the page, as plain text, cut to a preview's length."""
    if not page_html.strip():
        return ""
    for para in lxml.html.fragments_fromstring(page_html):
        if not isinstance(para, lxml.html.HtmlElement):
            continue
        for p in ([para] if para.tag == "p" else []):
            for sup in p.xpath(f".//{theme_patches.NOTE_MARKER}"):  # note markers
                sup.drop_tree()
            text = re.sub(r"\s+", " ", p.text_content()).strip()
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


def folder_url(config, lang: str) -> str:
    """The path of a language's folder on the published site."""
    build = state.of(config)
    root = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
    return root if lang == build.default_lang else f"{root}{lang}/"


def on_page_content(page_html, page, config, files):
    lang = state.lang_of(page)
    page.meta.setdefault("description", describe(page_html, lang) or config.site_description)
    return page_html


def on_page_context(context, page, config, nav):
    lang = state.lang_of(page)
    context["seo"] = {
        "locale": LOCALES[lang],
        "alternate_locales": [LOCALES[o] for o in sorted(getattr(page.file, "alternates", {})) if o != lang],
        "is_404": is_404(page),
        "base": folder_url(config, lang) if is_404(page) else None,
    }
    return context


def on_post_page(output, page, config):
    if not is_404(page):
        return output
    lang = state.lang_of(page)
    where = f"docs/{page.file.src_uri} [{lang}]"
    # Material resolves its base against the address bar, not <base>
    output = theme_patches.set_config_base(output, folder_url(config, lang), where)
    return theme_patches.set_scope(output, folder_url(config, state.of(config).default_lang), where)
