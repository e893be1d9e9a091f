"""Hook: the parallel Chinese-English view of each chapter.

The printed report is a Chinese-English edition; so is this view. For every
numbered chapter, <name>-parallel.html (and en/<name>-parallel.html) shows
the two languages side by side, one row per section, aligned on the ids the
two pages share. Nothing is written twice: each language's rendered chapter
(after the data, glossary and footnote hooks) is kept while it is built, and
after both languages are built it is cut into sections and set in a copy of
the chapter page itself, which already has the header, navigation, search
and switcher at the same folder depth.

In the view, a row is <section id="expansion"> (so #expansion lands on the
aligned pair); ids inside a column get the column's language as prefix
(zh-expansion), headings keep the shared id as data-id, and the chapter's
headings move one level down under the view's own title.
"""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

from mkdocs.plugins import event_priority

import reportdata as rd

SUFFIX = "-parallel.html"
CONTENT: dict[str, dict[str, str]] = {}   # lang -> chapter file name -> rendered HTML
TITLES: dict[str, dict[str, str]] = {}    # lang -> chapter file name -> H1 text

H1 = re.compile(r'<h1 id="([^"]+)"[^>]*>(.*?)</h1>', re.S)
H2 = re.compile(r'<h2 id="([^"]+)"')
TAGS = re.compile(r"<[^>]+>")
ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset">)(.*?)(</article>)', re.S)


def _name(page) -> str:
    return page.file.src_uri.split("/", 1)[-1]


def _is_chapter(content: str) -> bool:
    m = H1.search(content)
    return bool(m and re.match(r"\s*\d", TAGS.sub("", m.group(2))))


def on_pre_build(config):
    plugin = config.plugins.get("i18n")
    if plugin is None or not plugin.building:
        CONTENT.clear()
        TITLES.clear()


@event_priority(-50)  # after the hooks that finish a page's HTML
def on_page_content(html, page, config, files):
    if _is_chapter(html):
        lang = rd.lang_of(page)
        CONTENT.setdefault(lang, {})[_name(page)] = html
        title = htmllib.unescape(TAGS.sub("", H1.search(html).group(2))).replace("¶", "").strip()
        TITLES.setdefault(lang, {})[_name(page)] = title
    return html


def on_page_context(context, page, config, nav):
    if page.content and _is_chapter(page.content):
        context["parallel_href"] = Path(page.file.dest_uri).stem + SUFFIX
    return context


# --- Building a view ---------------------------------------------------------------

def sections(content: str) -> list[tuple[str, str]]:
    """(id, html) for the chapter's opening (H1 and introduction), each h2
    section, and its notes (id "notes")."""
    notes_at = content.find('<div class="footnote">')
    notes = content[notes_at:] if notes_at >= 0 else ""
    body = content[:notes_at] if notes_at >= 0 else content
    starts = [m.start() for m in H2.finditer(body)]
    out = [(H1.search(body).group(1), body[: starts[0] if starts else len(body)])]
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(body)
        out.append((H2.match(body, start).group(1), body[start:end]))
    if notes:
        out.append(("notes", notes))
    return out


REF_ATTRS = re.compile(r'\b(aria-labelledby|aria-describedby|for)="([^"]+)"')
URL_ATTRS = re.compile(r'\b(href|src)="([^"]*)"')


def column(html: str, lang: str, prefix: str) -> str:
    """One language's section, made to live in another page: ids prefixed with
    the language, links to other pages made relative to the view's folder."""
    def heading(m):
        level = int(m.group(2))
        return f"<{m.group(1)}h{min(level + 1, 6)}"
    html = re.sub(r"<(/?)h([1-5])\b", heading, html)
    html = re.sub(r'(<h[2-6]) id="([^"]+)"', rf'\1 id="{lang}-\2" data-id="\2"', html)
    html = re.sub(r'(?<!data-)\bid="(?!' + lang + r'-)([^"]+)"', rf'id="{lang}-\1"', html)
    html = REF_ATTRS.sub(lambda m: f'{m.group(1)}="' + " ".join(f"{lang}-{v}" for v in m.group(2).split()) + '"', html)
    html = html.replace("url(#", f"url(#{lang}-")

    def url(m):
        attr, value = m.group(1), m.group(2)
        if value.startswith("#"):
            return f'{attr}="#{lang}-{value[1:]}"'
        if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I) or value.startswith("/") or not value:
            return m.group(0)
        return f'{attr}="{prefix}{value}"'
    return URL_ATTRS.sub(url, html)


def view(name: str, side: str, other: str, ui: dict) -> str:
    """The article of the view on the `side` language's site."""
    depth_prefix = {("zh", "en"): "en/", ("en", "zh"): "../"}
    cols = {side: sections(CONTENT[side][name]), other: sections(CONTENT[other][name])}
    ids = [sid for sid, _ in cols[side]]
    if ids != [sid for sid, _ in cols[other]]:
        raise ValueError(f"{name}: the two languages' sections differ: cannot align them")
    chapter = Path(name).with_suffix(".html").name
    out = [f'<h1 id="parallel">{htmllib.escape(TITLES[side][name])}'
           f'<span class="rpt-parallel__kind"> · {htmllib.escape(ui["parallel_view"])}</span></h1>',
           f'<p class="rpt-parallel__intro">{htmllib.escape(ui["parallel_intro"])} '
           f'<a href="{chapter}">{htmllib.escape(ui["parallel_back"])}</a></p>',
           '<div class="rpt-parallel">']
    for i, sid in enumerate(ids):
        cls = "rpt-pair rpt-pair--notes" if sid == "notes" else "rpt-pair"
        out.append(f'<section class="{cls}" id="{sid}">')
        for lang in (side, other):
            html = cols[lang][i][1]
            prefix = "" if lang == side else depth_prefix[(side, lang)]
            out.append(f'<div class="rpt-col" lang="{lang}">{column(html, lang, prefix)}</div>')
        out.append("</section>")
    out.append("</div>")
    return "\n".join(out)


def shell(page: str, name: str, side: str, other: str, article: str, ui: dict, title: str) -> str:
    """The chapter page, turned into its parallel view."""
    chapter = Path(name).with_suffix(".html").name
    view_file = Path(name).stem + SUFFIX
    page = ARTICLE.sub(lambda m: m.group(1) + article + m.group(3), page, count=1)
    page = re.sub(r"<title>.*?</title>", f"<title>{htmllib.escape(title)}</title>", page, count=1, flags=re.S)
    # this view's own addresses: canonical, hreflang pair, Open Graph, switcher
    page = re.sub(r'((?:rel="canonical"|rel="alternate" hreflang="[^"]+"|property="og:url" content=)[^>]*?)'
                  + re.escape(chapter) + '"', lambda m: m.group(1) + view_file + '"', page)
    page = re.sub(r'(<a href="[^"]*?)' + re.escape(chapter) + r'(#[^"]*)?(" hreflang="[^"]+" class="md-select__link")',
                  lambda m: m.group(1) + view_file + m.group(3), page)
    page = page.replace("</head>", '  <meta name="robots" content="noindex, follow">\n  </head>', 1)
    page = re.sub(r'(<meta (?:property="og:title"|name="twitter:title") content=")[^"]*"',
                  lambda m: m.group(1) + htmllib.escape(title) + '"', page)
    return re.sub(r"<body ", '<body class="rpt-parallel-page" ', page, count=1)


@event_priority(-160)  # after the languages are built, before the zip (-200)
def on_post_build(config):
    plugin = config.plugins.get("i18n")
    if plugin is not None and plugin.building:
        return
    site = Path(config.site_dir)
    default = plugin.default_language if plugin else "zh"
    langs = sorted(CONTENT, key=lambda lang: lang != default)
    if len(langs) < 2:
        return
    for side in langs:
        other = next(lang for lang in langs if lang != side)
        ui = rd.ui(side)
        folder = site if side == default else site / side
        for name in sorted(CONTENT[side]):
            if name not in CONTENT[other]:
                continue
            chapter_page = folder / Path(name).with_suffix(".html").name
            title = f"{TITLES[side][name]} · {ui['parallel_view']} - {_site_name(chapter_page)}"
            article = view(name, side, other, ui)
            html = shell(chapter_page.read_text(encoding="utf-8"), name, side, other, article, ui, title)
            (folder / (Path(name).stem + SUFFIX)).write_text(html, encoding="utf-8")


def _site_name(page: Path) -> str:
    m = re.search(r'<meta property="og:site_name" content="([^"]*)"', page.read_text(encoding="utf-8"))
    return htmllib.unescape(m.group(1)) if m else ""
