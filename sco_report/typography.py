"""The PDF's text set for print, where CSS in WeasyPrint 70 cannot say it.

Called by pdf.Edition.build on the PDF's HTML only: the site's pages keep
their text. pdf.css styles the spans made here.

- Blocks: a lead-in paragraph (ending in a colon, or before a table) is
  kept with the list or table it introduces (class rpt-leadin), the glossary's table is marked.
- In every edition, a section label ("A.3") is never broken after its dot
  (<span class="rpt-nobr">).
- Latin text: the proper names of the data (glossary terms, states, cities,
  publishers, editors, `people:`) are never hyphenated (<span class="rpt-name">,
  hyphens: manual); a person's name and a day with its month ("1 June")
  never break across lines (no-break spaces).
- Chinese text: a number stays with 第 and its measure word (第5章, 8个,
  2018年), a month with its day (6月15日) (<span class="rpt-nobr">); where two
  punctuation marks meet, the blank half of the first (a closing mark before
  any mark) or of the second (an opening mark after an opening mark) is
  taken out, as Chinese presses do (<span class="rpt-halt">: the faces' OpenType
  `halt`, the half-width forms). The fonts have no `chws`, which would do
  this by itself, and WeasyPrint no `text-spacing-trim`.
"""

from __future__ import annotations

import re

from lxml import etree

from . import languages
from .textfmt import EN_MONTHS

NBSP = "\u00a0"
# inside these, text is left alone (addresses, code, the figures)
SKIP = {"pre", "code", "script", "style", "svg", "img", "head", "title"}

LABEL = r"(?<![A-Za-z0-9.])[A-Z]\.\d+(?:\.\d+)*"
DAY_MONTH = re.compile(r"\b(\d{1,2}(?:–\d{1,2})?) (" + "|".join(EN_MONTHS) + r")\b")
# a number with 第 before it and the measure word or unit after it; a month and its day
MEASURES = "年月日时个章节版条项次届轮名位家国亿万千百元岁天周号期倍层"
HAN_NUMBER = re.compile(rf"\d{{1,2}}月\d{{1,2}}日|第?\d+(?:[.,]\d+)*%?[{MEASURES}]|第\d+(?:\.\d+)*")
CLOSING = "，。、；：）》」』】〕〉”’"
OPENING = "（《「『【〔〈“‘"
HALT = re.compile(rf"[{CLOSING}](?=[{CLOSING}{OPENING}？！])|(?<=[{OPENING}])[{OPENING}]")


def names(data: dict, lang: str) -> tuple[list[str], list[str]]:
    """(proper names never hyphenated, personal names never broken) of the
    data in a language, longest first."""
    found = [term[lang] for term in data["terms"]]
    found += [a for term in data["terms"] for a in term.get("abbr", {}).get(lang, [])]
    found += [state["name"][lang] for state in data["states"]]
    found += [m["city"][lang] for key in ("summits", "shanghai_five") for m in data[key] if "city" in m]
    found += [e["place"][lang] for e in data["events"] if "place" in e]
    for publisher in data["report"]["publishers"]:
        found += [publisher["name"][lang], publisher["short"][lang], publisher["place"][lang]]
    people = [e["name"][lang] for e in data["report"]["editors"]]
    people += data.get("people", []) if lang == languages.LATIN else []
    found += people
    key = lambda s: (-len(s), s)  # noqa: E731
    return sorted(set(found), key=key), sorted(set(p for p in people if " " in p), key=key)


def simplified(lang: str) -> bool:
    """Whether a language is written in Simplified Chinese (its tag's script)."""
    return languages.get(lang).tag.endswith("-Hans")


class Setter:
    """The text rules of one edition's language."""

    def __init__(self, data: dict, lang: str, with_names: bool = True):
        self.han = languages.get(lang).han
        proper, self.people = names(data, lang) if with_names else ([], [])
        if self.han:
            # adjacent marks are compressed in Simplified typesetting, whose marks sit
            # at one side of their em; Traditional faces centre them (Taiwan's and Hong
            # Kong's standards), and presses there leave them full width
            halt = f"|(?P<halt>{HALT.pattern})" if simplified(lang) else ""
            self.pattern = re.compile(rf"(?P<nobr>{LABEL}|{HAN_NUMBER.pattern}){halt}")
        else:
            alternatives = "|".join(re.escape(n) for n in proper) or "(?!)"
            self.pattern = re.compile(rf"(?P<nobr>{LABEL})|(?<![\w-])(?P<name>{alternatives})(?![\w-])")

    def spans(self, text: str, following: str = "") -> list[tuple[int, int, str]]:
        """Where the rules apply; `following`: the text after it in the document
        (a mark before a link's text meets that text's first mark)."""
        return [(m.start(), m.end(), m.lastgroup) for m in self.pattern.finditer(text + following[:1])
                if m.end() <= len(text)]

    def latin(self, text: str) -> str:
        """No-break spaces in a day with its month and in personal names."""
        if self.han or not self.people:
            return text
        text = DAY_MONTH.sub(lambda m: m.group(1) + NBSP + m.group(2), text)
        for person in self.people:
            if person in text:
                text = text.replace(person, person.replace(" ", NBSP))
        return text

    def pieces(self, text: str, following: str) -> list:
        """text as strings and span elements."""
        out, pos = [], 0
        for start, end, kind in self.spans(text, following):
            span = etree.Element("span", {"class": f"rpt-{kind}"})
            span.text = self.latin(text[start:end])
            out += [self.latin(text[pos:start]), span]
            pos = end
        return out + [self.latin(text[pos:])]

    def run(self, el, after: dict) -> None:
        """after: (element, "text" or "tail") -> the text that follows it."""
        if not isinstance(el.tag, str) or el.tag in SKIP:
            return
        if el.tag == "a":
            # no span inside a link: WeasyPrint would give it a link annotation of
            # its own, outside the structure tree (PDF/UA); a short link's text is
            # kept on one line whole, a long one gets its no-break spaces only
            text = "".join(el.itertext())
            if not text.startswith(("http://", "https://")):
                if len(text) < 16 and any(kind == "nobr" for *_, kind in self.spans(text)):
                    el.set("class", " ".join(filter(None, [el.get("class"), "rpt-nobr"])))
                for node in el.iter():
                    node.text = self.latin(node.text) if node.text else node.text
                    if node is not el and node.tail:
                        node.tail = self.latin(node.tail)
            return
        if "rpt-name" in (el.get("class") or "").split() or "rpt-nobr" in (el.get("class") or "").split():
            return
        for child in list(el):
            self.run(child, after)
            if child.tail:
                parts = self.pieces(child.tail, after.get((child, "tail"), ""))
                child.tail = parts[0]
                at = list(el).index(child) + 1
                for i in range(1, len(parts), 2):
                    parts[i].tail = parts[i + 1]
                    el.insert(at, parts[i])
                    at += 1
        if el.text:
            parts = self.pieces(el.text, after.get((el, "text"), ""))
            el.text = parts[0]
            for i in range(1, len(parts), 2):
                parts[i].tail = parts[i + 1]
                el.insert(i // 2, parts[i])


INTRODUCED = {"ul", "ol", "table", "pre", "dl"}


def mark_blocks(body) -> None:
    """A lead-in (a paragraph ending in a colon right before a list or code,
    or any paragraph right before a table or figure) gets class rpt-leadin, which
    pdf.css keeps with what it introduces; the glossary's table (its terms
    are <dfn>) class rpt-glossary."""
    for p in body.iter("p"):
        after = p.getnext()
        text = "".join(p.itertext()).rstrip()
        if after is not None and (after.tag in ("table", "figure")
                                  or after.tag in INTRODUCED and text.endswith((":", "："))):
            p.set("class", " ".join(filter(None, [p.get("class"), "rpt-leadin"])))
    for table in body.iter("table"):
        if table.find(".//dfn") is not None:
            table.set("class", " ".join(filter(None, [table.get("class"), "rpt-glossary"])))


def _segments(el):
    """(element, "text" or "tail", text) in document order."""
    yield el, "text", el.text or ""
    for child in el:
        if isinstance(child.tag, str):
            yield from _segments(child)
        yield child, "tail", child.tail or ""


def set_text(body, data: dict, lang: str, skip=("cover", "contents")) -> None:
    """Mark the PDF's body (an lxml element) for print, in place; in the parts
    whose data-page is in `skip` (lists of names and titles), names and dates
    are left as they are."""
    mark_blocks(body)
    segments = [s for s in _segments(body) if s[2]]
    after = {(el, which): segments[i + 1][2] if i + 1 < len(segments) else ""
             for i, (el, which, _) in enumerate(segments)}
    setters = {True: Setter(data, lang), False: Setter(data, lang, with_names=False)}
    for part in body:
        setters[part.get("data-page") not in skip].run(part, after)
