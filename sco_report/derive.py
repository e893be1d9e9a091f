"""Derived editions: a language made at every build from another one by OpenCC.

A language with `derived_from` in sco_report/languages.py has no pages and
no strings of its own in the repository. Its pages are the source
language's, converted as MkDocs reads them (generated files, add_pages);
its strings in data/report.yml and data/ui.yml are the source's, converted
at load (derive_data). The one thing stored is a short, reviewed table of
what conversion gets wrong: data/opencc-overrides.yml, `simplified:
traditional` per derived language. OpenCC's character conversion keeps a
text's length, and so must every override: the search index relies on it.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from . import languages
from .schema import DataError

OVERRIDES = "data/opencc-overrides.yml"


class Converter:
    """One derived language's conversion: OpenCC, with the overrides first."""

    def __init__(self, lang: str, overrides: dict[str, str]):
        import opencc
        self.lang = lang
        self.opencc = opencc.OpenCC(languages.get(lang).opencc)
        self.overrides = overrides
        keys = sorted(overrides, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, keys))) if keys else None

    def __call__(self, text: str) -> str:
        if not self.pattern:
            return self.opencc.convert(text)
        out, last = [], 0
        for m in self.pattern.finditer(text):
            out += [self.opencc.convert(text[last:m.start()]), self.overrides[m.group(0)]]
            last = m.end()
        out.append(self.opencc.convert(text[last:]))
        return "".join(out)

    def same_length(self, text: str, where: str) -> str:
        """The conversion, failing loudly where it changes a text's length."""
        out = self(text)
        if len(out) != len(text):
            raise PluginError(f"{where} [{self.lang}]: OpenCC ({languages.get(self.lang).opencc}) changed the "
                              f"length of {text[:40]!r}; word boundaries cannot be kept")
        return out


def converters(overrides: dict | None) -> dict[str, Converter]:
    """A Converter per derived language, from the overrides table (read by
    sco_report/reportdata.py)."""
    overrides = overrides or {}
    out = {}
    for lang in languages.LANGUAGES:
        if not lang.derived_from:
            continue
        table = overrides.get(lang.code) or {}
        if not isinstance(table, dict):
            raise DataError(f"{OVERRIDES} [{lang.code}]: expected `simplified: traditional` pairs")
        for simp, trad in table.items():
            if not isinstance(simp, str) or not isinstance(trad, str) or len(simp) != len(trad):
                raise DataError(f"{OVERRIDES} [{lang.code}]: '{simp}: {trad}' must be two texts of one length")
        out[lang.code] = Converter(lang.code, table)
    unknown = sorted(set(overrides) - set(out))
    if unknown:
        raise DataError(f"{OVERRIDES} [{unknown[0]}]: no derived language of that code in sco_report/languages.py")
    return out


def derive_data(value, convert: dict[str, Converter]):
    """Every {zh: …, en: …} in the data gets its derived languages' forms,
    converted from their source's (in place; lists of texts too)."""
    if isinstance(value, list):
        for item in value:
            derive_data(item, convert)
    elif isinstance(value, dict):
        for item in value.values():
            derive_data(item, convert)
        for code, conv in convert.items():
            src = languages.source(code)
            if src in value and code not in value:
                value[code] = _convert(value[src], conv)
    return value


def _convert(value, conv: Converter):
    if isinstance(value, str):
        return conv(value)
    if isinstance(value, list):
        return [_convert(v, conv) for v in value]
    return value


def check_not_stored(docs: Path) -> str | None:
    """A one-line problem if a derived language has a stored page."""
    for lang in languages.LANGUAGES:
        folder = docs / lang.code
        if lang.derived_from and folder.exists():
            stored = sorted(p for p in folder.rglob("*") if p.is_file())
            if stored:
                return (f"docs/{stored[0].relative_to(docs).as_posix()} [{lang.code}]: a stored page of an edition "
                        f"converted from docs/{lang.derived_from}/ at every build: edit docs/{lang.derived_from}/, "
                        f"or add a correction to {OVERRIDES}")
    return None


def _alternate(config, code: str, rel: str) -> File:
    """A stand-in for a language's page, for its URL (the switcher, the sitemap)."""
    html = rel[:-3] + ".html"
    return File(f"{code}/{rel}", config.docs_dir, config.site_dir, config.use_directory_urls,
                dest_uri=languages.prefix(code) + html)


def add_pages(files, config, lang: str, convert: dict[str, Converter]):
    """This build's files with its derived pages (when `lang` is derived),
    and every page's alternates with the derived languages' pages
    (mkdocs-static-i18n finds none, since none is stored)."""
    docs = Path(config.docs_dir)
    conv = convert.get(lang)
    if conv:
        src = languages.source(lang)
        for path in sorted((docs / src).rglob("*.md")):
            rel = path.relative_to(docs / src).as_posix()
            page = File.generated(config, f"{lang}/{rel}", content=conv(path.read_text(encoding="utf-8")))
            page.locale = page.locale_alternate_of = page.localization = lang
            page.norm_src_uri = rel
            page.alternates = {code: _alternate(config, code, rel) for code in languages.CODES}
            page.alternates[lang] = page
            files.append(page)
    for page in files.documentation_pages():
        alternates = getattr(page, "alternates", None)
        if alternates is not None:
            for code in convert:
                alternates.setdefault(code, _alternate(config, code, page.norm_src_uri))
    return files


def convert_nav(nav, convert: Converter):
    """The nav's section titles (mkdocs.yml's, in the source language);
    pages take theirs from their converted H1."""
    def walk(items):
        for item in items:
            if item.is_section:
                item.title = convert(item.title)
                walk(item.children)
    walk(nav.items)
    return nav
