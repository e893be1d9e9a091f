"""Our stylesheet as readers download it: without its comments.

docs/assets/stylesheets/site.css explains itself in comments, a third of
its bytes even compressed, which every first page view would pay for. The
published file (site.<hash>.css, named after its source by fingerprint.py)
is the source without them; nothing else changes. The stylesheet has no
string or url() holding "/*", so a comment is all that the pattern takes.
"""

from __future__ import annotations

import re

from . import fingerprint

COMMENT = re.compile(r"/\*.*?\*/\s*", re.S)


def stylesheets_without_comments(files, config):
    """Our extra_css files (after on_config named them by their hash) written
    without comments (a files event, after fingerprint.rename_files)."""
    ours = {fingerprint.hashed_source(str(entry)) for entry in config.extra_css
            if fingerprint.HASHED.match(str(entry).rsplit("/", 1)[-1])}
    for file in files:
        if file.src_uri in ours:
            file.content_string = COMMENT.sub("", file.content_string)
    return files
