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

from mkdocs.plugins import event_priority

CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)

# Material's own per-language search settings (partials/languages/*.html),
# with U+200B kept in the English separator: English pages may quote a
# Chinese title, which jieba segments.
SEARCH_CONFIG = {
    "en": {"lang": ["en"], "separator": r"[\s\u200b\-]+", "pipeline": ["stopWordFilter"]},
}
LUNR_KEEP = {"lunr.stemmer.support.min.js", "lunr.multi.min.js", "lunr.zh.min.js"}


def on_startup(command, dirty):
    # jieba announces its dictionary on every build; maintainers need quiet logs
    import logging

    import jieba
    jieba.setLogLevel(logging.WARNING)


def _i18n(config):
    return config.plugins.get("i18n")


def _default_lang(config) -> str:
    plugin = _i18n(config)
    return plugin.default_language if plugin else "zh"


def on_post_page(output, page, config):
    lang = getattr(page.file, "locale", None)
    if not lang or lang == _default_lang(config):
        return output

    def rebase(m):
        data = json.loads(m.group(2))
        data["base"] = f"{data['base']}/{lang}/"  # trailing slash: a URL base, not a file
        return m.group(1) + json.dumps(data, separators=(",", ":")).replace("<", "\\u003c") + m.group(3)

    return CONFIG_SCRIPT.sub(rebase, output, count=1)


@event_priority(-150)  # after i18n (-100) has merged the languages' entries
def on_post_build(config):
    plugin = _i18n(config)
    if plugin is not None and plugin.building:
        return  # a nested per-language build; the merged index comes later
    site = Path(config.site_dir)
    combined = site / "search" / "search_index.json"
    if not combined.exists():
        return
    data = json.loads(combined.read_text(encoding="utf-8"))
    default = _default_lang(config)
    others = [lang for lang in (plugin.build_languages if plugin else []) if lang != default]
    buckets = {lang: [] for lang in [default, *others]}
    for doc in data["docs"]:
        lang = next((o for o in others if doc["location"].startswith(f"{o}/")), default)
        if lang != default:
            doc = {**doc, "location": doc["location"][len(lang) + 1:]}
        buckets[lang].append(doc)
    for lang, docs in buckets.items():
        conf = {**data["config"], **SEARCH_CONFIG.get(lang, {})}
        text = json.dumps({"config": conf, "docs": docs}, ensure_ascii=False, separators=(",", ":"))
        folder = site / "search" if lang == default else site / lang / "search"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "search_index.json").write_text(text, encoding="utf-8")
        # read by Material over file://, where fetch() is not allowed
        (folder / "search_index.js").write_text(f"var __index = {text}", encoding="utf-8")
    lunr = site / "assets" / "javascripts" / "lunr"
    for path in sorted(lunr.rglob("*.js")) if lunr.exists() else []:
        if path.name not in LUNR_KEEP:
            path.unlink()
