"""Hook: finish each page's HTML in its language.

- Glossary abbreviations (terms with `abbr:` in data/report.yml, such as
  SCO, RATS, BRI, 上合组织) become <abbr title="…"> at their first use in
  each section, so a reader who lands on any section gets the tooltip.
  Python-Markdown's abbr extension cannot do this for Chinese: it needs
  word boundaries, which running Chinese text does not have.
- Footnote back-links and section permalinks get their titles in the page's
  language (the extensions have one global, English title), and permalinks
  an accessible name that says which section they link to.
"""

from __future__ import annotations

import html as htmllib
import re

import reportdata as rd  # the data files loaded for this build

TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>|<!--.*?-->", re.S)
# Inside these, text is left alone.
SKIP = {"a", "abbr", "code", "pre", "kbd", "script", "style", "svg", "title",
        "h1", "h2", "h3", "h4", "h5", "h6", "sup", "dfn", "button", "label", "textarea"}
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "col", "embed", "track"}
HEADERLINK = re.compile(r'(<h([1-6]) id="([^"]+)"[^>]*>)(.*?)<a class="headerlink" href="#\3" title="Permanent link">', re.S)
BACKREF = re.compile(r'(<a class="footnote-backref" href="#fnref\d*:[^"]+") title="Jump back to footnote (\d+) in the text"')


def _abbreviations(lang: str) -> list[tuple[re.Pattern, str]]:
    out = []
    for term in rd.DATA["terms"]:
        for short in term.get("abbr", {}).get(lang, []):
            title = term[lang] if lang == "en" else f"{term['zh']}（{term['en']}）"
            if short.isascii():
                pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(short)}(?![A-Za-z0-9])")
            else:
                pattern = re.compile(re.escape(short))
            out.append((pattern, title, short))
    # longer forms first, so that a short one never splits a longer one
    out.sort(key=lambda item: -len(item[2]))
    return [(p, t) for p, t, _ in out]


def mark_abbreviations(html: str, lang: str) -> str:
    terms = _abbreviations(lang)
    if not terms:
        return html
    used: set[str] = set()
    out, pos, stack = [], 0, []

    def annotate(text: str) -> str:
        # first match of each term in this text, if not used in this section
        spans = []
        for pattern, title in terms:
            if title in used:
                continue
            m = pattern.search(text)
            if m and not any(a < m.end() and m.start() < b for a, b, _ in spans):
                spans.append((m.start(), m.end(), title))
                used.add(title)
        for start, end, title in sorted(spans, reverse=True):
            text = (text[:start] + f'<abbr title="{htmllib.escape(title, quote=True)}">'
                    + text[start:end] + "</abbr>" + text[end:])
        return text

    for m in TAG.finditer(html):
        chunk = html[pos:m.start()]
        out.append(annotate(chunk) if chunk.strip() and not stack else chunk)
        out.append(m.group(0))
        pos = m.end()
        if m.group(2) is None:
            continue
        closing, name = m.group(1) == "/", m.group(2).lower()
        if name == "h2" and not closing:
            used.clear()  # a new section: tooltips again at first use
        if name in VOID or m.group(3).rstrip().endswith("/"):
            continue
        if name in SKIP or (not closing and 'class="footnote"' in m.group(3)):
            if closing:
                if stack and stack[-1] == name:
                    stack.pop()
            else:
                stack.append(name)
        elif stack and name == stack[-1] and closing:
            stack.pop()
        elif stack and not closing and name == "div":
            stack.append(name)  # nested inside a skipped block
    chunk = html[pos:]
    out.append(annotate(chunk) if chunk.strip() and not stack else chunk)
    return "".join(out)


def on_page_content(html, page, config, files):
    lang = rd.lang_of(page)
    html = mark_abbreviations(html, lang)
    strings = rd.ui(lang)
    # adjacent note markers read "3,1", not "31"
    html = html.replace('</sup><sup id="fnref', '</sup><sup class="rpt-notesep" aria-hidden="true">,</sup><sup id="fnref')
    html = BACKREF.sub(lambda m: f'{m.group(1)} title="{strings["footnote_back"].format(n=m.group(2))}"', html)

    def permalink(m):
        # "¶" alone names nothing for a screen reader: say what the link does
        heading = htmllib.unescape(TAG.sub("", m.group(4))).strip()
        label = htmllib.escape(f"{strings['permalink_title']}: {heading}", quote=True)
        return (f'{m.group(1)}{m.group(4)}<a class="headerlink" href="#{m.group(3)}" '
                f'title="{htmllib.escape(strings["permalink_title"], quote=True)}" aria-label="{label}">')
    return HEADERLINK.sub(permalink, html)
