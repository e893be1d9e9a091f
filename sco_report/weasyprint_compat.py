"""What must remain of changes to WeasyPrint's behaviour: two, used by pdf.render.
The second, Chinese justified between characters, is at the end of the module.

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


# --- Chinese justified as Chinese ----------------------------------------------------------
# WeasyPrint 70 justifies a line by widening its spaces only (layout/inline.py,
# justify_line; CSS text-justify is not implemented): a Chinese line with one
# space put all its slack there, and one without ends short. Chinese presses
# spread the slack between the characters. For the length of one render,
# justify_line does that on lines with Han characters: the same amount after
# every CJK character and at every space (Pango letter spacing, which the PDF
# does not see as text: copying and searching are unchanged).
# tests/test_weasyprint_compat.py fails once upstream implements
# text-justify: inter-character; use that then and delete this.

def _cjk(ch: str) -> bool:
    """Characters set on the em square in Chinese text: Han, CJK punctuation
    and full-width forms, and the quotes, dashes and ellipsis the Chinese
    faces draw full-width."""
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF
            or 0x20000 <= o <= 0x3FFFF or ch in "‘’“”—…·")


def _spread_layout_class():
    from weasyprint.text.ffi import ffi, pango
    from weasyprint.text.line_break import TO_UNITS, Layout

    class Spread(Layout):
        """A text box's layout with `justification_spacing` after every CJK
        character as well as at every space (as WeasyPrint's)."""

        def set_text(self, text, justify=False):
            super().set_text(text, justify)
            if not (justify and self.justification_spacing):
                return
            attrs = pango.pango_layout_get_attributes(self.layout)
            if attrs == ffi.NULL:
                attrs = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
            spacing = int(self.justification_spacing * TO_UNITS)
            start = None
            at = 0
            for ch in self.text + " ":
                if _cjk(ch) and start is None:
                    start = at
                elif not _cjk(ch) and start is not None:
                    attr = pango.pango_attr_letter_spacing_new(spacing)
                    attr.start_index, attr.end_index = start, at
                    pango.pango_attr_list_change(attrs, attr)
                    start = None
                at += len(ch.encode())
            pango.pango_layout_set_attributes(self.layout, attrs)

    return Spread


def _width(layout_class, box, spacing):
    from weasyprint.text.line_break import line_size
    layout = layout_class(box.style, spacing)
    layout.set_text(box.text, justify=True)
    line, _ = layout.get_first_line()
    width = line_size(line, box.style)[0]
    layout.deactivate()
    return layout, width


def _spread_line(layout_class, justify_line):
    """justify_line for Chinese lines: slack spread between the characters."""
    from weasyprint.formatting_structure import boxes

    def text_boxes(box):
        if isinstance(box, boxes.TextBox):
            yield box
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            for child in box.children:
                if child.is_in_normal_flow():
                    yield from text_boxes(child)

    def spread(context, line, extra_width):
        found = [box for box in text_boxes(line) if any(map(_cjk, box.text))]
        if not found:
            return justify_line(context, line, extra_width)
        # the widening of each box per unit of spacing (Pango's letter spacing
        # is linear in it), measured rather than counted
        unit = 1.0
        rate = {id(box): (_width(layout_class, box, unit)[1] - _width(layout_class, box, 0)[1]) / unit
                for box in text_boxes(line)}
        total = sum(rate.values())
        if total <= 0:
            return justify_line(context, line, extra_width)
        spacing = extra_width / total

        def place(box, advance):
            if isinstance(box, boxes.TextBox):
                box.position_x += advance
                grow = rate[id(box)] * spacing
                if grow:
                    box.justification_spacing = spacing
                    box.pango_layout = _width(layout_class, box, spacing)[0]
                    box.width += grow
                return advance + grow
            if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
                box.position_x += advance
                before = advance
                for child in box.children:
                    if child.is_in_normal_flow():
                        advance = place(child, advance)
                box.width += advance - before
                return advance
            box.translate(advance, 0)
            return advance

        place(line, 0)

    return spread


@contextlib.contextmanager
def inter_character_justification(enabled: bool):
    """Within the block (if enabled: a Chinese edition), justified lines with
    Han characters spread their slack between the characters and at spaces."""
    if not enabled:
        yield
        return
    from weasyprint.layout import inline
    original = inline.justify_line
    if original.__code__.co_names.count("add_word_spacing") != 1:
        raise PluginError("sco_report/weasyprint_compat.py: WeasyPrint's justify_line changed: check "
                          "whether text-justify is supported and update inter_character_justification")
    inline.justify_line = _spread_line(_spread_layout_class(), original)
    try:
        yield
    finally:
        inline.justify_line = original
