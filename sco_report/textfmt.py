"""Text formatting in each language: dates, lists, footnote sources.

Pure functions of the data; no MkDocs.
"""

from __future__ import annotations

import html
import re

from . import languages
from .schema import parse_span


EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December"]


def format_date(value: str, lang: str) -> str:
    """'2018-06-09/2018-06-10' -> '2018年6月9日至10日' / '9–10 June 2018'."""
    (y1, m1, d1), (y2, m2, d2) = parse_span(value)
    single = (y1, m1, d1) == (y2, m2, d2)
    if languages.get(lang).han:
        def zh(y, m, d, with_year=True, with_month=True):
            s = f"{y}年" if with_year else ""
            if m:
                s += f"{m}月" if with_month else ""
                if d:
                    s += f"{d}日"
            return s
        if single:
            return zh(y1, m1, d1)
        return zh(y1, m1, d1) + "至" + zh(y2, m2, d2, y2 != y1, (y2, m2) != (y1, m1))

    def en(y, m, d, with_year=True):
        parts = [str(d)] if d else []
        if m:
            parts.append(EN_MONTHS[m - 1])
        if with_year:
            parts.append(str(y))
        return " ".join(parts)
    if single:
        return en(y1, m1, d1)
    if (y1, m1) == (y2, m2) and d1 and d2:
        return f"{d1}–{d2} {EN_MONTHS[m1 - 1]} {y1}"
    return f"{en(y1, m1, d1, y1 != y2)} – {en(y2, m2, d2)}"


def year_of(value: str) -> int:
    return parse_span(value)[0][0]


_HAN = re.compile(r"[\u3400-\u9fff]")


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def quoted(title: str) -> str:
    """A title in double quotes; its own double quotes become single ones
    (‘ inside “)."""
    inner = re.sub(r'"([^"]*)"', r"‘\1’", title)   # data typed with straight quotes
    return "“" + inner.replace("“", "‘").replace("”", "’") + "”"


def format_source(src: dict, lang: str) -> str:
    """One footnote, as Markdown, in the page's language."""
    publisher = src["publisher"][lang]
    han = languages.get(lang).han
    if "description" in src:
        parts = [f"{publisher}{'：' if han else ', '}{src['description'][lang]}"]
    elif han:
        title = src["title"]
        shown = f"《{title}》" if has_han(title) else quoted(title)
        if not has_han(title) and src.get("title_zh"):
            shown += f"（{src['title_zh']}）"
        parts = [f"{publisher}：{shown}"]
    else:
        title = src["title"]
        shown = quoted(title)
        if has_han(title) and src.get("title_en"):
            shown += f" [{src['title_en']}]"
        parts = [publisher, shown]
    if src.get("date"):
        parts.append(format_date(src["date"], lang))
    if src.get("link") is False:
        # read only in a copy on a site that is no publisher: said, not linked
        note = "（本站所见为非官方转载，不予链接）" if han else " (seen only in an unofficial copy, not linked)"
        return ("，" if han else ", ").join(parts) + note + ("。" if han else ".")
    if han:
        note = "（转载页面）" if src.get("mirror") else ""
        return "，".join(parts) + f"{note}，<{src['url']}>。"
    note = " (republished copy)" if src.get("mirror") else ""
    return ", ".join(parts) + f"{note}, <{src['url']}>."


def join_list(items, lang: str) -> str:
    items = list(items)
    if languages.get(lang).han:
        return "、".join(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def status_in(state: dict, year: int):
    """The state's status in a given year, or None."""
    current = None
    for item in state["statuses"]:
        if int(item["since"]) <= year:
            current = item["status"]
    return current


def escape(text: str) -> str:
    return html.escape(text, quote=False)   # text, not attributes: quotes stay for smarty

