"""The whole report in both languages: the public section ids, section
numbers, tables rendered from the one data file, glossary tooltips, and the
data file's own checks."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sco_report import languages
from sco_report import reportdata as rd
from sco_report import textfmt
from sco_report.schema import STATUSES, DataError
import sitelib
from sitelib import LANGS, soup

# The public interface: readers and other sites link to these.
IDS = {
    "index.html": ["home"],
    "overview.html": ["overview", "firsts", "growth", "by-the-numbers", "structure"],
    "accomplishments.html": ["accomplishments", "neighborhood-diplomacy", "regional-security",
                             "cooperation-model", "major-country-relations",
                             "international-influence", "belt-and-road"],
    "challenges.html": ["challenges", "economic-cooperation", "security-cooperation",
                        "bilateral-multilateral", "expansion", "belt-and-road-coordination"],
    "recommendations.html": ["recommendations", "functional-positioning", "china-diplomacy",
                             "implementing-agreements", "working-mechanisms", "major-projects",
                             "institutional-recognition"],
    "framework.html": ["framework", "one-spirit", "two-carriages", "three-connections", "four-areas"],
    "timeline.html": ["timeline", "shanghai-five", "summits", "membership"],
    "glossary.html": ["glossary", "terms"],
    "about.html": ["about", "the-report", "this-edition", "cite", "download"],
}
NAV_ORDER = ["index.html", "overview.html", "accomplishments.html", "challenges.html",
             "recommendations.html", "framework.html", "timeline.html", "glossary.html", "about.html"]
CORE = ["accomplishments.html", "challenges.html", "recommendations.html"]


@pytest.mark.parametrize("rel", IDS)
def test_public_ids_exist_in_both_languages(site, rel):
    for lang in LANGS:
        page = sitelib.lang_root(site, lang) / rel
        ids = {hid for _, hid in sitelib.heading_ids(page)}
        missing = [i for i in IDS[rel] if i not in ids]
        assert missing == [], f"{lang}/{rel}"


@pytest.mark.parametrize("lang", LANGS)
def test_navigation_order(site, lang):
    doc = soup(sitelib.lang_root(site, lang) / "index.html")
    links = [a["href"].split("#")[0] for a in doc.select("nav.md-nav--primary a.md-nav__link[href]")]
    order = [h for h in dict.fromkeys(links) if h.endswith(".html")]
    assert order == NAV_ORDER


def section_numbers(page: Path) -> list[tuple[str, str]]:
    out = []
    for h in soup(page).select("article :is(h1, h2, h3)"):
        text = h.get_text().replace("¶", "").strip()
        m = re.match(r"^((?:\d+|[A-Z])(?:\.\d+)*)\s", text)
        out.append((h["id"], m.group(1) if m else ""))
    return out


def test_section_numbers_match_between_languages(site):
    for rel, zh, en in sitelib.page_pairs(site):
        assert section_numbers(zh) == section_numbers(en), rel


@pytest.mark.parametrize("rel", CORE)
def test_core_sections_are_numbered_like_a_report(site, rel):
    numbers = section_numbers(site / rel)
    chapter = numbers[0][1]
    assert chapter.isdigit()
    assert [n for _, n in numbers[1:]] == [f"{chapter}.{i}" for i in range(1, len(numbers))]


@pytest.mark.parametrize("rel", CORE)
def test_core_sections_have_substance_in_both_languages(site, rel):
    """No minimum length (a section is as long as its substance), but each core
    section states the report's finding, set apart, then sourced background."""
    for sid in IDS[rel][1:]:
        for lang, page in (("zh", site / rel), ("en", site / "en" / rel)):
            h2 = soup(page).select_one(f"h2#{sid}")
            section = []
            for el in h2.find_next_siblings():
                if el.name == "h2" or "footnote" in (el.get("class") or []):
                    break
                section.append(el)
            background = [el for el in section if "admonition" not in (el.get("class") or [])]
            assert any(el.select("sup[id^=fnref]") for el in background), f"{lang}/{rel}#{sid}: no sourced background"
        for lang, page in (("zh", site / rel), ("en", site / "en" / rel)):
            h2 = soup(page).select_one(f"h2#{sid}")
            box = h2.find_next_sibling(class_="admonition")
            assert box is not None and "finding" in box["class"], f"{lang}/{rel}#{sid}"


@pytest.mark.parametrize("rel", CORE + ["overview.html", "framework.html", "timeline.html"])
def test_background_is_footnoted(site, rel):
    for lang in LANGS:
        notes = soup(sitelib.lang_root(site, lang) / rel).select("div.footnote li")
        assert len(notes) >= 3, f"{lang}/{rel}"
        unlinked = {key for key, src in rd.load(sitelib.ROOT)["report"]["sources"].items() if src.get("link") is False}
        for li in notes:
            key = li["id"].split(":", 1)[1]
            # a source read only in a scraper's copy says so, without the link
            assert bool(li.select_one('a[href^="http"]')) != (key in unlinked), f"{lang}/{rel}: {key}"


# --- tables rendered from data/report.yml --------------------------------------------

ZH_DATE = re.compile(r"(\d{4})年(?:(\d{1,2})月)?(?:(\d{1,2})日)?")


def table_rows(page: Path, section: str) -> list[list[str]]:
    h2 = soup(page).select_one(f"h2#{section}")
    table = h2.find_next("table")

    def text(td):  # the cell's text as read, without its note markers
        return "".join(t for t in td.find_all(string=True) if not t.find_parent("sup")).strip()
    return [[text(td) for td in tr.find_all("td")] for tr in table.select("tbody tr")]


@pytest.mark.parametrize("section,key", [("summits", "summits"), ("shanghai-five", "shanghai_five")])
def test_meeting_tables_match_data_in_both_languages(site, section, key):
    data = rd.load(sitelib.ROOT)["report"][key]
    zh = table_rows(site / "timeline.html", section)
    en = table_rows(site / "en" / "timeline.html", section)
    assert len(zh) == len(en) == len(data)
    for row_zh, row_en, item in zip(zh, en, data):
        assert row_zh[0] == row_en[0] == str(item["number"])
        assert row_zh[1] == textfmt.format_date(item["date"], "zh")
        assert row_en[1] == textfmt.format_date(item["date"], "en")
        assert ZH_DATE.match(row_zh[1]).group(1) == item["date"][:4] == row_en[1][-4:]
        assert row_zh[2] == item["city"]["zh"] and row_en[2] == item["city"]["en"]
        assert row_zh[3].startswith(item["outcome"]["zh"]) and row_en[3].startswith(item["outcome"]["en"])


def test_membership_table_matches_data(site):
    data = rd.load(sitelib.ROOT)["report"]["states"]
    zh = table_rows(site / "timeline.html", "membership")
    en = table_rows(site / "en" / "timeline.html", "membership")
    assert len(zh) == len(en) == len(data)
    names = {s["name"]["en"]: s for s in data}
    for row_zh, row_en in zip(zh, en):
        state = names[row_en[0]]
        assert row_zh[0] == state["name"]["zh"]
        assert row_zh[2] == row_en[2] == state["statuses"][0]["since"]
    counts = {status: sum(1 for s in data if textfmt.status_in(s, 2018) == status) for status in STATUSES}
    assert counts == {"member": 8, "observer": 4, "partner": 6}


def test_glossary_matches_data(site):
    terms = rd.load(sitelib.ROOT)["report"]["terms"]
    for lang in LANGS:
        doc = soup(sitelib.lang_root(site, lang) / "glossary.html")
        dfns = doc.select("article table dfn")
        assert [d["id"] for d in dfns] == [f"term-{t['id']}" for t in terms]
        assert [d.get_text() for d in dfns] == [t[lang] for t in terms]


def test_changing_a_date_in_the_data_changes_both_languages(site, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(sitelib.ROOT, project, ignore=shutil.ignore_patterns(
        ".venv", "site", ".git", ".pytest_cache", "__pycache__", "*.egg-info", "bench"))
    data = project / "data" / "report.yml"
    text = data.read_text(encoding="utf-8")
    old = '  - number: 18\n    date: "2018-06-09/2018-06-10"'
    assert old in text
    data.write_text(text.replace(old, '  - number: 18\n    date: "2019-06-11/2019-06-12"'), encoding="utf-8")
    out = tmp_path / "out"
    result = sitelib.build(project, out)
    assert result.returncode == 0, result.stderr[-2000:]
    # the tables of both languages
    assert table_rows(out / "timeline.html", "summits")[-1][1] == "2019年6月11日至12日"
    assert table_rows(out / "en" / "timeline.html", "summits")[-1][1] == "11–12 June 2019"
    # the same reference in running text
    assert "2019年6月11日至12日" in soup(out / "timeline.html").select_one("h2#summits").find_next("p").get_text()
    assert "11–12 June 2019" in soup(out / "en" / "timeline.html").select_one("h2#summits").find_next("p").get_text()
    # and the figure: the marker moves down a row, in both languages
    for lang in LANGS:
        before = soup(sitelib.lang_root(site, lang) / "timeline.html").select('#figure-timeline circle[data-kind="chs"]')[-1]
        after = soup(sitelib.lang_root(out, lang) / "timeline.html").select('#figure-timeline circle[data-kind="chs"]')[-1]
        assert after["data-date"] == "2019-06-11/2019-06-12"
        assert float(after["cy"]) > float(before["cy"])


# --- the data file's own checks --------------------------------------------------------

def broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    root = tmp_path / "proj"
    (root / "data").mkdir(parents=True)
    for name in ("report.yml", "ui.yml"):
        shutil.copy(sitelib.ROOT / "data" / name, root / "data" / name)
    path = root / "data" / "report.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


@pytest.mark.parametrize("old,new,message", [
    ('    date: "2009-06-15/2009-06-16"', '    date: "2009-13-15"',
     "data/report.yml: summits[9] (9): field 'date': '2009-13-15' is not a valid date "
     "(use YYYY, YYYY-MM, YYYY-MM-DD or start/end)"),
    ('  - number: 12\n    date: "2012-06-06/2012-06-07"\n    city: {zh: 北京, en: Beijing}\n',
     '  - number: 12\n    date: "2012-06-06/2012-06-07"\n',
     "data/report.yml: summits[12] (12): missing field 'city'"),
    ("  - id: rats\n    zh: 地区反恐怖机构\n", "  - id: rats\n    zh: 地区反恐怖机构\n    colour: red\n",
     "data/report.yml: terms[10] (rats): unknown field 'colour' (known: id, zh, en, abbr, def, source)"),
    ("    name: {zh: 印度, en: India}\n", "    name: {zh: 印度}\n",
     "data/report.yml: states[7] (india): field 'name': expected exactly {zh: …, en: …}"),
    ("    source: sectsco-2017\n", "    source: no-such-source\n",
     "data/report.yml: events[14] (expansion): field 'source': unknown source 'no-such-source'"),
])
def test_broken_data_is_named_in_one_line(tmp_path, old, new, message):
    root = broken_copy(tmp_path, old, new)
    with pytest.raises(DataError) as err:
        rd.load(root)
    assert str(err.value) == message


def test_broken_data_fails_the_build_without_traceback(tmp_path):
    from test_checks import GOOD, error_lines, mini_project
    project = mini_project(tmp_path, GOOD)
    path = project / "data" / "report.yml"
    path.write_text(path.read_text(encoding="utf-8").replace('date: "2001-06-15"', 'date: "2001-06-31"', 1),
                    encoding="utf-8")
    result = sitelib.build(project, tmp_path / "out")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert any(line.startswith("data/report.yml: events[3] (founding): field 'date': '2001-06-31'")
               for line in error_lines(result.stderr)), result.stderr


# --- glossary tooltips --------------------------------------------------------------------

SKIP_PARENTS = {"a", "abbr", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "sup", "dfn", "script", "style", "svg"}


def visible_uses(article, short: str) -> bool:
    pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(short)}(?![A-Za-z0-9])" if short.isascii()
                         else re.escape(short))
    for text in article.find_all(string=pattern):
        if not any(p.name in SKIP_PARENTS for p in text.parents) and not text.find_parent(class_="footnote"):
            return True
    return False


def test_abbreviation_tooltips_wherever_used(site):
    terms = [t for t in rd.load(sitelib.ROOT)["report"]["terms"] if t.get("abbr")]
    checked = 0
    for lang in LANGS:
        for rel in sitelib.content_pages(site, lang):
            article = soup(sitelib.lang_root(site, lang) / rel).select_one("article")
            for term in terms:
                for short in term["abbr"].get(lang, []):
                    if not visible_uses(article, short):
                        continue
                    abbrs = [a for a in article.find_all("abbr") if a.get_text() == short]
                    assert abbrs, f"{lang}/{rel}: {short} is used but has no tooltip"
                    assert term[lang].split("（")[0] in abbrs[0]["title"] or term["zh"] in abbrs[0]["title"]
                    checked += 1
    assert checked >= 10


# --- provenance and self-reference (issue 10; CONTRIBUTING.md) -------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_every_finding_box_says_where_it_comes_from(site, lang):
    data = rd.load(sitelib.ROOT)
    provenance = data["report"]["provenance"]
    boxes = 0
    for rel in sitelib.content_pages(site, lang) + sitelib.parallel_pages(site, lang):
        for box in soup(sitelib.lang_root(site, lang) / rel).select("article .admonition.finding"):
            keys = [c[len("rpt-from-"):] for c in box["class"] if c.startswith("rpt-from-")]
            assert len(keys) == 1 and keys[0] in provenance, (rel, box["class"])
            # in a parallel view, a column's language
            box_lang = (box.find_parent(attrs={"lang": True}) or {}).get("lang", lang)
            box_lang = {lg.tag: lg.code for lg in languages.LANGUAGES}.get(box_lang, box_lang)
            ui = {k: v[box_lang] for k, v in data["ui"].items()}
            title = box.select_one(".admonition-title").get_text()
            assert title == ui["finding_title"].format(source=provenance[keys[0]]["label"][box_lang]), (rel, title)
            boxes += 1
    assert boxes > 20


SELF_REFERENCE = re.compile(r"本报告|本书|本版|本网络版")


def test_one_self_reference_in_chinese():
    """本站 is this site and 报告 the report: never 本报告, 本书, 本版 or 本网络版,
    in the pages, the data files (nav labels and UI strings included) or the config."""
    places = sorted((sitelib.ROOT / "docs" / "zh").rglob("*.md")) + [
        sitelib.ROOT / "data" / "report.yml", sitelib.ROOT / "data" / "ui.yml", sitelib.ROOT / "mkdocs.yml"]
    found = [f"{path.relative_to(sitelib.ROOT)}:{n}: {line.strip()[:60]}"
             for path in places
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if SELF_REFERENCE.search(line)]
    assert found == []
