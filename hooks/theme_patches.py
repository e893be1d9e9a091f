"""Everything that depends on the exact output of the theme or of Markdown.

One place, checked against the exact installed versions at the start of every
build (check_versions): when Material, Markdown or pymdown-extensions is
upgraded, the build stops with a checklist instead of patching silently.
Every rewrite asserts that what it rewrites is there (_replace_once).

Where the stack has a mechanism of its own, it is used instead of a rewrite:
per-language titles of permalinks and footnote back-links are Markdown
settings (configure_markdown); the heading permalinks' accessible names and
the separator between adjacent note markers come from a Markdown tree
processor (ReportMarkdown), not from patched HTML. What is left:

- Material's bundle, minified (self_contained_bundle): the ResizeObserver
  polyfill it loads from unpkg.com is pointed at our vendored copy, and the
  search worker and index wait until the reader opens search (Material has
  no option for either). Material's Mermaid loader is left alone: no page
  has a diagram, so it never runs (tests/test_site.py says so and checks it).
- Material's `__config` JSON in each page (set_config_base): English pages
  point search at their own index; the 404 pages use an absolute base.
- Material's `__md_scope` line in each page (set_scope), for the 404 pages.
HTML is located with a parser (lxml); the exact text found is then replaced
once, so the rest of the page stays byte for byte as the theme wrote it.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as etree
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import lxml.html
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from mkdocs.exceptions import PluginError

# The exact versions every patch below was written against.
EXPECTED = {
    "mkdocs-material": "9.7.6",
    "Markdown": "3.11.3",
    "pymdown-extensions": "13.1.2",
    "mkdocs-static-i18n": "1.3.1",
}
CHECKLIST = (
    "hooks/theme_patches.py was written for {expected}; installed: {found}. Before changing EXPECTED: "
    "(1) check each text in BUNDLE_PATCHES is still in Material's bundle.*.min.js; "
    "(2) check the __config script and the __md_scope line in base.html; "
    "(3) diff overrides/ against the new theme's templates (tests/test_theme.py); "
    "(4) check toc's permalink <a class=headerlink> and footnotes' <sup id=fnref…> output; "
    "(5) run make test and look at both languages in a browser."
)


def check_versions() -> None:
    found = {}
    for name in EXPECTED:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    if found != EXPECTED:
        show = ", ".join(f"{n} {v}" for n, v in found.items() if v != EXPECTED[n])
        want = ", ".join(f"{n} {EXPECTED[n]}" for n in found if found[n] != EXPECTED[n])
        raise PluginError(CHECKLIST.format(expected=want, found=show))


def _replace_once(text: str, old: str, new: str, where: str) -> str:
    count = text.count(old)
    if count != 1:
        raise PluginError(f"{where}: hooks/theme_patches.py expected {old[:60]!r} once, found it "
                          f"{count} times; was the theme upgraded? See CHECKLIST in hooks/theme_patches.py")
    return text.replace(old, new)


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
            links = [a for a in heading if a.tag == "a" and a.get("class") == "headerlink"]
            for link in links:
                label = self._text(heading, link).strip()
                link.set("aria-label", f"{self.strings['permalink_title']}: {label}")
        for parent in root.iter():
            children = list(parent)
            for i in range(len(children) - 1, 0, -1):
                a, b = children[i - 1], children[i]
                if (a.tag == "sup" and b.tag == "sup" and (a.get("id") or "").startswith("fnref")
                        and (b.get("id") or "").startswith("fnref") and not (a.tail or "").strip()):
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

BUNDLE_PATCHES = {
    # the polyfill for browsers without ResizeObserver: our vendored copy
    '_t("https://unpkg.com/resize-observer-polyfill")':
        '_t(new URL("assets/javascripts/resize-observer-polyfill.js",__md_scope).href)',
    # the search worker is created when the bundle runs (Mn) ...
    "function Mn(e,t=new Worker(e)){":
        "function Mn(e,t=new __rptLazyWorker(e)){",
    # ... and set up at once, except from disk: here, never until search opens
    'L($(location.protocol!=="file:"),Je("search"))':
        "L($(!1),Je(\"search\"))",
}
# A stand-in that starts the real worker (or iframe-worker's, from disk) at
# the first message, which Material sends when search is opened.
LAZY_WORKER = (
    "var __rptLazyWorker=class{constructor(u){this.u=u;this.w=null;this.l=[]}"
    "addEventListener(t,f,o){this.l.push([t,f,o]);this.w&&this.w.addEventListener(t,f,o)}"
    "removeEventListener(t,f,o){this.l=this.l.filter(x=>x[1]!==f);this.w&&this.w.removeEventListener(t,f,o)}"
    "postMessage(m){if(!this.w){this.w=new Worker(this.u);for(const[t,f,o]of this.l)this.w.addEventListener(t,f,o)}"
    "this.w.postMessage(m)}};"
)


def self_contained_bundle(site: Path) -> None:
    """Patch Material's bundle (see the module's docstring); drop source maps."""
    for path in site.rglob("*.map"):
        path.unlink()
    bundles = list((site / "assets" / "javascripts").glob("bundle.*.min.js"))
    if len(bundles) != 1:
        raise PluginError(f"site/assets/javascripts: expected one Material bundle, found {len(bundles)}; "
                          "see CHECKLIST in hooks/theme_patches.py")
    path = bundles[0]
    js = path.read_text(encoding="utf-8")
    where = path.relative_to(site).as_posix()
    for old, new in BUNDLE_PATCHES.items():
        js = _replace_once(js, old, new, where)
    # after the "use strict" directive, which must stay the first statement
    js = _replace_once(js[:13], '"use strict";', '"use strict";' + LAZY_WORKER, where) + js[13:]
    path.write_text(js, encoding="utf-8")


# --- Material's inline scripts in each page ---------------------------------------------

def _inline_script(html: str, where: str, predicate) -> str:
    """The exact text of the one inline script that predicate accepts."""
    doc = lxml.html.document_fromstring(html)
    found = [s.text or "" for s in doc.iter("script") if predicate(s)]
    if len(found) != 1:
        raise PluginError(f"{where}: hooks/theme_patches.py expected one such script in the page, found "
                          f"{len(found)}; was the theme upgraded? See CHECKLIST in hooks/theme_patches.py")
    return found[0]


def set_config_base(html: str, base: str, where: str) -> str:
    """Material's __config JSON with another `base` (its search index lives there)."""
    text = _inline_script(html, where, lambda s: s.get("id") == "__config")
    data = json.loads(text)
    if "base" not in data:
        raise PluginError(f"{where}: Material's __config has no 'base'; see CHECKLIST in hooks/theme_patches.py")
    data["base"] = base
    new = json.dumps(data, separators=(",", ":")).replace("<", "\\u003c")
    return _replace_once(html, text, new, where)


def config_base(html: str, where: str) -> str:
    return json.loads(_inline_script(html, where, lambda s: s.get("id") == "__config"))["base"]


def set_scope(html: str, scope: str, where: str) -> str:
    """Material's `__md_scope=new URL("…",location)` with an absolute scope."""
    text = _inline_script(html, where, lambda s: "__md_scope=new URL(" in (s.text or ""))
    start = text.index("__md_scope=new URL(") + len("__md_scope=new URL(")
    end = text.index(",location)", start)
    old = text[start:end]
    return _replace_once(html, "__md_scope=new URL(" + old + ",location)",
                         "__md_scope=new URL(" + json.dumps(scope) + ",location)", where)
