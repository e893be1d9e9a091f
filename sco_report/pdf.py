"""The PDF edition: one A4 PDF per language, typeset by WeasyPrint from the built site.

A step of plugin.py (build_pdfs), after the pages are final and before the
offline zip, which stays HTML-only. Each page of `nav:` gives its <article>,
cleaned of what only makes sense on screen; a cover, a contents list and the
list of sources come from the data; typography.py marks the text for print
(names, numbers, punctuation). pdf.css sets notes at the foot of the page of
their call, running heads, bookmarks and PDF/UA-1 tags.

Every id keeps its value and becomes a named destination (`…-en.pdf#expansion`
opens section 3.4); ids must therefore be unique across one language's pages.
Links between pages stay inside the PDF, other links of the site go to the
published address. A missing font, Pango, or a character no font has fails
the build in one line.
"""

from __future__ import annotations

import base64
import datetime as dt
import importlib
import logging
import os
import posixpath
import re
import shutil
import subprocess
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from copy import deepcopy
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lhtml
from mkdocs.exceptions import PluginError

from . import languages, offline_zip, system_deps, theme_patches, typography, weasyprint_compat
from . import textfmt as fmt

HERE = Path(__file__).resolve().parent
STYLESHEET = HERE / "pdf.css"
# Marked at the source (Markdown attr_list, data.py): what only makes sense on
# screen, dropped here, and what only print needs, which site.css hides on screen
SCREEN, PRINT = "rpt-screen", "rpt-print"
# what only makes sense on screen ("tag" or "tag.class")
SCREEN_ONLY = (theme_patches.PERMALINK, "div.rpt-tools", "details.rpt-cite", "a.rpt-parallel-link",
               theme_patches.NOTES, "script", "button", "span.rpt-download-size", f"*.{SCREEN}")
GENERATED_IDS = ("pdf-cover", "pdf-contents", "pdf-sources")   # the PDF's own parts
NOTE_ID = "rpt-n-"            # each note's id: rpt-n-<page>-<number>, render() finds its PDF page by it
IBID_OF = "data-rpt-ibid-of"  # on a repeat of the note just before it: that note's id ...
IBID_TEXT = "data-rpt-ibid"   # ... and what it reads instead when both are on one page (同上。/ Ibid.)
log = logging.getLogger("mkdocs.plugins.report.pdf")


def file_name(base: str, lang: str) -> str:
    """sailing-steady-to-success-1.0.0 -> sailing-steady-to-success-1.0.0-zh.pdf"""
    return f"{base}-{lang}.pdf"


# --- Fonts ---------------------------------------------------------------------------------

def font_files(families) -> dict[str, tuple[str, int]]:
    """family -> (file, index in a collection), as fontconfig finds them.
    Fails with one line naming the family and its Debian package."""
    if shutil.which("fc-match") is None:
        raise PluginError(f"PDF: fc-match (fontconfig) not found: {system_deps.hint()}")
    out = {}
    for family in dict.fromkeys(families):
        result = subprocess.run(["fc-match", "--format=%{family}\n%{file}\n%{index}", f"{family}:style=Regular"],
                                capture_output=True, text=True)
        lines = result.stdout.split("\n")
        found = [f.strip() for f in lines[0].split(",")] if lines and lines[0] else []
        if result.returncode != 0 or family not in found or len(lines) < 3:
            raise PluginError(f"PDF: font '{family}' not installed: {system_deps.hint()}")
        out[family] = (lines[1], int(lines[2] or 0))
    return out


_CMAPS: dict[tuple[str, int], set[int]] = {}


def _cmap(file: str, index: int) -> set[int]:
    if (file, index) not in _CMAPS:
        from fontTools.ttLib import TTFont  # a dependency of WeasyPrint
        font = TTFont(file, fontNumber=index, lazy=True)
        _CMAPS[(file, index)] = set(font.getBestCmap())
        font.close()
    return _CMAPS[(file, index)]


def _drawable(ch: str) -> bool:
    """Characters that are not drawn at all: controls, format characters, spaces."""
    return not (ch in " \t\n\r" or unicodedata.category(ch) in ("Cc", "Cf"))


def check_glyphs(texts: list[tuple[str, str]], files: dict, lang: str) -> None:
    """texts: (where, text). Every character must be in one of the fonts."""
    cmaps = [_cmap(*files[f]) for f in files]
    for where, text in texts:
        for ch in dict.fromkeys(text):
            if _drawable(ch) and not any(ord(ch) in c for c in cmaps):
                name = unicodedata.name(ch, "unnamed")
                raise PluginError(f"PDF [{lang}]: {where}: character U+{ord(ch):04X} {ch!r} ({name}) "
                                  f"is in none of the fonts ({', '.join(files)})")


_IMPORT = importlib.import_module  # tests replace it to play a machine without Pango


def _weasyprint():
    try:
        weasyprint = _IMPORT("weasyprint")
    except OSError as exc:  # Pango (or GObject) missing: WeasyPrint cannot load it
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PluginError(f"PDF: WeasyPrint cannot load Pango ({first}): install the Debian packages "
                          "libpango-1.0-0 and libpangoft2-1.0-0") from None
    except ImportError:
        raise PluginError("PDF: WeasyPrint is not installed: run `make build` (it installs the "
                          "dependencies in pyproject.toml)") from None
    return weasyprint


# --- The document ---------------------------------------------------------------------------

def _e(tag: str, attrib: dict | None = None, text: str | None = None, *children) -> etree._Element:
    el = lhtml.Element(tag, {k: v for k, v in (attrib or {}).items() if v is not None})
    el.text = text
    for child in children:
        el.append(child)
    return el


def _find(el, selector: str) -> list:
    """Descendants matching the CSS selector `tag` or `tag.cls`."""
    tag, _, cls = selector.partition(".")
    if not cls:
        return el.xpath(f".//{tag}")
    return el.xpath(f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]")


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _append_content(dst, src) -> None:
    """Move src's text and children to the end of dst."""
    if src.text:
        if len(dst):
            dst[-1].tail = (dst[-1].tail or "") + src.text
        else:
            dst.text = (dst.text or "") + src.text
    for child in list(src):
        dst.append(child)


def _strip(el) -> None:
    el.text = (el.text or "").lstrip() or None
    if len(el):
        el[-1].tail = (el[-1].tail or "").rstrip() or None
    elif el.text:
        el.text = el.text.rstrip()


def _facts(items) -> etree._Element:
    """A list of (label, text or element) as <dl>."""
    facts = _e("dl", {"class": "rpt-pdf-facts"})
    for label, value in items:
        facts.append(_e("dt", None, label))
        facts.append(_e("dd", None, value) if isinstance(value, str) else _e("dd", None, None, value))
    return facts


def edition_number(version: str) -> str:
    """The edition as a reader counts it: 1.2.0 -> 1.2 (a correction, 1.2.1, keeps its third number)."""
    return re.sub(r"\.0$", "", version) if version.count(".") == 2 else version


class Edition:
    """One language's document, assembled from the built pages."""

    def __init__(self, site: Path, root: Path, lang: str, data: dict, ui: dict, pages: list[str],
                 site_url: str, base: str, version: str, epoch: int):
        self.site, self.root, self.lang = site, root, lang
        self.data, self.t = data, {k: v[lang] for k, v in ui.items()}
        self.pages, self.site_url, self.base = pages, site_url, base
        self.version, self.epoch = version, epoch
        self.prefix = languages.prefix(lang)
        self.ids: dict[str, str] = {}          # id -> page
        self.texts: list[tuple[str, str]] = []  # (where, text) for the glyph check
        self.sources: dict[str, etree._Element] = {}  # note key -> its text, first citation first
        self.docs: dict = {}                    # the first page read, for the cover

    # -- addresses
    def online(self, rel: str) -> str:
        """A file of the site: at the published address; in a preview build
        (no address), relative to the PDF's own folder, never an invented one."""
        if self.site_url:
            return self.site_url.rstrip("/") + "/" + rel
        return posixpath.relpath(rel or ".", posixpath.dirname(self.base))

    # -- pages
    def article(self, page: str) -> etree._Element:
        path = self.site / self.prefix / f"{page}.html"
        where = f"{self.prefix}{page}.html"
        try:
            doc = lhtml.parse(str(path)).getroot()
        except OSError:
            raise PluginError(f"PDF [{self.lang}]: {where}: page not built (listed in nav: of mkdocs.yml)") from None
        self.docs.setdefault("first", doc)   # the cover reads the site's copyright line in it
        return theme_patches.article(doc, f"PDF [{self.lang}]: {where}")

    def chapter(self, page: str) -> etree._Element:
        where = f"{self.prefix}{page}.html"
        art = self.article(page)
        notes = theme_patches.notes(art, f"PDF [{self.lang}]: {where}")
        for selector in SCREEN_ONLY:
            for el in _find(art, selector):
                el.drop_tree()
        for el in art.xpath(".//comment()"):
            el.drop_tree()
        # tooltips: the abbreviation stays, its title goes
        for el in art.iter("abbr"):
            el.attrib.pop("title", None)
        for el in art.xpath(f".//*[@{theme_patches.SEARCH_EXCLUDE}]"):
            del el.attrib[theme_patches.SEARCH_EXCLUDE]
        # footnotes: each call becomes the note itself, set at the foot of the page
        previous = None
        for number, sup in enumerate(theme_patches.note_markers(art), 1):
            key = theme_patches.note_target(sup)
            li = notes.get(key)
            if li is None:
                raise PluginError(f"PDF [{self.lang}]: {where}: footnote {key!r} has no text")
            note = _e("span", {"class": "rpt-note"})
            backs = 0
            for i, p in enumerate(li.findall("p")):
                p = deepcopy(p)
                for back in _find(p, theme_patches.NOTE_BACKREF):
                    back.drop_tree()
                    backs += 1
                if i:
                    _append_content(note, _e("span", None, " "))
                _append_content(note, p)
            if not backs:
                raise theme_patches.markup_changed(f"PDF [{self.lang}]: {where}", "a back-link "
                                                   f"{theme_patches.show(theme_patches.NOTE_BACKREF)} in note "
                                                   f"{key!r}", "Python-Markdown")
            _strip(note)
            self.sources.setdefault(theme_patches.note_key(key), deepcopy(note))
            # a repeat of the note just before may read "Ibid." (render() keeps that to one page)
            note.set("id", f"{NOTE_ID}{page}-{number}")
            if previous is not None and previous[0] == theme_patches.note_key(key):
                note.set(IBID_OF, previous[1])
                note.set(IBID_TEXT, self.t["pdf_ibid"])
            previous = (theme_patches.note_key(key), note.get("id"))
            # a call between digits would read as part of the number ("2001³²")
            before = sup.getprevious().tail if sup.getprevious() is not None else sup.getparent().text
            digits = [side for side, text in (("after", before and before[-1:]), ("before", (sup.tail or "")[:1]))
                      if text and text.isdigit()]
            if digits:
                note.set("class", " ".join(["rpt-note"] + [f"rpt-note--{side}-digit" for side in digits]))
            note.tail = sup.tail
            sup.getparent().replace(sup, note)
        for sep in _find(art, "sup.rpt-notesep"):
            sep.attrib.pop("aria-hidden", None)
        # ids: kept, and unique across the edition
        for el in art.xpath(".//*[@id]"):
            ident = el.get("id")
            if ident in self.ids:
                raise PluginError(f"PDF [{self.lang}]: id {ident!r} is used by {self.prefix}{self.ids[ident]}.html "
                                  f"and {where}; ids must be unique across one language's pages")
            self.ids[ident] = page
        # the chapter's heading (the edition's address is on the cover, once)
        if art.find(".//h1") is None:
            raise PluginError(f"PDF [{self.lang}]: {where}: no h1")
        section = _e("section", {"class": "rpt-pdf-chapter", "data-page": page})
        section.text = "\n"
        for child in list(art):
            section.append(child)
        self.texts.append((where, "".join(section.itertext())))
        return section

    def fix_links(self, body: etree._Element, page_of: dict) -> None:
        """Links between the pages become internal; other site links go online."""
        for el in body.iter("a"):
            href = el.get("href")
            if href is None:
                continue
            el.attrib.pop("download", None)
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            page = el.getparent()
            while page is not None and page.get("data-page") is None:
                page = page.getparent()
            here = page.get("data-page") if page is not None else ""
            if not parts.path:  # #fragment on the same page
                continue
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(self.prefix + here) or ".", parts.path))
            target = rel[len(self.prefix):] if rel.startswith(self.prefix) else None
            name = target[:-5] if target and target.endswith(".html") else None
            if name in page_of:
                el.set("href", "#" + (parts.fragment or page_of[name]))
            else:
                el.set("href", self.online(rel) + (f"#{parts.fragment}" if parts.fragment else ""))

    # -- generated parts
    def cover(self) -> etree._Element:
        """This guide's title first; the report it presents, its credits
        labelled as the original report's; then what this guide is, who made
        it, its edition, where it lives online and the rights."""
        t, data, lang = self.t, self.data, self.lang
        report, edition = data["report"], data["edition"]
        other = languages.other(lang)
        # the site's own copyright line (mkdocs.yml, per language), as its pages print it
        rights = theme_patches.copyright_text(self.docs["first"], f"PDF [{lang}]: {self.prefix}{self.pages[0]}.html")
        built = dt.datetime.fromtimestamp(self.epoch, dt.timezone.utc).date().isoformat()
        cover = _e("section", {"class": "rpt-pdf-cover", "id": "pdf-cover", "data-page": "cover"})
        cover.append(_e("h1", {"class": "rpt-pdf-title"}, edition["title"][lang]))
        cover.append(_e("p", {"class": "rpt-pdf-title-other", "lang": languages.get(other).tag},
                        edition["title"][other]))
        work = _e("div", {"class": "rpt-pdf-report"})
        work.append(_e("p", {"class": "rpt-pdf-report-label"}, t["pdf_about_report"]))
        title = _e("p", {"class": "rpt-pdf-report-title"}, report["title"][lang])
        for colon in ("：", ": "):   # title and subtitle on lines of their own
            head, sep, rest = report["title"][lang].partition(colon)
            if sep:
                title.text = head + sep.strip()
                title.append(_e("br"))
                title.append(_e("span", {"class": "rpt-pdf-subtitle"}, rest))
                break
        work.append(title)
        work.append(_e("p", {"class": "rpt-pdf-title-other", "lang": languages.get(other).tag},
                       report["title"][other]))
        # the English title of Lanzhou University's release (see the home page)
        work.append(_e("p", {"class": "rpt-pdf-title-alt"}, t["pdf_title_alt"],
                       _e("span", {"lang": languages.LATIN}, report["title_alt"][languages.LATIN])))
        work.append(_facts((
            (t["pdf_publishers"], fmt.join_list((p["name"][lang] for p in report["publishers"]), lang)),
            (t["pdf_editors"], fmt.join_list((e["name"][lang] for e in report["editors"]), lang)),
            (t["pdf_released"], t["pdf_released_value"].format(
                date=fmt.format_date(report["released"], lang), place=report["place"][lang],
                event=report["event"][lang])),
        )))
        cover.append(work)
        statement = _e("div", {"class": "rpt-pdf-edition"})
        statement.append(_e("p", {"class": "rpt-pdf-edition-title"}, t["pdf_edition_title"]))
        statement.append(_e("p", None, t["pdf_edition"]))
        statement.append(_e("p", {"class": "rpt-pdf-edition-line"}, t["pdf_edition_version"].format(
            version=edition_number(self.version), month=fmt.format_date(built[:7], lang))))
        if self.site_url:
            home = self.online(self.prefix)
            online = (t["pdf_online"], _e("a", {"href": home}, home))
        else:   # a preview build: no address to print
            online = (t["pdf_online"], t["pdf_preview"])
        statement.append(_facts((
            (t["pdf_edition_editors"], t["pdf_edition_editors_value"].format(author=edition["author"][lang])),
            online,
            (t["pdf_rights"], f"{rights}{'' if languages.get(lang).han else ' '}{t['pdf_permission']}"),
        )))
        cover.append(statement)
        self.texts.append(("cover", "".join(cover.itertext())))
        return cover

    def contents(self, chapters: list[etree._Element]) -> etree._Element:
        nav = _e("nav", {"class": "rpt-pdf-toc", "id": "pdf-contents", "data-page": "contents"})
        nav.append(_e("h1", {"class": "rpt-pdf-toc-title"}, self.t["pdf_contents"]))
        ol = _e("ol")
        for chapter in chapters:
            for h in chapter.iter("h1", "h2"):
                if h.get("id") is None:
                    continue
                ol.append(_e("li", {"class": f"rpt-pdf-toc-{h.tag}"},
                             None, _e("a", {"href": "#" + h.get("id")}, _text(h))))
        nav.append(ol)
        self.texts.append(("contents", "".join(nav.itertext())))
        return nav

    def source_list(self) -> etree._Element:
        section = _e("section", {"class": "rpt-pdf-sources", "data-page": "about"})
        section.append(_e("h2", {"id": "pdf-sources"}, self.t["pdf_sources"]))
        section.append(_e("p", None, self.t["pdf_sources_intro"]))
        ol = _e("ol")
        for note in self.sources.values():
            li = _e("li")
            _append_content(li, note)
            ol.append(li)
        section.append(ol)
        self.texts.append(("sources", "".join(section.itertext())))
        return section

    def build(self) -> str:
        t, lang = self.t, self.lang
        chapters = [self.chapter(page) for page in self.pages]
        for ident in GENERATED_IDS:
            if ident in self.ids:
                raise PluginError(f"PDF [{lang}]: {self.prefix}{self.ids[ident]}.html: id {ident!r} is "
                                  "reserved for the PDF's own parts (sco_report/pdf.py, GENERATED_IDS)")
        page_of = {page: ch.find(".//h1").get("id") for page, ch in zip(self.pages, chapters)}
        html = _e("html", {"lang": languages.get(lang).tag})
        head = _e("head")
        head.append(_e("meta", {"charset": "utf-8"}))
        head.append(_e("title", None, self.data["edition"]["title"][lang]))
        built = dt.datetime.fromtimestamp(self.epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        for name, content in (("author", self.data["edition"]["author"][lang]), ("description", t["pdf_subject"]),
                              ("keywords", t["pdf_keywords"]), ("dcterms.created", built),
                              ("dcterms.modified", built)):
            head.append(_e("meta", {"name": name, "content": content}))
        html.append(head)
        body = _e("body", {"class": f"rpt-pdf rpt-pdf--{lang}", "lang": languages.get(lang).hyphenation})
        if chapters:
            chapters[-1].append(self.source_list())
        body.append(self.cover())
        body.append(self.contents(chapters))
        for chapter in chapters:
            body.append(chapter)
        self.fix_links(body, page_of)
        typography.set_text(body, self.data, lang)
        for svg in list(body.iter("svg")):
            svg.getparent().replace(svg, _svg_image(svg, svg_style(lang)))
        break_urls(body)
        html.append(body)
        return lhtml.tostring(html, encoding="unicode", doctype="<!DOCTYPE html>")


# --- Addresses in print: a URL breaks only after a slash or before a dot ----------------------

URL = re.compile(r"https?://[^\s<>\"{}|\\^`（）《》【】「」，。；：、]+")


def url_pieces(url: str) -> list[str]:
    """The pieces between a URL's allowed breaks: after a slash (not inside
    "//") and before a dot; the scheme stays with what follows it."""
    pieces = re.split(r"(?<=/)(?!/)|(?=\.)", url)
    if len(pieces) > 1 and pieces[0].endswith("//"):
        pieces[:2] = [pieces[0] + pieces[1]]
    return [p for p in pieces if p]


LONG = 30   # a part between slashes this long may also break before its dots


def _url_breaks(url: str) -> list[tuple[str, bool]]:
    """(piece, whether it needs a <wbr> before it): the line breaker already
    breaks after a slash before a letter; a slash before a digit and a dot
    in a long part need one. <wbr> is costly in a tagged PDF: no more of them."""
    out, at = [], 0
    for i, piece in enumerate(url_pieces(url)):
        part = url[url.rfind("/", 0, at) + 1:(url.find("/", at + 1) + 1) or len(url)]
        out.append((piece, i > 0 and ((url[at - 1] == "/" and piece[0].isdigit())
                                      or (piece[0] == "." and len(part) >= LONG))))
        at += len(piece)
    return out


def _url_nodes(text: str, link=None) -> tuple[str, list]:
    """text -> (the text before the first URL, [nodes after it, each with its
    tail]): a URL's pieces between its allowed breaks, with <wbr> where the
    line breaker needs one, and each piece that holds a place where a line
    could otherwise end (a hyphen, a question mark, the scheme's "//") in a
    span that pdf.css keeps on one line. In a link (its text the URL), each
    run of pieces is a link of its own: an annotation in a tagged PDF
    belongs to one link element."""
    lead, out, last = text, [], 0

    def add(piece: str, wbr: bool):
        nonlocal lead
        nowrap = "//" in piece or any(c in piece for c in "-?!()")   # UAX 14 breaks after these
        if wbr:
            out.append(_e("wbr"))
        if link is not None:
            # a new link where a line may end (a <wbr>, or after a slash where either
            # side must not break inside); else the piece joins the one before
            kept = bool(out) and "rpt-url" in (out[-1].get("class") or "")
            if wbr or not out or (out[-1].text.endswith("/") and (kept or nowrap)):
                out.append(_e("a", {**link.attrib, "class": "rpt-url" if nowrap else link.get("class")}, piece))
            else:
                out[-1].text += piece
                if nowrap:
                    out[-1].set("class", "rpt-url")
        elif nowrap:
            out.append(_e("span", {"class": "rpt-url"}, piece))
        elif out:
            out[-1].tail = (out[-1].tail or "") + piece
        else:
            lead += piece
    for m in URL.finditer(text):
        url = m.group(0).rstrip(".,;:!?’”'")   # the sentence's own stop is no part of the address
        before = text[last:m.start()]
        if out:
            out[-1].tail = (out[-1].tail or "") + before
        else:
            lead = before
        for piece, wbr in _url_breaks(url):
            add(piece, wbr)
        last = m.start() + len(url)
    if not out:
        return text, []
    out[-1].tail = ((out[-1].tail or "") + text[last:]) or None
    return lead, out


def break_urls(root) -> None:
    """Every URL in the text (notes, citations, the cover) in breakable pieces."""
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.tag in ("style", "script"):
            continue
        parent = el.getparent()
        if el.tag == "a" and not len(el) and el.text and URL.fullmatch(el.text) and parent is not None:
            _, nodes = _url_nodes(el.text, el)   # the link, as links of its pieces
            nodes[-1].tail, at = el.tail, parent.index(el)
            parent.remove(el)
            for i, node in enumerate(nodes):
                parent.insert(at + i, node)
            el = nodes[-1]   # then the text after it
        elif el.text:
            lead, nodes = _url_nodes(el.text)
            if nodes:
                el.text = lead or None
                for i, node in enumerate(nodes):
                    el.insert(i, node)
        if el.tail and parent is not None:
            lead, nodes = _url_nodes(el.tail)
            if nodes:
                el.tail = lead or None
                at = parent.index(el)
                for i, node in enumerate(nodes, 1):
                    parent.insert(at + i, node)


SVG_SCALE = 0.8                 # pt per SVG unit: the figures' 10-13 unit labels at 8-10.4 pt
SVG_MAX = (166 * 72 / 25.4, 200 * 72 / 25.4)   # the text column; room for the caption


SVG_NAMES = {"lineargradient": "linearGradient", "radialgradient": "radialGradient",
             "clippath": "clipPath", "textpath": "textPath", "foreignobject": "foreignObject"}


def _svg_image(svg, style: str) -> etree._Element:
    """An inline SVG figure as <img src="data:image/svg+xml…" alt="…">: still
    vectors, and tagged as a Figure with its text alternative (the SVG's
    <title> and <desc>), which WeasyPrint does not do for inline SVG."""
    from tinyhtml5.constants import adjust_svg_attributes  # WeasyPrint's HTML parser
    size = _svg_size(svg)
    alt = " ".join(" ".join("".join(el.itertext()).split()) for el in svg if el.tag in ("title", "desc"))
    ns = "http://www.w3.org/2000/svg"
    out = etree.Element(f"{{{ns}}}svg", nsmap={None: ns})
    out.append(etree.Element(f"{{{ns}}}style"))
    out[0].text = style

    def copy(src, dst):
        for key, value in src.attrib.items():
            if key.startswith("xmlns"):
                continue  # the namespace is the element's
            if key not in ("class", "role", "aria-labelledby", "style") or dst.tag != out.tag:
                dst.set(adjust_svg_attributes.get(key, key), value)
        dst.text = src.text
        for child in src:
            if not isinstance(child.tag, str):
                continue
            name = SVG_NAMES.get(child.tag, child.tag)
            node = etree.SubElement(dst, f"{{{ns}}}{name}")
            copy(child, node)
            node.tail = child.tail
    copy(svg, out)
    data = base64.b64encode(etree.tostring(out, encoding="utf-8")).decode("ascii")
    return _e("img", {"class": "rpt-fig", "src": f"data:image/svg+xml;base64,{data}", "alt": alt,
                      "style": size})


def _svg_size(svg) -> str:
    """A size in pt from the figure's viewBox (the site caps it in px)."""
    box = (svg.get("viewbox") or svg.get("viewBox") or "").split()
    if len(box) != 4:
        return "width: 100%; height: auto"
    w, h = float(box[2]) * SVG_SCALE, float(box[3]) * SVG_SCALE
    fit = min(1.0, SVG_MAX[0] / w, SVG_MAX[1] / h)
    return f"width: {w * fit:.1f}pt; height: {h * fit:.1f}pt"


# colours and faces of the figures (site.css sets them on screen; WeasyPrint
# draws inline SVG with only the SVG's own styles)
_SVG_COLOURS = """
.rpt-fig-text { fill: #000 } .rpt-fig-muted { fill: #555 } .rpt-fig-keytext { fill: #fff }
.rpt-fig-key { fill: #17506a } .rpt-fig-box { fill: #eef5f8; stroke: #17506a; stroke-width: 1 }
.rpt-fig-axis, .rpt-fig-grid { stroke: #999; stroke-width: 1 } .rpt-fig-grid { stroke-dasharray: 1 3 }
.rpt-fig-sf { fill: #fff; stroke: #17506a; stroke-width: 2 } .rpt-fig-chs { fill: #17506a }
.rpt-fig-member { fill: #17506a } .rpt-fig-observer-bg { fill: #eef5f8 }
.rpt-fig-observer-line { stroke: #17506a; stroke-width: 2 } .rpt-fig-observer { stroke: #17506a; stroke-width: 1 }
.rpt-fig-partner { fill: #fff; stroke: #17506a; stroke-width: 1; stroke-dasharray: 2 1.5 }
"""


def svg_style(lang: str) -> str:
    """The figures' colours, and the edition's sans faces for their text."""
    fonts = languages.get(lang).fonts
    faces = ", ".join(f'"{fonts[role]}"' for role in ("sans", "cjk-sans") if role in fonts)
    return _SVG_COLOURS + f"text {{ font-family: {faces} }}"


# --- Rendering ------------------------------------------------------------------------------

class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record):
        self.records.append(record.getMessage())


def with_ibid(html: str, full: set[str]) -> str:
    """The edition with each repeat of the note just before it reading
    同上。/ Ibid., except the notes in `full`."""
    doc = lhtml.document_fromstring(html)
    for note in doc.xpath(f"//*[@{IBID_OF}]"):
        if note.get("id") not in full:
            for child in list(note):
                note.remove(child)
            note.text = note.get(IBID_TEXT)
    return lhtml.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>")


def ibid_apart(html: str, document) -> set[str]:
    """The repeats whose note before them is set on another page (WeasyPrint's
    Page.anchors: the ids on each page)."""
    page_of = {name: number for number, page in enumerate(document.pages) for name in page.anchors}
    doc = lhtml.document_fromstring(html)
    return {note.get("id") for note in doc.xpath(f"//*[@{IBID_OF}]")
            if page_of.get(note.get("id"), -1) != page_of.get(note.get(IBID_OF), -2)}


def render(html: str, site: Path, lang: str, fonts: dict | None = None) -> bytes:
    """The PDF of one edition's HTML, as bytes. WeasyPrint warnings fail."""
    weasyprint = _weasyprint()
    FontConfiguration = _IMPORT("weasyprint.text.fonts").FontConfiguration
    css = STYLESHEET.read_text(encoding="utf-8")
    fams = fonts or languages.get(lang).fonts
    variables = ":root {" + "".join(f'--rpt-{k}: "{v}";' for k, v in fams.items()) + "}\n"
    config = FontConfiguration()
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        # no network at build time: only data: URLs and the site's own files load
        fetcher = _IMPORT("weasyprint.urls").URLFetcher(allowed_protocols=("data", "file"))
        stylesheets = [weasyprint.CSS(string=variables + css, font_config=config)]
        full: set[str] = set()   # repeats whose note before is on another page: in full
        while True:
            with weasyprint_compat.notes_stay_with_their_calls(), \
                    weasyprint_compat.inter_character_justification(languages.get(lang).han):
                document = weasyprint.HTML(string=with_ibid(html, full), base_url=str(site) + "/",
                                           url_fetcher=fetcher).render(stylesheets=stylesheets, font_config=config)
            apart = ibid_apart(html, document) - full
            if not apart:
                break
            full |= apart
        pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=False)
    finally:
        logger.removeHandler(handler)
    if handler.records:
        more = f" (and {len(handler.records) - 1} more)" if len(handler.records) > 1 else ""
        raise PluginError(f"PDF [{lang}]: WeasyPrint: {handler.records[0]}{more}")
    return pdf


def build_pdfs(site: Path, build, fonts: dict | None = None) -> list[Path]:
    """Write site/downloads/<bundle>-<lang>.pdf for each language from the
    built site and the build's state (state.Build); return their paths
    (offline_zip fills in the links' sizes). fonts: {lang: faces} to
    replace the language table's."""
    fonts = fonts or {lang.code: lang.fonts for lang in languages.LANGUAGES}
    base = offline_zip.bundle_name(build.version)
    downloads = offline_zip.DOWNLOADS
    langs = languages.CODES
    _weasyprint()
    start = time.perf_counter()
    htmls = []
    for lang in langs:
        files = font_files(fonts[lang].values())
        edition = Edition(site, build.root, lang, build.data, build.ui_data, build.nav, build.site_url,
                          f"{downloads}/{base}", build.version, build.epoch)
        htmls.append(edition.build())
        check_glyphs(edition.texts, files, lang)
    jobs = [(html, site, lang, fonts[lang]) for html, lang in zip(htmls, langs)]
    if len(jobs) > 1 and (os.cpu_count() or 1) > 1:
        # one process per language (the platform's own way of starting one):
        # most of the time is WeasyPrint's layout
        with ProcessPoolExecutor(min(len(jobs), os.cpu_count())) as pool:
            pdfs = list(pool.map(render, *zip(*jobs)))
    else:
        pdfs = [render(*job) for job in jobs]
    out = []
    for lang, data in zip(langs, pdfs):
        target = site / downloads / file_name(base, lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        out.append(target)
    log.info("PDF: %s in %.1f s", ", ".join(f"{p.name} ({p.stat().st_size / 1e6:.1f} MB)" for p in out),
             time.perf_counter() - start)
    return out
