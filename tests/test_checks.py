"""The checks must fail when they should: parity, ids, links, languages,
external resources, each proved on a small broken fixture, and the build's
messages to maintainers are one line naming the file, language and id/link."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sco_report import checks, languages
import sitelib

ROOT = sitelib.ROOT


def write(base: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return base


GOOD = {
    "zh/index.md": "# 首页 {#home}\n\n## 1 第一节 {#first}\n\n正文。\n",
    "en/index.md": "# Home {#home}\n\n## 1 First {#first}\n\nText.\n",
}


# --- source checks (sco_report/checks.py) ---------------------------------------------

def test_parity_passes_on_matching_pages(tmp_path):
    assert checks.check_sources(write(tmp_path, GOOD)) == []


def test_page_missing_in_one_language(tmp_path):
    docs = write(tmp_path, {**GOOD, "zh/extra.md": "# 额外 {#extra}\n"})
    assert checks.check_sources(docs) == [
        "docs/en/extra.md [en]: missing; docs/zh/extra.md has no counterpart in English"]


def test_id_differs_between_languages(tmp_path):
    docs = write(tmp_path, {**GOOD, "en/index.md": GOOD["en/index.md"].replace("{#first}", "{#one}")})
    assert checks.check_sources(docs) == [
        "docs/en/index.md:3 [en]: heading id 'one' differs from docs/zh/index.md:3 [zh] 'first' "
        "(ids must be identical and in the same order)"]


def test_heading_without_id(tmp_path):
    docs = write(tmp_path, {**GOOD, "zh/index.md": GOOD["zh/index.md"] + "\n## 没有标识\n"})
    problems = checks.check_sources(docs)
    assert problems[0] == "docs/zh/index.md:7 [zh]: heading '没有标识' has no explicit id: add {#some-id}"


def test_extra_heading_in_one_language(tmp_path):
    docs = write(tmp_path, {**GOOD, "en/index.md": GOOD["en/index.md"] + "\n## 2 Second {#second}\n"})
    assert checks.check_sources(docs) == [
        "docs/en/index.md:7 [en]: heading 'second' has no counterpart in the zh page"]


def test_section_numbers_must_match(tmp_path):
    docs = write(tmp_path, {**GOOD, "en/index.md": GOOD["en/index.md"].replace("## 1 First", "## 2 First")})
    assert checks.check_sources(docs) == [
        "docs/en/index.md:3 [en]: heading 'first' is numbered 2 but 1 in docs/zh/index.md:3 [zh]"]


def test_setext_heading_and_bad_id(tmp_path):
    docs = write(tmp_path, {**GOOD, "zh/index.md": GOOD["zh/index.md"] + "\n标题\n----\n\n## 节 {#Bad_Id}\n"})
    problems = checks.check_sources(docs)
    assert any("underlined (setext) heading '标题'" in p for p in problems)
    assert any("heading id 'Bad_Id' must be lowercase" in p for p in problems)


def test_fenced_code_is_not_a_heading(tmp_path):
    code = "\n```\n# not a heading\n```\n"
    docs = write(tmp_path, {"zh/index.md": GOOD["zh/index.md"] + code, "en/index.md": GOOD["en/index.md"]})
    assert checks.check_sources(docs) == []


def test_a_rendered_heading_needs_a_declared_id():
    """What the source check cannot see (a heading in raw HTML, or one a
    hook writes) is caught in the rendered page, in one line."""
    from types import SimpleNamespace
    from mkdocs.exceptions import PluginError
    declared = {"index.md": {"home", "first"}}
    page = SimpleNamespace(file=SimpleNamespace(src_uri="index.md", locale="en"))
    good = '<h1 id="home">Home</h1><p>Text</p><h2 id="first">1 First</h2>'
    checks.check_rendered_ids(good, page, "en", declared)
    with pytest.raises(PluginError) as err:
        checks.check_rendered_ids(good + '<div><h3 id="raw">Raw</h3></div>', page, "en", declared)
    assert str(err.value) == ("docs/index.md [en]: a heading rendered with id 'raw' that no {#id} "
                              "in the source declares")


# --- the real build's messages -------------------------------------------------------

def mini_project(tmp_path: Path, pages: dict[str, str]) -> Path:
    """A copy of this project with only the given pages (and a nav for them)."""
    project = tmp_path / "project"
    for name in ("data", "overrides"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copytree(ROOT / "docs" / "assets", project / "docs" / "assets")
    shutil.copy(ROOT / "pyproject.toml", project)
    # the project's configuration, inherited whole; only the nav is this fixture's
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs-base.yml")
    names = sorted({rel.split("/", 1)[1] for rel in pages})
    (project / "mkdocs.yml").write_text("INHERIT: mkdocs-base.yml\nnav:\n" + "".join(f"  - {n}\n" for n in names),
                                        encoding="utf-8")
    write(project / "docs", pages)
    return project


def failed_build(tmp_path, pages) -> str:
    project = mini_project(tmp_path, pages)
    result = sitelib.build(project, tmp_path / "out")
    assert result.returncode != 0, "the build should have failed"
    assert "Traceback" not in result.stderr
    return result.stderr


def error_lines(stderr: str) -> list[str]:
    return [re.sub(r"^(ERROR|WARNING)\s+-\s+", "", line) for line in stderr.splitlines()
            if line.startswith(("ERROR", "WARNING"))]


def test_a_stored_page_of_a_converted_edition_fails_in_one_line(tmp_path):
    lang = next(lang.code for lang in languages.LANGUAGES if lang.derived_from)
    pages = {**GOOD, f"{lang}/index.md": "# 首頁 {#home}\n"}
    lines = error_lines(failed_build(tmp_path, pages))
    assert len(lines) == 1 and lines[0].startswith(f"docs/{lang}/index.md [{lang}]: a stored page of an edition "
                                                   "converted from docs/zh/"), lines


def test_build_fails_with_one_line_for_a_missing_id(tmp_path):
    pages = {**GOOD, "en/index.md": GOOD["en/index.md"] + "\n## Orphan\n",
             "zh/index.md": GOOD["zh/index.md"] + "\n## 孤立 {#orphan}\n"}
    lines = error_lines(failed_build(tmp_path, pages))
    assert "docs/en/index.md:7 [en]: heading 'Orphan' has no explicit id: add {#some-id}" in lines


def test_build_fails_for_a_page_missing_in_one_language(tmp_path):
    pages = {**GOOD, "zh/more.md": "# 更多 {#more}\n"}
    lines = error_lines(failed_build(tmp_path, pages))
    assert "docs/en/more.md [en]: missing; docs/zh/more.md has no counterpart in English" in lines


def test_build_fails_for_a_broken_anchor(tmp_path):
    pages = {**GOOD, "en/index.md": GOOD["en/index.md"] + "\nSee [there](index.md#nowhere).\n"}
    lines = error_lines(failed_build(tmp_path, pages))
    assert any("en/index.md" in line and "#nowhere" in line for line in lines), lines


def test_build_fails_for_a_broken_link(tmp_path):
    pages = {**GOOD, "zh/index.md": GOOD["zh/index.md"] + "\n见[别处](missing.md)。\n"}
    lines = error_lines(failed_build(tmp_path, pages))
    assert any("zh/index.md" in line and "missing.md" in line for line in lines), lines


@pytest.mark.parametrize("line,message", [
    ("!!! finding", "docs/en/index.md:7 [en]: finding box without a source: write '!!! finding <source>' with one "
                    "of summary, crntt, cnr, szxuejia (CONTRIBUTING.md#attribution)"),
    ("!!! finding rumour", "docs/en/index.md:7 [en]: finding box with unknown source 'rumour': use one of "
                           "summary, crntt, cnr, szxuejia (CONTRIBUTING.md#attribution)"),
])
def test_build_fails_for_a_finding_box_without_a_known_source(tmp_path, line, message):
    pages = {"zh/index.md": GOOD["zh/index.md"] + "\n!!! finding summary\n\n    报告认为。\n",
             "en/index.md": GOOD["en/index.md"] + f"\n{line}\n\n    The report finds.\n"}
    assert message in error_lines(failed_build(tmp_path, pages))


# --- checks of the built site, on broken fixtures ------------------------------------------

PAGE = """<!doctype html><html lang="{lang}"><head>{head}</head><body><article>{body}</article></body></html>"""


def html_site(tmp_path, pages: dict[str, tuple[str, str, str]]) -> Path:
    site = tmp_path / "site"
    for rel, (lang, head, body) in pages.items():
        write(site, {rel: PAGE.format(lang=lang, head=head, body=body)})
    return site


def test_link_check_finds_missing_pages_and_anchors(tmp_path):
    site = html_site(tmp_path, {
        "index.html": ("zh", "", '<h1 id="home">首页</h1><a href="a.html#there">ok</a>'
                                 '<a href="gone.html">x</a><a href="a.html#nowhere">y</a>'
                                 '<a href="https://example.org/">external is fine</a>'),
        "a.html": ("zh", "", '<h2 id="there">那里</h2><a href="/index.html">abs</a>'),
    })
    assert sitelib.broken_links(site) == [
        "a.html: absolute path '/index.html' breaks from disk and on a sub-path",
        "index.html: <a href='gone.html'> points to a missing file",
        "index.html: <a href='a.html#nowhere'>: no id 'nowhere' in a.html",
    ]


def test_link_check_passes_a_good_fixture(tmp_path):
    site = html_site(tmp_path, {
        "index.html": ("zh", '<link rel="stylesheet" href="s.css">', '<a href="#home" id="home">x</a>'),
        "s.css": ("zh", "", ""),
    })
    assert sitelib.broken_links(site) == []


def test_external_resource_check(tmp_path):
    site = html_site(tmp_path, {
        "index.html": ("zh", '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
                             '<script src="//cdn.example.com/x.js"></script>',
                       '<img src="https://example.org/a.png"><a href="https://example.org/">a plain link is fine</a>'
                       '<p style="background:url(https://example.org/b.png)">x</p>'),
    })
    write(site, {"a.css": "@import url('https://fonts.googleapis.com/css2');",
                 "b.js": 'var s=document.createElement("script");s.src="https://unpkg.com/lib";',
                 "c.js": 'function f(){return _t("https://unpkg.com/resize-observer-polyfill")}'})
    found = sitelib.external_resources(site)
    assert {f.split(":")[0] for f in found} == {"index.html", "a.css", "b.js", "c.js"}
    index = [f for f in found if f.startswith("index.html")]
    assert len(index) == 4, index  # stylesheet, script, img, inline style; not the <a>
    assert not any("example.org/'>" in f for f in found)


def test_language_check(tmp_path):
    site = html_site(tmp_path, {
        "en.html": ("en", "", "<p>English text.</p><p>这是中文段落。</p>"
                              '<p>A title: <span lang="zh">上海精神</span>.</p>'),
        "zh.html": ("zh", "", "<p>中文段落，提到 SCO 和 RATS。</p>"
                              "<p>This whole paragraph was left in English by mistake.</p>"
                              '<p>脚注：<span lang="en">An English title of a source document here</span>。</p>'),
    })
    assert sitelib.wrong_language(site / "en.html", "en") == ["'这是中文段落。'"]
    assert sitelib.wrong_language(site / "zh.html", "zh") == [
        "'This whole paragraph was left in English by mistake.'"]
