"""Every built page passes the W3C Nu HTML Checker (npm vnu-jar, on Java).

Errors the project controls are fixed at their cause. The allowlist holds
only what comes from the upstream theme and cannot be fixed by a block or
partial override; each entry says why."""

from __future__ import annotations

import json
import shutil
import subprocess


import sitelib

VNU = sitelib.ROOT / "tests" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# One short run: the JVM's quick compiler only and one GC thread take less
# than half the CPU of its defaults, with the same messages. The quick
# compiler's larger frames need a bigger stack for the checker's schema.
JAVA_OPTIONS = ["-Xss8m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]

ALLOWED = {
    # Material's base.html writes <input type="checkbox" autocomplete="off">
    # for its drawer and search toggles, outside any template block (only a
    # copy of the whole base.html could change it). The attribute is there on
    # purpose: without it Firefox restores a toggle's state on reload.
    "Attribute “autocomplete” is only allowed when the input type is":
        'class="md-toggle"',
}


def allowed(message: dict) -> bool:
    return any(message.get("message", "").startswith(text) and extract in message.get("extract", "")
               for text, extract in ALLOWED.items())


def validate(*paths) -> list[dict]:
    java = shutil.which("java")
    sitelib.missing_tools({"java": bool(java), f"vnu.jar ({VNU})": VNU.exists()},
                          "HTML validation needs both: run `make test` (it installs vnu.jar) and install a JRE")
    result = subprocess.run([java, *JAVA_OPTIONS, "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html",
                             *map(str, paths)], capture_output=True, text=True)
    report = json.loads(result.stderr or result.stdout)
    return [m for m in report["messages"] if m.get("type") == "error" or m.get("subType") == "fatal"]


def test_every_page_is_valid_html(site, tmp_path):
    """The site, and in the same run (one JVM, about 2 CPU-s) a page with two
    errors, which must be reported: the check that passes the site sees errors."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head><body>'
        '<p><div>block in a paragraph</div></p><a href="x" tabindex="">y</a></body></html>')
    messages = validate(site, bad)
    caught = [m["message"] for m in messages if m["url"].endswith("/bad.html")]
    assert any("tabindex" in m for m in caught), caught
    problems = [f"{m['url'].split(str(site))[-1]}:{m.get('lastLine')}: {m['message']}"
                for m in messages if not m["url"].endswith("/bad.html") and not allowed(m)]
    assert problems == []


def test_allowlist_only_matches_what_it_says(tmp_path):
    """The allowlist must not hide an error of ours of the same kind."""
    ours = {"message": "Attribute “autocomplete” is only allowed when the input type is “color”",
            "extract": '<input type="checkbox" class="rpt-thing" autocomplete="off">'}
    theirs = {**ours, "extract": '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" autocomplete="off">'}
    assert not allowed(ours) and allowed(theirs)
