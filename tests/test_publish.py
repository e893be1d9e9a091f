"""What the build leaves for a web server, on the built site: file names
that name their content."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import fingerprint
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
    # bundle.py rewrites the bundle and purges the stylesheets, so these were renamed
    renamed = [p.name for p in (site / "assets").rglob("*.min.*")
               if HASHED.match(p.name) and not (theme / p.relative_to(site)).exists()]
    assert any(n.startswith("bundle.") for n in renamed) and any(n.startswith("main.") for n in renamed), renamed
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
