"""The `report` plugin: the whole build, in one place. Read this file first.

MkDocs builds the default language at the site root; mkdocs-static-i18n then
builds each further language by calling MkDocs' build again, with the same
config and the same plugin instance. Each event below says which job runs
when; the jobs are in the modules beside this one, none of which imports
this one. The build's state (state.Build) lives on the plugin.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from . import (checks, csp, data, derive, fingerprint, languages, minify, offline_zip, parallel, pdf,
               precompress, search, seo, state, theme_patches, typeset)
from .schema import DataError

log = logging.getLogger("mkdocs.plugins.report")

# The steps after every language is built, in order: (what, function(site, build)).
# The zip holds the site as readers see it; what only a web server needs (the
# nginx include with the CSP's hashes, compressed twins) comes after it.
STEPS = [
    ("split the search index by language", search.split_index),
    ("write the parallel views", parallel.write_views),
    ("write the citation files (RIS, CSL-JSON)", data.write_citation_files),
    ("patch Material's bundle and search worker", lambda site, build: theme_patches.self_contained_bundle(site)),
    ("rename rewritten theme files by their content",
     lambda site, build: fingerprint.refingerprint(site, build.theme_dirs)),
    ("set the PDF edition of each language", lambda site, build: build.pdf and pdf.build_pdfs(site, build)),
    ("write the offline zip and download sizes", offline_zip.write),
    ("write the nginx include (CSP hashes, 404s)",
     lambda site, build: csp.write_nginx_include(site, build.site_url)),
    ("write compressed twins for the web server", lambda site, build: precompress.precompress(site)),
]


class ReportConfig(Config):
    # the PDF edition: auto (made by `mkdocs build`, not by `mkdocs serve`),
    # true or false (also 1 or 0: mkdocs.yml reads it from RPT_PDF)
    pdf = c.Type((bool, int, str), default="auto")


def _switch(value, serving: bool) -> bool:
    word = str(value).strip().lower()
    if word in ("auto", ""):
        return not serving   # reloads must not wait for the PDFs
    if word in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        return word in ("1", "true", "yes", "on")
    raise PluginError(f"mkdocs.yml: report plugin option 'pdf' (RPT_PDF): {value!r} is not auto, true or false")


class ReportPlugin(BasePlugin[ReportConfig]):
    # kept across `mkdocs serve` rebuilds, since it has on_startup
    def on_startup(self, *, command, dirty):
        import jieba
        jieba.setLogLevel(logging.WARNING)   # it announces its dictionary on every build
        self.command = command
        self.code = _sources()
        self.build: state.Build | None = None

    def _i18n(self, config):
        plugin = config.plugins.get("i18n")
        if plugin is None:
            raise PluginError("mkdocs.yml: the report plugin needs mkdocs-static-i18n (`- i18n` in plugins)")
        return plugin

    def _lang(self, config) -> str:
        """The language being built (in the outer build's on_config, before
        the i18n plugin has named it, the default)."""
        return self._i18n(config).current_language or languages.DEFAULT

    @event_priority(100)  # before the i18n plugin (-100) reconfigures anything
    def on_config(self, config):
        i18n = self._i18n(config)
        if not i18n.building:   # the outer build: make the state
            if self.code != _sources():
                raise PluginError("sco_report/ changed since `mkdocs serve` started, and Python cannot reload "
                                  "it: stop the server (Ctrl-C) and start it again")
            problem = languages.check_i18n(i18n.config.languages)
            if problem:
                raise PluginError(problem)
            theme_patches.check_versions()
            try:
                self.build = state.start(config)
            except DataError as exc:
                raise PluginError(str(exc)) from None
            self.build.pdf = _switch(self.config.pdf, self.command == "serve")
            if not self.build.site_url:   # INFO, not a warning: a preview must pass --strict
                log.info(seo.NO_ADDRESS)
            theme_patches.drop_theme_404(config)   # one 404 page per language instead (docs/<lang>/404.md)
            problem = derive.check_not_stored(Path(config.docs_dir))
            if problem:
                raise PluginError(problem)
            problems = checks.check_sources(Path(config.docs_dir), self.build.declared)
            if problems:
                raise PluginError("\n".join(problems))
            fingerprint.point_pages(config)
            search.use_dictionary(self.build)   # before Material's search plugin indexes a page
        lang = self._lang(config)
        theme_patches.configure_markdown(config, self.build.ui(lang))
        typeset.configure(config, self.build.data["terms"], lang)
        return config

    def on_pre_build(self, config):
        # mkdocs-static-i18n has set this language's names (on_config, -100);
        # a derived language's are its source's, converted
        convert = self.build.convert.get(self._lang(config))
        if convert:
            for key in ("site_name", "site_description", "copyright"):
                config[key] = convert(config[key])

    def on_serve(self, server, config, builder):
        # a change to this package rebuilds, and on_config then says to restart
        server.watch(str(Path(__file__).parent))
        return server

    @event_priority(-200)  # after the i18n plugin has rebuilt the file list (-100)
    def on_files(self, files, config):
        lang = self._lang(config)
        files = derive.add_pages(files, config, lang, self.build.convert)
        if lang in self.build.convert:
            # the sitemap's list of this language's pages, which the i18n plugin
            # made (its on_files, -100) before they existed
            self._i18n(config).i18n_files_per_language[lang] = files.documentation_pages()
        files = fingerprint.rename_files(files, config)
        return minify.stylesheets_without_comments(files, config)

    def on_nav(self, nav, config, files):
        convert = self.build.convert.get(self._lang(config))
        return derive.convert_nav(nav, convert) if convert else nav

    def on_env(self, env, config, files):
        # Jinja's own cache of compiled templates, checked against each
        # template's source: Material's are compiled once, not per language
        env.bytecode_cache = jinja2.FileSystemBytecodeCache()
        env.globals["material_bundle"] = theme_patches.theme_bundle(config.theme.dirs)
        # BCP 47 tags: <html lang> (overrides/partials/language.html), the sitemap's hreflang
        env.globals["lang_tags"] = {lang.code: lang.tag for lang in languages.LANGUAGES}
        env.globals["lang_tag"] = languages.get(self._lang(config)).tag
        # Material's strings, in a derived language converted like its pages
        # (its zh-Hant partial has Simplified characters left: 頁脚, 个)
        env.globals["in_script"] = self.build.convert.get(self._lang(config), str)
        # `tojson` writes Chinese as itself, not as \\u escapes (a third of the bytes)
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
        return env

    def on_page_markdown(self, markdown, page, config, files):
        return data.render_page(markdown, page, state.lang_of(page), self.build)

    def on_page_content(self, html, page, config, files):
        lang = state.lang_of(page)
        checks.check_rendered_ids(html, page, lang, self.build.declared)
        seo.describe_page(html, page, lang, config.site_description)
        return html

    def on_page_context(self, context, page, config, nav):
        lang = state.lang_of(page)
        context = data.page_context(context, page, lang, self.build)
        context = parallel.page_context(context, page, lang, self.build)
        if not seo.is_404(page):
            context["scholar"] = seo.scholar(page, lang, self.build, config.site_url or "")
        return seo.page_context(context, page, lang, config.site_url)

    def on_post_page(self, output, page, config):
        return seo.point_material(output, page, state.lang_of(page), config.site_url)

    @event_priority(-150)  # after mkdocs-static-i18n (-100) has built every language
    def on_post_build(self, config):
        if self._i18n(config).building:
            return
        site = Path(config.site_dir)
        for what, step in STEPS:
            started = time.monotonic()
            step(site, self.build)
            log.info(f"{what} ({time.monotonic() - started:.2f} s)")


def _sources() -> dict[str, int]:
    """This package's Python files and their modification times."""
    return {p.name: p.stat().st_mtime_ns for p in Path(__file__).parent.glob("*.py")}
