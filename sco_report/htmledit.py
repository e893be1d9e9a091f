"""Edit built HTML in place, with a parser (Python's html.parser), keeping
every byte that is not edited exactly as the theme or Markdown wrote it.

Re-serialising a whole page through a tree (lxml, BeautifulSoup) rewrites
what it does not understand, such as the self-closed SVG elements of our
figures and Material's icons; here the parser only finds where elements and
attributes are, and the edits are spliced into the original text.

    elements(html)            every element: tag, attrs, and the offsets of
                              its start tag, content and end tag
    Edits(html).replace(a, b, text) … .apply()
    set_attr(start_tag, name, value)   one attribute changed in a start tag
"""

from __future__ import annotations

import functools
import html as htmllib
import re
from dataclasses import dataclass
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict
    start: int           # offset of "<tag"
    open_end: int        # offset after the start tag's ">"
    close_start: int     # offset of "</tag>" (== open_end for void/self-closed)
    end: int             # offset after "</tag>"
    depth: int

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()


class _Scanner(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.lines = [0]
        for m in re.finditer("\n", text):
            self.lines.append(m.end())
        self.found: list[Element] = []
        self.stack: list[Element] = []

    def _abs(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def handle_starttag(self, tag, attrs):
        start = self._abs()
        raw = self.get_starttag_text()
        el = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, start, start + len(raw),
                     start + len(raw), start + len(raw), len(self.stack))
        self.found.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        start = self._abs()
        raw = self.get_starttag_text()
        self.found.append(Element(tag, {k: (v if v is not None else "") for k, v in attrs}, start,
                                  start + len(raw), start + len(raw), start + len(raw), len(self.stack)))

    def handle_endtag(self, tag):
        start = self._abs()
        end = self.text.index(">", start) + 1
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].tag == tag:
                for el in self.stack[i + 1:]:  # implied ends
                    el.close_start = el.end = start
                el = self.stack[i]
                el.close_start, el.end = start, end
                del self.stack[i:]
                return


def elements(text: str) -> tuple[Element, ...]:
    """Every element of an HTML document or fragment, in document order.
    The parallel views look up one page many times: the last few texts
    parsed are kept and shared, so callers read elements, never change them."""
    return _elements(text)


@functools.lru_cache(maxsize=64)
def _elements(text: str) -> tuple[Element, ...]:
    scanner = _Scanner(text)
    scanner.feed(text)
    scanner.close()
    for el in scanner.stack:  # never closed
        el.close_start = el.end = len(text)
    return tuple(scanner.found)


def find(text: str, predicate) -> list[Element]:
    return [el for el in elements(text) if predicate(el)]


def set_attr(start_tag: str, name: str, value: str) -> str:
    """The start tag with attribute `name` set to `value` (added if missing)."""
    quoted = htmllib.escape(value, quote=True)
    pattern = re.compile(r'(\s' + re.escape(name) + r'\s*=\s*)("[^"]*"|\'[^\']*\'|[^\s>]+)', re.I)
    if pattern.search(start_tag):
        return pattern.sub(lambda m: f'{m.group(1)}"{quoted}"', start_tag, count=1)
    end = -2 if start_tag.endswith("/>") else -1
    return f'{start_tag[:end]} {name}="{quoted}"{start_tag[end:]}'


class Edits:
    """Non-overlapping replacements of [start, end) spans, applied at once."""

    def __init__(self, text: str):
        self.text = text
        self.spans: list[tuple[int, int, str]] = []

    def replace(self, start: int, end: int, new: str) -> None:
        self.spans.append((start, end, new))

    def start_tag(self, el: Element) -> str:
        return self.text[el.start:el.open_end]

    def apply(self) -> str:
        out, pos = [], 0
        for start, end, new in sorted(self.spans, key=lambda s: (s[0], s[1])):
            if start < pos:
                raise ValueError("overlapping edits")
            out += [self.text[pos:start], new]
            pos = end
        return "".join(out) + self.text[pos:]
