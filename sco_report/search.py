"""One search index per language.

mkdocs-static-i18n writes a single search/search_index.json holding both
languages, so a Chinese reader's results mix in English pages and every page
downloads both languages' text. A step of plugin.py splits it after the build:

- site/search/search_index.json     the Chinese pages (the site root)
- site/en/search/search_index.json  the English pages, locations relative to /en/

- site/zh-Hant/search/search_index.json  a derived language's: its source's
  entries, converted as its pages are (derived_docs)

each with the search configuration of its language (the Chinese one keeps
the separator that splits jieba's U+200B word boundaries), plus the
search_index.js twins that the offline bundle reads from disk. English pages
point Material's search at their own index by a "base" one level deeper in
their __config; nothing else in the theme reads that value for this site
(no versions, no instant navigation).
It also removes lunr language files the site never loads.

The report's terms are words: the glossary's Chinese names go into jieba's
dictionary before any page is indexed (use_dictionary), so that 上海精神 is
one token, in the pages and in the query, which Material's worker segments
with the index's own words. Each index carries, in its config, what
docs/assets/javascripts/search.js needs to read a query as the reader meant
it (query_help): the other languages' names of the terms and summit cities,
the glossary's entries for an empty result, the other editions to search,
and the script a Chinese query is converted to.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from pathlib import Path

from . import languages, state
from . import textfmt as fmt
from . import theme_patches


def entries(build: state.Build, lang: str) -> list[dict]:
    """Search entries of their own for what the data file treats: each
    glossary term (its entry) and each summit and Shanghai Five meeting (its
    timeline row). A reader who searches a body, a document or a summit city
    finds the place that treats it before pages that mention it in passing:
    Material weighs a match in a title a thousand times one in the text.
    Chinese is segmented as Material's search plugin does for the pages."""
    t = build.ui(lang)
    data = build.data
    out = []
    for term in data["terms"]:
        abbr = term.get("abbr", {}).get(lang, [])
        title = term[lang] + (t["abbr_note"].format(abbr=t["sep"].join(abbr)) if abbr else "")
        out.append((f"{GLOSSARY}#term-{term['id']}", title,
                    f"{term[languages.other(lang)]}{t['sep']}{term['def'][lang]}"))
    for key, prefix, label in (("summits", "summit", "search_summit"),
                               ("shanghai_five", "shanghai-five", "search_shanghai_five")):
        for m in data[key]:
            title = t[label].format(city=m["city"][lang], n=m["number"],
                                    date=fmt.format_date(m["date"], lang))
            out.append((f"timeline.html#{prefix}-{m['number']}", title, m["outcome"][lang]))
    return [theme_patches.search_doc(location, theme_patches.segment(title), theme_patches.segment(text))
            for location, title, text in out]


GLOSSARY = "glossary.html"   # docs/<lang>/glossary.md: an entry per term, #term-<id>
# what a name keeps as a query: its words, not its quotes, brackets or commas
PUNCTUATION = re.compile(r"[^\w\s.\-’']+")
# How a Chinese query is converted into the script of an edition's index,
# and OpenCC's own configurations that tell which characters of the index
# are of the other script. Into Simplified: the vendored opencc-js converter
# (docs/assets/javascripts/) with the variants it reads. Into the script of
# an edition converted at build (the Traditional one): the characters of
# its index as the build converted them (char_map), since only those can
# match; opencc-js's own converter that way is a megabyte.
CONVERTERS = {"Hans": {"script": "opencc-t2cn.js", "from": ["tw", "hk"], "to": "cn",
                       "opencc": ("t2s.json", "tw2s.json", "hk2s.json")}}


def char_map(source: list[dict], derived: list[dict]) -> dict[str, str]:
    """{a character of the source index: what it became in the derived
    one}, read position by position (derived_docs keeps lengths); where one
    character became several (发: 發, 髮), the most frequent."""
    counts: dict[str, Counter] = {}
    for a, b in zip(source, derived):
        for field in ("title", "text"):
            for x, y in zip(a[field], b[field]):
                if x != y:
                    counts.setdefault(x, Counter())[y] += 1
    return {x: c.most_common(1)[0][0] for x, c in sorted(counts.items())}


def foreign_chars(docs: list[dict], script: str) -> str:
    """The Han characters of an index that a conversion into its script
    changes (traditional characters of a source's title in a Simplified
    index). search.js converts a query that has one: otherwise a
    traditional query would match that title, not what its simplified form
    matches."""
    import opencc
    found = {ch for doc in docs for text in (doc["title"], doc["text"])
             for run in theme_patches.HAN_RUN.findall(text) for ch in run}
    converters = [opencc.OpenCC(name) for name in CONVERTERS[script]["opencc"]]
    return "".join(sorted(ch for ch in found if any(c.convert(ch) != ch for c in converters)))


def dictionary_words(data: dict, langs=None) -> list[str]:
    """The glossary's Chinese names and abbreviations as jieba words: each
    run of three or more Han characters in them (“一带一路”倡议 gives 一带一路;
    shorter runs are words jieba knows). Of every Chinese language, or of those given."""
    words = set()
    for term in data["terms"]:
        for lang in langs or (lang.code for lang in languages.LANGUAGES if lang.han):
            for name in [term[lang], *term.get("abbr", {}).get(lang, [])]:
                words.update(run for run in theme_patches.HAN_RUN.findall(name) if len(run) >= 3)
    return sorted(words)


def use_dictionary(build: state.Build) -> None:
    """The terms into jieba's dictionary (what a user dictionary file does,
    line by line), before Material's search plugin segments the pages."""
    import jieba
    for word in dictionary_words(build.data):
        jieba.add_word(word)


def query_help(build: state.Build, lang: str, docs: list[dict], source: list[dict] | None = None) -> dict:
    """What search.js reads a query of this language's edition with (docs:
    its index; source: the index it was converted from, if it was)."""
    t = build.ui(lang)
    data = build.data
    # names in the languages of other texts (another script of the same
    # text is converted, not translated: 上合組織 stays 上合组织)
    translated = [o for o in languages.others(lang) if languages.source(o) != languages.source(lang)]
    aliases = {}
    for term in data["terms"]:
        for other in translated:
            for name in [term[other], *term.get("abbr", {}).get(other, [])]:
                aliases[PUNCTUATION.sub(" ", name).strip().lower()] = PUNCTUATION.sub(" ", term[lang]).strip()
    for meeting in [*data["summits"], *data["shanghai_five"]]:
        for other in translated:
            aliases[meeting["city"][other].lower()] = meeting["city"][lang]
    glossary = [[name, f"{GLOSSARY}#term-{term['id']}"] for term in data["terms"]
                for name in [term[lang], *term.get("abbr", {}).get(lang, [])]]
    here = languages.prefix(lang) or "."
    # the editions with other pages: not one converted from the same text
    editions = [[posixpath.relpath(languages.prefix(other) or ".", here) + "/index.html", t[f"search_in_{other}"]]
                for other in translated]
    # a query for part of a term (反恐怖) also asks for the terms that hold it,
    # which are single words of the index
    words = dictionary_words(data, [lang]) if languages.get(lang).han else []
    # a Chinese query on a page in another language goes by the first Chinese edition's names
    han = next(code for code in (lang, *languages.others(lang)) if languages.get(code).han)
    script = languages.get(han).tag.rpartition("-")[2]
    derived = source is not None and han == lang
    return {"aliases": aliases, "words": words, "glossary": glossary, "glossary_page": GLOSSARY, "editions": editions,
            # an edition converted at build uses each of its characters as OpenCC
            # (and the overrides) put it: none of them is foreign to it
            "convert": ({"map": char_map(source, docs)} if derived else
                        {key: value for key, value in CONVERTERS[script].items() if key != "opencc"}),
            "foreign": "" if derived else foreign_chars(docs, script),
            "strings": {key: t[key] for key in ("search_try", "search_glossary", "search_glossary_term")}}


def derived_docs(docs: list[dict], convert) -> list[dict]:
    """A derived language's entries: its source's, converted like its pages
    (sco_report/derive.py), keeping jieba's word boundaries (U+200B) where
    they were, since jieba's dictionary is Simplified. The text is converted
    without them, so that OpenCC sees whole phrases; conversion keeps the
    length, or the build stops."""
    brk = theme_patches.SEARCH_WORD_BREAK

    def words(text: str) -> str:
        parts = text.split(brk)
        joined = convert.same_length("".join(parts), theme_patches.SEARCH_INDEX)
        out, at = [], 0
        for part in parts:
            out.append(joined[at:at + len(part)])
            at += len(part)
        return brk.join(out)
    return [theme_patches.with_texts(doc, words) for doc in docs]


def split_index(site: Path, build: state.Build) -> None:
    """The combined index, split into one per language (a pipeline step).
    A derived language's own pages' entries are replaced by its source's,
    converted."""
    config, combined = theme_patches.read_search_index(site)
    others = languages.others(languages.DEFAULT)
    buckets = {lang: [] for lang in languages.CODES}
    for doc in combined:
        location = theme_patches.doc_location(doc)
        lang = next((o for o in others if location.startswith(languages.prefix(o))), languages.DEFAULT)
        doc = theme_patches.with_location(doc, location[len(languages.prefix(lang)):])
        buckets[lang].append(doc)
    for lang in languages.STORED:
        if not buckets[lang]:
            raise theme_patches.markup_changed(theme_patches.SEARCH_INDEX, f"entries of the {lang} pages")
        buckets[lang] += entries(build, lang)
    for lang, convert in build.convert.items():
        buckets[lang] = derived_docs(buckets[languages.source(lang)], convert)
    for lang, docs in buckets.items():
        source = buckets[languages.source(lang)] if lang in build.convert else None
        conf = {**config, **(languages.get(lang).search or {}),
                theme_patches.SEARCH_HELP: query_help(build, lang, docs, source)}
        text, script = theme_patches.search_index_texts(conf, docs)
        folder = build.folder(site, lang)
        (folder / theme_patches.SEARCH_INDEX).parent.mkdir(parents=True, exist_ok=True)
        (folder / theme_patches.SEARCH_INDEX).write_text(text, encoding="utf-8")
        # read by Material over file://, where fetch() is not allowed
        (folder / theme_patches.SEARCH_INDEX_JS).write_text(script, encoding="utf-8")
    lunr = site / theme_patches.LUNR
    kept = set()
    for path in sorted(lunr.rglob("*.js")) if lunr.exists() else []:
        if path.name not in theme_patches.LUNR_KEEP:
            path.unlink()
        else:
            kept.add(path.name)
    if kept != set(theme_patches.LUNR_KEEP):
        missing = ", ".join(sorted(set(theme_patches.LUNR_KEEP) - kept))
        raise theme_patches.markup_changed(theme_patches.LUNR, f"Material's {missing}")
