"""Page job: data/report.yml rendered into the pages of every language.

Markdown pages use short references that this module replaces, in the page's
language, before Markdown is converted:

    {{ date:founding }}      a dated event, summit-18, shanghai-five-1 or released
    {{ place:summit-18 }}    the place of an event or meeting
    {{ event:charter }}      the label of an event
    {{ edition:title }}      this site's name
    {{ report:title }}       report metadata: title, title_alt, title_other
                             (the other language's title), publishers,
                             editors, released, place, event, year
    {{ list:members }}       members, observers or partners in mid-2018
    {{ count:members }}      how many of them (also: summits)
    {{ table:summits }}      summits, shanghai-five, states or glossary
    {{ cite:report-apa }}    a citation of the report (report-…) or of this
                             edition as a whole (edition-…): gbt, apa or bibtex,
                             in the page's language; report-gbt-en … in another
    {{ download:zip }}       a link to the offline bundle (sco_report/offline_zip.py)
    {{ download:pdf }}       links to the PDF of each language (sco_report/pdf.py)
    {{ figure:timeline }}    an SVG figure drawn from the data: timeline,
                             membership or framework (sco_report/figures.py)

and footnotes whose key names a source in data/report.yml, e.g. [^tass-2018],
get their definition appended, formatted for the language. An unknown
reference fails the build with one line naming the file, language and key.
Finding boxes declare where we know the report's view from
(`!!! finding summary`, see data/report.yml `provenance`) and are labelled
with it in the page's language.
"""

from __future__ import annotations

import json
import posixpath
import re

from mkdocs.exceptions import PluginError

from . import citation
from . import figures
from . import offline_zip
from . import pdf
from . import theme_patches
from . import languages, state
from . import textfmt as fmt
from .schema import STATUSES

SHORTCODE = re.compile(r"\{\{\s*([a-z]+):([\w.-]+)\s*\}\}")
FOOTREF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
FOOTDEF = re.compile(r"^\[\^([^\]\s]+)\]:", re.M)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
FINDING = re.compile(r"^([ \t]*)!!![ \t]+finding\b([^\n]*)$", re.M)


# --- Lookups --------------------------------------------------------------------

def _dated(key: str, data: dict):
    """Find a dated item by reference key."""
    report = data["report"]
    if key == "released":
        return {"date": report["released"], "place": report["place"],
                "label": report["event"]}
    for event in data["events"]:
        if event["id"] == key:
            return event
    m = re.fullmatch(r"(summit|shanghai-five)-(\d+)", key)
    if m:
        items = data["summits" if m.group(1) == "summit" else "shanghai_five"]
        n = int(m.group(2))
        if 1 <= n <= len(items):
            item = items[n - 1]
            return {"date": item["date"], "place": item["city"], "label": item["outcome"]}
        return None
    return None


def states_with(data: dict, status: str, year: int = 2018):
    return [s for s in data["states"] if fmt.status_in(s, year) == status]


def _footnote_refs(sources) -> str:
    return "".join(f"[^{key}]" for key in sources)


other = languages.other


def span(text: str, lang: str) -> str:
    """Text in another language, tagged (zh-Hans, not zh: browsers pick the glyphs by it)."""
    return f'<span lang="{languages.get(lang).tag}">{fmt.escape(text)}</span>'


# --- Tables -------------------------------------------------------------------

def _table(head, rows, align) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(out)


# tables are numbered in their appendix, as the figures (figures.NUMBERS)
TABLE_NUMBERS = {"shanghai-five": "A.1", "summits": "A.2", "states": "A.3", "glossary": "B.1"}


def table(name: str, lang: str, t: dict, data: dict):
    """A generated table as Markdown, after its numbered caption: a paragraph
    of class rpt-table-caption, which typeset.py makes the table's <caption>."""
    body = _table_body(name, lang, t, data)
    if body is None:
        return None
    label = t["table_label"].format(n=TABLE_NUMBERS[name])
    caption = f'<span class="rpt-table-number">{label}</span> {fmt.escape(t["table_" + name])}'
    return f"{caption}\n{{: .rpt-table-caption }}\n\n{body}"


def _table_body(name: str, lang: str, t: dict, data: dict):
    if name in ("summits", "shanghai-five"):
        items = data["summits" if name == "summits" else "shanghai_five"]
        head = [t["col_number"], t["col_date"], t["col_city"], t["col_outcome"]]
        # each row has an id (summit-9, shanghai-five-2): a link and a search result of its own
        prefix = "summit" if name == "summits" else "shanghai-five"
        rows = [[f'<span id="{prefix}-{m["number"]}">{m["number"]}</span>', fmt.format_date(m["date"], lang),
                 m["city"][lang],
                 m["outcome"][lang] + _footnote_refs(m["source"])] for m in items]
        return _table(head, rows, ["--:", "---", "---", "---"])
    if name == "states":
        head = [t["col_state"], t["col_status_2018"], t["col_joined"], t["col_history"]]
        rows = []
        for status in STATUSES:
            for s in states_with(data, status):
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
        for term in data["terms"]:
            abbr = term.get("abbr", {}).get(lang)
            own = f'<dfn id="term-{term["id"]}">{fmt.escape(term[lang])}</dfn>'
            if abbr:
                own += t["abbr_note"].format(abbr=fmt.escape(t["sep"].join(abbr)))
            rows.append([own, span(term[other(lang)], other(lang)),
                         fmt.escape(term["def"][lang]) + _footnote_refs(term.get("source", []))])
        return _table(head, rows, ["---", "---", "---"])
    return None


# --- Rendering ----------------------------------------------------------------

def render(markdown: str, lang: str, where: str, build: state.Build, page_url: str = "index.html") -> str:
    """Replace every data reference in one page's Markdown."""
    t = build.ui(lang)
    data = build.data
    report = data["report"]

    def fail(code):
        raise PluginError(f"{where} [{lang}]: unknown data reference {{{{ {code} }}}}")

    def repl(m):
        kind, key = m.group(1), m.group(2)
        code = f"{kind}:{key}"
        if kind in ("date", "place", "event"):
            item = _dated(key, data)
            if item is None or (kind == "place" and "place" not in item):
                fail(code)
            if kind == "date":
                return fmt.format_date(item["date"], lang)
            return item["place" if kind == "place" else "label"][lang]
        if kind == "edition" and key == "title":   # this site's name
            return data["edition"]["title"][lang]
        if kind == "report":
            if key == "publishers":
                return fmt.join_list((p["name"][lang] for p in report["publishers"]), lang)
            if key == "editors":
                return fmt.join_list((e["name"][lang] for e in report["editors"]), lang)
            if key == "released":
                return fmt.format_date(report["released"], lang)
            if key == "year":
                return report["year"]
            if key in ("title", "title_alt", "place", "event", "languages"):
                return report[key][lang]
            if key == "title_other":
                return span(report["title"][other(lang)], other(lang))
            fail(code)
        if kind in ("list", "count"):
            if key == "summits" and kind == "count":
                return str(len(data["summits"]))
            status = {"members": "member", "observers": "observer", "partners": "partner"}.get(key)
            if not status:
                fail(code)
            names = [s["name"][lang] for s in states_with(data, status)]
            return str(len(names)) if kind == "count" else fmt.join_list(names, lang)
        if kind == "table":
            out = table(key, lang, t, data)
            if out is None:
                fail(code)
            return "\n\n" + out + "\n\n"
        if kind == "cite":
            # {{ cite:report-apa }} in the page's language, {{ cite:edition-gbt-en }} in another
            work, _, rest = key.partition("-")
            form, _, cite_lang = rest.partition("-")
            cite_lang = cite_lang or lang
            if work not in ("report", "edition") or form not in citation.FORMATS or cite_lang not in languages.CODES:
                fail(code)
            attr = f' lang="{languages.get(cite_lang).tag}"' if cite_lang != lang else ""
            convert = build.convert.get(cite_lang, str)
            if work == "report":
                return cite_block(citation.report(data, cite_lang, convert)[form], form, attr)
            # this edition: on screen with the access-date placeholder (site.js fills it in);
            # in print with none (the lead-in says how to add one)
            home = build.site_url and build.site_url + languages.prefix(cite_lang)
            args = (data, cite_lang, None, home, build.built_date, build.version)
            screen = citation.edition(*args, build.ui(cite_lang)["cite_accessed_placeholder"], convert)[form]
            return (cite_block(screen, form, attr, pdf.SCREEN)
                    + cite_block(citation.edition(*args, "", convert)[form], form, attr, pdf.PRINT))
        if kind == "figure":
            svg = figures.figure(key, lang, data, t)
            if svg is None:
                fail(code)
            return "\n\n" + svg + "\n\n"
        if kind == "download" and key == "zip":
            target = offline_zip.download_path(build.version)
            href = posixpath.relpath(target, posixpath.dirname(page_url) or ".")
            return (f'<a class="rpt-download" {offline_zip.link_attrs(target, href)} download>'
                    f'{fmt.escape(t["download_label"])}</a>{offline_zip.size_slot(target)}')
        if kind == "download" and key == "cite":   # this language's citation files (write_citation_files)
            links = [f'<a class="rpt-cite-file" href="{posixpath.relpath(languages.prefix(lang) + "cite/" + CITE_FILES[work] + ext, posixpath.dirname(page_url) or ".")}" '
                     f'download>{fmt.escape(t["cite_file_" + work + ext.replace(".", "_")])}</a>'
                     for work in CITE_FILES for ext in (".ris", ".json")]
            return fmt.join_list(links, lang)
        if kind == "download" and key == "pdf":
            links = []
            for pdf_lang in languages.CODES:
                target = f"{offline_zip.DOWNLOADS}/{pdf.file_name(offline_zip.bundle_name(build.version), pdf_lang)}"
                href = posixpath.relpath(target, posixpath.dirname(page_url) or ".")
                links.append(f'<a class="rpt-download" {offline_zip.link_attrs(target, href)} hreflang="{languages.get(pdf_lang).tag}" '
                             f'type="application/pdf" download>{fmt.escape(t["download_pdf_" + pdf_lang])}</a>'
                             f'{offline_zip.size_slot(target)}')
            return fmt.escape(t["download_pdf_label"]) + fmt.join_list(links, lang)
        fail(code)

    # data references are not expanded inside fenced code
    pieces, last = [], 0
    for fence in FENCE.finditer(markdown):
        pieces.append(SHORTCODE.sub(repl, markdown[last:fence.start()]))
        pieces.append(fence.group(0))
        last = fence.end()
    pieces.append(SHORTCODE.sub(repl, markdown[last:]))
    markdown = "".join(pieces)
    markdown = label_findings(markdown, lang, where, build)
    return append_footnotes(markdown, lang, where, data, build.convert.get(lang))


def cite_block(text: str, form: str, attr: str, medium: str = "") -> str:
    """One citation as HTML; medium: pdf.SCREEN or pdf.PRINT for one that only one of them shows
    (the print one left out of the search index)."""
    cls = f"rpt-cite rpt-cite--{form}" + (f" {medium}" if medium else "")
    attr += f" {theme_patches.SEARCH_EXCLUDE}" if medium == pdf.PRINT else ""
    if form == "bibtex":
        return f'\n<pre class="{cls}"{attr}><code>{fmt.escape(text)}</code></pre>\n'
    body = re.sub(r"\*(.+?)\*", r"<i>\1</i>", fmt.escape(text))
    return f'\n<p class="{cls}"{attr}>{body}</p>\n'


def label_findings(markdown: str, lang: str, where: str, build: state.Build) -> str:
    """`!!! finding summary` -> a box labelled "The report's finding · from
    its English summary": every finding box says where we know it from."""
    known = build.data["provenance"]
    t = build.ui(lang)

    def repl(m):
        words = m.group(2).split()
        line = markdown.count("\n", 0, m.start()) + 1
        if not words:
            raise PluginError(f"{where}:{line} [{lang}]: finding box without a source: write "
                              f"'!!! finding <source>' with one of {', '.join(known)} "
                              "(CONTRIBUTING.md#attribution)")
        if len(words) > 1 or words[0] not in known:
            raise PluginError(f"{where}:{line} [{lang}]: finding box with unknown source "
                              f"{m.group(2).strip()!r}: use one of {', '.join(known)} "
                              "(CONTRIBUTING.md#attribution)")
        title = t["finding_title"].format(source=known[words[0]]["label"][lang])
        return f'{m.group(1)}!!! finding rpt-from-{words[0]} "{title}"'
    return FINDING.sub(repl, markdown)


def append_footnotes(markdown: str, lang: str, where: str, data: dict, convert=None) -> str:
    defined = set(FOOTDEF.findall(markdown))
    sources = data["sources"]
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
    notes = [f"[^{key}]: {source_note(sources[key], lang, convert)}" for key in wanted]
    return markdown.rstrip() + "\n\n" + "\n".join(notes) + "\n"


def source_note(src: dict, lang: str, convert=None) -> str:
    """A footnote, with text in the other language marked with its lang. In
    a derived language, its source's note converted (titles included)."""
    if convert:
        return convert(source_note(src, languages.source(lang)))
    note = fmt.format_source(src, lang)
    if "title" not in src:
        return note
    title = src["title"]
    title_lang = languages.of_text(title)
    if languages.get(title_lang).han != languages.get(lang).han:
        # as printed: in quotes, its own quotes single (textfmt.quoted), or as is in 《》
        shown = next(t for t in (fmt.quoted(title)[1:-1], title) if t in note)
        note = note.replace(shown, span(shown, title_lang), 1)
    return note


# --- The page jobs (called by plugin.py) ------------------------------------------

def render_page(markdown: str, page, lang: str, build: state.Build) -> str:
    # this edition's makers, never the report's (Material prints page.meta.author)
    page.meta.setdefault("author", build.data["edition"]["author"][lang])
    return render(markdown, lang, f"docs/{page.file.src_uri}", build, page.url)


def page_context(context: dict, page, lang: str, build: state.Build) -> dict:
    strings = build.ui(lang)
    context["ui"] = strings
    context["ui_js"] = {k: strings[k] for k in ("link_copied", "citation_copied", "copy_failed",
                                                "cite_accessed_placeholder", "cite_date_long",
                                                "cite_qr_label", "link_copy", "page_link_copied")}
    context["ui_js"]["months"] = fmt.EN_MONTHS   # {month} in cite_date_long
    context["page_lang"] = lang
    # the cite box: this edition's page (site.js adds the chosen section to
    # the URL and today's date) and the report itself
    title = page.title or ""
    edition = citation.edition(build.data, lang, title, page.canonical_url or "", build.built_date,
                               build.version, strings["cite_accessed_placeholder"], build.convert.get(lang, str))
    report = citation.report(build.data, lang, build.convert.get(lang, str))
    context["cite"] = [
        {"work": work, "heading": strings[f"cite_{work}"], "items": [
            {"id": f"{work}-{form}", "format": form, "label": strings[f"cite_{form}"],
             "date": citation.DATES[form] if work == "edition" else "",
             "text": texts[form].replace("*", "")} for form in citation.FORMATS],
         "files": citation_files(build, lang, work, title, page.canonical_url or "",
                                 strings["cite_accessed_placeholder"])}
        for work, texts in (("edition", edition), ("report", report))]
    return context


def citation_files(build: state.Build, lang: str, work: str, page_title: str | None, url: str,
                   accessed: str) -> list[dict]:
    """RIS and CSL-JSON of one work, for the reference managers: in the cite
    box (site.js fills in the section and the date), and as files (cite/)."""
    args = (build.data, lang, work, page_title, url, build.built_date, build.version, accessed)
    return [{"id": f"{work}-ris", "format": "ris", "name": f"{CITE_FILES[work]}.ris",
             "type": "application/x-research-info-systems", "text": citation.ris(*args)},
            {"id": f"{work}-csl", "format": "csl", "name": f"{CITE_FILES[work]}.json",
             "type": "application/vnd.citationstyles.csl+json",
             "text": json.dumps([citation.csl(*args)], ensure_ascii=False, separators=(",", ":"))}]


CITE_FILES = {"report": "report", "edition": "guide"}   # cite/<name>.ris and .json in each language


def write_citation_files(site, build: state.Build) -> None:
    """cite/report.ris, report.json, guide.ris and guide.json in each language's
    folder, for about#cite (a step of plugin.py); the whole site's, with no
    access date (the reference manager records its own)."""
    for lang in languages.CODES:
        folder = build.folder(site, lang) / "cite"
        folder.mkdir(parents=True, exist_ok=True)
        home = build.site_url and build.site_url + languages.prefix(lang)
        for work in CITE_FILES:
            for f in citation_files(build, lang, work, None, home, ""):
                (folder / f["name"]).write_text(f["text"], encoding="utf-8", newline="")
