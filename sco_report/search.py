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
"""

from __future__ import annotations

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
        out.append((f"glossary.html#term-{term['id']}", title,
                    f"{term[languages.other(lang)]}{t['sep']}{term['def'][lang]}"))
    for key, prefix, label in (("summits", "summit", "search_summit"),
                               ("shanghai_five", "shanghai-five", "search_shanghai_five")):
        for m in data[key]:
            title = t[label].format(city=m["city"][lang], n=m["number"],
                                    date=fmt.format_date(m["date"], lang))
            out.append((f"timeline.html#{prefix}-{m['number']}", title, m["outcome"][lang]))
    return [theme_patches.search_doc(location, theme_patches.segment(title), theme_patches.segment(text))
            for location, title, text in out]


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
        conf = {**config, **(languages.get(lang).search or {})}
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
