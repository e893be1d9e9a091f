"""The parallel Chinese-English view of a chapter.

The printed report is a Chinese-English edition; so is this view. A page
whose front matter says `parallel: true` (in both languages) gets
<name>-parallel.html (and en/<name>-parallel.html): the two languages side
by side, one row per section, aligned on the ids the two pages share.
Nothing is written twice: after both languages are built, each language's
built chapter is cut into sections and set in a copy of the chapter page
itself, which already has the header, navigation, search and switcher at the
same folder depth (a pipeline step, write_views).

In the view, a row is <section id="expansion"> (so #expansion lands on the
aligned pair); ids inside a column get the column's language as prefix
(zh-expansion), headings keep the shared id as data-id, and the chapter's
headings move one level down under the view's own title. The built pages
are edited with a parser (sco_report/htmledit.py), never re-serialised.
"""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import lxml.html
from mkdocs.exceptions import PluginError

from . import htmledit, languages, state
from . import theme_patches

SUFFIX = "-parallel.html"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
REF_ATTRS = ("aria-labelledby", "aria-describedby", "for")
URL_ATTRS = ("href", "src")
# What shell() edits in a chapter page, each found once (the language
# switcher's links: one per language; the addresses: none in a build without
# site_url), and whose markup it is.
SHELL_EDITS = {
    "<title>": "the page", "<head>": "the page", "<body>": "the page",
    '<link rel="canonical">': "overrides/main.html", '<meta property="og:url">': "overrides/main.html",
    '<meta property="og:title">': "overrides/main.html", '<meta name="twitter:title">': "overrides/main.html",
    theme_patches.LANGUAGE_LINK: "Material",
}


def page_context(context: dict, page, lang: str, build: state.Build) -> dict:
    """Note a chapter that asks for a parallel view, and link it."""
    if page.meta.get("parallel"):
        build.parallel.setdefault(lang, set()).add(page.file.dest_uri.split("/")[-1])
        context["parallel_href"] = Path(page.file.dest_uri).stem + SUFFIX
    return context


# --- Cutting a built chapter -------------------------------------------------------

def sections(page: str, where: str) -> list[tuple[str, str]]:
    """(id, html) for the chapter's opening (H1 and introduction), each h2
    section, and its notes (id "notes"), from a built chapter page."""
    art = theme_patches.article_span(page, where)
    inner = page[art.open_end:art.close_start]
    top = [e for e in htmledit.elements(inner) if e.depth == 0]
    edits = htmledit.Edits(inner)
    for el in top:  # the page's tools (cite box, link to this view) stay out
        if "rpt-tools" in el.classes:
            edits.replace(el.start, el.end, "")
    h1 = next((e for e in top if e.tag == "h1"), None)
    if h1 is None:
        raise PluginError(f"{where}: a parallel chapter needs an H1")
    cuts = [(h1.get("id"), h1.start)]
    cuts += [(e.get("id"), e.start) for e in top if e.tag == "h2"]
    notes = next((e for e in top if theme_patches.matches(e, theme_patches.NOTES)), None)
    if notes is None and any(theme_patches.is_note_marker(e) for e in htmledit.elements(inner)):
        raise theme_patches.markup_changed(where, f"the notes, {theme_patches.show(theme_patches.NOTES)}, "
                                           "at the end of the article", "Python-Markdown")
    body_end = notes.start if notes else len(inner)
    out = []
    for i, (sid, start) in enumerate(cuts):
        end = cuts[i + 1][1] if i + 1 < len(cuts) else body_end
        out.append((sid, _cut(inner, edits, start, end)))
    if notes:
        out.append(("notes", inner[notes.start:notes.end]))
    return out


def _cut(inner: str, edits: htmledit.Edits, start: int, end: int) -> str:
    part = htmledit.Edits(inner[start:end])
    for s, e, new in edits.spans:
        if start <= s and e <= end:
            part.replace(s - start, e - start, new)
    return part.apply()


def column(fragment: str, lang: str, prefix: str) -> str:
    """One language's section, made to live in another page: headings one
    level down, ids prefixed with the language, links to other pages made
    relative to the view's folder."""
    edits = htmledit.Edits(fragment)
    for el in htmledit.elements(fragment):
        tag = edits.start_tag(el)
        new = tag
        if el.tag in HEADINGS:
            level = min(int(el.tag[1]) + 1, 6)
            new = f"<h{level}" + new[3:]
            edits.replace(el.close_start, el.end, f"</h{level}>")
            if el.get("id"):
                new = htmledit.set_attr(new, "data-id", el.get("id"))
        if el.get("id") is not None:
            new = htmledit.set_attr(new, "id", f"{lang}-{el.get('id')}")
        for attr in REF_ATTRS:
            if el.get(attr):
                new = htmledit.set_attr(new, attr, " ".join(f"{lang}-{v}" for v in el.get(attr).split()))
        for attr in URL_ATTRS:
            value = el.get(attr)
            if value is None:
                continue
            if value.startswith("#"):
                new = htmledit.set_attr(new, attr, f"#{lang}-{value[1:]}")
            elif value and not value.startswith("/") and not re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I):
                new = htmledit.set_attr(new, attr, prefix + value)
        if "url(#" in new:  # SVG paint references, e.g. fill="url(#rpt-hatch-zh)"
            new = new.replace("url(#", f"url(#{lang}-")
        if new != tag:
            edits.replace(el.start, el.open_end, new)
    return edits.apply()


def view(name: str, side: str, other: str, cols: dict, titles: dict, ui: dict) -> str:
    """The article of the view on the `side` language's site, from each
    language's sections (`sections`)."""
    ids = [sid for sid, _ in cols[side]]
    if ids != [sid for sid, _ in cols[other]]:
        raise PluginError(f"{name} [{side}/{other}]: the two languages' sections differ, so they cannot be "
                          f"aligned: {ids} / {[sid for sid, _ in cols[other]]}")
    # from the side's folder to the other's
    depth_prefix = "../" * languages.prefix(side).count("/") + languages.prefix(other)
    out = [f'<h1 id="parallel">{htmllib.escape(titles[side])}'
           f'<span class="rpt-parallel__kind"> · {htmllib.escape(ui["parallel_view"])}</span></h1>',
           f'<p class="rpt-parallel__intro">{htmllib.escape(ui["parallel_intro"])} '
           f'<a href="{name}">{htmllib.escape(ui["parallel_back"])}</a></p>',
           '<div class="rpt-parallel">']
    for i, sid in enumerate(ids):
        cls = "rpt-pair rpt-pair--notes" if sid == "notes" else "rpt-pair"
        out.append(f'<section class="{cls}" id="{sid}">')
        for lang in (side, other):
            prefix = "" if lang == side else depth_prefix
            out.append(f'<div class="rpt-col" lang="{languages.get(lang).tag}">{column(cols[lang][i][1], lang, prefix)}</div>')
        out.append("</section>")
    out.append("</div>")
    return "\n".join(out)


ADDRESSES = ('<link rel="canonical">', '<meta property="og:url">')


def shell(page: str, name: str, article: str, title: str, where: str = "", addressed: bool = True) -> str:
    """The chapter page, turned into its parallel view: its article, title,
    own addresses (canonical, Open Graph, switcher), and noindex."""
    where = where or name
    view_file = Path(name).stem + SUFFIX
    edits = htmledit.Edits(page)
    art = theme_patches.article_span(page, where)
    edits.replace(art.open_end, art.close_start, article)
    found = dict.fromkeys(SHELL_EDITS, 0)
    for el in htmledit.elements(page):
        tag = edits.start_tag(el)
        new = tag
        if art.start <= el.start < art.end:
            continue  # replaced as a whole
        if el.tag == "title":
            found["<title>"] += 1
            edits.replace(el.open_end, el.close_start, htmllib.escape(title))
        elif el.tag == "link" and el.get("rel") == "canonical":
            found['<link rel="canonical">'] += 1
            new = htmledit.set_attr(tag, "href", el.get("href").replace(name, view_file))
        elif el.tag == "meta" and el.get("property") == "og:url":
            found['<meta property="og:url">'] += 1
            new = htmledit.set_attr(tag, "content", el.get("content").replace(name, view_file))
        elif el.tag == "meta" and (el.get("property") == "og:title" or el.get("name") == "twitter:title"):
            found['<meta property="og:title">' if el.get("property") else '<meta name="twitter:title">'] += 1
            new = htmledit.set_attr(tag, "content", title)
        elif theme_patches.matches(el, theme_patches.LANGUAGE_LINK) and el.get("hreflang"):
            found[theme_patches.LANGUAGE_LINK] += 1
            new = htmledit.set_attr(tag, "href", el.get("href").split("#")[0].replace(name, view_file))
        elif el.tag == "body":
            found["<body>"] += 1
            new = htmledit.set_attr(tag, "class", ("rpt-parallel-page " + el.get("class", "")).strip())
        elif el.tag == "head":
            found["<head>"] += 1
            edits.replace(el.close_start, el.close_start, '  <meta name="robots" content="noindex, follow">\n  ')
        if new != tag:
            edits.replace(el.start, el.open_end, new)
    for what, whose in SHELL_EDITS.items():
        if found[what] == (0 if what in ADDRESSES and not addressed else 1) or (
                what == theme_patches.LANGUAGE_LINK and found[what]):
            continue
        if whose == "Material":
            raise theme_patches.markup_changed(where, f"{theme_patches.show(what)[:-1]} hreflang> in the "
                                               f"language switcher, found {found[what]}")
        raise PluginError(f"{where}: sco_report/parallel.py expected one {what} ({whose}), found {found[what]}")
    return edits.apply()


def _h1_text(page: str, where: str) -> str:
    art = theme_patches.article_span(page, where)
    # from the page's elements, which article_span has parsed already
    h1 = next((e for e in htmledit.elements(page) if e.tag == "h1" and art.open_end <= e.start < art.close_start),
              None)
    if h1 is None:
        raise PluginError(f"{where}: a parallel chapter needs an H1")
    text = lxml.html.fromstring(f"<div>{page[h1.open_end:h1.close_start]}</div>").text_content()
    return text.replace(theme_patches.PERMALINK_TEXT, "").strip()


def _site_name(page: str, where: str) -> str:
    found = htmledit.find(page, lambda e: e.tag == "meta" and e.get("property") == "og:site_name")
    if len(found) != 1:
        raise PluginError(f'{where}: sco_report/parallel.py expected one <meta property="og:site_name"> '
                          f"(overrides/main.html), found {len(found)}")
    return found[0].get("content", "")


def write_views(site: Path, build: state.Build) -> None:
    """Every declared parallel view, on both sides (a pipeline step)."""
    declared = build.parallel
    names = declared.get(languages.DEFAULT, set())
    for lang in languages.CODES:
        if declared.get(lang, set()) != names:
            odd = sorted(declared.get(lang, set()) ^ names)
            raise PluginError(f"docs/{lang}/{odd[0].replace('.html', '.md')} [{lang}]: 'parallel: true' must be "
                              "set in both languages' front matter, or in neither")
    for name in sorted(names):
        pages = {lang: (build.folder(site, lang) / name).read_text(encoding="utf-8") for lang in languages.CODES}
        titles = {lang: _h1_text(pages[lang], f"{lang}/{name}") for lang in languages.CODES}
        cols = {lang: sections(pages[lang], f"{lang}/{name}") for lang in languages.CODES}
        for side in languages.CODES:
            other = languages.other(side)
            ui = build.ui(side)
            title = f"{titles[side]} · {ui['parallel_view']} - {_site_name(pages[side], f'{side}/{name}')}"
            article = view(name, side, other, cols, titles, ui)
            out = build.folder(site, side) / (Path(name).stem + SUFFIX)
            out.write_text(shell(pages[side], name, article, title, f"{side}/{name}", bool(build.site_url)), encoding="utf-8")
