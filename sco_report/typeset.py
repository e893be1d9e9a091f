"""Glossary abbreviations, marked in each page's Markdown tree (and the
generated tables' captions put in their tables, at the end).

Terms with `abbr:` in data/report.yml (SCO, RATS, BRI, 上合组织 …) become
<abbr title="…"> at their first use in each section (each h2), so a reader
who lands on any section gets the explanation. Python-Markdown's abbr
extension cannot do this for Chinese: it needs word boundaries, which
running Chinese text does not have. This is a Markdown tree processor, set
up for the language being built; it works on the parsed tree, not on HTML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from . import languages, theme_patches

# Inside these, text is left alone.
SKIP = {"a", "abbr", "code", "pre", "kbd", "script", "style", "svg", "title",
        "h1", "h2", "h3", "h4", "h5", "h6", "sup", "dfn", "button", "label", "textarea"}


def abbreviations(terms: list, lang: str) -> list[tuple[re.Pattern, str]]:
    """(pattern, title) for every abbreviation of the language, longest first,
    so that a short one never splits a longer one."""
    out = []
    for term in terms:
        for short in term.get("abbr", {}).get(lang, []):
            # in Chinese, the English name too: the abbreviations are Latin
            title = f"{term[lang]}（{term[languages.LATIN]}）" if languages.get(lang).han else term[lang]
            if short.isascii():
                pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(short)}(?![A-Za-z0-9])")
            else:
                pattern = re.compile(re.escape(short))
            out.append((pattern, title, short))
    out.sort(key=lambda item: -len(item[2]))
    return [(p, t) for p, t, _ in out]


class _Abbreviations(Treeprocessor):
    def __init__(self, md, terms):
        super().__init__(md)
        self.terms = terms

    def run(self, root):
        self.used: set[str] = set()
        self.walk(root)

    def pieces(self, text: str) -> list:
        """text split into strings and (text, title) for first uses."""
        spans = []
        for pattern, title in self.terms:
            if title in self.used:
                continue
            m = pattern.search(text)
            if m and not any(a < m.end() and m.start() < b for a, b, _ in spans):
                spans.append((m.start(), m.end(), title))
                self.used.add(title)
        out, pos = [], 0
        for start, end, title in sorted(spans):
            out += [text[pos:start], (text[start:end], title)]
            pos = end
        return out + [text[pos:]]

    def abbr(self, text, title):
        el = etree.Element("abbr", {"title": title, "tabindex": "0"})  # keyboard users get it too (site.js)
        el.text = text
        return el

    def walk(self, el):
        if el.tag == "h2":
            self.used.clear()  # a new section: explanations again at first use
        if el.tag in SKIP or theme_patches.matches(el, theme_patches.NOTES):
            return
        if el.text:
            parts = self.pieces(el.text)
            el.text = parts[0]
            new = []
            for i in range(1, len(parts), 2):
                node = self.abbr(*parts[i])
                node.tail = parts[i + 1]
                new.append(node)
            for i, node in enumerate(new):
                el.insert(i, node)
        for child in list(el):
            self.walk(child)
            if child.tail:
                parts = self.pieces(child.tail)
                child.tail = parts[0]
                at = list(el).index(child) + 1
                for i in range(1, len(parts), 2):
                    node = self.abbr(*parts[i])
                    node.tail = parts[i + 1]
                    el.insert(at, node)
                    at += 1


class _TableCaptions(Treeprocessor):
    """A paragraph of class rpt-table-caption right before a table (as
    data.table writes it) becomes the table's <caption>: Markdown tables
    have no syntax for one."""

    def run(self, root):
        for parent in root.iter():
            children = list(parent)
            for el, after in zip(children, children[1:]):
                if el.tag == "p" and el.get("class") == CAPTION and after.tag == "table":
                    parent.remove(el)
                    el.tag = "caption"
                    after.insert(0, el)


CAPTION = "rpt-table-caption"


class GlossaryAbbreviations(Extension):
    def __init__(self, terms):
        super().__init__()
        self.terms = terms

    def extendMarkdown(self, md):
        # after inline markup (20) and footnotes (50); before toc (5) reads headings
        md.treeprocessors.register(_Abbreviations(md, self.terms), "rpt_abbr", 4)
        md.treeprocessors.register(_TableCaptions(md), "rpt_table_captions", 3)


def configure(config, terms: list, lang: str) -> None:
    """The glossary's abbreviations for the language being built (MkDocs
    re-reads the Markdown extensions at every language's build)."""
    config.markdown_extensions[:] = [e for e in config.markdown_extensions
                                     if not isinstance(e, GlossaryAbbreviations)]
    config.markdown_extensions.append(GlossaryAbbreviations(abbreviations(terms, lang)))
