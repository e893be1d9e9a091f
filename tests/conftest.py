"""Shared fixtures: the site is built once per session, strictly, exactly as
`make build` builds it, into a temporary folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

import sitelib  # noqa: E402


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = sitelib.build(sitelib.ROOT, out)
    if result.returncode != 0:
        pytest.fail("mkdocs build --strict failed:\n" + result.stderr[-3000:], pytrace=False)
    return out
