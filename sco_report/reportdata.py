"""Load data/report.yml and data/ui.yml for one build.

load() reads both files, validates them (sco_report/schema.py), adds the
forms of the languages converted from another (sco_report/derive.py) and
returns {"report": …, "ui": …, "convert": {code: converter}}; the pipeline calls it once per build and keeps the
result in the build state (sco_report/state.py), from which every module reads it.
A problem is raised as schema.DataError, one line for maintainers.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from . import derive
from .schema import DataError, validate_report, validate_ui

# libyaml's parser when PyYAML has it: several times faster than pure Python
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(root: Path, rel: str):
    try:
        return yaml.load((root / rel).read_text(encoding="utf-8"), Loader=_LOADER)
    except FileNotFoundError:
        raise DataError(f"{rel}: file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DataError(f"{rel}: not valid YAML{line}: {problem}") from None


def load(root: Path) -> dict:
    """Read and validate data/report.yml and data/ui.yml under root."""
    overrides = read_yaml(root, derive.OVERRIDES) if (root / derive.OVERRIDES).exists() else {}
    convert = derive.converters(overrides)
    return {
        "report": derive.derive_data(validate_report(read_yaml(root, "data/report.yml"), "data/report.yml"),
                                     convert),
        "ui": derive.derive_data(validate_ui(read_yaml(root, "data/ui.yml"), "data/ui.yml"), convert),
        "convert": convert,
    }


def ui_strings(ui: dict, lang: str) -> dict:
    """data/ui.yml in one language."""
    return {key: value[lang] for key, value in ui.items()}
