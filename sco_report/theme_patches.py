"""Everything that depends on the exact output of the theme or of Markdown.

One place, checked at the start of every build (check_versions) against the
range of versions it is written for; each patch checks that its target is
still there and fails naming itself when it is not.

Where the stack has a mechanism of its own, it is used instead of a rewrite:
per-language titles of permalinks and footnote back-links are Markdown
settings (configure_markdown); the heading permalinks' accessible names and
the separator between adjacent note markers come from a Markdown tree
processor (ReportMarkdown). What is left:

- Material's bundle, minified (self_contained_bundle): the ResizeObserver
  polyfill it loads from unpkg.com is pointed at our vendored copy, and the
  search worker and index wait until the reader opens search (Material has
  no option for either); every message to and from the search worker passes
  through docs/assets/javascripts/search.js (the report's vocabulary, any
  script, phrases first: it reads Material's result items, their location,
  title, text and score). Its Mermaid loader never runs: no page has a diagram.
- Material's search worker, minified: its segmentation of a Chinese query
  never tried a word that ends the query, so the query's last word was
  dropped or cut (squidfunk/mkdocs-material#3915 is the feature's thread).
- Material's `__config` JSON and `__md_scope` line in a page
  (set_material_paths): pages not in the default language search their own
  index; the 404 pages use absolute paths.

The other modules find Material's and Markdown's output through the names
below (ARTICLE, LANGUAGE_LINK, NOTES …, SEARCH_INDEX, LUNR …), never by
spelling a class, id, path or text of theirs themselves; each finder fails
with markup_changed() when what it looks for is not there
(tests/test_theme.py checks that no other module spells an `md-` class).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as etree
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import lxml.html
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from mkdocs.exceptions import PluginError

from . import htmledit

# The versions every patch below was written for, and the range it is
# expected to survive: within it, each patch still checks its own target and
# fails naming itself when that is gone (CONTRIBUTING.md, "Upgrading").
WRITTEN_FOR = {
    "mkdocs-material": ("9.7.6", ">=9.7.6,<10"),
    "Markdown": ("3.11.3", ">=3.11.3,<4"),
    "pymdown-extensions": ("13.1.2", ">=13.1.2,<14"),
    "mkdocs-static-i18n": ("1.3.1", ">=1.3.1,<1.4"),
}
UPGRADING = "see CONTRIBUTING.md, Upgrading"


def check_versions() -> None:
    from packaging.specifiers import SpecifierSet
    for name, (written, compatible) in WRITTEN_FOR.items():
        try:
            found = version(name)
        except PackageNotFoundError:
            raise PluginError(f"{name} is not installed: run `make build`") from None
        if found not in SpecifierSet(compatible):
            raise PluginError(f"sco_report/theme_patches.py was written for {name} {written} "
                              f"(compatible: {compatible}); installed: {found}: {UPGRADING}")


def markup_changed(where: str, expected: str, by: str = "Material") -> PluginError:
    """The one-line error of a finder that did not find what it expected."""
    return PluginError(f"{where}: expected {expected}; {by}'s markup changed: {UPGRADING}")


def _replace_once(text: str, old: str, new: str, where: str) -> str:
    count = text.count(old)
    if count != 1:
        raise PluginError(f"{where}: sco_report/theme_patches.py expected {old[:60]!r} once, found it "
                          f"{count} times: {UPGRADING}")
    return text.replace(old, new)


# --- What the other modules find in the theme's and Markdown's output --------------------
# A selector is "tag" or "tag.class" (one class); matches() tests it on an
# element of lxml, of xml.etree (Markdown's tree) or of sco_report/htmledit.py.

ARTICLE = "article.md-content__inner"   # Material's base.html: the page's content
LANGUAGE_LINK = "a.md-select__link"     # Material's partials/alternate.html: the switcher's links, with hreflang
PERMALINK = "a.headerlink"              # Markdown's toc: a heading's permalink ...
PERMALINK_TEXT = "¶"                    # ... and its text (toc's default for `permalink: true`)
NOTES = "div.footnote"                  # Markdown's footnotes: the notes, <div class=footnote><hr><ol><li id="fn:key">
NOTE_REF = "a.footnote-ref"             # ... a note marker: <sup id="fnref:key"><a class=footnote-ref href="#fn:key">
NOTE_BACKREF = "a.footnote-backref"     # ... the link from a note back to its marker
NOTE_MARKER = "sup"                     # ... the element of a marker (and of our rpt-notesep between two)
NOTE_MARKER_ID = "fnref"                # ... the start of a marker's id
NOTE_ID_SEP = ":"                       # ... between "fn" and the key in a note's id ("fn:tass-2018")
COPYRIGHT = "div.md-copyright__highlight"   # Material's partials/copyright.html: mkdocs.yml `copyright`
THEME_404 = "404.html"                  # Material's own 404 page, one of its static_templates
ASSETS = "assets"                       # where Material's static files are written (ours too: docs/assets)
BUNDLE = f"{ASSETS}/javascripts/bundle.*.min.js"   # Material's script, which self_contained_bundle rewrites
WORKER = f"{ASSETS}/javascripts/workers/search.*.min.js"   # its search worker, which it rewrites too


def matches(el, selector: str) -> bool:
    """Whether the element is `tag`, or `tag` with `class` among its classes, as selector says."""
    tag, _, cls = selector.partition(".")
    return el.tag == tag and (not cls or cls in (el.get("class") or "").split())


def show(selector: str) -> str:
    """The start tag a selector stands for, for messages: "a.x" -> '<a class="x">'."""
    tag, _, cls = selector.partition(".")
    return f'<{tag} class="{cls}">' if cls else f"<{tag}>"


def is_note_marker(el) -> bool:
    """Whether the element is the <sup id="fnref…"> of one of Markdown's note markers."""
    return el.tag == NOTE_MARKER and (el.get("id") or "").startswith(NOTE_MARKER_ID)


def copyright_text(doc, where: str) -> str:
    """The site's copyright line (mkdocs.yml `copyright`, per language) in a built page."""
    found = [el for el in doc.iter("div") if matches(el, COPYRIGHT)]
    if len(found) != 1:
        raise markup_changed(where, f"one {show(COPYRIGHT)} (mkdocs.yml copyright), found {len(found)}")
    return " ".join(found[0].text_content().split())


def article(doc, where: str):
    """The page's content in an lxml document: the one ARTICLE, or markup_changed."""
    found = [el for el in doc.iter("article") if matches(el, ARTICLE)]
    if len(found) != 1:
        raise markup_changed(where, f"one {show(ARTICLE)}, found {len(found)}")
    return found[0]


def article_span(page: str, where: str) -> htmledit.Element:
    """The page's content in a page's text (sco_report/htmledit.py), as article() does."""
    found = htmledit.find(page, lambda el: matches(el, ARTICLE))
    if len(found) != 1:
        raise markup_changed(where, f"one {show(ARTICLE)}, found {len(found)}")
    return found[0]


def note_markers(art) -> list:
    """Markdown's note markers (<sup>) in an lxml article."""
    return art.xpath(f".//{NOTE_MARKER}[a[@class='{NOTE_REF.partition('.')[2]}']]")


def note_target(marker) -> str:
    """The id of the note a marker (from note_markers) links to: "fn:tass-2018"."""
    return marker.find("a").get("href", "").lstrip("#")


def note_key(note_id: str) -> str:
    """The footnote key in a note's id: "fn:tass-2018" -> "tass-2018"."""
    return note_id.split(NOTE_ID_SEP, 1)[1]


def notes(art, where: str) -> dict:
    """Markdown's notes in an lxml article, {id: <li>}; markup_changed if a
    NOTES box has none, or the article has notes and no marker, or markers and no notes."""
    tag, _, cls = NOTES.partition(".")
    boxes = art.xpath(f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]")
    out = {}
    for box in boxes:
        items = box.xpath("./ol/li[@id]")
        if not items:
            raise markup_changed(where, f'<li id="fn{NOTE_ID_SEP}…"> in {show(NOTES)}', "Python-Markdown")
        out.update((li.get("id"), li) for li in items)
    markers = bool(note_markers(art))
    if bool(out) != markers:
        raise markup_changed(where, "both note markers and notes (found only the "
                             f"{'notes' if out else 'markers'})", "Python-Markdown")
    return out


def drop_theme_404(config) -> None:
    """Leave Material's own 404 page unbuilt; markup_changed if the theme has none."""
    if THEME_404 not in config.theme.static_templates:
        raise markup_changed("mkdocs.yml theme: static_templates", f"Material's {THEME_404}")
    config.theme.static_templates.discard(THEME_404)


# --- Material's search: what it indexes, where and how it writes the index ---------------

# Material's search plugin: it leaves out an element with this attribute ...
SEARCH_EXCLUDE = "data-search-exclude"
# ... writes one index for the whole site (both languages) ...
SEARCH_INDEX = "search/search_index.json"
# ... which its offline plugin copies into a script, read over file://
SEARCH_INDEX_JS = "search/search_index.js"
SEARCH_INDEX_JS_PREFIX = "var __index = "
# ... where our search.js finds what it needs, in the index's config, which
# Material's worker passes on without reading
SEARCH_HELP = "rpt"
SEARCH_WORD_BREAK = "\u200b"            # what Material's search plugin puts around jieba's words
LUNR = f"{ASSETS}/javascripts/lunr"     # Material's lunr language files ...
LUNR_KEEP = ("lunr.stemmer.support.min.js", "lunr.multi.min.js", "lunr.zh.min.js")  # ... those the site loads
HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")  # what segment() cuts


def segment(text: str) -> str:
    """Runs of Chinese characters cut into jieba's words, set off by U+200B, as
    Material's search plugin does for the pages, so that the same queries match."""
    import jieba
    return HAN_RUN.sub(lambda m: SEARCH_WORD_BREAK + SEARCH_WORD_BREAK.join(jieba.cut(m.group(0)))
                       + SEARCH_WORD_BREAK, text).strip(SEARCH_WORD_BREAK)


def read_search_index(site: Path) -> tuple[dict, list[dict]]:
    """(config, docs) of the index Material's search plugin wrote (SEARCH_INDEX)."""
    path = site / SEARCH_INDEX
    data = json.loads(path.read_text(encoding="utf-8"))
    if not (isinstance(data, dict) and isinstance(data.get("config"), dict) and isinstance(data.get("docs"), list)
            and all("location" in doc for doc in data["docs"])):
        raise markup_changed(SEARCH_INDEX, '{"config": {…}, "docs": [{"location": …}, …]}')
    return data["config"], data["docs"]


def search_doc(location: str, title: str, text: str) -> dict:
    """One entry of Material's search index."""
    return {"location": location, "title": title, "text": text}


def doc_location(doc: dict) -> str:
    """Where an entry of the search index leads, relative to the index's base."""
    return doc["location"]


def with_location(doc: dict, location: str) -> dict:
    """The entry of the search index, leading elsewhere."""
    return {**doc, "location": location}


def with_texts(doc: dict, convert) -> dict:
    """The entry of the search index, its title and text passed through convert."""
    return {**doc, "title": convert(doc["title"]), "text": convert(doc["text"])}


def search_index_texts(config: dict, docs: list[dict]) -> tuple[str, str]:
    """An index's text as Material's search plugin writes it (SEARCH_INDEX), and its
    offline plugin's script twin (SEARCH_INDEX_JS)."""
    text = json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":"))
    return text, SEARCH_INDEX_JS_PREFIX + text


# --- Markdown: settings per language, and one tree processor ---------------------------

def configure_markdown(config, strings: dict) -> None:
    """Titles of permalinks and footnote back-links in the language being built,
    and the tree processor below (for both, MkDocs' Markdown settings are
    re-read at every language's build)."""
    config.mdx_configs.setdefault("toc", {})["permalink_title"] = strings["permalink_title"]
    # Python-Markdown replaces %d by the note's number
    config.mdx_configs.setdefault("footnotes", {})["BACKLINK_TITLE"] = strings["footnote_back"].replace("{n}", "%d")
    config.markdown_extensions[:] = [e for e in config.markdown_extensions if not isinstance(e, ReportMarkdown)]
    config.markdown_extensions.append(ReportMarkdown(strings))


class _Finish(Treeprocessor):
    """After toc and footnotes: each permalink gets an accessible name that says
    which section it links to ("¶" names nothing); adjacent note markers are
    separated by a comma ("3,1", not "31")."""

    def __init__(self, md, strings):
        super().__init__(md)
        self.strings = strings

    def run(self, root):
        for heading in root.iter():
            if heading.tag not in ("h1", "h2", "h3", "h4", "h5", "h6"):
                continue
            links = [a for a in heading if matches(a, PERMALINK)]
            for link in links:
                label = self._text(heading, link).strip()
                link.set("aria-label", f"{self.strings['permalink_title']}: {label}")
        for parent in root.iter():
            children = list(parent)
            for i in range(len(children) - 1, 0, -1):
                a, b = children[i - 1], children[i]
                if is_note_marker(a) and is_note_marker(b) and not (a.tail or "").strip():
                    sep = etree.Element("sup", {"class": "rpt-notesep", "aria-hidden": "true"})
                    sep.text = ","
                    sep.tail = a.tail
                    a.tail = None
                    parent.insert(i, sep)

    def _text(self, el, skip) -> str:
        if el is skip:
            return ""
        out = el.text or ""
        for child in el:
            out += self._text(child, skip) + (child.tail or "")
        return out


class ReportMarkdown(Extension):
    def __init__(self, strings: dict):
        super().__init__()
        self.strings = strings

    def extendMarkdown(self, md):
        # after toc (priority 5) adds permalinks; inline footnote markers exist by then
        md.treeprocessors.register(_Finish(md, self.strings), "rpt_finish", 1)


# --- Material's bundle ---------------------------------------------------------------------

# (name, the text it rewrites, what it becomes): each must match once. The
# minifier renames Material's functions at every release, so names match any
# identifier.
NAME = r"[\w$]+"
BUNDLE_PATCHES = [
    ("ResizeObserver polyfill from this site",
     re.compile(r'"https://unpkg\.com/resize-observer-polyfill"'),
     'new URL("assets/javascripts/resize-observer-polyfill.js",__md_scope).href'),
    ("search worker made at its first message",
     re.compile(rf"(function {NAME}\({NAME},{NAME}=new )Worker(\({NAME}\)\)\{{)"),
     r"\1__rptLazyWorker\2"),
    ("search set up when opened, not at load",
     re.compile(rf'({NAME}\({NAME}\()location\.protocol!=="file:"(\),{NAME}\("search"\)\))'),
     r"\1!1\2"),
]
WORKER_PATCHES = [
    # Material's segment() looks for index words in query.slice(i, j) for
    # j < query.length only: a word that ends the query is never found
    ("Chinese query segmentation tries words that end the query",
     re.compile(rf"(for\(let ({NAME})=({NAME})\+1;\2)<(({NAME})\.length;\2\+\+\)\5\.slice\(\3,\2\)in )"),
     r"\1<=\4"),
]
# A stand-in for the search worker: it starts the real one (or
# iframe-worker's, from disk) at the first message, which Material sends
# when search is opened, after loading our search.js. Queries pass through
# search.js on their way in, results on their way out (Material's message
# types: 0 the index, 2 a query, 3 its result). If search.js fails to load
# or throws, messages pass unchanged: Material's own search.
LAZY_WORKER = (
    "var __rptLazyWorker=class{constructor(u){this.u=u;this.w=null;this.l=[];this.q=null}"
    "addEventListener(t,f,o){const g=t!=='message'?f:e=>{const s=window.__rptSearch;"
    "if(!s||!e.data||e.data.type!==3)return f(e);const d={...e.data,data:s.result(e.data.data)};"
    "f({data:d});s.shown(d.data,document.querySelector('.md-search-result__list'))};"
    "this.l.push([t,f,o,g]);this.w&&this.w.addEventListener(t,g,o)}"
    "removeEventListener(t,f,o){for(const x of this.l)if(x[1]===f&&this.w)this.w.removeEventListener(t,x[3],o);"
    "this.l=this.l.filter(x=>x[1]!==f)}"
    "postMessage(m){this.q=(this.q||new Promise(ok=>{const s=document.createElement('script');"
    "s.src=new URL('assets/javascripts/search.js',__md_scope).href;s.onload=s.onerror=()=>ok();"
    "document.head.appendChild(s)})).then(()=>{const s=window.__rptSearch;if(!s)return m;"
    "if(m.type===0)return s.setup(m.data,new URL(JSON.parse(document.getElementById('__config').textContent)"
    ".base,location).href).then(()=>m);if(m.type===2)return s.query(m.data).then(q=>({...m,data:q}));return m})"
    ".catch(()=>m).then(m=>{if(!this.w){this.w=new Worker(this.u);for(const[t,,o,g]of this.l)"
    "this.w.addEventListener(t,g,o)}this.w.postMessage(m)})}};"
)


def theme_bundle(theme_dirs) -> str:
    """The path of Material's bundle as its templates name it
    (assets/javascripts/bundle.<hash>.min.js), read from the installed theme,
    for overrides/main.html, which loads it with `defer`."""
    found = sorted({p.relative_to(d).as_posix() for d in map(Path, theme_dirs) for p in d.glob(BUNDLE)})
    if len(found) != 1:
        raise markup_changed("Material's theme folder", f"one {BUNDLE}, found {len(found)}")
    return found[0]


def rewritten(site: Path) -> list[Path]:
    """The theme's files in the site that self_contained_bundle rewrites (BUNDLE, WORKER)."""
    return sorted(site.glob(BUNDLE)) + sorted(site.glob(WORKER))


def _patch(js: str, patches, where: str) -> str:
    for name, target, new in patches:
        js, count = target.subn(new, js)
        if count != 1:
            raise PluginError(f"theme patch '{name}': expected its target once in {where}, found it "
                              f"{count} times: {UPGRADING}")
    return js


def _one(site: Path, pattern: str) -> tuple[Path, str, str]:
    found = sorted(site.glob(pattern))
    if len(found) != 1:
        raise markup_changed(f"site/{pattern.rpartition('/')[0]}", f"one {pattern.rpartition('/')[2]}, "
                             f"found {len(found)}")
    return found[0], found[0].read_text(encoding="utf-8"), found[0].relative_to(site).as_posix()


def self_contained_bundle(site: Path) -> None:
    """Patch Material's bundle and search worker (see the module's
    docstring); drop source maps, and the lines that name them (a 404 in
    Lighthouse and DevTools)."""
    for path in site.rglob("*.map"):
        path.unlink()
    path, js, where = _one(site, BUNDLE)
    js = _patch(js, BUNDLE_PATCHES, where)
    # after the "use strict" directive, which must stay the first statement
    js = _replace_once(js[:13], '"use strict";', '"use strict";' + LAZY_WORKER, where) + js[13:]
    js = _replace_once(js, f"\n//# sourceMappingURL={path.name}.map\n", "\n", where)
    path.write_text(js, encoding="utf-8")
    path, js, where = _one(site, WORKER)
    js = _patch(js, WORKER_PATCHES, where)
    js = _replace_once(js, f"\n//# sourceMappingURL={path.name}.map\n", "\n", where)
    path.write_text(js, encoding="utf-8")


# --- Material's inline scripts in each page ---------------------------------------------

def _inline_script(html: str, where: str, predicate) -> str:
    """The exact text of the one inline script that predicate accepts."""
    doc = lxml.html.document_fromstring(html)
    found = [s.text or "" for s in doc.iter("script") if predicate(s)]
    if len(found) != 1:
        raise markup_changed(where, f"one such inline script in the page, found {len(found)}")
    return found[0]


def _config(html: str, where: str) -> tuple[str, dict]:
    text = _inline_script(html, where, lambda s: s.get("id") == "__config")
    return text, json.loads(text)


def _set_config(html: str, where: str, text: str, data: dict) -> str:
    new = json.dumps(data, separators=(",", ":")).replace("<", "\\u003c")
    return _replace_once(html, text, new, where)


def set_material_paths(html: str, where: str, base: str, scope: str | None = None) -> str:
    """Material's __config JSON with another `base` (its search index lives
    there) and, if given, its `__md_scope=new URL("…",location)` with an
    absolute scope: the one place that rewrites either, once per page."""
    text, data = _config(html, where)
    if "base" not in data:
        raise markup_changed(where, "a 'base' in Material's __config")
    data["base"] = base
    html = _set_config(html, where, text, data)
    if scope is None:
        return html
    text = _inline_script(html, where, lambda s: "__md_scope=new URL(" in (s.text or ""))
    start = text.index("__md_scope=new URL(") + len("__md_scope=new URL(")
    end = text.index(",location)", start)
    old = text[start:end]
    return _replace_once(html, "__md_scope=new URL(" + old + ",location)",
                         "__md_scope=new URL(" + json.dumps(scope) + ",location)", where)


def point_worker(html: str, where: str, names: dict[str, str]) -> tuple[str, str | None]:
    """The page with the search worker that __config names (its `search`)
    renamed as `names` says (file name -> new file name), and the old name
    if it was renamed. A page of ours without Material's scripts is left as it is."""
    if 'id="__config"' not in html:
        return html, None
    text, data = _config(html, where)
    if not isinstance(data.get("search"), str):
        raise markup_changed(where, "the search worker's path as 'search' in Material's __config")
    head, _, name = data["search"].rpartition("/")
    if name not in names:
        return html, None
    data["search"] = f"{head}/{names[name]}" if head else names[name]
    return _set_config(html, where, text, data), name


def config_base(html: str, where: str) -> str:
    return _config(html, where)[1]["base"]
