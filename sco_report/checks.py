"""The languages must stay parallel; fail the build if they drift.

Checks the Markdown sources before anything is built:
- every page exists in both docs/zh and docs/en, under the same name;
- every heading carries an explicit {#id} (lowercase ASCII), unique on its page;
- each page pair has the same headings (level and id) in the same order, and
  the same section numbers ("3.4") where headings are numbered;
and, after Markdown is rendered, that no heading in the HTML got an id the
author did not write (such as the positional "_1" of Chinese headings).

Each problem is one line naming the file, the language and the id, e.g.
  docs/en/challenges.md:41 [en]: heading id 'enlargement' differs from docs/zh/challenges.md:39 [zh] 'expansion'
Broken links and anchors are reported by MkDocs itself (validation: in
mkdocs.yml) and fail the strict build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from mkdocs.exceptions import PluginError

from . import languages

ATX = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
ATTRS = re.compile(r"\{[^{}]*\}\s*$")
ID_IN_ATTRS = re.compile(r"#([^\s}]+)")
VALID_ID = re.compile(r"^[a-z][a-z0-9-]*$")
NUMBER = re.compile(r"^((?:\d+|[A-Z])(?:\.\d+)*)\s")
FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")



@dataclass
class Heading:
    line: int
    level: int
    text: str
    id: str | None
    number: str | None


def parse_headings(text: str, where: str) -> tuple[list[Heading], list[str]]:
    """ATX headings outside fenced code, and the problems found."""
    headings, problems = [], []
    fence = None
    prev = ""
    lines = text.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":  # YAML front matter
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)
    for n, line in enumerate(lines[start:], start + 1):
        m = FENCE_OPEN.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            prev = ""
            continue
        if m:
            fence = m.group(1)
            continue
        if (SETEXT.match(line) and prev.strip() and not prev.startswith(("    ", "\t"))
                and not prev.lstrip().startswith(("|", "-", "*", "+", ">", "!!!", "<", "#"))):
            problems.append(f"{where}:{n - 1}: underlined (setext) heading {prev.strip()!r}: "
                            "write it as '## Title {{#id}}'")
        prev = line
        m = ATX.match(line)
        if not m:
            continue
        level, body = len(m.group(1)), m.group(2)
        attrs = ATTRS.search(body)
        hid = None
        if attrs:
            ids = ID_IN_ATTRS.findall(attrs.group(0))
            hid = ids[0] if ids else None
            body = body[: attrs.start()].rstrip()
        number = NUMBER.match(body)
        headings.append(Heading(n, level, body, hid, number.group(1) if number else None))
        if hid is None:
            problems.append(f"{where}:{n}: heading {body!r} has no explicit id: add {{#some-id}}")
        elif not VALID_ID.match(hid):
            problems.append(f"{where}:{n}: heading id '{hid}' must be lowercase ASCII letters, digits and '-'")
    seen: dict[str, int] = {}
    for h in headings:
        if h.id and h.id in seen:
            problems.append(f"{where}:{h.line}: heading id '{h.id}' is used twice (also line {seen[h.id]})")
        elif h.id:
            seen[h.id] = h.line
    return headings, problems


def compare(ref: list[Heading], other: list[Heading], ref_where: str, where: str, ref_lang: str,
            lang: str) -> list[str]:
    """The first difference between two pages' headings, if any: `other`
    (in `lang`) against the default language's `ref`."""
    for a, b in zip(ref, other):
        if a.id != b.id:
            return [f"{where}:{b.line} [{lang}]: heading id '{b.id}' differs from "
                    f"{ref_where}:{a.line} [{ref_lang}] '{a.id}' (ids must be identical and in the same order)"]
        if a.level != b.level:
            return [f"{where}:{b.line} [{lang}]: heading '{b.id}' is level {b.level} but level "
                    f"{a.level} in {ref_where}:{a.line} [{ref_lang}]"]
        if a.number != b.number:
            return [f"{where}:{b.line} [{lang}]: heading '{b.id}' is numbered {b.number or 'nothing'} but "
                    f"{a.number or 'nothing'} in {ref_where}:{a.line} [{ref_lang}]"]
    if len(ref) != len(other):
        longer, at, at_lang, missing = ((ref, ref_where, ref_lang, lang) if len(ref) > len(other)
                                        else (other, where, lang, ref_lang))
        extra = longer[min(len(ref), len(other))]
        return [f"{at}:{extra.line} [{at_lang}]: heading '{extra.id}' has no counterpart in the {missing} page"]
    return []


def check_sources(docs: Path, declared: dict[str, set[str]] | None = None) -> list[str]:
    """All source-level problems, each as one line; the ids each page may
    carry go into `declared` ("zh/x.md" -> ids)."""
    declared = {} if declared is None else declared
    problems: list[str] = []
    pages = {lang: {p.relative_to(docs / lang).as_posix()
                    for p in (docs / lang).rglob("*.md")} for lang in languages.STORED}
    for lang in languages.STORED:
        for other in languages.others(lang):
            for rel in sorted(pages[lang] - pages.get(other, pages[lang])):
                problems.append(f"docs/{other}/{rel} [{other}]: missing; docs/{lang}/{rel} has no "
                                f"counterpart in {languages.get(other).name}")
    ref = languages.DEFAULT
    for rel in sorted(set().union(*pages.values())):
        parsed = {}
        for lang in languages.STORED:
            path = docs / lang / rel
            if not path.exists():
                continue
            where = f"docs/{lang}/{rel}"
            headings, found = parse_headings(path.read_text(encoding="utf-8"), where)
            problems += [f"{p.split(': ', 1)[0]} [{lang}]: {p.split(': ', 1)[1]}" for p in found]
            parsed[lang] = headings
            declared[f"{lang}/{rel}"] = {h.id for h in headings if h.id}
        for lang in languages.CODES:   # a derived page has its source's ids
            if f"{languages.source(lang)}/{rel}" in declared:
                declared[f"{lang}/{rel}"] = declared[f"{languages.source(lang)}/{rel}"]
        if ref in parsed:
            for lang in languages.others(ref):
                if lang in parsed:
                    problems += compare(parsed[ref], parsed[lang], f"docs/{ref}/{rel}", f"docs/{lang}/{rel}",
                                        ref, lang)
    return problems


def check_rendered_ids(html: str, page, lang: str, declared: dict[str, set[str]]) -> None:
    """No heading in the HTML got an id the author did not write (such as
    the positional "_1" of Chinese headings)."""
    allowed = declared.get(page.file.src_uri)
    if allowed is None:
        return
    for el in lxml.html.fragment_fromstring(html, create_parent="div").iter("h1", "h2", "h3", "h4", "h5", "h6"):
        if el.get("id") not in allowed:
            raise PluginError(f"docs/{page.file.src_uri} [{lang}]: a heading rendered with "
                              f"id '{el.get('id')}' that no {{#id}} in the source declares")
