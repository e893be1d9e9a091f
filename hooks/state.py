"""The state of one build, as one explicit object.

MkDocs loads each hook file as a module of its own, and mkdocs-static-i18n
builds every further language by calling MkDocs' build again with the same
config object. So the state lives on that object (`config[KEY]`): made once,
by the pipeline's on_config, at the start of the outer (default-language)
build; read by every hook through of(config); gone with the config (each
`mkdocs serve` rebuild loads a new one). No hook keeps state in its module.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import reportdata
from schema import LANGS

KEY = "rpt_build"
# The default SOURCE_DATE_EPOCH when neither the environment nor git gives
# one: the report's release (2018-05-21), so a plain build is reproducible.
FALLBACK_EPOCH = 1526860800


@dataclass
class Build:
    root: Path                  # the project (mkdocs.yml's folder)
    site_url: str
    default_lang: str
    langs: tuple[str, ...]      # every built language, the default first
    version: str                # pyproject.toml's
    epoch: int                  # SOURCE_DATE_EPOCH: every date and timestamp written
    data: dict                  # data/report.yml, validated
    ui_data: dict               # data/ui.yml, validated
    theme_dirs: list[Path] = field(default_factory=list)  # our overrides, then Material's templates
    # filled while the languages are built:
    declared: dict[str, set[str]] = field(default_factory=dict)        # "zh/x.md" -> heading ids
    parallel: dict[str, set[str]] = field(default_factory=dict)         # lang -> pages with a parallel view

    def ui(self, lang: str) -> dict:
        return reportdata.ui_strings(self.ui_data, lang)

    def folder(self, site: Path, lang: str) -> Path:
        """Where a language's pages are written."""
        return site if lang == self.default_lang else site / lang

    @property
    def built_date(self) -> str:
        import datetime as dt
        return dt.datetime.fromtimestamp(self.epoch, dt.timezone.utc).date().isoformat()


def i18n(config):
    return config.plugins.get("i18n")


def is_nested(config) -> bool:
    """True inside mkdocs-static-i18n's build of a further language."""
    plugin = i18n(config)
    return bool(plugin is not None and plugin.building)


def default_lang(config) -> str:
    plugin = i18n(config)
    return plugin.default_language if plugin else LANGS[0]


def building_lang(config) -> str:
    """The language being built (in on_config, before the i18n plugin's own
    on_config has named the default language, that one)."""
    plugin = i18n(config)
    return (plugin.current_language if plugin else None) or default_lang(config)


def other(lang: str) -> str:
    return next(code for code in LANGS if code != lang)


def lang_of(page) -> str:
    """A page's language (mkdocs-static-i18n sets file.locale)."""
    return getattr(page.file, "locale", None) or LANGS[0]


def source_date_epoch(root: Path) -> int:
    """SOURCE_DATE_EPOCH, or the last commit's time, or FALLBACK_EPOCH; the
    one default of every output. Exported, so that MkDocs' own dates (the
    sitemap's lastmod) follow it too."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        try:
            value = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True,
                                   text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            value = ""
        value = value if value.isdigit() else str(FALLBACK_EPOCH)
        os.environ["SOURCE_DATE_EPOCH"] = value
    return int(value)


def version(root: Path) -> str:
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^version\s*=\s*"([^"]+)"', text, re.M).group(1)


def start(config) -> Build:
    """Make the build's state (the outer build's on_config)."""
    root = Path(config.config_file_path).parent
    loaded = reportdata.load(root)
    plugin = i18n(config)
    default = default_lang(config)
    langs = tuple([default] + [code for code in (plugin.build_languages if plugin else LANGS) if code != default])
    build = Build(root=root, site_url=config.site_url or "", default_lang=default, langs=langs,
                  version=version(root), epoch=source_date_epoch(root),
                  data=loaded["report"], ui_data=loaded["ui"],
                  theme_dirs=[Path(d) for d in config.theme.dirs])
    config[KEY] = build
    return build


def standalone(root: Path, site_url: str = "") -> Build:
    """A build's state without MkDocs, for tools that render a page's data
    references on their own (bench/run.py's default-setup copy)."""
    loaded = reportdata.load(root)
    return Build(root=root, site_url=site_url, default_lang=LANGS[0], langs=LANGS, version=version(root),
                 epoch=source_date_epoch(root), data=loaded["report"], ui_data=loaded["ui"])


def of(config) -> Build:
    return config[KEY]
