"""The site's languages: the one table. Everything else asks it.

The default language comes first and is built at the site root; every other
one under its code (en/, zh-Hant/). mkdocs.yml's `i18n` languages must list
the same codes, names and default: the plugin checks at every build. To add a
language, add a row here, its entry there, docs/<code>/, and its strings in
data/*.yml; or, for a language converted from another by OpenCC, only the
row and the entry (`derived_from`, sco_report/derive.py).
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
    derived_from: str | None = None  # generated at every build from this language's pages and data…
    opencc: str | None = None        # …by this OpenCC configuration (sco_report/derive.py); nothing stored
    hyphenation: str | None = None              # the PDF's hyphenation patterns, where not the tag's


LANGUAGES = (
    Language(
        code="zh", name="简体中文", tag="zh-Hans", og_locale="zh_CN", han=True,
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
    # Converted from the Simplified edition at every build: characters to
    # Taiwan's standard forms, words and titles unchanged (CONTRIBUTING.md,
    # "The Traditional Chinese edition"). The code is the folder and the URL
    # prefix, zh-Hant/, the same string as the tag; Material has its partial.
    Language(
        code="zh-Hant", name="繁體中文", tag="zh-Hant", og_locale="zh_TW", han=True,
        fonts={"serif": "Noto Serif CJK TC", "sans": "Noto Sans CJK TC", "mono": "Noto Sans Mono CJK TC",
               "latin-serif": "Noto Serif"},
        derived_from="zh", opencc="s2tw",
    ),
)
CODES = tuple(lang.code for lang in LANGUAGES)
# the languages whose pages (docs/<code>/) and strings (data/*.yml) are stored
STORED = tuple(lang.code for lang in LANGUAGES if not lang.derived_from)
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
    to the other edition): the first one in the other script, so that each
    Chinese edition is paired with English, and English with the first
    Chinese one, the Simplified edition the others are made from."""
    han = get(code).han
    return next(c for c in others(code) if get(c).han != han)


def source(code: str) -> str:
    """The language a language's pages and strings come from: its own, or
    the one it is derived from."""
    return get(code).derived_from or code


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
