"""File names that name their content, so that a web server may tell
browsers to keep those files for a year without asking again
(deploy/nginx.conf: `immutable` for every name matching HASHED).

- Our stylesheet and script (extra_css / extra_javascript in mkdocs.yml)
  are published as site.<hash>.css and site.<hash>.js, the hash taken from
  the source file: on_config points the pages at the hashed name and
  on_files writes the file there. The offline zip holds the same names.
- Material's own assets already carry a hash of their content
  (bundle.<hash>.min.js, main.<hash>.min.css …), but sco_report/theme_patches.py
  rewrites the bundle and the search worker after the build, so their
  names no longer name what is in them: an upgrade of that patch would leave readers with last year's
  script. `refingerprint`, a step of plugin.py, renames each file
  that differs from the theme's own copy after the hash of what it now
  holds, and points the pages at it.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from lxml import html as lxml_html
from mkdocs.exceptions import PluginError

from . import theme_patches

# A name that carries a hash of its content: 8 hex digits before the
# extension. deploy/nginx.conf matches the same pattern. Material's assets
# are named so too; refingerprint checks it for those theme_patches rewrites.
HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{8})(?P<ext>(?:\.min)?\.(?:css|js))$")
DIGITS = 8


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:DIGITS]


def hashed_name(path: str, digest: str) -> str:
    """assets/stylesheets/site.css -> assets/stylesheets/site.<digest>.css"""
    head, dot, ext = path.rpartition(".")
    if not dot or "/" in ext:
        raise PluginError(f"mkdocs.yml: {path!r} has no extension to put a content hash before")
    return f"{head}.{digest}.{ext}"


def _own_assets(config) -> dict[str, str]:
    """Source path -> hashed path, for each extra_css / extra_javascript file
    in docs/ (the `docs_dir`), named by the hash of its bytes."""
    docs = Path(config.docs_dir)
    names = {}
    for entry in [*config.extra_css, *config.extra_javascript]:
        path = str(entry)
        if (urlsplit(path).scheme or not path.endswith((".css", ".js"))
                or HASHED.match(path.rsplit("/", 1)[-1])):
            continue  # another site's, a kind HASHED does not cover, or hashed already
        source = docs / path
        if not source.is_file():
            raise PluginError(f"mkdocs.yml: extra_css/extra_javascript entry {path!r} is not a file in {docs.name}/")
        names[path] = hashed_name(path, content_hash(source.read_bytes()))
    return names


def point_pages(config) -> None:
    """extra_css and extra_javascript name our files by their content hash."""
    names = _own_assets(config)
    config.extra_css = [names.get(str(p), str(p)) for p in config.extra_css]
    for i, script in enumerate(config.extra_javascript):
        if isinstance(script, str):
            config.extra_javascript[i] = names.get(script, script)
        elif script.path in names:
            script.path = names[script.path]


def rename_files(files, config):
    """Our files written under their hashed names (after the i18n plugin has
    rebuilt the file list)."""
    wanted = {}
    for entry in [*config.extra_css, *config.extra_javascript]:
        if HASHED.match(str(entry).rsplit("/", 1)[-1]):
            wanted[hashed_source(str(entry))] = str(entry)
    for file in files:
        if file.src_uri in wanted:
            # all three are cached on the File, so set together; the i18n
            # plugin sets abs_dest_path itself (and a dest_dir that is not
            # the site), so the new one is the old one with the new name
            old, new = os.path.normpath(file.dest_uri), os.path.normpath(wanted[file.src_uri])
            if not file.abs_dest_path.endswith(old):
                raise PluginError(f"{file.src_uri}: cannot tell where it is written ({file.abs_dest_path})")
            file.abs_dest_path = file.abs_dest_path[: -len(old)] + new
            file.dest_uri = file.url = wanted[file.src_uri]
    return files


def hashed_source(hashed: str) -> str:
    """assets/stylesheets/site.<digest>.css -> assets/stylesheets/site.css"""
    folder, _, name = hashed.rpartition("/")
    m = HASHED.match(name)
    plain = f"{m['stem']}{m['ext']}"
    return f"{folder}/{plain}" if folder else plain


# --- after the build: Material's assets that theme_patches.py rewrote---------------------

def refingerprint(site: Path, theme_dirs: list[Path]) -> dict[str, str]:
    """Give every hashed-name file under site/assets that is not byte for
    byte the theme's file of that name a name from its own content, and
    point the pages at it. Returns {old path: new path}, relative to site."""
    renamed: dict[str, str] = {}
    for path in sorted((site / theme_patches.ASSETS).rglob("*")):
        m = HASHED.match(path.name)
        if not m or not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        originals = [d / rel for d in theme_dirs if (d / rel).is_file()]
        if not originals:
            continue  # not the theme's (ours are named in on_config)
        data = path.read_bytes()
        if data == originals[0].read_bytes():
            continue
        new = path.with_name(f"{m['stem']}.{content_hash(data)}{m['ext']}")
        path.rename(new)
        renamed[rel] = new.relative_to(site).as_posix()
    if renamed:
        _repoint(site, {Path(old).name: Path(new).name for old, new in renamed.items()})
    # what theme_patches rewrote is now named by its content, or its theme
    # name no longer matches HASHED or has no copy in the theme to compare with
    for path in theme_patches.rewritten(site):
        m = HASHED.match(path.name)
        if not m or m["hash"] != content_hash(path.read_bytes()):
            raise theme_patches.markup_changed(path.relative_to(site).as_posix(), "a name <stem>.<8 hex digits>"
                                               ".min.js, and the theme's own copy under that name to compare with")
    return renamed


def _repoint(site: Path, names: dict[str, str]) -> None:
    """Point <link href>, <script src> and Material's search worker at the
    new names. The pages are read with lxml and the attribute values it finds
    are replaced exactly, so the rest of each page keeps its bytes. Each name
    must be found in a page."""
    unseen = set(names)
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        doc = lxml_html.document_fromstring(text)
        found = [(attr, value) for el in doc.iter("link", "script")
                 for attr in ("href", "src") if (value := el.get(attr))
                 and urlsplit(value).path.rsplit("/", 1)[-1] in names]
        for attr, value in found:
            path = urlsplit(value).path
            old = path.rsplit("/", 1)[-1]
            unseen.discard(old)
            new_value = value.replace(path, path[: -len(old)] + names[old], 1)
            before = f'{attr}="{value}"'
            if before not in text:
                raise PluginError(f"{page.relative_to(site).as_posix()}: cannot find {before} to point it "
                                  f"at {names[old]} (sco_report/fingerprint.py)")
            text = text.replace(before, f'{attr}="{new_value}"')
        # the search worker is named in Material's __config, not by a tag
        text, worker = theme_patches.point_worker(text, page.relative_to(site).as_posix(), names)
        unseen.discard(worker)
        if found or worker:
            page.write_text(text, encoding="utf-8")
    if unseen:
        raise theme_patches.markup_changed(min(unseen), "a <link href> or <script src> pointing at it in a page")
