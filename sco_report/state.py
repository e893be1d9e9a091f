"""The state of one build, as one explicit object, held by the plugin.

The plugin (plugin.py) makes it at the start of the outer (default-language)
build; mkdocs-static-i18n builds every further language by calling MkDocs'
build again with the same plugin instance, which hands the same state to
every step. Each `mkdocs serve` rebuild makes a new one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from . import languages, reportdata
from .schema import DataError, parse_span



@dataclass
class Build:
    root: Path                  # the project (mkdocs.yml's folder)
    site_url: str
    version: str                # pyproject.toml's
    epoch: int                  # SOURCE_DATE_EPOCH: every date and timestamp written
    data: dict                  # data/report.yml, validated
    ui_data: dict               # data/ui.yml, validated
    nav: list[str] = field(default_factory=list)          # the pages of nav:, in order ("overview", …)
    theme_dirs: list[Path] = field(default_factory=list)  # our overrides, then Material's templates
    pdf: bool = False           # whether this build sets the PDF edition
    convert: dict = field(default_factory=dict)   # derived language -> its converter (sco_report/derive.py)
    # filled while the languages are built:
    declared: dict[str, set[str]] = field(default_factory=dict)        # "zh/x.md" -> heading ids
    parallel: dict[str, set[str]] = field(default_factory=dict)         # lang -> pages with a parallel view

    def ui(self, lang: str) -> dict:
        return reportdata.ui_strings(self.ui_data, lang)

    def folder(self, site: Path, lang: str) -> Path:
        """Where a language's pages are written."""
        return site / languages.prefix(lang)

    @property
    def built_date(self) -> str:
        return dt.datetime.fromtimestamp(self.epoch, dt.timezone.utc).date().isoformat()


def lang_of(page) -> str:
    """A page's language (mkdocs-static-i18n sets file.locale)."""
    return getattr(page.file, "locale", None) or languages.DEFAULT
def newest_source(data: dict) -> tuple[tuple[int, int, int], str]:
    """((year, month, day), key) of the newest source data/report.yml cites
    (month and day 0 where the date has none)."""
    return max((parse_span(src["date"])[1], key) for key, src in data["sources"].items() if src.get("date"))


def source_date_epoch(root: Path, data: dict) -> int:
    """SOURCE_DATE_EPOCH, or the last commit's time, or (outside git) the
    day of the newest source: the one date of every output, never earlier
    than what the edition cites. Exported, so that MkDocs' own dates (the
    sitemap's lastmod) follow it too."""
    (year, month, day), key = newest_source(data)
    newest = dt.date(year, month or 1, day or 1)
    floor = int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.timezone.utc).timestamp())
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        try:
            value = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True,
                                   text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            value = ""
        value = value if value.isdigit() else str(floor)
        os.environ["SOURCE_DATE_EPOCH"] = value
    if not value.isdigit() or int(value) < floor:
        raise DataError(f"SOURCE_DATE_EPOCH {value} is earlier than the newest source cited "
                        f"(data/report.yml: sources.{key}, {newest}): the edition would be dated before it")
    return int(value)


def version(root: Path) -> str:
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^version\s*=\s*"([^"]+)"', text, re.M).group(1)


def nav_pages(nav) -> list[str]:
    """The pages of MkDocs' `nav` config, in order, without the home page:
    ['overview', 'accomplishments', …, 'about']."""
    out: list[str] = []

    def walk(items):
        for item in items or []:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, dict):
                for value in item.values():
                    walk(value if isinstance(value, list) else [value])
    walk(nav)
    return [p[:-3] for p in out if p.endswith(".md") and p != "index.md"]


def start(config) -> Build:
    """The build's state, from MkDocs' config (the outer build's on_config)."""
    root = Path(config.docs_dir).parent   # the folder of docs/, data/ and pyproject.toml
    loaded = reportdata.load(root)
    return Build(root=root, site_url=config.site_url or "", version=version(root),
                 epoch=source_date_epoch(root, loaded["report"]), data=loaded["report"], ui_data=loaded["ui"],
                 nav=nav_pages(config.nav), theme_dirs=[Path(d) for d in config.theme.dirs],
                 convert=loaded["convert"])


def standalone(root: Path, site_url: str = "") -> Build:
    """A build's state without MkDocs, for tools that render a page's data
    references on their own (bench/run.py's default-setup copy)."""
    loaded = reportdata.load(root)
    return Build(root=root, site_url=site_url, version=version(root),
                 epoch=source_date_epoch(root, loaded["report"]),
                 data=loaded["report"], ui_data=loaded["ui"], convert=loaded["convert"])
