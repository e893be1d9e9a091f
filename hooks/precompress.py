"""Compressed twins of the site's text files, for a web server to send as
they are (nginx: gzip_static and brotli_static in deploy/nginx.conf).

Next to every HTML, CSS, JS, JSON, SVG and XML file of at least MIN_SIZE
bytes go <name>.gz (gzip, level 9) and <name>.br (Brotli), each only if it
is smaller than the file. The bytes depend on the file alone: the gzip
header carries no name and no time (mtime 0), and Brotli has neither.
Hidden folders (the server configuration in site/.nginx/) are left alone.

Not a hook: a step of hooks/pipeline.py calls precompress() after it has written the
offline zip, which must not hold these (a browser reading from disk
never asks for them).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli

SUFFIXES = (".html", ".css", ".js", ".json", ".svg", ".xml")
MIN_SIZE = 1024   # below one packet, compressing saves nothing worth a header
GZIP_LEVEL = 9
# Brotli's quality 5 is about 10% smaller than gzip -9 here and as fast;
# 11, the maximum, saves another 10% but takes seconds per build.
BROTLI_QUALITY = 5


def twins(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")


def precompress(site: Path) -> list[Path]:
    """Write the .gz and .br twins; returns the twins written."""
    written = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site)
        if (path.suffix not in SUFFIXES or not path.is_file()
                or any(part.startswith(".") for part in rel.parts)):
            continue
        data = path.read_bytes()
        if len(data) < MIN_SIZE:
            continue
        gz, br = twins(path)
        for target, packed in ((gz, gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)),
                               (br, brotli.compress(data, quality=BROTLI_QUALITY))):
            if len(packed) < len(data):
                target.write_bytes(packed)
                written.append(target)
    return written
