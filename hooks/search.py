"""Hook: one search index per language.

mkdocs-static-i18n writes a single search/search_index.json holding both
languages, so a Chinese reader's results mix in English pages and every page
downloads both languages' text. This hook splits it after the build:

- site/search/search_index.json     the Chinese pages (the site root)
- site/en/search/search_index.json  the English pages, locations relative to /en/

each with the search configuration of its language (the Chinese one keeps
the separator that splits jieba's U+200B word boundaries), plus the
search_index.js twins that the offline bundle reads from disk. English pages
point Material's search at their own index by a "base" one level deeper in
their __config; nothing else in the theme reads that value for this site
(no versions, no instant navigation).
It also removes lunr language files the site never loads.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import state
import textfmt as fmt
import theme_patches

# Material's own per-language search settings (partials/languages/*.html),
# with U+200B kept in the English separator: English pages may quote a
# Chinese title, which jieba segments.
SEARCH_CONFIG = {
    "en": {"lang": ["en"], "separator": r"[\s\u200b\-]+", "pipeline": ["stopWordFilter"]},
}
LUNR_KEEP = {"lunr.stemmer.support.min.js", "lunr.multi.min.js", "lunr.zh.min.js"}


def on_post_page(output, page, config):
    lang = state.lang_of(page)
    build = state.of(config)
    if lang == build.default_lang:
        return output
    where = f"{page.file.dest_uri} [{lang}]"
    base = theme_patches.config_base(output, where)
    # trailing slash: a URL base, not a file
    return theme_patches.set_config_base(output, f"{base}/{lang}/", where)


def entries(build: state.Build, lang: str) -> list[dict]:
    """Search entries of their own for what the data file treats: each
    glossary term (its entry) and each summit and Shanghai Five meeting (its
    timeline row). A reader who searches a body, a document or a summit city
    finds the place that treats it before pages that mention it in passing:
    Material weighs a match in a title a thousand times one in the text."""
    t = build.ui(lang)
    data = build.data
    out = []
    for term in data["terms"]:
        abbr = term.get("abbr", {}).get(lang, [])
        title = term[lang] + (t["abbr_note"].format(abbr=t["sep"].join(abbr)) if abbr else "")
        out.append({"location": f"glossary.html#term-{term['id']}", "title": title,
                    "text": f"{term[state.other(lang)]}{t['sep']}{term['def'][lang]}"})
    for key, prefix, label in (("summits", "summit", "search_summit"),
                               ("shanghai_five", "shanghai-five", "search_shanghai_five")):
        for m in data[key]:
            title = t[label].format(city=m["city"][lang], n=m["number"],
                                    date=fmt.format_date(m["date"], lang))
            out.append({"location": f"timeline.html#{prefix}-{m['number']}", "title": title,
                        "text": m["outcome"][lang]})
    return [{**entry, "text": segment(entry["text"]), "title": segment(entry["title"])} for entry in out]


HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def segment(text: str) -> str:
    """Runs of Chinese characters cut into jieba's words, set off by U+200B, as
    Material's search plugin does for the pages, so that the same queries match."""
    import jieba
    return HAN_RUN.sub(lambda m: "\u200b" + "\u200b".join(jieba.cut(m.group(0))) + "\u200b", text).strip("\u200b")


def split_index(site: Path, build: state.Build) -> None:
    """The combined index, split into one per language (a pipeline step)."""
    combined = site / "search" / "search_index.json"
    data = json.loads(combined.read_text(encoding="utf-8"))
    others = [lang for lang in build.langs if lang != build.default_lang]
    buckets = {lang: [] for lang in build.langs}
    for doc in data["docs"]:
        lang = next((o for o in others if doc["location"].startswith(f"{o}/")), build.default_lang)
        if lang != build.default_lang:
            doc = {**doc, "location": doc["location"][len(lang) + 1:]}
        buckets[lang].append(doc)
    for lang, docs in buckets.items():
        docs += entries(build, lang)
        conf = {**data["config"], **SEARCH_CONFIG.get(lang, {})}
        text = json.dumps({"config": conf, "docs": docs}, ensure_ascii=False, separators=(",", ":"))
        folder = build.folder(site, lang) / "search"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "search_index.json").write_text(text, encoding="utf-8")
        # read by Material over file://, where fetch() is not allowed
        (folder / "search_index.js").write_text(f"var __index = {text}", encoding="utf-8")
    lunr = site / "assets" / "javascripts" / "lunr"
    for path in sorted(lunr.rglob("*.js")) if lunr.exists() else []:
        if path.name not in LUNR_KEEP:
            path.unlink()
