"""How to cite: the report itself, and this bilingual web edition.

Two works, two citations, never mixed up:
- the report: its editors (as editors), title, the two publishers with their
  places, the year, and the publisher's own publication page; never this site;
- this edition: its own title and makers (data/report.yml `edition`), the
  page, the section's URL on this site, the build date and an access date.

Each in GB/T 7714-2015 ([R] for the report, [EB/OL] for the web edition),
APA 7 and BibTeX (@book with editors; @misc with a braced corporate
author: both render with a name in classic styles and in biblatex), in
either language. The access date is a placeholder
(data/ui.yml cite_accessed_placeholder) that site.js replaces with today's
date: ISO (GB/T, BibTeX) or written out (APA), as `dates` says.
Pure functions of the data; no MkDocs.
"""

from __future__ import annotations

from . import languages
from .schema import parse_date
from .textfmt import EN_MONTHS

LATIN = languages.LATIN   # the forms of names in Latin letters: citation keys, initials

FORMATS = ("gbt", "apa", "bibtex")   # shown; RIS and CSL-JSON are files (files())
# which date form the access-date placeholder takes in each format
DATES = {"gbt": "iso", "apa": "long", "bibtex": "iso"}


def report_url(data: dict) -> str:
    """The publisher's own page for the report (report.source)."""
    return data["sources"][data["report"]["source"][0]]["url"]


def report(data: dict, lang: str, convert=str) -> dict:
    """The report's citation in the three formats, in one language.
    convert: a derived language's conversion (sco_report/derive.py), for the
    words written here."""
    rep = data["report"]
    title = rep["title"][lang]
    eds = rep["editors"]
    pubs = rep["publishers"]
    year = rep["year"]
    url = report_url(data)
    month = parse_date(rep["released"])[1]
    han = languages.get(lang).han
    if han:
        names = ", ".join(e["name"][lang] for e in eds)
        gbt = (f"{names}, {convert('主编')}. {title}[R]. "
               + "; ".join(f"{p['place'][lang]}: {p['name'][lang]}" for p in pubs) + f", {year}.")
        apa = f"{names}（{convert('主编')}）. ({year}). *{title}*. " + "; ".join(p["name"][lang] for p in pubs) + f". {url}"
        editors = " and ".join(f"{{{e['name'][lang]}}}" for e in eds)
    else:
        names = ", ".join(f"{e['family'][lang].upper()} {e['given'][lang]}" for e in eds)
        gbt = (f"{names}, eds. {title}[R]. "
               + "; ".join(f"{p['place'][lang]}: {p['name'][lang]}" for p in pubs) + f", {year}.")
        initials = [f"{e['family'][lang]}, {e['given'][lang][0]}." for e in eds]
        people = initials[0] if len(initials) == 1 else ", ".join(initials[:-1]) + ", & " + initials[-1]
        apa = (f"{people} (Eds.). ({year}). *{rep['title_sentence']}*. "
               + "; ".join(p["name"][lang] for p in pubs) + f". {url}")
        editors = " and ".join(f"{e['family'][lang]}, {e['given'][lang]}" for e in eds)
    key = f"{eds[0]['family'][LATIN].lower()}{year}sco" + (lang if han else "")
    bib_title = title if han else title.replace("Shanghai Cooperation Organization",
                                                "{Shanghai Cooperation Organization}")
    bibtex = _bibtex("book", key, lang, [
        ("editor", f"{{{editors}}}"),
        ("title", f"{{{bib_title}}}"),
        # each body braced: BibTeX prints "A and B", biblatex reads a list of two
        ("publisher", "{" + " and ".join(f"{{{p['name'][lang]}}}" for p in pubs) + "}"),
        ("address", f"{{{' and '.join(p['place'][lang] for p in pubs)}}}"),
        ("year", f"{{{year}}}"),
        ("month", EN_MONTHS[month - 1][:3].lower()),
        ("url", f"{{{url}}}"),
    ])
    return {"gbt": gbt, "apa": apa, "bibtex": bibtex}


def edition(data: dict, lang: str, page_title: str | None, url: str, built: str, version: str,
            accessed: str, convert=str) -> dict:
    """This web edition's citation: of one page (page_title; url may carry
    #section), or of the whole edition (page_title None, url its home page).

    built: the build date (YYYY-MM-DD), the edition's date of update;
    accessed: the access-date placeholder, or "" for none (the PDF: a
    versioned, dated edition needs none in APA 7; the lead-in says how to add one).
    """
    ed = data["edition"]
    author = ed["author"][lang]
    title = ed["title"][lang]
    y, m, d = (int(x) for x in built.split("-"))
    han = languages.get(lang).han
    # no access date (the printed edition) or no URL (a preview build): the part is left out
    when = f"[{accessed}]" if accessed else ""
    where = f" {url}." if url else ""
    if han:
        part = f"：{page_title}" if page_title else ""
        gbt = f"{author}. {title}{part}[EB/OL]. ({built}){when}.{where}"
        # APA in Chinese: the date in Chinese, the author (this site) not repeated as the site
        apa = f"{author}. ({y}年{m}月{d}日). *{page_title or title}*（{version}版）."
        apa += (f" {accessed}{convert('检索')}，{url}" if accessed else f" {url}") if url else ""
    else:
        part = f": {page_title}" if page_title else ""
        gbt = f"{author}. {title}{part}[EB/OL]. ({built}){when}.{where}"
        # APA 7 (CONTRIBUTING.md, "Citations"): the site is the author, so not named again
        # as the site; American punctuation puts the period inside the closing quote
        named = author[:-1] + ".”" if author.endswith("”") else author + "."
        apa = f"{named} ({y}, {EN_MONTHS[m - 1]} {d}). *{page_title or ed['title_sentence']}* (Version {version})."
        apa += (f" Retrieved {accessed}, from {url}" if accessed else f" {url}") if url else ""
    version_note = f"{version}版" if han else f"version {version}"
    # @misc: known to classic BibTeX styles and to biblatex alike
    bibtex = _bibtex("misc", "sco2018edition" + (lang if han else ""), lang, [
        ("author", f"{{{{{author}}}}}"),
        ("title", f"{{{page_title or title}}}"),
        ("howpublished", f"{{{title + ', ' if page_title else ''}{version_note}}}"),
        ("year", f"{{{y}}}"),
        ("date", f"{{{built}}}"),
    ] + ([("url", f"{{{url}}}")] if url else []) + ([("urldate", f"{{{accessed}}}")] if accessed else []))
    return {"gbt": gbt, "apa": apa, "bibtex": bibtex}


def _bibtex(kind: str, key: str, lang: str, fields: list[tuple[str, str]]) -> str:
    """One BibTeX entry, its fields aligned; langid where babel knows the language."""
    langid = languages.get(lang).bibtex_langid
    fields = fields + ([("langid", f"{{{langid}}}")] if langid else [])
    width = max(len(name) for name, _ in fields)
    return "\n".join([f"@{kind}{{{key},", ",\n".join(f"  {name:<{width}} = {value}" for name, value in fields),
                      "}"])


# --- Files for reference managers: CSL-JSON (Zotero, Mendeley, citeproc) and RIS (EndNote) ---

def _names(eds: list, lang: str) -> list[dict]:
    if languages.get(lang).han:
        return [{"literal": e["name"][lang]} for e in eds]
    return [{"family": e["family"][lang], "given": e["given"][lang]} for e in eds]


def csl(data: dict, lang: str, work: str, page_title: str | None = None, url: str = "", built: str = "",
        version: str = "", accessed: str = "") -> dict:
    """One CSL-JSON item: the report, or this site (a page of it, or the whole).
    Titles in sentence case, as CSL styles expect (they make title case)."""
    tag = languages.get(lang).tag
    if work == "report":
        rep = data["report"]
        year, month = parse_date(rep["released"])[:2]
        return {
            "id": f"{rep['editors'][0]['family'][LATIN].lower()}{rep['year']}sco",
            "type": "report", "language": tag,
            "title": rep["title"][lang] if languages.get(lang).han else rep["title_sentence"],
            "editor": _names(rep["editors"], lang),
            "publisher": "; ".join(p["name"][lang] for p in rep["publishers"]),
            "publisher-place": "; ".join(p["place"][lang] for p in rep["publishers"]),
            "issued": {"date-parts": [[year, month]]},
            "URL": report_url(data),
        }
    ed = data["edition"]
    y, m, d = (int(x) for x in built.split("-"))
    item = {
        "id": "sco2018edition", "type": "webpage", "language": tag,
        "title": page_title or (ed["title"][lang] if languages.get(lang).han else ed["title_sentence"]),
        "author": [{"literal": ed["author"][lang]}],
        "issued": {"date-parts": [[y, m, d]]},
        "version": version,
    }
    if url:
        item["URL"] = url
    if accessed:
        item["accessed"] = {"raw": accessed}
    return item


def ris(data: dict, lang: str, work: str, page_title: str | None = None, url: str = "", built: str = "",
        version: str = "", accessed: str = "") -> str:
    """The same item as RIS (EndNote, and every manager that imports it)."""
    item = csl(data, lang, work, page_title, url, built, version, accessed)
    if work == "report":
        rep = data["report"]
        lines = [("TY", "RPRT"), ("TI", rep["title"][lang])]
        lines += [("A2", e["name"][lang] if languages.get(lang).han else f"{e['family'][lang]}, {e['given'][lang]}")
                  for e in rep["editors"]]
        # one field each (RIS repeats neither): the publishers, then their places, in order
        lines += [("PB", item["publisher"]), ("CY", item["publisher-place"])]
        year, month = item["issued"]["date-parts"][0]
        lines += [("PY", str(year)), ("DA", f"{year}/{month:02d}"), ("UR", item["URL"]), ("LA", item["language"])]
    else:
        ed = data["edition"]
        lines = [("TY", "ELEC"), ("TI", page_title or ed["title"][lang]), ("AU", ed["author"][lang])]
        if page_title:
            lines.append(("T2", ed["title"][lang]))
        lines += [("PY", built[:4]), ("DA", built.replace("-", "/")), ("ET", version)] + ([("UR", url)] if url else [])
        lines += [("Y2", accessed)] if accessed else []
        lines.append(("LA", item["language"]))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines) + "ER  - \r\n"
