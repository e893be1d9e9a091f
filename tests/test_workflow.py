"""The GitHub Pages workflow cannot run here: it is checked against the
GitHub workflow schema that check-jsonschema ships (no network: any request
would go to a proxy that is not there), and for what it must do."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import yaml

import sitelib

WORKFLOW = sitelib.ROOT / ".github" / "workflows" / "pages.yml"
PINNED = re.compile(r"^actions/[\w-]+@v\d+\.\d+\.\d+$")


def check_schema(path) -> subprocess.CompletedProcess:
    nowhere = "http://127.0.0.1:9"  # the discard port: nothing listens
    env = {**os.environ, "HTTP_PROXY": nowhere, "HTTPS_PROXY": nowhere, "ALL_PROXY": nowhere,
           "http_proxy": nowhere, "https_proxy": nowhere, "all_proxy": nowhere, "NO_PROXY": "", "no_proxy": ""}
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.github-workflows", str(path)], capture_output=True, text=True, env=env)


def test_workflow_is_valid():
    result = check_schema(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_check_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "pages.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "runs_on:", 1), encoding="utf-8")
    result = check_schema(broken)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "runs_on" in result.stdout + result.stderr


def load():
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads a bare `on` as true
    return data


def steps(job):
    return {step.get("uses", "").split("@")[0] or step.get("name"): step for step in job["steps"]}


def test_tests_then_build_for_pages_then_deploy():
    wf = load()
    assert wf["on"]["push"]["branches"] == ["main"]
    test, deploy = wf["jobs"]["test"], wf["jobs"]["deploy"]
    assert deploy["needs"] == "test"
    assert any(s.get("run") == "bash .ci/run" and s["env"]["CHROMIUM"] for s in test["steps"])

    s = steps(deploy)
    order = [step.get("uses", "").split("@")[0] or step.get("run") for step in deploy["steps"]]
    assert order.index("actions/configure-pages") < order.index("make build") \
        < order.index("actions/upload-pages-artifact") < order.index("actions/deploy-pages")
    build = next(step for step in deploy["steps"] if step.get("run") == "make build")
    assert build["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert s["actions/configure-pages"]["id"] == "pages"
    assert s["actions/upload-pages-artifact"]["with"]["path"] == "site"
    assert deploy["permissions"]["pages"] == "write" and deploy["permissions"]["id-token"] == "write"
    assert deploy["environment"]["name"] == "github-pages"


def test_actions_pinned_by_version():
    uses = [step["uses"] for job in load()["jobs"].values() for step in job["steps"] if "uses" in step]
    assert uses and all(PINNED.match(u) for u in uses), uses


def recipe(target: str) -> list[str]:
    """The commands of one target of the Makefile, with its variables expanded once."""
    text = (sitelib.ROOT / "Makefile").read_text(encoding="utf-8")
    variables = dict(re.findall(r"^(\w+)\s*:?=\s*(.*)$", text, re.M))
    block = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", text, re.M).group(1)
    return [re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), m.group(0)), line.strip())
            for line in block.splitlines()]


def test_both_jobs_install_the_system_packages_first():
    """The test job runs .ci/run (make test), the deploy job make build; each
    target runs the one list of system packages before anything else."""
    wf = load()
    runs = [step.get("run") for job in wf["jobs"].values() for step in job["steps"]]
    assert "bash .ci/run" in runs and "make build" in runs
    assert "make test" in (sitelib.ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for target, group in (("build", "build"), ("test", "test")):
        assert recipe(target)[0] == f"$(PYTHON) sco_report/system_deps.py {group}", recipe(target)
