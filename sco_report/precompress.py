"""Compressed twins of the site's text files, for a web server to send as
they are (nginx: gzip_static and brotli_static in deploy/nginx.conf).

Next to every HTML, CSS, JS, JSON, SVG and XML file of at least MIN_SIZE
bytes go <name>.gz (gzip, level 9) and <name>.br (Brotli), each only if it
is smaller than the file. The bytes depend on the file alone: the gzip
header carries no name and no time (mtime 0), and Brotli has neither.
Hidden folders (the server configuration in site/.nginx/) are left alone.

A step of plugin.py calls precompress() after it has written the
offline zip, which must not hold these (a browser reading from disk
never asks for them).
"""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ThreadPoolExecutor
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


def _twins_of(path: Path) -> list[Path]:
    data = path.read_bytes()
    if len(data) < MIN_SIZE:
        return []
    written = []
    gz, br = twins(path)
    for target, packed in ((gz, gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)),
                           (br, brotli.compress(data, quality=BROTLI_QUALITY))):
        if len(packed) < len(data):
            target.write_bytes(packed)
            written.append(target)
    return written


def precompress(site: Path) -> list[Path]:
    """Write the .gz and .br twins; returns the twins written. zlib and
    Brotli let go of Python's lock while they compress: a thread per core."""
    paths = [path for path in sorted(site.rglob("*"))
             if path.suffix in SUFFIXES and path.is_file()
             and not any(part.startswith(".") for part in path.relative_to(site).parts)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return [twin for written in pool.map(_twins_of, paths) for twin in written]
