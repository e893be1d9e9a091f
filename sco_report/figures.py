"""Figures drawn at build time from data/report.yml, as inline SVG.

sco_report/data.py calls `figure(name, lang, data, t)` for {{ figure:name }}.
Each figure is a <figure> with a numbered caption, an SVG with role="img", a
<title> and a <desc> (the text alternative, generated from the same data),
and labels in the page's language. Colours are CSS classes (rpt-fig-*) that
site.css sets for light, dark and print; sizes come from a viewBox, so the
figure shrinks to the column on a phone. Nothing is loaded from anywhere.
"""

from __future__ import annotations

import html
import re

from . import languages
from . import textfmt as fmt
from . import theme_patches
from .schema import STATUSES

NUMBERS = {"framework": "5.1", "timeline": "A.1", "membership": "A.2"}
W = 400  # viewBox width of every figure


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def text_width(text: str, size: float) -> float:
    """Rough advance width: CJK characters a full em, Latin about half."""
    width = 0.0
    for ch in text:
        if fmt.has_han(ch) or ch in "，。：；、“”《》（）":
            width += 1.0
        elif ch in "il.,;:'|!":
            width += 0.3
        elif ch.isupper() or ch in "mw":
            width += 0.72
        else:
            width += 0.55
    return width * size


def wrap(text: str, size: float, width: float) -> list[str]:
    """Break text into lines that fit: at spaces and after hyphens for Latin,
    between any two characters for CJK (never before closing punctuation)."""
    if fmt.has_han(text):
        pieces = list(text)
    else:
        pieces = re.findall(r"[^\s-]+-|[^\s-]+|\s+", text)
    lines, line = [], ""
    for piece in pieces:
        if piece.isspace():
            line += " " if line else ""
            continue
        if line.strip() and text_width(line + piece, size) > width and piece not in "，。：；、”）》":
            lines.append(line.rstrip())
            line = piece
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


def text(x, y, content, cls="rpt-fig-text", size=11, anchor="start", weight=None):
    attrs = f' font-weight="{weight}"' if weight else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" class="{cls}" font-size="{size}" '
            f'text-anchor="{anchor}"{attrs}>{esc(content)}</text>')


def wrap_figure(name: str, lang: str, t: dict, height: float, body: str, desc: str, max_width: int,
                width: float = W) -> str:
    number = NUMBERS[name]
    caption = t[f"fig_{name}"]
    fid = f"fig-{name}-{lang}"
    label = t["fig_label"].format(n=number)
    return (
        # out of the search index: the figure's labels repeat the text around it
        f'<figure class="rpt-figure rpt-figure--{name}" id="figure-{name}" {theme_patches.SEARCH_EXCLUDE}>'
        f'<svg class="rpt-fig" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-labelledby="{fid}-title {fid}-desc" style="max-width:{max_width}px" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{fid}-title">{esc(label)} {esc(caption)}</title>'
        f'<desc id="{fid}-desc">{esc(desc)}</desc>{body}</svg>'
        f'<figcaption><span class="rpt-fig-number">{esc(label)}</span> {esc(caption)}</figcaption>'
        f'</figure>')


# --- Figure 5.1: the framework -------------------------------------------------------

def framework(lang: str, data: dict, t: dict) -> str:
    han = languages.get(lang).han
    parts = data["framework"]
    label_w, gap, x0 = 104, 6, 110
    area = W - x0
    y, body, rows = 4, [], []
    for part in parts:
        items = part["items"]
        n = len(items)
        box_w = (area - gap * (n - 1)) / n
        size = 13 if han else 12
        layouts = [wrap(item[lang], size, box_w - 12) for item in items]
        lines = max(len(layout) for layout in layouts)
        box_h = max(36, lines * size * 1.3 + 16)
        body.append(f'<g class="rpt-fig-band" data-part="{esc(part["id"])}">')
        body.append(f'<rect x="0" y="{y}" width="{label_w - 6}" height="{box_h:.1f}" rx="4" class="rpt-fig-key"/>')
        name_lines = wrap(part["name"][lang], 13, label_w - 16)
        ny = y + box_h / 2 - (len(name_lines) - 1) * 13 * 0.65 + 4.5
        for i, line in enumerate(name_lines):
            body.append(text((label_w - 6) / 2, ny + i * 13 * 1.3, line, "rpt-fig-keytext", 13, "middle", 700))
        for i, (item, layout) in enumerate(zip(items, layouts)):
            bx = x0 + i * (box_w + gap)
            body.append(f'<rect x="{bx:.1f}" y="{y}" width="{box_w:.1f}" height="{box_h:.1f}" rx="4" class="rpt-fig-box"/>')
            ty = y + box_h / 2 - (len(layout) - 1) * size * 0.65 + size * 0.35
            for j, line in enumerate(layout):
                body.append(text(bx + box_w / 2, ty + j * size * 1.3, line, "rpt-fig-text", size, "middle"))
        body.append("</g>")
        rows.append(f"{part['name'][lang]}: " + fmt.join_list((it[lang] for it in items), lang))
        y += box_h + 10
    desc = t["fig_framework_desc"] + " " + ("；" if han else "; ").join(rows)
    return wrap_figure("framework", lang, t, y - 6, "".join(body), desc, 640)


# --- Figure A.1: timeline 1996-2018 ----------------------------------------------------

def timeline(lang: str, data: dict, t: dict) -> str:
    han = languages.get(lang).han
    years: dict[int, dict] = {}

    def year(y):
        return years.setdefault(y, {"meetings": [], "events": []})

    for m in data["shanghai_five"]:
        year(fmt.year_of(m["date"]))["meetings"].append(("sf", m))
    for m in data["summits"]:
        year(fmt.year_of(m["date"]))["meetings"].append(("chs", m))
    for e in data["events"]:
        if e.get("short"):
            year(fmt.year_of(e["date"]))["events"].append(e)
    first, last = min(years), max(years)
    row, top, axis_x = 24, 34, 50
    body = [
        # legend
        '<circle cx="12" cy="12" r="5" class="rpt-fig-sf"/>',
        text(22, 16, t["fig_legend_sf"], size=10),
        '<circle cx="172" cy="12" r="5" class="rpt-fig-chs"/>',
        text(182, 16, t["fig_legend_chs"], size=10),
        f'<line x1="{axis_x}" y1="{top - 8}" x2="{axis_x}" y2="{top + (last - first) * row + 8}" class="rpt-fig-axis"/>',
    ]
    lines_desc = []
    widest = 0.0
    for y in range(first, last + 1):
        cy = top + (y - first) * row
        entry = years.get(y)
        body.append(text(axis_x - 12, cy + 4, str(y), "rpt-fig-muted", 10, "end"))
        if not entry:
            body.append(f'<line x1="{axis_x - 3}" y1="{cy}" x2="{axis_x + 3}" y2="{cy}" class="rpt-fig-axis"/>')
            continue
        kinds = {k for k, _ in entry["meetings"]}
        places = []
        for kind, m in entry["meetings"]:
            if m["city"][lang] not in places:
                places.append(m["city"][lang])
        for kind in ("sf", "chs"):
            if kind in kinds:
                m = next(m for k, m in entry["meetings"] if k == kind)
                r = 5 if kind == "chs" or "chs" not in kinds else 8
                body.append(f'<circle cx="{axis_x}" cy="{cy}" r="{r}" class="rpt-fig-{kind}" '
                            f'data-date="{esc(m["date"])}" data-kind="{kind}"/>')
        label = t["sep_dot"].join(places)
        events = [e["short"][lang] for e in entry["events"]]
        if events:
            label += ("：" if han else ": ") + t["sep"].join(events)
        body.append(text(axis_x + 14, cy + 4, label, "rpt-fig-text", 11))
        widest = max(widest, axis_x + 14 + text_width(label, 11))
        lines_desc.append(f"{y} {label}")
    height = top + (last - first) * row + 14
    # as wide as the longest label, so that it is legible on a phone
    width = max(widest, 182 + text_width(t["fig_legend_chs"], 10)) + 8
    desc = t["fig_timeline_desc"].format(first=first, last=last) + " " + \
        ("；" if han else "; ").join(lines_desc)
    return wrap_figure("timeline", lang, t, height, "".join(body), desc, int(width * 1.6), width)


# --- Figure A.2: membership over time ------------------------------------------------------

def membership(lang: str, data: dict, t: dict) -> str:
    end = max(2018, max(fmt.year_of(m["date"]) for m in data["summits"]))
    start = min(int(s["statuses"][0]["since"]) for s in data["states"])
    label_w, top, row = 84, 24, 15
    col = (W - label_w - 6) / (end - start + 1)
    body = [f'<defs><pattern id="rpt-hatch-{lang}" width="4" height="4" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="4" height="4" class="rpt-fig-observer-bg"/>'
            f'<line x1="0" y1="0" x2="0" y2="4" class="rpt-fig-observer-line"/></pattern></defs>']
    for y in range(start, end + 1):
        if (y - start) % 4 == 0 and end - y >= 3 or y == end:
            x = label_w + (y - start + 0.5) * col
            body.append(text(x, 12, str(y), "rpt-fig-muted", 9, "middle"))
    order = [s for status in STATUSES for s in data["states"] if fmt.status_in(s, end) == status]
    for i, state in enumerate(order):
        y = top + i * row
        body.append(text(label_w - 6, y + row / 2 + 3.5, state["name"][lang], "rpt-fig-text", 10, "end"))
        body.append(f'<line x1="{label_w}" y1="{y + row / 2}" x2="{W - 6}" y2="{y + row / 2}" class="rpt-fig-grid"/>')
        spans = state["statuses"]
        for j, span in enumerate(spans):
            a = int(span["since"])
            b = int(spans[j + 1]["since"]) - 1 if j + 1 < len(spans) else end
            fill = f' fill="url(#rpt-hatch-{lang})"' if span["status"] == "observer" else ""
            body.append(f'<rect x="{label_w + (a - start) * col:.1f}" y="{y + 2}" '
                        f'width="{(b - a + 1) * col:.1f}" height="{row - 4}" rx="2" '
                        f'class="rpt-fig-{span["status"]}"{fill} data-state="{esc(state["id"])}" '
                        f'data-status="{span["status"]}" data-from="{a}"/>')
    ly = top + len(order) * row + 12
    x = label_w
    for status in STATUSES:
        fill = f' fill="url(#rpt-hatch-{lang})"' if status == "observer" else ""
        body.append(f'<rect x="{x}" y="{ly - 8}" width="14" height="10" rx="2" class="rpt-fig-{status}"{fill}/>')
        name = t[f"status_{status}"]
        body.append(text(x + 18, ly + 1, name, "rpt-fig-text", 10))
        x += 18 + text_width(name, 10) + 16
    height = ly + 8
    counts = {status: sum(1 for s in order if fmt.status_in(s, end) == status) for status in STATUSES}
    desc = t["fig_membership_desc"].format(start=start, end=end, members=counts["member"],
                                           observers=counts["observer"], partners=counts["partner"])
    return wrap_figure("membership", lang, t, height, "".join(body), desc, 620)


FIGURES = {"framework": framework, "timeline": timeline, "membership": membership}


def figure(name: str, lang: str, data: dict, t: dict) -> str | None:
    """The figure in the page's language: t is data/ui.yml in that language."""
    make = FIGURES.get(name)
    return make(lang, data, t) if make else None
