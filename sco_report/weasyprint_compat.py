"""What must remain of changes to WeasyPrint's behaviour: one, used by pdf.render.

Notes stay on the page of their call. In weasyprint/layout/block.py,
_linebox_layout, when a line overflows the page and keeping it would satisfy
`orphans`, WeasyPrint moves the page's notes, last first, to the next page to
make room for it (Kozea/WeasyPrint#2432 and its fix, PR #2437):

    report = not context.in_column and can_break_now and not could_break_before

The note moved is cited by an earlier line, which stays, so it lands on the
page after its call whatever its footnote-policy; no CSS turns this off
(footnote-policy, orphans and widows were tried). In multi-column layout
WeasyPrint never makes the move, so for the length of one render the line
above reads in_column as True, and every other reader the real value.
tests/test_weasyprint_compat.py fails once upstream stops making the move:
delete this module then. It costs no measurable time.
"""

from __future__ import annotations

import contextlib
import inspect
import sys

from mkdocs.exceptions import PluginError

ISSUE = "https://github.com/Kozea/WeasyPrint/issues/2432"
# The one read of in_column in _linebox_layout, which decides the move.
READ = "context.in_column"


class _InColumnButNotForOrphanNotes:
    """LayoutContext.in_column as WeasyPrint sets it, except when read by
    _linebox_layout (`code`), which then sees True and keeps its notes."""

    def __init__(self, code):
        self.code = code

    def __get__(self, context, owner=None):
        if context is None:
            return self
        value = context.__dict__.get("in_column", False)
        return value or sys._getframe(1).f_code is self.code

    def __set__(self, context, value):
        context.__dict__["in_column"] = value


@contextlib.contextmanager
def notes_stay_with_their_calls():
    """Within the block, WeasyPrint does not move a page's notes to the next
    page to make room for a line kept for `orphans` (Kozea/WeasyPrint#2432):
    every note is set on the page of its call (footnote-policy: line moves
    the call's line with its note when the note does not fit).
    Fails, naming the issue, if _linebox_layout no longer reads in_column
    exactly once."""
    from weasyprint.layout import LayoutContext, block

    function = block._linebox_layout
    source = inspect.getsource(function)
    if source.count(READ) != 1 or f"report = not {READ}" not in source:
        raise PluginError(f"sco_report/weasyprint_compat.py: WeasyPrint's _linebox_layout no longer decides the move of "
                           f"notes by {READ} ({ISSUE}): check whether the issue is fixed and update "
                           "notes_stay_with_their_calls")
    if "in_column" in vars(LayoutContext):   # nested or left over: not ours to stack
        raise PluginError("sco_report/weasyprint_compat.py: LayoutContext.in_column is already a class attribute")
    LayoutContext.in_column = _InColumnButNotForOrphanNotes(function.__code__)
    try:
        yield
    finally:
        del LayoutContext.in_column


# The sample of Kozea/WeasyPrint#2432: with WeasyPrint's move, the call of
# note 4 is on page 1 and note 4 on page 2; without it, the second block's
# first line (and its calls) goes to page 2 with all its notes.
SAMPLE = """<style>
  @page { margin: 0; size: 100px; @footnote { margin-top: 0 } }
  html { font-size: 10px; line-height: 1; font-family: "Noto Sans" }
  body { margin: 0 }
  div { break-before: avoid }
  span { float: footnote }
  ::footnote-call { vertical-align: baseline; content: "[" counter(footnote) "]" }
  ::footnote-marker { content: "N" counter(footnote) ". " }
</style>
<div>a<br>b<br>c<br>d<br>e</div>
<div>f<span>1</span><span>2</span><span>3</span><span>4</span><br>g<br>h<br>i</div>"""


def sample_pages() -> list[tuple[list[str], list[str]]]:
    """(calls, notes) on each page of SAMPLE as WeasyPrint sets it now."""
    import io
    import re

    import weasyprint
    from pypdf import PdfReader
    pdf = weasyprint.HTML(string=SAMPLE).write_pdf()
    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        text = page.extract_text()
        out.append((re.findall(r"\[(\d)\]", text), re.findall(r"N(\d)\.", text)))
    return out
