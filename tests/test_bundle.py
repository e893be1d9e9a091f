"""The offline bundle: one reproducible, small zip of the whole site, inside
the site, that does not contain itself. (Its behaviour from disk is tested
in test_browser.py, which runs every browser test on the unzipped bundle.)"""

from __future__ import annotations

import re
import zipfile

import sitelib
from sco_report import languages

# bytes, issue "offline bundle": both languages, whole report; then 80 000
# more for search in any script offline (issue 25: OpenCC's converter)
BUDGET = 780_000
DERIVED_BUDGET = 350_000  # bytes, each edition converted from another (zh-Hant/)


def names(bundle):
    with zipfile.ZipFile(bundle) as zf:
        return zf.namelist()


def test_one_folder_named_after_report_and_version(bundle):
    version = re.search(r'^version = "(.+)"', (sitelib.ROOT / "pyproject.toml").read_text(), re.M).group(1)
    top = f"sailing-steady-to-success-{version}"
    assert bundle.name == f"{top}.zip"
    entries = names(bundle)
    assert {e.split("/", 1)[0] for e in entries} == {top}
    for rel in ("index.html", "en/index.html", "search/search_index.js", "en/search/search_index.js",
                "assets/javascripts/iframe-worker-shim.js", "assets/javascripts/iframe-worker-shim.LICENSE.txt"):
        assert f"{top}/{rel}" in entries, rel


def test_holds_every_page_of_both_languages(site, bundle):
    entries = {e.split("/", 1)[1] for e in names(bundle)}
    for lang in sitelib.LANGS:
        prefix = languages.prefix(lang)
        for rel in sitelib.content_pages(site, lang):
            assert prefix + rel in entries


def test_does_not_contain_itself_or_dead_weight(bundle):
    entries = names(bundle)
    assert not any("/downloads/" in e for e in entries)
    assert not any(e.endswith(".map") for e in entries), "source maps"
    with zipfile.ZipFile(bundle) as zf:
        (material,) = [e for e in entries if re.search(r"/javascripts/bundle\.[0-9a-f]{8}\.min\.js$", e)]
        assert b"sourceMappingURL" not in zf.read(material), "a reference to the source map left out"
    lunr = sorted(e.rsplit("/", 1)[1] for e in entries if "/lunr/" in e)
    assert lunr == ["lunr.multi.min.js", "lunr.stemmer.support.min.js", "lunr.zh.min.js"]


def test_within_size_budget(bundle):
    """The budget of the two stored languages holds as it did; each converted
    edition has its own on top."""
    derived = [f"/{languages.prefix(lang.code)}" for lang in languages.LANGUAGES if lang.derived_from]
    with zipfile.ZipFile(bundle) as zf:
        # an entry's share of the zip: its data and its two headers
        share = {i.filename: i.compress_size + 2 * len(i.filename.encode()) + 76 for i in zf.infolist()}
    stored = sum(size for name, size in share.items() if not any(d in name for d in derived))
    assert stored <= BUDGET, f"{stored} bytes without the converted editions"
    assert bundle.stat().st_size <= BUDGET + DERIVED_BUDGET * len(derived), f"{bundle.stat().st_size} bytes"


def test_reproducible(site, bundle, again):
    """Two builds of one commit (conftest's `site` and `again`, the PDFs
    included: the pages name their sizes), each in a process of its own with
    its own hash seed, give the same bytes."""
    assert (again / "downloads" / bundle.name).read_bytes() == bundle.read_bytes()
    for pdf in sorted((site / "downloads").glob("*.pdf")):
        assert (again / "downloads" / pdf.name).read_bytes() == pdf.read_bytes(), pdf.name


def test_zip_entries_have_fixed_metadata(bundle):
    with zipfile.ZipFile(bundle) as zf:
        infos = zf.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert len({i.date_time for i in infos}) == 1


def test_download_links(site, bundle):
    for page in (site / "about.html", site / "en" / "about.html", site / "index.html", site / "en" / "index.html"):
        link = sitelib.soup(page).select_one("a.rpt-download")
        assert link is not None, page
        assert (page.parent / link["href"]).resolve() == bundle.resolve()
        size = link.find_next_sibling("span", class_="rpt-download-size")
        assert re.search(r"\d+(\.\d)? (MB|KB)", size.get_text()), page
    # inside the zip, where the zip itself is absent, the link leads online
    with zipfile.ZipFile(bundle) as zf:
        top = zf.namelist()[0].split("/", 1)[0]
        html = zf.read(f"{top}/en/about.html").decode()
    link = sitelib.BeautifulSoup(html, "lxml").select_one("a.rpt-download")
    assert re.fullmatch(r"https?://[^\s]+/downloads/" + re.escape(bundle.name), link["href"]), link


def test_a_rebuild_into_the_same_folder_zips_the_same(tmp_path):
    """MkDocs' clean keeps dot-files from the last build (the server's
    .nginx/ include, written after the zip): the next zip must not take
    them in, or two builds into site/ would differ."""
    from sco_report import offline_zip
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text("<p>首页</p>", encoding="utf-8")
    (site / "en" / "index.html").write_text("<p>Home</p>", encoding="utf-8")
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    offline_zip._zip(site, first, "top", "https://example.org/", 1527120000)
    (site / ".nginx").mkdir()
    (site / ".nginx" / "site.conf").write_text("add_header X 1;\n", encoding="utf-8")
    offline_zip._zip(site, second, "top", "https://example.org/", 1527120000)
    assert second.read_bytes() == first.read_bytes()
    with zipfile.ZipFile(second) as zf:
        assert zf.namelist() == ["top/en/index.html", "top/index.html"]


def test_plugin_order_does_not_change_the_output(subpath, reordered):
    """The sub-path build again with the report plugin first among the
    plugins (sitelib.reordered_config): every file the same, byte for byte."""
    _, site = subpath
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(reordered).as_posix() for p in reordered.rglob("*") if p.is_file())
    differ = [f for f in files if (site / f).read_bytes() != (reordered / f).read_bytes()]
    assert not differ, differ[:5]
