"""`make serve`: MkDocs' own server builds and serves both languages without
the PDFs, and a change to our Python while it runs is never built with the
old code."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

import sitelib
from sco_report import plugin, state


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, ""


def test_serve_builds_both_languages_without_the_pdfs(tmp_path):
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("RPT_PDF", None)
    with open(tmp_path / "serve.log", "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}",
                                 "--no-livereload"], cwd=sitelib.ROOT, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status, home = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(0.3)
        assert status == 200, (tmp_path / "serve.log").read_text(encoding="utf-8")[-3000:]
        assert _get(f"http://127.0.0.1:{port}/en/challenges.html")[0] == 200
        assert 'lang="zh' in home
        pdf = f"http://127.0.0.1:{port}/downloads/sailing-steady-to-success-"
        assert _get(pdf + state.version(sitelib.ROOT) + "-zh.pdf")[0] == 404   # serve skips the PDFs
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_change_to_the_package_during_serve_asks_for_a_restart(monkeypatch):
    """Python cannot reload the plugin's modules: once one has changed since
    the server started, the next rebuild stops with one line saying so."""
    report = plugin.ReportPlugin()
    report.on_startup(command="serve", dirty=False)
    i18n = SimpleNamespace(building=False, current_language=None)
    config = SimpleNamespace(plugins={"i18n": i18n})
    monkeypatch.setattr(plugin, "_sources", lambda: {**report.code, "data.py": -1})
    with pytest.raises(PluginError) as err:
        report.on_config(config)
    assert "\n" not in str(err.value)
    assert "changed since `mkdocs serve` started" in str(err.value) and "start it again" in str(err.value)
