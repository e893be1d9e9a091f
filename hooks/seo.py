"""Hook: what search engines and link previews read.

- site/en/sitemap.xml next to the root one: Material fetches the sitemap of
  every alternate language of a page, and the English pages are under /en/.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.plugins import event_priority

URL_BLOCK = re.compile(r"\s*<url>.*?</url>", re.S)


@event_priority(-150)  # after the i18n plugin has built every language
def on_post_build(config):
    plugin = config.plugins.get("i18n")
    if plugin is not None and plugin.building:
        return
    site = Path(config.site_dir)
    root_map = site / "sitemap.xml"
    if not root_map.exists():
        return
    text = root_map.read_text(encoding="utf-8")
    prefix = (config.site_url or "").rstrip("/") + "/en/"
    blocks = URL_BLOCK.findall(text)
    english = [b for b in blocks if f"<loc>{prefix}" in b]
    head = text[: text.index("<url>")].rstrip()
    (site / "en" / "sitemap.xml").write_text(head + "".join(english) + "\n</urlset>\n", encoding="utf-8")
