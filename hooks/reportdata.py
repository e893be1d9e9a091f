"""Load, validate and format data/report.yml and data/ui.yml.

Not a hook itself: the hooks import it (MkDocs puts hooks/ on sys.path while
loading them), so the data are read and checked once per build.

Every problem is reported as one line naming the file, the entry and the
field, e.g.  data/report.yml: summits[9] (9): field 'date': '2009-13-15' is
not a valid date (use YYYY, YYYY-MM, YYYY-MM-DD or start/end)
"""

from __future__ import annotations

import datetime as _dt
import html
import re
from pathlib import Path

import yaml

LANGS = ("zh", "en")

# The data of the current build, loaded by the data hook's on_config and read
# by every hook (MkDocs loads each hook as its own module; this one is shared).
DATA: dict = {}   # data/report.yml
UI: dict = {}     # data/ui.yml


class DataError(Exception):
    """A problem in a data file, as one line for maintainers."""


# --- Schema -----------------------------------------------------------------
# Field kinds: "text" (one string), "bi" ({zh, en} strings), "date", "year",
# "url", "bool", "int", "source" (key, or list of keys, into sources),
# "abbr" ({zh?: [str], en?: [str]}), "statuses", and nested schemas.

REQUIRED, OPTIONAL = True, False

SOURCE = {
    "publisher": ("bi", REQUIRED),
    "title": ("text", OPTIONAL),          # the headline as published
    "description": ("bi", OPTIONAL),     # instead of a title, when no headline is verified
    "title_zh": ("text", OPTIONAL),
    "title_en": ("text", OPTIONAL),
    "date": ("date", OPTIONAL),
    "url": ("url", REQUIRED),
    "mirror": ("bool", OPTIONAL),
}
EVENT = {
    "id": ("text", REQUIRED),
    "date": ("date", REQUIRED),
    "place": ("bi", OPTIONAL),
    "short": ("bi", OPTIONAL),          # a label for the timeline figure
    "label": ("bi", REQUIRED),
    "source": ("source", REQUIRED),
}
MEETING = {
    "number": ("int", REQUIRED),
    "date": ("date", REQUIRED),
    "city": ("bi", REQUIRED),
    "outcome": ("bi", REQUIRED),
    "source": ("source", REQUIRED),
}
STATE = {
    "id": ("text", REQUIRED),
    "name": ("bi", REQUIRED),
    "statuses": ("statuses", REQUIRED),
    "source": ("source", REQUIRED),
}
TERM = {
    "id": ("text", REQUIRED),
    "zh": ("text", REQUIRED),
    "en": ("text", REQUIRED),
    "abbr": ("abbr", OPTIONAL),
    "def": ("bi", REQUIRED),
    "source": ("source", OPTIONAL),
}
FRAMEWORK_PART = {
    "id": ("text", REQUIRED),
    "name": ("bi", REQUIRED),
    "items": (["bi"], REQUIRED),
}
PUBLISHER = {"id": ("text", REQUIRED), "name": ("bi", REQUIRED), "short": ("bi", REQUIRED)}
EDITOR = {
    "name": ("bi", REQUIRED),
    "role": ("bi", REQUIRED),
    "family": ("bi", REQUIRED),
    "given": ("bi", REQUIRED),
    "source": ("source", REQUIRED),
}
REPORT = {
    "title": ("bi", REQUIRED),
    "title_alt": ("bi", REQUIRED),
    "publishers": ([PUBLISHER], REQUIRED),
    "editors": ([EDITOR], REQUIRED),
    "released": ("date", REQUIRED),
    "place": ("bi", REQUIRED),
    "event": ("bi", REQUIRED),
    "languages": ("bi", REQUIRED),
    "year": ("year", REQUIRED),
    "source": ("source", REQUIRED),
}
PROVENANCE = {
    "label": ("bi", REQUIRED),
    "source": ("source", REQUIRED),
}
TOP = {
    "report": (REPORT, REQUIRED),
    "provenance": ({"*": PROVENANCE}, REQUIRED),
    "sources": ({"*": SOURCE}, REQUIRED),
    "events": ([EVENT], REQUIRED),
    "shanghai_five": ([MEETING], REQUIRED),
    "summits": ([MEETING], REQUIRED),
    "states": ([STATE], REQUIRED),
    "framework": ([FRAMEWORK_PART], REQUIRED),
    "terms": ([TERM], REQUIRED),
}
STATUSES = ("member", "observer", "partner")

_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _norm_date(value):
    """YAML turns 2001-06-15 into a date; keep every date an ISO string."""
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def parse_date(text: str):
    """Return (year, month|None, day|None) or raise ValueError."""
    if not isinstance(text, str) or not _DATE_RE.match(text):
        raise ValueError
    parts = [int(p) for p in text.split("-")]
    year, month, day = (parts + [None, None])[:3]
    if month is not None and not 1 <= month <= 12:
        raise ValueError
    if day is not None:
        _dt.date(year, month, day)  # raises ValueError for 2009-02-30
    return year, month, day


def parse_span(text: str):
    """A date or a start/end range; returns (start, end)."""
    text = _norm_date(text)
    if not isinstance(text, str):
        raise ValueError
    start, _, end = text.partition("/")
    a = parse_date(start)
    b = parse_date(end) if end else a
    if b < a or (end and len(start) != len(end)):
        raise ValueError
    return a, b


class _Validator:
    def __init__(self, path: str):
        self.path = path

    def fail(self, where: str, field: str, message: str):
        raise DataError(f"{self.path}: {where}: field '{field}': {message}")

    def check(self, schema: dict, node, where: str):
        where = where or "top level"
        if not isinstance(node, dict):
            raise DataError(f"{self.path}: {where}: expected a mapping of fields")
        if "*" in schema:
            for key, value in node.items():
                self.check(schema["*"], value, f"{where}.{key}")
            return
        for key in node:
            if key not in schema:
                known = ", ".join(schema)
                raise DataError(f"{self.path}: {where}: unknown field '{key}' (known: {known})")
        for key, (kind, required) in schema.items():
            if key not in node or node[key] is None:
                if required:
                    raise DataError(f"{self.path}: {where}: missing field '{key}'")
                continue
            node[key] = self.value(kind, node[key], where, key)

    def value(self, kind, value, where, key):
        if isinstance(kind, dict):
            self.check(kind, value, key if where == "top level" else f"{where}.{key}")
            return value
        if isinstance(kind, list):
            if not isinstance(value, list) or not value:
                self.fail(where, key, "expected a non-empty list")
            if isinstance(kind[0], str):
                return [self.value(kind[0], item, where, f"{key}[{i + 1}]") for i, item in enumerate(value)]
            for i, item in enumerate(value):
                label = item.get("id") or item.get("number") if isinstance(item, dict) else None
                name = f"{key}[{i + 1}]" + (f" ({label})" if label is not None else "")
                self.check(kind[0], item, name if where == "top level" else f"{where}.{name}")
            return value
        if kind == "text":
            if not isinstance(value, str) or not value.strip():
                self.fail(where, key, "expected non-empty text")
        elif kind == "bi":
            if not isinstance(value, dict) or set(value) != set(LANGS):
                self.fail(where, key, "expected exactly {zh: …, en: …}")
            for lang in LANGS:
                if not isinstance(value[lang], str) or not value[lang].strip():
                    self.fail(where, key, f"the {lang} text is empty")
        elif kind == "date":
            value = _norm_date(value)
            try:
                parse_span(value)
            except (ValueError, TypeError):
                self.fail(where, key, f"{value!r} is not a valid date "
                          "(use YYYY, YYYY-MM, YYYY-MM-DD or start/end)")
        elif kind == "year":
            value = str(value)
            if not re.fullmatch(r"\d{4}", value):
                self.fail(where, key, f"{value!r} is not a year (YYYY)")
        elif kind == "url":
            if not isinstance(value, str) or not re.match(r"^https?://\S+$", value):
                self.fail(where, key, f"{value!r} is not an http(s) URL")
        elif kind == "bool":
            if not isinstance(value, bool):
                self.fail(where, key, "expected true or false")
        elif kind == "int":
            if not isinstance(value, int) or isinstance(value, bool):
                self.fail(where, key, "expected a whole number")
        elif kind == "source":
            keys = value if isinstance(value, list) else [value]
            if not keys or not all(isinstance(k, str) for k in keys):
                self.fail(where, key, "expected a source key or a list of keys")
            value = keys
        elif kind == "abbr":
            if not isinstance(value, dict) or not set(value) <= set(LANGS) or not value:
                self.fail(where, key, "expected {zh: [..], en: [..]}")
            for lang, items in value.items():
                if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
                    self.fail(where, key, f"the {lang} list must hold non-empty strings")
        elif kind == "statuses":
            if not isinstance(value, list) or not value:
                self.fail(where, key, "expected a non-empty list of {status, since}")
            last = ""
            for item in value:
                if not isinstance(item, dict) or set(item) != {"status", "since"}:
                    self.fail(where, key, "each entry needs exactly 'status' and 'since'")
                item["since"] = str(item["since"])
                if item["status"] not in STATUSES:
                    self.fail(where, key, f"unknown status {item['status']!r} (use {', '.join(STATUSES)})")
                if not re.fullmatch(r"\d{4}", item["since"]) or item["since"] < last:
                    self.fail(where, key, f"'since' {item['since']!r} must be a year, in order")
                last = item["since"]
        else:  # pragma: no cover - schema typo
            raise AssertionError(kind)
        return value


def _cross_check(data: dict, path: str):
    sources = data["sources"]

    def check_sources(where, keys):
        for key in keys:
            if key not in sources:
                raise DataError(f"{path}: {where}: field 'source': unknown source '{key}'")

    for key, src in sources.items():
        if ("title" in src) == ("description" in src):
            raise DataError(f"{path}: sources.{key}: give either 'title' (as published) or 'description', not both or neither")
    check_sources("report", data["report"]["source"])
    for key, prov in data["provenance"].items():
        check_sources(f"provenance.{key}", prov["source"])
    for i, ed in enumerate(data["report"]["editors"], 1):
        check_sources(f"report.editors[{i}]", ed["source"])
    for section, label in (("events", "id"), ("shanghai_five", "number"),
                           ("summits", "number"), ("states", "id"), ("terms", "id")):
        seen = set()
        for i, item in enumerate(data[section], 1):
            where = f"{section}[{i}] ({item[label]})"
            if item[label] in seen:
                raise DataError(f"{path}: {where}: field '{label}': duplicate {item[label]!r}")
            seen.add(item[label])
            if "source" in item:
                check_sources(where, item["source"])
    for section in ("shanghai_five", "summits"):
        numbers = [m["number"] for m in data[section]]
        if numbers != list(range(1, len(numbers) + 1)):
            raise DataError(f"{path}: {section}: field 'number': meetings must be numbered 1, 2, 3 … in order")
        spans = [parse_span(m["date"])[0] for m in data[section]]
        for i in range(1, len(spans)):
            if spans[i] < spans[i - 1]:
                raise DataError(f"{path}: {section}[{i + 1}] ({i + 1}): field 'date': earlier than the meeting before it")


# libyaml's parser when PyYAML has it: several times faster than pure Python
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(root: Path) -> dict:
    """Read and validate data/report.yml and data/ui.yml under root."""
    out = {}
    for name in ("report", "ui"):
        rel = f"data/{name}.yml"
        try:
            raw = yaml.load((root / rel).read_text(encoding="utf-8"), Loader=_LOADER)
        except FileNotFoundError:
            raise DataError(f"{rel}: file not found") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f" (line {mark.line + 1})" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise DataError(f"{rel}: not valid YAML{line}: {problem}") from None
        if name == "report":
            _Validator(rel).check(TOP, raw, "")
            _cross_check(raw, rel)
        else:
            _check_ui(raw, rel)
        out[name] = raw
    return out


_LOADED: dict = {}


def load_current(root: Path) -> None:
    """Load both files for this build into DATA and UI (once per build run:
    each language's build asks again, with the same files)."""
    stamp = tuple((root / f"data/{n}.yml").stat().st_mtime_ns if (root / f"data/{n}.yml").exists() else 0
                  for n in ("report", "ui"))
    key = (str(root.resolve()), stamp)
    if _LOADED.get("key") == key:
        return
    loaded = load(root)
    _LOADED["key"] = key
    DATA.clear()
    DATA.update(loaded["report"])
    UI.clear()
    UI.update(loaded["ui"])


def lang_of(page) -> str:
    """The language of a page (mkdocs-static-i18n sets file.locale)."""
    return getattr(page.file, "locale", None) or "zh"


def ui(lang: str) -> dict:
    return {key: value[lang] for key, value in UI.items()}


def _check_ui(raw, rel):
    if not isinstance(raw, dict):
        raise DataError(f"{rel}: expected a mapping of string keys")
    for key, value in raw.items():
        if not isinstance(value, dict) or set(value) != set(LANGS):
            raise DataError(f"{rel}: {key}: expected exactly {{zh: …, en: …}}")
        for lang in LANGS:
            if not isinstance(value[lang], str):
                raise DataError(f"{rel}: {key}: the {lang} text must be a string")


# --- Formatting ---------------------------------------------------------------

EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December"]


def format_date(value: str, lang: str) -> str:
    """'2018-06-09/2018-06-10' -> '2018年6月9日至10日' / '9–10 June 2018'."""
    (y1, m1, d1), (y2, m2, d2) = parse_span(value)
    single = (y1, m1, d1) == (y2, m2, d2)
    if lang == "zh":
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


def format_source(src: dict, lang: str) -> str:
    """One footnote, as Markdown, in the page's language."""
    publisher = src["publisher"][lang]
    if "description" in src:
        sep = "：" if lang == "zh" else ", "
        parts = [f"{publisher}{sep}{src['description'][lang]}"]
        if src.get("date"):
            parts.append(format_date(src["date"], lang))
        if lang == "zh":
            note = "（转载页面）" if src.get("mirror") else ""
            return "，".join(parts) + f"{note}，<{src['url']}>。"
        note = " (republished copy)" if src.get("mirror") else ""
        return ", ".join(parts) + f"{note}, <{src['url']}>."
    title = src["title"]
    if lang == "zh":
        shown = f"《{title}》" if has_han(title) else f"“{title}”"
        if not has_han(title) and src.get("title_zh"):
            shown += f"（{src['title_zh']}）"
        parts = [f"{publisher}：{shown}"]
        if src.get("date"):
            parts.append(format_date(src["date"], "zh"))
        note = "（转载页面）" if src.get("mirror") else ""
        return "，".join(parts) + f"{note}，<{src['url']}>。"
    shown = f"“{title}”"
    if has_han(title) and src.get("title_en"):
        shown += f" [{src['title_en']}]"
    parts = [publisher, shown]
    if src.get("date"):
        parts.append(format_date(src["date"], "en"))
    note = " (republished copy)" if src.get("mirror") else ""
    return ", ".join(parts) + f"{note}, <{src['url']}>."


def join_list(items, lang: str) -> str:
    items = list(items)
    if lang == "zh":
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


# --- Citations of the report (about#cite and the cite box) ---------------------

def citations(report: dict, lang: str, url: str, accessed: str) -> dict:
    """The report's citation in GB/T 7714-2015, APA 7 and BibTeX.

    The report is cited in the page's language: the Chinese title and
    publishers on the Chinese site, the English ones on the English site.
    """
    title = report["title"][lang]
    pubs = [p["name"][lang] for p in report["publishers"]]
    editors = report["editors"]
    year = report["year"]
    place = report["place"][lang]
    released = report["released"]
    if lang == "zh":
        names = ", ".join(e["name"]["zh"] for e in editors)
        gbt = (f"{names}. {title}[R/OL]. {place}: {', '.join(pubs)}, {year}"
               f"[{accessed}]. {url}.")
    else:
        names = ", ".join(f"{e['family']['en'].upper()} {e['given']['en']}" for e in editors)
        gbt = (f"{names}. {title}[R/OL]. {place}: {', '.join(pubs)}, {year}"
               f"[{accessed}]. {url}.")
    # APA 7: a report with editors; the family name first, initials after.
    if lang == "zh":
        apa_names = ", ".join(e["name"]["zh"] for e in editors)
        apa = f"{apa_names}（主编）. ({year}). {title}. {'; '.join(pubs)}. {url}"
    else:
        eds = [f"{e['family']['en']}, {e['given']['en'][0]}." for e in editors]
        apa_names = " & ".join(eds) if len(eds) == 2 else ", ".join(eds)
        y, m, d = parse_date(released)
        apa = (f"{apa_names} (Eds.). ({year}, {EN_MONTHS[m - 1]} {d}). "
               f"*{title}*. {'; '.join(pubs)}. {url}")
    key = f"{editors[0]['family']['en'].lower()}{year}sco"
    bib_names = " and ".join(
        (e["name"]["zh"] if lang == "zh" else f"{e['family']['en']}, {e['given']['en']}")
        for e in editors)
    bibtex = "\n".join([
        f"@techreport{{{key},",
        f"  editor      = {{{bib_names}}},",
        f"  title       = {{{{{title}}}}},",
        f"  institution = {{{' and '.join(pubs)}}},",
        f"  address     = {{{place}}},",
        f"  year        = {{{year}}},",
        f"  month       = {{{parse_date(released)[1]}}},",
        f"  language    = {{{'chinese' if lang == 'zh' else 'english'}}},",
        f"  url         = {{{url}}},",
        f"  urldate     = {{{accessed}}}",
        "}",
    ])
    return {"gbt": gbt, "apa": apa, "bibtex": bibtex}


def escape(text: str) -> str:
    return html.escape(text, quote=True)
