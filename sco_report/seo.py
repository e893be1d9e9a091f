"""What search engines, link previews and lost readers see.

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
  made absolute to match (sco_report/theme_patches.py).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import lxml.html

from . import citation, languages, offline_zip, theme_patches
from .pdf import file_name as pdf_file_name


# the one line a build without an address logs (plugin.py)
NO_ADDRESS = ("site_url is not set (SITE_URL): a preview build, with no canonical links, sitemap or Open Graph "
              "address and no web address in the PDFs; set SITE_URL=https://…/ to build a release")


def is_404(page) -> bool:
    return page.file.src_uri.split("/")[-1] == "404.md"


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
            han = languages.get(lang).han
            limit = 110 if han else 200
            if len(text) > limit:
                cut = text[:limit]
                if not han:
                    cut = cut.rsplit(" ", 1)[0]
                text = cut.rstrip("，,;；：:、") + "…"
            return text
    return ""


def folder_url(site_url: str, lang: str) -> str:
    """The path of a language's folder on the published site."""
    return urlsplit(site_url or "/").path.rstrip("/") + "/" + languages.prefix(lang)


def describe_page(page_html: str, page, lang: str, site_description: str) -> None:
    page.meta.setdefault("description", describe(page_html, lang) or site_description)


def scholar(page, lang: str, build, site_url: str) -> dict:
    """What reference managers (Zotero, Mendeley) and Google Scholar read:
    Highwire Press tags describing this page as a page of this site, and
    JSON-LD describing the site and the report as two works, the one based
    on the other. From the same data as the cite box."""
    data, ed, rep = build.data, build.data["edition"], build.data["report"]
    tag = languages.get(lang).tag
    name = ed["title"][lang]
    title = name if page.is_homepage else (page.title or name)
    built = build.built_date
    meta = [("citation_title", title), ("citation_author", ed["author"][lang]),
            ("citation_publication_date", built.replace("-", "/")), ("citation_language", tag)]
    # without an address (a preview) no URL at all: these readers want absolute ones;
    # the two nodes are then blank nodes, linked by their labels
    page_node, site_node = {"@id": "_:page"}, {"@id": "_:site"}
    if site_url:
        home = site_url + languages.prefix(lang)
        url = page.canonical_url or home
        pdf = site_url + offline_zip.DOWNLOADS + "/" + pdf_file_name(offline_zip.bundle_name(build.version), lang)
        meta += [("citation_public_url", url), ("citation_pdf_url", pdf)]
        page_node, site_node = {"@id": url, "url": url}, {"@id": home + "#site", "url": home}
    report_id = citation.report_url(data)
    organization = {"@type": "Organization", "name": ed["author"][lang]}
    graph = [
        {"@type": "WebPage", **page_node, "name": title, "inLanguage": tag,
         "isPartOf": {"@id": site_node["@id"]}, "about": {"@id": report_id}, "dateModified": built},
        {"@type": "WebSite", **site_node, "name": name, "inLanguage": tag,
         "author": organization, "publisher": organization, "version": build.version, "dateModified": built,
         "about": {"@id": report_id}, "isBasedOn": {"@id": report_id}},
        {"@type": "Report", "@id": report_id, "url": report_id, "name": rep["title"][lang],
         "alternateName": [rep["title"][o] for o in languages.others(lang)] + [rep["title_alt"][languages.LATIN]],
         "editor": [{"@type": "Person", "name": e["name"][lang]} for e in rep["editors"]],
         "publisher": [{"@type": "Organization", "name": p["name"][lang],
                        "address": {"@type": "PostalAddress", "addressLocality": p["place"][lang]}}
                       for p in rep["publishers"]],
         "datePublished": rep["released"]},
    ]
    jsonld = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False,
                        separators=(",", ":")).replace("<", "\\u003c")
    return {"meta": meta, "jsonld": jsonld}


def page_context(context: dict, page, lang: str, site_url: str) -> dict:
    context["seo"] = {
        "locale": languages.get(lang).og_locale,
        "alternate_locales": [languages.get(o).og_locale for o in sorted(getattr(page.file, "alternates", {}))
                              if o != lang],
        "is_404": is_404(page),
        "base": folder_url(site_url, lang) if is_404(page) else None,
    }
    return context


def point_material(output: str, page, lang: str, site_url: str) -> str:
    """Where Material looks for the site, decided once per page: pages not in
    the default language search their own index (one folder deeper); a 404
    page, served at any address, uses absolute paths (Material resolves its
    base against the address bar, not <base>)."""
    where = f"docs/{page.file.src_uri} [{lang}]"
    if is_404(page):
        return theme_patches.set_material_paths(output, where, folder_url(site_url, lang),
                                                scope=folder_url(site_url, languages.DEFAULT))
    if languages.prefix(lang):
        base = theme_patches.config_base(output, where)
        # trailing slash: a URL base, not a file
        return theme_patches.set_material_paths(output, where, f"{base}/{languages.prefix(lang)}")
    return output
