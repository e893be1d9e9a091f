"""What the build and the tests need from the system, not from PyPI: the one list.

Run as a script before the virtual environment exists (`make test`, `make
build`, .ci/run and the Pages workflow do):

    python3 sco_report/system_deps.py build    # the PDFs: Pango, fontconfig, the Noto fonts
    python3 sco_report/system_deps.py test     # and Chromium, Java, npm, nginx with Brotli
    python3 sco_report/system_deps.py bench    # and the full Chromium and Node.js

On Debian or Ubuntu it installs what is missing with apt-get (through sudo
when not root), printing what; elsewhere it prints one line naming what to
install (Homebrew names on macOS) and exits with status 1. It imports
nothing from the package, so that it runs with any Python 3.
"""

from __future__ import annotations

import ctypes.util
import os
import platform
import shutil
import subprocess
import sys

GROUPS = ("build", "test", "bench")   # each needs what the ones before it need


def _which(*names: str) -> bool:
    return any(shutil.which(n) or os.path.exists(f"/usr/sbin/{n}") for n in names)


def _fonts(*families: str) -> bool:
    try:
        found = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    except OSError:
        return False
    have = {f.strip() for line in found.splitlines() for f in line.split(",")}
    return all(f in have for f in families)


def _chromium() -> bool:
    exe = os.environ.get("CHROMIUM")
    return bool(exe and os.access(exe, os.X_OK)) or _which("chromium-headless-shell", "chromium")


# (what, present?, Debian package, Homebrew formula or cask, first group that needs it)
NEEDS = [
    ("fontconfig", lambda: _which("fc-match"), "fontconfig", "fontconfig", "build"),
    ("Pango", lambda: bool(ctypes.util.find_library("pango-1.0")), "libpango-1.0-0", "pango", "build"),
    ("PangoFT2", lambda: bool(ctypes.util.find_library("pangoft2-1.0")), "libpangoft2-1.0-0", "pango", "build"),
    ("Noto CJK fonts", lambda: _fonts("Noto Serif CJK SC", "Noto Sans CJK SC", "Noto Sans Mono CJK SC"),
     "fonts-noto-cjk", "--cask font-noto-serif-cjk-sc font-noto-sans-cjk-sc", "build"),
    ("Noto fonts", lambda: _fonts("Noto Serif", "Noto Sans"), "fonts-noto-core",
     "--cask font-noto-serif font-noto-sans", "build"),
    ("Chromium", _chromium, "chromium-headless-shell", "--cask chromium", "test"),
    ("Java", lambda: _which("java"), "default-jre-headless", "openjdk", "test"),
    ("npm", lambda: _which("npm"), "npm", "node", "test"),
    ("nginx", lambda: _which("nginx"), "nginx", "nginx", "test"),
    ("nginx's Brotli module", lambda: os.path.exists("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"),
     "libnginx-mod-http-brotli-static", None, "test"),
    ("the full Chromium", lambda: _which("chromium"), "chromium", "--cask chromium", "bench"),
]


def missing(group: str) -> list[tuple]:
    wanted = GROUPS[:GROUPS.index(group) + 1]
    return [need for need in NEEDS if need[4] in wanted and not need[1]()]


def hint() -> str:
    """For an error message: how to get what is missing."""
    return "run `python3 sco_report/system_deps.py build` (it installs what the PDFs need, or names it)"


def main(group: str) -> int:
    lack = missing(group)
    if not lack:
        return 0
    names = ", ".join(need[0] for need in lack)
    if shutil.which("apt-get") and sys.platform.startswith("linux"):
        packages = list(dict.fromkeys(need[2] for need in lack))
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        print(f"installing ({names}): {' '.join(packages)}", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        still = missing(group)
        if still:
            print(f"still missing after apt-get: {', '.join(n[0] for n in still)}", file=sys.stderr)
            return 1
        return 0
    if sys.platform == "darwin":
        formulas = [n[3] for n in lack if n[3] and not n[3].startswith("--cask")]
        casks = [n[3].removeprefix("--cask ") for n in lack if n[3] and n[3].startswith("--cask")]
        todo = [f"brew install {' '.join(dict.fromkeys(formulas))}"] if formulas else []
        todo += [f"brew install --cask {' '.join(dict.fromkeys(casks))}"] if casks else []
        nobrew = [n[0] for n in lack if not n[3]]
        if not todo:   # nothing Homebrew has: the tests that need it skip, saying so
            print(f"not in Homebrew: {', '.join(nobrew)}; the tests that need it skip", file=sys.stderr)
            return 0
        print(f"missing {names}: {' && '.join(todo)}", file=sys.stderr)
    else:
        print(f"missing {names} (on Debian: apt-get install {' '.join(n[2] for n in lack)}); "
              f"install them for {platform.system() or 'this system'}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in GROUPS:
        sys.exit(f"usage: {sys.argv[0]} {{{'|'.join(GROUPS)}}}")
    sys.exit(main(sys.argv[1]))
