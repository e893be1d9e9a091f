"""The parallel Chinese-English view and the figures drawn from the data."""

from __future__ import annotations


import pytest

import sitelib
from sco_report import languages
from sco_report import reportdata as rd
from browserlib import open_tab
from sitelib import LANGS, soup

CHAPTERS = ["overview.html", "accomplishments.html", "challenges.html", "recommendations.html",
            "framework.html"]


def test_every_chapter_has_a_parallel_view_on_both_sides(site):
    for lang in LANGS:
        assert sitelib.parallel_pages(site, lang) == sorted(c.replace(".html", "-parallel.html") for c in CHAPTERS)


@pytest.mark.parametrize("side", LANGS)
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_id_once_per_column_in_order(site, side, chapter):
    root = sitelib.lang_root(site, side)
    view = soup(root / chapter.replace(".html", "-parallel.html"))
    pairs = view.select("article section.rpt-pair")
    for lang in (side, languages.other(side)):   # each Chinese edition with English, English with Simplified
        source = [hid for _, hid in sitelib.heading_ids(sitelib.lang_root(site, lang) / chapter)]
        column = [h["data-id"] for h in view.select(f'article .rpt-col[lang="{languages.get(lang).tag}"] [data-id]')]
        assert column == source, f"{side} view of {chapter}, {lang} column"
        assert all(len(p.select(f'.rpt-col[lang="{languages.get(lang).tag}"]')) == 1 for p in pairs)
    # a row per section, its id the shared one: #id lands on the aligned pair
    assert [p["id"] for p in pairs] == source + ["notes"]
    # the reading side comes first
    assert pairs[1].select(".rpt-col")[0]["lang"] == languages.get(side).tag
    ids = [el["id"] for el in view.find_all(id=True)]
    assert len(ids) == len(set(ids)), "duplicate ids"


@pytest.mark.parametrize("lang", LANGS)
def test_reachable_from_every_chapter(site, lang):
    for chapter in CHAPTERS:
        page = sitelib.lang_root(site, lang) / chapter
        link = soup(page).select_one("a.rpt-parallel-link")
        assert link is not None and (page.parent / link["href"]).exists(), f"{lang}/{chapter}"


@pytest.mark.parametrize("side", LANGS)
def test_view_has_glossary_tooltips_and_switches_to_its_twin(site, side):
    root = sitelib.lang_root(site, side)
    view = soup(root / "challenges-parallel.html")
    for lang in (side, languages.other(side)):
        assert view.select(f'.rpt-col[lang="{languages.get(lang).tag}"] abbr[title]'), lang
    for other in languages.others(side):
        link = view.select_one(f"a.md-select__link[hreflang={other}]")
        target = (root / link["href"]).resolve()
        assert target == (sitelib.lang_root(site, other) / "challenges-parallel.html").resolve()
    assert view.select_one("meta[name=robots]")["content"].startswith("noindex")


# --- figures ---------------------------------------------------------------------------

FIGURES = {"framework.html": ["figure-framework"], "timeline.html": ["figure-timeline", "figure-membership"]}
LABELS = {"zh": ["元首理事会会议", "成员国", "两驾马车"], "en": ["Council of Heads of State", "member state", "Two Carriages"]}


@pytest.mark.parametrize("lang", LANGS)
def test_figures_in_both_languages_with_translated_labels(site, lang):
    texts = []
    for rel, ids in FIGURES.items():
        doc = soup(sitelib.lang_root(site, lang) / rel)
        for fid in ids:
            fig = doc.select_one(f"figure#{fid}")
            assert fig is not None, f"{lang}/{rel}#{fid}"
            svg = fig.select_one("svg[role=img]")
            title, desc = svg.select_one("title"), svg.select_one("desc")
            assert svg["aria-labelledby"] == f"{title['id']} {desc['id']}"
            assert len(desc.get_text()) > 30
            assert fig.select_one("figcaption").get_text().strip()
            assert "viewbox" in svg.attrs and "width" not in svg.attrs and "height" not in svg.attrs
            labels = " ".join(t.get_text() for t in svg.select("text"))
            texts.append(labels)
            if lang == "en":
                assert not sitelib.CJK.search(labels + desc.get_text()), fid
            else:
                assert sitelib.CJK.search(labels), fid
    joined = " ".join(texts)
    source = languages.source(lang)   # a converted edition's labels are its source's, converted
    convert = rd.load(sitelib.ROOT)["convert"].get(lang, str)
    for label in map(convert, LABELS[source]):
        assert label in joined, label


def test_figures_come_from_the_data(site):
    from sco_report import reportdata as rd
    data = rd.load(sitelib.ROOT)["report"]
    doc = soup(site / "timeline.html")
    chs = doc.select('#figure-timeline circle[data-kind="chs"]')
    assert [c["data-date"] for c in chs] == [s["date"] for s in data["summits"]]
    bars = doc.select("#figure-membership rect[data-state]")
    assert len(bars) == sum(len(s["statuses"]) for s in data["states"])


# --- in the browser ------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_view_from_disk_lands_on_the_aligned_pair(browser, root, lang):
    prefix = languages.prefix(lang)
    with open_tab(browser, root) as tab:
        page = tab.goto(prefix + "challenges-parallel.html#expansion")
        pair = page.locator("section.rpt-pair#expansion")
        top = pair.evaluate("e => e.getBoundingClientRect().top")
        assert 0 <= top < 120
        cols = pair.locator(".rpt-col")
        assert cols.count() == 2
        boxes = [cols.nth(i).bounding_box() for i in range(2)]
        assert boxes[0]["x"] < boxes[1]["x"] and abs(boxes[0]["y"] - boxes[1]["y"]) < 2, "side by side"
        assert tab.errors == [] and tab.outside() == []


@pytest.mark.browser
def test_view_stacks_pairs_on_a_phone(browser, http_root):
    with open_tab(browser, http_root, 375, 812) as tab:
        page = tab.goto("challenges-parallel.html#expansion")
        cols = page.locator("section.rpt-pair#expansion .rpt-col")
        a, b = cols.nth(0).bounding_box(), cols.nth(1).bounding_box()
        assert b["y"] > a["y"] + a["height"] - 1, "stacked"
        assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.browser
@pytest.mark.parametrize("rel", ["timeline.html", "en/timeline.html", "framework.html", "en/framework.html"])
def test_figures_fit_a_phone_and_follow_the_colour_scheme(browser, http_root, rel):
    for scheme in ("light", "dark"):
        with open_tab(browser, http_root, 375, 812, color_scheme=scheme) as tab:
            page = tab.goto(rel)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, "page scrolls sideways"
            for box in page.locator("figure.rpt-figure svg").all():
                assert box.bounding_box()["width"] <= 375
            text_fill = page.evaluate("getComputedStyle(document.querySelector('.rpt-fig-text')).fill")
            body = page.evaluate("getComputedStyle(document.querySelector('article > p')).color")
            assert text_fill == body, (scheme, text_fill, body)
            scheme_attr = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
            assert scheme_attr == ("slate" if scheme == "dark" else "default")
