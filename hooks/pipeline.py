"""Hook: the build, in one place. Read this file first.

MkDocs builds the default language (Chinese, at the site root), then
mkdocs-static-i18n builds each further language (English, under en/) with
the same config. Page by page, the hooks listed in mkdocs.yml do their part
(checks.py, data.py, typeset.py, parallel.py, search.py, seo.py). This one:

on_config (first of all, once per language)
    the outer build makes the build's state (hooks/state.py: the data files,
    loaded and checked once; the version; SOURCE_DATE_EPOCH) after checking
    the installed theme and Markdown versions (hooks/theme_patches.py); every
    build sets the Markdown settings of its language.
on_env (each language)
    Jinja keeps the compiled templates between builds.
on_post_build (after every language is built, once)
    the steps below, in this order, each given the site folder and the state.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

import csp
import fingerprint
import offline_zip
import parallel
import pdf
import precompress
import search
import state
import theme_patches
from schema import DataError

log = logging.getLogger("mkdocs.hooks.pipeline")

# The post-build steps, in order: (what, function(site, build)).
# The zip holds the site as readers see it; what only a web server needs (the
# nginx include with the CSP's hashes, compressed twins) comes after it.
STEPS = [
    ("split the search index by language", search.split_index),
    ("write the parallel views", parallel.write_views),
    ("patch Material's bundle", lambda site, build: theme_patches.self_contained_bundle(site)),
    ("rename rewritten theme files by their content",
     lambda site, build: fingerprint.refingerprint(site, build.theme_dirs)),
    ("set the PDF edition of each language", lambda site, build: pdf.enabled() and pdf.build_pdfs(
        site, build.root, data=build.data, ui=build.ui_data, base=offline_zip.bundle_name(build.version),
        version=build.version, site_url=build.site_url, downloads=offline_zip.DOWNLOADS, epoch=build.epoch)),
    ("write the offline zip and download sizes", offline_zip.write),
    ("write the nginx include (CSP hashes, 404s)",
     lambda site, build: csp.write_nginx_include(site, build.site_url)),
    ("write compressed twins for the web server", lambda site, build: precompress.precompress(site)),
]


def on_startup(command, dirty):
    # jieba announces its dictionary on every build; maintainers need quiet logs
    import jieba
    jieba.setLogLevel(logging.WARNING)
    if command == "serve":
        # a reload must not wait for the PDFs (RPT_PDF=1 asks for them anyway)
        os.environ.setdefault("RPT_PDF", "0")


def on_env(env, config, files):
    """Keep Material's templates compiled between builds: Jinja compiles about
    40 of them for each language of each build (0.8 s of a small build).
    Jinja's own bytecode cache, in the user's temporary folder, checks each
    entry against its template's source before using it."""
    env.bytecode_cache = jinja2.FileSystemBytecodeCache()
    return env


@event_priority(100)  # before every other hook's on_config
def on_config(config):
    if not state.is_nested(config):
        theme_patches.check_versions()
        try:
            state.start(config)
        except DataError as exc:
            raise PluginError(str(exc)) from None
    build = state.of(config)
    theme_patches.configure_markdown(config, build.ui(state.building_lang(config)))
    return config


@event_priority(-150)  # after mkdocs-static-i18n (-100) has built every language
def on_post_build(config):
    if state.is_nested(config):
        return
    build = state.of(config)
    site = Path(config.site_dir)
    for what, step in STEPS:
        started = time.monotonic()
        step(site, build)
        log.info(f"{what} ({time.monotonic() - started:.2f} s)")
