"""Our overrides of Material's templates differ from the installed theme only
where we mean them to, and the theme-dependent code is gated on the range of
versions it was written for (sco_report/theme_patches.py). Nothing here spells
a version or a file hash of Material's: they are read from the installed theme."""

from __future__ import annotations

import ast
import json
import copy
import difflib
import re
from pathlib import Path

import material
import pytest
from mkdocs.exceptions import PluginError

from sco_report import reportdata
from sco_report import schema
import sitelib
from sco_report import theme_patches

THEME = Path(material.__file__).parent / "templates"
OVERRIDES = sitelib.ROOT / "overrides"


def changed_lines(ours: str, theirs: str) -> list[str]:
    """The lines that differ, ignoring indentation and the header comment."""
    def body(text):
        text = re.sub(r"\{#-.*?-#\}", "", text, count=1, flags=re.S)
        return [line.strip() for line in text.splitlines() if line.strip()]
    return [line for line in difflib.unified_diff(body(theirs), body(ours), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.mark.parametrize("name,intended", [
    ("partials/nav-item.html", [
        '-<label class="md-nav__link" for="{{ path }}" id="{{ path }}_label" tabindex="{{ tabindex }}">',
        '-<label class="md-nav__link {{ class }}" for="{{ path }}" id="{{ path }}_label" tabindex="{{ tabindex }}">',
        '+<label class="md-nav__link" for="{{ path }}" id="{{ path }}_label"{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}>',
        '+<label class="md-nav__link {{ class }}" for="{{ path }}" id="{{ path }}_label"{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}>',
    ]),
    ("partials/language.html", [
        '-{% macro t(key) %}{{ lang.t(key) or fallback.t(key) or key }}{% endmacro %}',
        '+{% macro t(key) %}{% set text = (key == "language" and lang_tag) or lang.t(key) or fallback.t(key) or key %}{{ in_script(text) if in_script is defined else text }}{% endmacro %}',
    ]),
    ("partials/palette.html", [
        '-<form class="md-header__option" data-md-component="palette">',
        '+<form class="md-header__option" data-rpt-palette>',
    ]),
    ("partials/search.html", [
        '-<div class="md-search" data-md-component="search" role="dialog">',
        '+<div class="md-search" data-md-component="search" role="dialog" aria-label="{{ lang.t(\'search\') }}">',
    ]),
])
def test_overridden_partials_differ_only_as_intended(name, intended):
    diff = changed_lines((OVERRIDES / name).read_text(encoding="utf-8"), (THEME / name).read_text(encoding="utf-8"))
    assert sorted(diff) == sorted(intended)


def test_palette_script_is_replaced_whole():
    """partials/javascripts/palette.html: Material's one inline script, replaced
    by ours (site.js switches the scheme later); nothing else in the file."""
    name = "partials/javascripts/palette.html"
    diff = changed_lines((OVERRIDES / name).read_text(encoding="utf-8"), (THEME / name).read_text(encoding="utf-8"))
    assert [line[:9] for line in diff] == ["-<script>", "+<script>"]


def block(text: str, name: str) -> str:
    m = re.search(r"\{%-? block " + name + r" -?%\}(.*?)\{%-? endblock -?%\}", text, re.S)
    assert m, name
    return m.group(1)


def block_diff(name: str) -> list[str]:
    """The changed lines of one block overridden in main.html against the
    installed theme's base.html."""
    return changed_lines(block((OVERRIDES / "main.html").read_text(encoding="utf-8"), name),
                         block((THEME / "base.html").read_text(encoding="utf-8"), name))


def test_site_meta_block_is_the_themes_without_hreflang():
    diff = block_diff("site_meta")
    removed = [line for line in diff if line.startswith("-")]
    added = [line for line in diff if line.startswith("+")]
    # only the hreflang loop goes (the sitemap holds the pairs), and the
    # generator line, which names the theme's version ...
    assert removed[:5] == ["-{% if config.extra.alternate is iterable %}",
                           "-{% for alt in config.extra.alternate %}",
                           '-<link rel="alternate" href="{{ alt.link | url }}" hreflang="{{ alt.lang | d(lang.t(\'language\')) }}">',
                           "-{% endfor %}", "-{% endif %}"]
    assert len(removed) == 6 and removed[5].startswith('-<meta name="generator"')
    # ... and only the 404 pages' <base> comes in
    assert added == ["+{%- if seo and seo.base %}", '+<base href="{{ seo.base }}">', "+{%- endif %}"]


def test_libs_block_is_the_themes_with_defer():
    """The polyfills (the iframe-worker shim) are loaded with `defer` and
    otherwise as Material loads them."""
    assert block_diff("libs") == ["-{{ script | script_tag }}", '+<script src="{{ script | url }}" defer></script>']


def test_scripts_block_is_the_themes_with_defer_and_our_strings():
    """Material's bundle is loaded with `defer` and otherwise as Material
    loads it (its name as the installed theme has it), after the JSON of our
    strings for site.js."""
    bundle = theme_patches.theme_bundle([THEME])
    assert re.fullmatch(r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js", bundle)
    assert block_diff("scripts") == [
        f"-<script src=\"{{{{ '{bundle}' | url }}}}\"></script>",
        "+{%- if ui_js %}",
        '+<script id="rpt-ui" type="application/json">{{ ui_js | tojson }}</script>',
        "+{%- endif %}",
        '+<script src="{{ material_bundle | url }}" defer></script>']


def test_version_gate_accepts_a_compatible_range(monkeypatch):
    from importlib.metadata import version
    installed = version("mkdocs-material")
    theme_patches.check_versions()   # what is installed passes
    major = int(installed.split(".")[0])
    monkeypatch.setattr(theme_patches, "version", lambda name: f"{major}.99.0" if name == "mkdocs-material"
                        else version(name))
    theme_patches.check_versions()   # a later minor release passes too: the patches check themselves
    monkeypatch.setattr(theme_patches, "version", lambda name: f"{major + 1}.0.0" if name == "mkdocs-material"
                        else version(name))
    with pytest.raises(PluginError) as err:
        theme_patches.check_versions()
    message = str(err.value)
    assert "\n" not in message
    assert f"installed: {major + 1}.0.0" in message and "CONTRIBUTING.md" in message


def test_each_bundle_patch_names_itself_when_its_target_is_gone(tmp_path):
    """Against the installed theme's bundle each patch matches once; against
    a bundle without one target, the build stops naming that patch."""
    js = (THEME / theme_patches.theme_bundle([THEME])).read_text(encoding="utf-8")
    for name, target, _ in theme_patches.BUNDLE_PATCHES:
        assert len(target.findall(js)) == 1, name
    scripts = tmp_path / "assets" / "javascripts"
    scripts.mkdir(parents=True)
    for name, target, _ in theme_patches.BUNDLE_PATCHES:
        bundle = scripts / theme_patches.theme_bundle([THEME]).rsplit("/", 1)[1]
        bundle.write_text(target.sub("gone", js), encoding="utf-8")
        with pytest.raises(PluginError) as err:
            theme_patches.self_contained_bundle(tmp_path)
        assert f"theme patch '{name}'" in str(err.value) and "found it 0 times" in str(err.value)


def test_each_worker_patch_names_itself_when_its_target_is_gone(tmp_path):
    """The same for the search worker, beside a bundle that patches cleanly."""
    bundle = theme_patches.theme_bundle([THEME])
    worker = next(THEME.glob(theme_patches.WORKER)).relative_to(THEME).as_posix()
    js = (THEME / worker).read_text(encoding="utf-8")
    for name, target, _ in theme_patches.WORKER_PATCHES:
        assert len(target.findall(js)) == 1, name
    for name, target, _ in theme_patches.WORKER_PATCHES:
        for rel, text in ((bundle, (THEME / bundle).read_text(encoding="utf-8")), (worker, target.sub("gone", js))):
            (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / rel).write_text(text, encoding="utf-8")
        with pytest.raises(PluginError) as err:
            theme_patches.self_contained_bundle(tmp_path)
        assert f"theme patch '{name}'" in str(err.value) and "found it 0 times" in str(err.value)


def test_the_patched_worker_is_named_by_its_content_and_pages_point_at_it(site):
    """Patched, the worker is no longer the theme's file of that name: it is
    renamed after its content, and every page's __config names the new one."""
    (worker,) = site.glob(theme_patches.WORKER)
    assert worker.name not in {p.name for p in THEME.glob(theme_patches.WORKER)}
    for page in (site / "challenges.html", site / "en" / "challenges.html"):
        config = json.loads(sitelib.soup(page).find("script", id="__config").string)
        assert config["search"].rsplit("/", 1)[1] == worker.name, page


def test_material_paths_are_rewritten_or_the_build_stops():
    page = '<html><head><script id="__config" type="application/json">{"base":"."}</script></head></html>'
    assert '"base":"/en/"' in theme_patches.set_material_paths(page, "x.html", "/en/")
    with pytest.raises(PluginError):
        theme_patches.set_material_paths("<html><head></head></html>", "x.html", "/en/")


# "md-" in a string of a hook other than theme_patches.py that is ours, not
# Material's: (file, the string) -> why. Nothing of ours is spelt so today.
OWN_MD_STRINGS: dict[tuple[str, str], str] = {}
MD_PREFIX = re.compile(r"(?<![A-Za-z0-9_])md-")


def test_only_theme_patches_spells_materials_classes():
    """Every other hook finds Material's markup through sco_report/theme_patches.py's
    names (ARTICLE, LANGUAGE_LINK …), which the version gate covers; none spells
    an md- class, id or variable in a string of its own (docstrings included)."""
    found = []
    for path in sorted((sitelib.ROOT / "sco_report").glob("*.py")):
        if path.name == "theme_patches.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and MD_PREFIX.search(node.value)
                    and (path.name, node.value) not in OWN_MD_STRINGS):
                found.append(f"sco_report/{path.name}:{node.lineno}: {node.value!r}")
    assert not found, "use (or add) a name in sco_report/theme_patches.py instead: " + "; ".join(found)
    assert any(MD_PREFIX.search(v) for v in vars(theme_patches).values() if isinstance(v, str))


def test_the_validator_does_not_change_the_data():
    raw = reportdata.read_yaml(sitelib.ROOT, "data/report.yml")
    before = copy.deepcopy(raw)
    checked = schema.validate_report(raw, "data/report.yml")
    assert raw == before
    # while what it returns is normalized: dates as strings, sources as lists
    assert isinstance(checked["events"][0]["source"], list)


def test_lock_file_pins_every_direct_dependency():
    """requirements.lock (what `make` installs, with hashes) holds each direct
    pin of pyproject.toml at the same version."""
    import tomllib
    project = tomllib.loads((sitelib.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    direct = project["dependencies"] + [d for group in project["optional-dependencies"].values() for d in group]
    lock = (sitelib.ROOT / "requirements.lock").read_text(encoding="utf-8").lower()
    for pin in direct:
        name, version = (part.strip() for part in pin.split("#")[0].split("=="))
        canonical = re.sub(r"[-_.]+", "-", name.lower())
        # the pin, then its hashes, which pip checks with --require-hashes
        assert re.search(rf"^{re.escape(canonical)}=={re.escape(version)} \\\n\s+--hash=sha256:[0-9a-f]{{64}}",
                         lock, re.M), pin
