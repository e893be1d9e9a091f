"""Hook: render data/report.yml into the pages of both languages.

Markdown pages use short references that this hook replaces, in the page's
language, before Markdown is converted:

    {{ date:founding }}      a dated event, summit-18, shanghai-five-1 or released
    {{ place:summit-18 }}    the place of an event or meeting
    {{ event:charter }}      the label of an event
    {{ report:title }}       report metadata: title, title_alt, title_other
                             (the other language's title), publishers,
                             editors, released, place, event, year
    {{ list:members }}       members, observers or partners in mid-2018
    {{ count:members }}      how many of them (also: summits)
    {{ table:summits }}      summits, shanghai-five, states or glossary
    {{ cite:bibtex }}        the report's citation: gbt, apa or bibtex, in the
                             page's language; gbt-en, apa-zh … in the other one
    {{ download:zip }}       a link to the offline bundle (hooks/bundle.py makes it)
    {{ download:pdf }}       links to the PDF of each language (hooks/pdf.py makes them)
    {{ figure:timeline }}    an SVG figure drawn from the data: timeline,
                             membership or framework (hooks/figures.py)

and footnotes whose key names a source in data/report.yml, e.g. [^tass-2018],
get their definition appended, formatted for the language. An unknown
reference fails the build with one line naming the file, language and key.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

import bundle  # only for the download path; its hook runs as its own module
import figures
import pdf  # only for the PDFs' names and size slots
import reportdata as rd

DATA = rd.DATA   # data/report.yml, loaded in on_config
ROOT = Path(".")
SITE_URL = ""

SHORTCODE = re.compile(r"\{\{\s*([a-z]+):([\w.-]+)\s*\}\}")
FOOTREF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
FOOTDEF = re.compile(r"^\[\^([^\]\s]+)\]:", re.M)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)


def on_config(config):
    global ROOT, SITE_URL
    ROOT = Path(config.config_file_path).parent
    SITE_URL = config.site_url or ""
    try:
        rd.load_current(ROOT)
    except rd.DataError as exc:
        raise PluginError(str(exc)) from None
    return config


lang_of = rd.lang_of
ui = rd.ui


# --- Lookups --------------------------------------------------------------------

def _dated(key: str):
    """Find a dated item by reference key."""
    report = DATA["report"]
    if key == "released":
        return {"date": report["released"], "place": report["place"],
                "label": report["event"]}
    for event in DATA["events"]:
        if event["id"] == key:
            return event
    m = re.fullmatch(r"(summit|shanghai-five)-(\d+)", key)
    if m:
        items = DATA["summits" if m.group(1) == "summit" else "shanghai_five"]
        n = int(m.group(2))
        if 1 <= n <= len(items):
            item = items[n - 1]
            return {"date": item["date"], "place": item["city"], "label": item["outcome"]}
        return None
    return None


def states_with(status: str, year: int = 2018):
    return [s for s in DATA["states"] if rd.status_in(s, year) == status]


def _footnote_refs(sources) -> str:
    return "".join(f"[^{key}]" for key in sources)


def other(lang):
    return "en" if lang == "zh" else "zh"


def span(text: str, lang: str) -> str:
    return f'<span lang="{lang}">{rd.escape(text)}</span>'


# --- Tables -------------------------------------------------------------------

def _table(head, rows, align) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(out)


def table(name: str, lang: str, t: dict):
    if name in ("summits", "shanghai-five"):
        items = DATA["summits" if name == "summits" else "shanghai_five"]
        head = [t["col_number"], t["col_date"], t["col_city"], t["col_outcome"]]
        rows = [[str(m["number"]), rd.format_date(m["date"], lang), m["city"][lang],
                 m["outcome"][lang] + _footnote_refs(m["source"])] for m in items]
        return _table(head, rows, ["--:", "---", "---", "---"])
    if name == "states":
        head = [t["col_state"], t["col_status_2018"], t["col_joined"], t["col_history"]]
        rows = []
        for status in rd.STATUSES:
            for s in states_with(status):
                history = t["sep"].join(
                    t["history_item"].format(year=h["since"], status=t[f"status_{h['status']}"])
                    for h in s["statuses"])
                joined = s["statuses"][0]["since"]
                rows.append([s["name"][lang], t[f"status_{status}"], joined,
                             history + _footnote_refs(s["source"])])
        return _table(head, rows, ["---", "---", "--:", "---"])
    if name == "glossary":
        head = [t["col_term"], t["col_term_other"], t["col_definition"]]
        rows = []
        for term in DATA["terms"]:
            abbr = term.get("abbr", {}).get(lang)
            own = f'<dfn id="term-{term["id"]}">{rd.escape(term[lang])}</dfn>'
            if abbr:
                own += t["abbr_note"].format(abbr=rd.escape(t["sep"].join(abbr)))
            rows.append([own, span(term[other(lang)], other(lang)),
                         rd.escape(term["def"][lang]) + _footnote_refs(term.get("source", []))])
        return _table(head, rows, ["---", "---", "---"])
    return None


# --- Rendering ----------------------------------------------------------------

def render(markdown: str, lang: str, where: str, page_url: str = "index.html") -> str:
    """Replace every data reference in one page's Markdown."""
    t = ui(lang)
    report = DATA["report"]

    def fail(code):
        raise PluginError(f"{where} [{lang}]: unknown data reference {{{{ {code} }}}}")

    def repl(m):
        kind, key = m.group(1), m.group(2)
        code = f"{kind}:{key}"
        if kind in ("date", "place", "event"):
            item = _dated(key)
            if item is None or (kind == "place" and "place" not in item):
                fail(code)
            if kind == "date":
                return rd.format_date(item["date"], lang)
            return item["place" if kind == "place" else "label"][lang]
        if kind == "report":
            if key == "publishers":
                return rd.join_list((p["name"][lang] for p in report["publishers"]), lang)
            if key == "editors":
                return rd.join_list((e["name"][lang] for e in report["editors"]), lang)
            if key == "released":
                return rd.format_date(report["released"], lang)
            if key == "year":
                return report["year"]
            if key in ("title", "title_alt", "place", "event", "languages"):
                return report[key][lang]
            if key == "title_other":
                return span(report["title"][other(lang)], other(lang))
            fail(code)
        if kind in ("list", "count"):
            if key == "summits" and kind == "count":
                return str(len(DATA["summits"]))
            status = {"members": "member", "observers": "observer", "partners": "partner"}.get(key)
            if not status:
                fail(code)
            names = [s["name"][lang] for s in states_with(status)]
            return str(len(names)) if kind == "count" else rd.join_list(names, lang)
        if kind == "table":
            out = table(key, lang, t)
            if out is None:
                fail(code)
            return "\n\n" + out + "\n\n"
        if kind == "cite":
            # {{ cite:apa }} in the page's language, {{ cite:apa-en }} in another
            fmt, _, cite_lang = key.partition("-")
            cite_lang = cite_lang or lang
            if fmt not in ("gbt", "apa", "bibtex") or cite_lang not in rd.LANGS:
                fail(code)
            text = rd.citations(report, cite_lang, SITE_URL, t["cite_accessed_placeholder"])[fmt]
            attr = f' lang="{cite_lang}"' if cite_lang != lang else ""
            if fmt == "bibtex":
                return (f'\n<pre class="rpt-cite rpt-cite--bibtex"{attr}><code>'
                        f"{rd.escape(text)}</code></pre>\n")
            body = re.sub(r"\*(.+?)\*", r"<i>\1</i>", rd.escape(text))
            return f'\n<p class="rpt-cite rpt-cite--{fmt}"{attr}>{body}</p>\n'
        if kind == "figure":
            svg = figures.figure(key, lang)
            if svg is None:
                fail(code)
            return "\n\n" + svg + "\n\n"
        if kind == "download" and key == "zip":
            href = posixpath.relpath(bundle.download_path(ROOT), posixpath.dirname(page_url) or ".")
            return (f'<a class="rpt-download" href="{href}" download>{rd.escape(t["download_label"])}</a>'
                    '<span class="rpt-download-size" hidden></span>')
        if kind == "download" and key == "pdf":
            links = []
            for pdf_lang in rd.LANGS:
                target = f"{bundle.DOWNLOADS}/{pdf.file_name(bundle.bundle_name(ROOT), pdf_lang)}"
                href = posixpath.relpath(target, posixpath.dirname(page_url) or ".")
                links.append(f'<a class="rpt-download" href="{href}" hreflang="{pdf_lang}" type="application/pdf" '
                             f'download>{rd.escape(t["download_pdf_" + pdf_lang])}</a>{pdf.size_slot(pdf_lang)}')
            return rd.escape(t["download_pdf_label"]) + rd.join_list(links, lang)
        fail(code)

    # data references are not expanded inside fenced code
    pieces, last = [], 0
    for fence in FENCE.finditer(markdown):
        pieces.append(SHORTCODE.sub(repl, markdown[last:fence.start()]))
        pieces.append(fence.group(0))
        last = fence.end()
    pieces.append(SHORTCODE.sub(repl, markdown[last:]))
    markdown = "".join(pieces)
    return append_footnotes(markdown, lang, where)


def append_footnotes(markdown: str, lang: str, where: str) -> str:
    defined = set(FOOTDEF.findall(markdown))
    sources = DATA["sources"]
    wanted = []
    for key in FOOTREF.findall(FENCE.sub("", markdown)):
        if key in defined or key in wanted:
            continue
        if key not in sources:
            raise PluginError(f"{where} [{lang}]: footnote [^{key}] is neither defined on the page "
                              f"nor a source in data/report.yml")
        wanted.append(key)
    if not wanted:
        return markdown
    notes = [f"[^{key}]: {source_note(sources[key], lang)}" for key in wanted]
    return markdown.rstrip() + "\n\n" + "\n".join(notes) + "\n"


def source_note(src: dict, lang: str) -> str:
    """A footnote, with text in the other language marked with its lang."""
    note = rd.format_source(src, lang)
    if "title" not in src:
        return note
    title = src["title"]
    title_lang = "zh" if rd.has_han(title) else "en"
    if title_lang != lang:
        note = note.replace(title, span(title, title_lang), 1)
    return note


# --- Events -------------------------------------------------------------------

def on_page_markdown(markdown, page, config, files):
    lang = lang_of(page)
    return render(markdown, lang, f"docs/{page.file.src_uri}", page.url)


def on_page_context(context, page, config, nav):
    lang = lang_of(page)
    strings = ui(lang)
    context["ui"] = strings
    context["ui_js"] = {k: strings[k] for k in ("link_copied", "citation_copied", "copy_failed",
                                                "cite_accessed_placeholder")}
    context["page_lang"] = lang
    # the cite box: the page's published URL and an access-date placeholder,
    # which site.js replaces with the chosen section's URL and today's date
    shown = rd.citations(DATA["report"], lang, page.canonical_url or "", strings["cite_accessed_placeholder"])
    context["cite"] = [{"format": fmt, "label": strings[f"cite_{fmt}"], "text": shown[fmt].replace("*", "")}
                       for fmt in ("gbt", "apa", "bibtex")]
    return context
