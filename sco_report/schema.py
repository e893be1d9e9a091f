"""The shape of data/report.yml and data/ui.yml, and their validation.

Pure: no MkDocs. validate() checks a file's parsed YAML and returns a
normalized copy (ISO date strings, source keys as lists); it never changes
what it is given. Every problem is one line naming the file, the entry and
the field, e.g.  data/report.yml: summits[9] (9): field 'date': '2009-13-15'
is not a valid date (use YYYY, YYYY-MM, YYYY-MM-DD or start/end)
"""

from __future__ import annotations

import copy
import datetime as _dt
import re

from . import languages

LANGS = languages.STORED   # the derived ones are added after validation (derive.py)
EACH_LANG = "{" + ", ".join(f"{code}: …" for code in LANGS) + "}"   # for messages


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
    "link": ("bool", OPTIONAL),           # false: a copy on a site that is no publisher, not linked
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
    **{code: ("text", REQUIRED) for code in LANGS},   # the term's name in each language
    "abbr": ("abbr", OPTIONAL),
    "def": ("bi", REQUIRED),
    "source": ("source", OPTIONAL),
}
FRAMEWORK_PART = {
    "id": ("text", REQUIRED),
    "name": ("bi", REQUIRED),
    "items": (["bi"], REQUIRED),
}
PUBLISHER = {"id": ("text", REQUIRED), "name": ("bi", REQUIRED), "short": ("bi", REQUIRED),
             "place": ("bi", REQUIRED)}
EDITOR = {
    "name": ("bi", REQUIRED),
    "role": ("bi", REQUIRED),
    "family": ("bi", REQUIRED),
    "given": ("bi", REQUIRED),
    "source": ("source", REQUIRED),
}
REPORT = {
    "title": ("bi", REQUIRED),
    "title_sentence": ("text", REQUIRED),
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
EDITION = {
    "title": ("bi", REQUIRED),
    "title_sentence": ("text", REQUIRED),
    "author": ("bi", REQUIRED),
}
PROVENANCE = {
    "label": ("bi", REQUIRED),
    "source": ("source", REQUIRED),
}
TOP = {
    "report": (REPORT, REQUIRED),
    "edition": (EDITION, REQUIRED),
    "provenance": ({"*": PROVENANCE}, REQUIRED),
    "sources": ({"*": SOURCE}, REQUIRED),
    "events": ([EVENT], REQUIRED),
    "shanghai_five": ([MEETING], REQUIRED),
    "summits": ([MEETING], REQUIRED),
    "states": ([STATE], REQUIRED),
    "framework": ([FRAMEWORK_PART], REQUIRED),
    "terms": ([TERM], REQUIRED),
    "people": (["text"], OPTIONAL),   # English forms, kept whole in the PDF
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
            return {key: self.check(schema["*"], value, f"{where}.{key}") for key, value in node.items()}
        for key in node:
            if key not in schema:
                known = ", ".join(schema)
                raise DataError(f"{self.path}: {where}: unknown field '{key}' (known: {known})")
        out = {}
        for key, (kind, required) in schema.items():
            if key not in node or node[key] is None:
                if required:
                    raise DataError(f"{self.path}: {where}: missing field '{key}'")
                continue
            out[key] = self.value(kind, node[key], where, key)
        return out

    def value(self, kind, value, where, key):
        if isinstance(kind, dict):
            return self.check(kind, value, key if where == "top level" else f"{where}.{key}")
        if isinstance(kind, list):
            if not isinstance(value, list) or not value:
                self.fail(where, key, "expected a non-empty list")
            if isinstance(kind[0], str):
                return [self.value(kind[0], item, where, f"{key}[{i + 1}]") for i, item in enumerate(value)]
            out = []
            for i, item in enumerate(value):
                label = item.get("id") or item.get("number") if isinstance(item, dict) else None
                name = f"{key}[{i + 1}]" + (f" ({label})" if label is not None else "")
                out.append(self.check(kind[0], item, name if where == "top level" else f"{where}.{name}"))
            return out
        if kind == "text":
            if not isinstance(value, str) or not value.strip():
                self.fail(where, key, "expected non-empty text")
        elif kind == "bi":
            if not isinstance(value, dict) or set(value) != set(LANGS):
                self.fail(where, key, f"expected exactly {EACH_LANG}")
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
                self.fail(where, key, f"expected lists by language, {EACH_LANG}")
            for lang, items in value.items():
                if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
                    self.fail(where, key, f"the {lang} list must hold non-empty strings")
            value = {lang: list(items) for lang, items in value.items()}
        elif kind == "statuses":
            if not isinstance(value, list) or not value:
                self.fail(where, key, "expected a non-empty list of {status, since}")
            last, out = "", []
            for item in value:
                if not isinstance(item, dict) or set(item) != {"status", "since"}:
                    self.fail(where, key, "each entry needs exactly 'status' and 'since'")
                item = {"status": item["status"], "since": str(item["since"])}
                if item["status"] not in STATUSES:
                    self.fail(where, key, f"unknown status {item['status']!r} (use {', '.join(STATUSES)})")
                if not re.fullmatch(r"\d{4}", item["since"]) or item["since"] < last:
                    self.fail(where, key, f"'since' {item['since']!r} must be a year, in order")
                last = item["since"]
                out.append(item)
            value = out
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


def validate_report(raw, rel: str) -> dict:
    """data/report.yml, checked and normalized (a new value)."""
    data = _Validator(rel).check(TOP, raw, "")
    _cross_check(data, rel)
    return data


def validate_ui(raw, rel: str) -> dict:
    """data/ui.yml: every key a {zh, en} pair of strings."""
    if not isinstance(raw, dict):
        raise DataError(f"{rel}: expected a mapping of string keys")
    for key, value in raw.items():
        if not isinstance(value, dict) or set(value) != set(LANGS):
            raise DataError(f"{rel}: {key}: expected exactly {EACH_LANG}")
        for lang in LANGS:
            if not isinstance(value[lang], str):
                raise DataError(f"{rel}: {key}: the {lang} text must be a string")
    return copy.deepcopy(raw)
