"""The lines of a PDF as PDFium reads them: each character with its box, grouped
into lines by baseline, for the typesetting tests (tests/test_typesetting.py).
Also runnable on a PDF: `python tests/pdflines.py FILE.pdf` prints the
measures those tests check."""

from __future__ import annotations

import ctypes
import sys
import unicodedata
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as raw


@dataclass
class Line:
    page: int            # from 1
    y: float             # baseline, from the top of the page
    size: float          # font size of most of its characters, pt
    chars: list = field(default_factory=list)   # (char, ink left, ink right, origin x), left to right
    sizes: list = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c[0] for c in self.chars)

    @property
    def left(self) -> float:
        return min(c[1] for c in self.chars if not c[0].isspace())

    @property
    def right(self) -> float:
        return max(c[2] for c in self.chars if not c[0].isspace())

    @property
    def end(self) -> float:
        """Where the text ends: the right of the last character's ink, or of its
        em square if it is full-width (a Chinese comma's ink is at its left)."""
        ch, left, right, x = next(c for c in reversed(self.chars) if not c[0].isspace())
        wide = unicodedata.east_asian_width(ch) in "WF" or ch in "“”‘’" and any(
            unicodedata.east_asian_width(c[0]) == "W" for c in self.chars)
        return max(right, x + self.size) if wide else right


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list
    links: list = field(default_factory=list)   # (left, top, right, bottom) of each link, from the top

    def in_link(self, x: float, y: float) -> bool:
        return any(left <= x <= right and top <= y <= bottom for left, top, right, bottom in self.links)


def _links(page, height) -> list:
    out, pos = [], ctypes.c_int(0)
    link, rect = raw.FPDF_LINK(), raw.FS_RECTF()
    while raw.FPDFLink_Enumerate(page.raw, ctypes.byref(pos), ctypes.byref(link)):
        if raw.FPDFLink_GetAnnotRect(link, ctypes.byref(rect)):
            top, bottom = sorted((height - rect.top, height - rect.bottom))
            out.append((min(rect.left, rect.right), top, max(rect.left, rect.right), bottom))
    return out


def read(path) -> list[Page]:
    doc = pdfium.PdfDocument(str(path))
    pages = []
    for number, page in enumerate(doc, 1):
        height = page.get_height()
        textpage = page.get_textpage()
        rows: dict[tuple[float, float], Line] = {}
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        x, y = ctypes.c_double(), ctypes.c_double()
        for i in range(raw.FPDFText_CountChars(textpage.raw)):
            ch = chr(raw.FPDFText_GetUnicode(textpage.raw, i))
            if ch in "\r\n\ufffe" or raw.FPDFText_IsGenerated(textpage.raw, i) == 1:
                continue
            if ch == "\x02":   # PDFium's mark for a hyphen-minus that ends a line
                ch = "-"
            raw.FPDFText_GetCharBox(textpage.raw, i, left, right, bottom, top)
            raw.FPDFText_GetCharOrigin(textpage.raw, i, x, y)
            # WeasyPrint draws in CSS px scaled to pt: PDFium gives the size in px
            size = round(raw.FPDFText_GetFontSize(textpage.raw, i) * .75, 2)
            # a line is a baseline (note calls, raised, are lines of their own)
            key = round(height - y.value, 0)
            line = rows.get(key)
            if line is None:
                line = rows[key] = Line(number, height - y.value, size)
            if not ch.isspace():
                line.sizes.append(size)
            if ch.isspace():
                line.chars.append((" ", x.value, x.value, x.value))
            else:
                line.chars.append((ch, left.value, right.value, x.value))
        lines = [ln for ln in rows.values() if ln.text.strip()]
        for ln in lines:
            ln.chars.sort(key=lambda c: c[1])
            ln.size = max(set(ln.sizes), key=ln.sizes.count)
        lines.sort(key=lambda ln: (ln.y, ln.left))
        pages.append(Page(number, page.get_width(), height, lines, _links(page, height)))
        textpage.close()
    doc.close()
    return pages


def word_gaps(line: Line) -> list[float]:
    """The width of each word space of the line: from the end of the character
    before it to the start of the one after it."""
    out = []
    chars = [c for c in line.chars]
    for i, (c, *_) in enumerate(chars):
        if c == " " and 0 < i < len(chars) - 1 and chars[i - 1][0] != " " and chars[i + 1][0] != " ":
            out.append(chars[i + 1][1] - chars[i - 1][2])
    return out


def paragraphs(page: Page, size: float, leading: float) -> list[list[Line]]:
    """Runs of lines of one size spaced by the leading (±1 pt): the lines of
    one paragraph (or of paragraphs set close, which the tests allow for)."""
    out: list[list[Line]] = []
    for ln in page.lines:
        if abs(ln.size - size) > .05:
            continue
        if out and abs(ln.y - out[-1][-1].y - leading) < 1 and abs(ln.left - out[-1][-1].left) < size * 2.5:
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


if __name__ == "__main__":
    for page in read(sys.argv[1]):
        for ln in page.lines:
            print(page.number, f"{ln.y:6.1f} {ln.size:5.2f} {ln.left:6.1f}-{ln.right:6.1f}", ln.text[:60])
