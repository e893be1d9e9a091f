"""The site's languages: the one table. Everything else asks it.

The default language comes first and is built at the site root; every other
one under its code (en/). mkdocs.yml's `i18n` languages must list the same
codes, names and default: the plugin checks at every build. To add a
language, add a row here, its entry there, docs/<code>/, and its strings in
data/*.yml.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Language:
    code: str            # mkdocs-static-i18n's locale; the folder under docs/ (and the site's, but for the default)
    name: str            # in the language switcher
    tag: str             # BCP 47: the PDF's <html lang> and /Lang
    og_locale: str       # Open Graph
    han: bool            # set as Chinese: full-width punctuation, no spaces between words
    fonts: dict = field(default_factory=dict)   # the PDF's faces, by role
    bibtex_langid: str | None = None            # a babel name, or none (babel has no Chinese)
    search: dict | None = None                  # Material's search settings, where not the default's
    hyphenation: str | None = None              # the PDF's hyphenation patterns, where not the tag's


LANGUAGES = (
    Language(
        code="zh", name="中文", tag="zh-Hans", og_locale="zh_CN", han=True,
        fonts={"serif": "Noto Serif CJK SC", "sans": "Noto Sans CJK SC", "mono": "Noto Sans Mono CJK SC",
               # English inside the Chinese edition: Latin quotes, not the CJK fonts' full-width ones
               "latin-serif": "Noto Serif"},
    ),
    Language(
        code="en", name="English", tag="en", og_locale="en_US", han=False,
        fonts={"serif": "Noto Serif", "sans": "Noto Sans", "mono": "Noto Sans Mono CJK SC",
               # Chinese inside the English edition (titles, the glossary)
               "cjk-serif": "Noto Serif CJK SC", "cjk-sans": "Noto Sans CJK SC"},
        bibtex_langid="english",
        hyphenation="en-US",                     # the site's spelling is American
        # Material's English settings, with U+200B added to the separator:
        # English pages may quote a Chinese title, which jieba segments
        search={"lang": ["en"], "separator": r"[\s\u200b\-]+", "pipeline": ["stopWordFilter"]},
    ),
)
CODES = tuple(lang.code for lang in LANGUAGES)
DEFAULT = CODES[0]
# the language whose forms of names are in Latin letters (citation keys)
LATIN = next(lang.code for lang in LANGUAGES if not lang.han)


def get(code: str) -> Language:
    for lang in LANGUAGES:
        if lang.code == code:
            return lang
    raise KeyError(f"no language {code!r} in sco_report/languages.py")


def others(code: str) -> tuple[str, ...]:
    return tuple(c for c in CODES if c != code)


def other(code: str) -> str:
    """The language a page is paired with (the parallel view, the PDF's link
    to the other edition): the first other one."""
    return others(code)[0]


def prefix(code: str) -> str:
    """Where a language's pages are, relative to the site root: '' or 'en/'."""
    return "" if code == DEFAULT else f"{code}/"


def of_text(text: str) -> str:
    """The language a short text is written in: the first Chinese one if it
    has a Han character, else the first other one."""
    han = any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)
    return next(lang.code for lang in LANGUAGES if lang.han == han)


def check_i18n(entries) -> str | None:
    """A one-line problem if mkdocs.yml's i18n `languages` differ from this table."""
    found = [(e.locale, e.name, bool(e.default)) for e in entries]
    want = [(lang.code, lang.name, lang.code == DEFAULT) for lang in LANGUAGES]
    if found != want:
        return (f"mkdocs.yml: i18n languages {found} differ from sco_report/languages.py {want} "
                "(codes, names and the default, in order)")
    return None
