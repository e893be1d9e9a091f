"""What the build leaves for a web server, on the built site: file names
that name their content, compressed twins, the nginx include with the
Content-Security-Policy's hashes and the 404s; none of it in the offline
zip. (The server itself is tested in test_nginx.py.) The hook functions
are also run on small broken fixtures, to prove they refuse them."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import zipfile
from pathlib import Path

import brotli
import pytest
from bs4 import BeautifulSoup
from mkdocs.exceptions import PluginError

from sco_report import csp, theme_patches
from sco_report import fingerprint
from sco_report import precompress
import sitelib

ROOT = sitelib.ROOT
HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{8})(?P<ext>(?:\.min)?\.(?:css|js))$")
OWN = {"assets/stylesheets/site.css", "assets/javascripts/site.js"}


def sha8(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:8]


def material_assets() -> Path:
    import material
    return Path(material.__file__).parent / "templates"


# --- names that name their content -------------------------------------------------

def test_own_stylesheet_and_script_named_by_their_content(site):
    for rel in OWN:
        folder, name = rel.rsplit("/", 1)
        stem, ext = name.rsplit(".", 1)
        expected = f"{folder}/{stem}.{sha8((ROOT / 'docs' / rel).read_bytes())}.{ext}"
        assert (site / expected).is_file(), expected
        assert not (site / rel).exists(), f"{rel} is published under its plain name too"
        for page, prefix in ((site / "index.html", ""), (site / "en" / "overview.html", "../"),
                             (site / "404.html", "")):
            doc = sitelib.soup(page)
            refs = [el.get("href") or el.get("src") for el in doc.select("link[rel=stylesheet], script[src]")]
            assert prefix + expected in refs, (page, refs)


def test_every_hashed_name_names_its_content(site):
    """The server keeps these a year: each must be the theme's file byte for
    byte, or named by the hash of what it holds (or, ours, of its source)."""
    theme = material_assets()
    seen = []
    for path in sorted((site / "assets").rglob("*")):
        m = HASHED.match(path.name)
        if not m:
            continue
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        original = theme / rel
        own = f"{rel.rsplit('/', 1)[0]}/{m['stem']}{m['ext']}"
        if own in OWN:
            assert m["hash"] == sha8((ROOT / "docs" / own).read_bytes()), rel
        elif original.is_file() and original.read_bytes() == data:
            pass  # Material's, untouched
        else:
            assert m["hash"] == sha8(data), f"{rel}: its name does not name its content"
        seen.append(re.sub(r"\.[0-9a-f]{8}", "", rel))
    # sco_report/theme_patches.py rewrites the bundle and the search worker, so
    # they were renamed; the stylesheets are the theme's
    renamed = [p.name for p in (site / "assets").rglob("*.min.*")
               if HASHED.match(p.name) and not (theme / p.relative_to(site)).exists()]
    assert sorted(n for n in renamed if not n.endswith((".gz", ".br"))) == sorted(
        p.name for p in theme_patches.rewritten(site)), renamed
    assert {"assets/javascripts/bundle.min.js", "assets/stylesheets/main.min.css",
            "assets/javascripts/workers/search.min.js"} <= set(seen)


def test_refingerprint_points_pages_at_the_new_name(tmp_path):
    theme = tmp_path / "theme"
    (theme / "assets").mkdir(parents=True)
    (theme / "assets" / "main.0123abcd.min.css").write_text("a{}")
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "main.0123abcd.min.css").write_text("b{}")  # rewritten after the build
    page = '<!doctype html><link rel="stylesheet" href="assets/main.0123abcd.min.css"><p>main.0123abcd.min.css</p>'
    (site / "index.html").write_text(page)
    renamed = fingerprint.refingerprint(site, [theme])
    new = f"main.{sha8(b'b{}')}.min.css"
    assert renamed == {"assets/main.0123abcd.min.css": f"assets/{new}"}
    assert (site / "index.html").read_text() == page.replace('href="assets/main.0123abcd.min.css"',
                                                               f'href="assets/{new}"')
    assert fingerprint.refingerprint(site, [theme]) == {}  # nothing left to rename


# --- compressed twins ------------------------------------------------------------

def text_files(site: Path):
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site)
        if path.is_file() and path.suffix in precompress.SUFFIXES and not rel.parts[0].startswith("."):
            yield path


def test_text_files_have_compressed_twins(site):
    count = 0
    for path in text_files(site):
        gz, br = precompress.twins(path)
        data = path.read_bytes()
        if len(data) < precompress.MIN_SIZE:
            assert not gz.exists() and not br.exists(), path
            continue
        packed = gz.read_bytes()
        assert gzip.decompress(packed) == data, gz
        assert packed[3] == 0 and packed[4:8] == b"\0\0\0\0", f"{gz}: a name or a time in the gzip header"
        assert brotli.decompress(br.read_bytes()) == data, br
        count += 1
    assert count > 40
    suffixes = {p.suffix for p in site.rglob("*.gz")} | {p.suffix for p in site.rglob("*.br")}
    assert suffixes <= {".gz", ".br"}
    assert {Path(p.stem).suffix for p in site.rglob("*.gz")} <= set(precompress.SUFFIXES)
    assert not list((site / ".nginx").rglob("*.gz"))


def test_precompress_is_deterministic(tmp_path):
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "page.html").write_text("<p>" + "report " * 400)
        (folder / "tiny.css").write_text("a{}")
        (folder / "data.bin").write_bytes(b"x" * 5000)
        written = precompress.precompress(folder)
        assert sorted(p.name for p in written) == ["page.html.br", "page.html.gz"]
    for twin in ("page.html.gz", "page.html.br"):
        assert (tmp_path / "a" / twin).read_bytes() == (tmp_path / "b" / twin).read_bytes()


def test_offline_zip_holds_no_server_files(bundle):
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
    assert not [n for n in names if n.endswith((".gz", ".br")) or "/.nginx/" in n]
    # and holds the files its own pages name (renaming happens after it)
    with zipfile.ZipFile(bundle) as zf:
        home = next(n for n in names if n.endswith("/index.html") and n.count("/") == 1)
        doc = BeautifulSoup(zf.read(home).decode("utf-8"), "lxml")
    refs = [el.get("href") or el.get("src") for el in doc.select("link[rel=stylesheet], script[src]")]
    assert len(refs) >= 5
    for ref in refs:
        assert home.rsplit("/", 1)[0] + "/" + ref in names, ref


# --- the nginx include -------------------------------------------------------------

def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def include_values(text: str) -> dict[str, str]:
    return dict(re.findall(r'^set \$(\w+) "?([^";]*)"?;', text, re.M))


def test_include_lists_what_the_pages_hold(site):
    """The hashes, computed here with Python's own HTML parser (lxml in the build)."""
    scripts, styles = set(), set()
    for page in site.rglob("*.html"):
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        scripts |= {_hash(s.string or "") for s in doc.find_all("script", src=False)
                    if s.get("type", "") in ("", "text/javascript", "module")}
        styles |= {_hash(el["style"]) for el in doc.find_all(style=True)}
    text = (site / ".nginx" / "site.conf").read_text(encoding="utf-8")
    values = include_values(text)
    assert set(values["sco_report_script_hashes"].split()) == scripts
    assert set(values["sco_report_style_hashes"].split()) == styles
    assert len(scripts) >= 4  # Material's head and body scripts, ours in main.html
    assert values["sco_report_404"] == "/404.html"
    assert 'if ($uri ~ "^/en/") {\n    set $sco_report_404 /en/404.html;\n}' in text


def test_include_follows_site_url(subpath):
    _, other = subpath
    text = (other / ".nginx" / "site.conf").read_text(encoding="utf-8")
    assert include_values(text)["sco_report_404"] == "/sco-report/404.html"
    assert 'if ($uri ~ "^/sco-report/en/") {\n    set $sco_report_404 /sco-report/en/404.html;\n}' in text


def test_include_escapes_and_refuses_paths():
    text = csp.nginx_include("https://example.org/a.b/", ["en"], ["'sha256-x'"], [])
    assert r'if ($uri ~ "^/a\.b/en/")' in text
    assert "set $sco_report_404 /a.b/404.html;" in text
    for bad in ("https://example.org/a b/", 'https://example.org/a"b/', "https://example.org/$x/"):
        with pytest.raises(PluginError) as err:
            csp.nginx_include(bad, ["en"], [], [])
        assert "\n" not in str(err.value) and "SITE_URL" in str(err.value)


def page_site(tmp_path: Path, body: str) -> Path:
    (tmp_path / "en").mkdir(parents=True, exist_ok=True)
    (tmp_path / "en" / "page.html").write_text(f"<!doctype html><html><head></head><body>{body}</body></html>")
    return tmp_path


def test_only_scripts_that_run_are_hashed(tmp_path):
    site = page_site(tmp_path, '<script>a()</script><script type="module">b()</script>'
                               '<script type="application/json">{"c": 1}</script><script src="x.js"></script>')
    assert csp.hashes(site)[0] == sorted([_hash("a()"), _hash("b()")])


@pytest.mark.parametrize("body,what", [
    ('<button onclick="go()">x</button>', "inline event handler"),
    ('<a href="javascript:go()">x</a>', "javascript: URL"),
])
def test_what_no_hash_can_allow_fails_the_build(tmp_path, body, what):
    with pytest.raises(PluginError) as err:
        csp.hashes(page_site(tmp_path, body))
    assert str(err.value).startswith("en/page.html: ") and what in str(err.value)
    assert "\n" not in str(err.value)


def test_our_stylesheet_is_published_without_its_comments(site):
    """Every first page view loads it: its comments stay in the source."""
    from sco_report import minify
    source = (ROOT / "docs" / "assets" / "stylesheets" / "site.css").read_text(encoding="utf-8")
    (published,) = (site / "assets" / "stylesheets").glob("site.*.css")
    text = published.read_text(encoding="utf-8")
    assert "/*" in source and "/*" not in text and "*/" not in text
    assert text == minify.COMMENT.sub("", source)
    assert text.count("{") == source.count("{") - sum(c.count("{") for c in minify.COMMENT.findall(source))
