"""Builds from a warm interpreter: `python tests/buildserver.py SOCKET`.

Of a strict build of this site, about 1.5 CPU-s goes to starting Python and
importing MkDocs, Material, Markdown, WeasyPrint and jieba's dictionary: half
of an HTML build, and nearly all of a fixture build that fails at its first
check. The test session makes about a dozen builds, two of them at once on a
two-core machine, so this server imports those packages once and forks a
child per build. The child runs MkDocs' own command line (`mkdocs build
--strict -d OUT`) in the project's folder, with the build's environment, and
reports its exit status; its stderr goes to a file, as a build's does.

Only third-party packages are imported here, never the project's hooks: a
child loads the hooks of the project it builds, as a new process would, so a
fixture that changes a hook is built with its change. The output is the
same, byte for byte, as a build in a new process; the reproducibility build
(conftest's `again`) still runs in one, under another hash seed.

Protocol: a client connects to SOCKET (multiprocessing.connection) and sends
{"project", "out", "log", "env"}; the server forks; the child answers with
the exit status once the build has ended. The socket's folder is the
session's own (mode 0700).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import traceback
from multiprocessing.connection import Listener

# what a build imports before it reads the project (the hooks come later, from the project)
WARM = ["mkdocs.__main__", "mkdocs.commands.build", "material.plugins.search.plugin",
        "material.plugins.offline.plugin", "mkdocs_static_i18n.plugin", "pymdownx.superfences",
        "markdown", "lxml.html", "weasyprint"]


def warm_up() -> None:
    import importlib
    import logging

    for name in WARM:
        importlib.import_module(name)
    import jieba
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()   # its prefix dictionary: 0.6 CPU-s of every build with Chinese pages


def run_build(request: dict) -> int:
    """In the child: the build, as `python -m mkdocs build --strict -d OUT`
    run in the project's folder would run it."""
    with open(os.devnull, "wb") as devnull, open(request["log"], "wb") as log:
        os.dup2(devnull.fileno(), 1)
        os.dup2(log.fileno(), 2)
    os.chdir(request["project"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["mkdocs", "build", "--strict", "-d", request["out"]]
    sys.path[0] = request["project"]   # as for `python -m`: the current folder first
    from mkdocs.__main__ import cli
    try:
        cli.main(args=sys.argv[1:], prog_name="mkdocs")
        code = 0
    except SystemExit as exit:   # as the interpreter treats sys.exit(code)
        if exit.code is None or isinstance(exit.code, int):
            code = exit.code or 0
        else:
            print(exit.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()   # what a new interpreter prints for an uncaught exception
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def serve(address: str) -> None:
    # end with the test session even if it is killed before it can stop us
    # (Linux's PR_SET_PDEATHSIG; conftest stops the server and its builds otherwise)
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
    if os.getppid() == 1:
        return
    listener = Listener(address, family="AF_UNIX")   # clients may connect while the packages load
    warm_up()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)    # children are reaped by the kernel
    while True:
        conn = listener.accept()
        if os.fork() == 0:
            # (the listener stays open here: closing it would unlink the socket;
            # the child ends with os._exit, which runs no finalizer)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)   # the build's own subprocesses are waited for
            try:
                code = run_build(conn.recv())
            except BaseException:
                traceback.print_exc()
                code = 1
            conn.send(code)
            os._exit(code)
        conn.close()


if __name__ == "__main__":
    serve(sys.argv[1])
