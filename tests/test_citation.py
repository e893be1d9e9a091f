"""Two works, two citations: the report, and this bilingual web edition.

Exact texts, checked by hand against the standards:
- GB/T 7714-2015: [R] for the report (editors with 主编 / eds., places and
  publishers separated by ";"), [EB/OL] for the web edition with its update
  date (the build date, SOURCE_DATE_EPOCH 2026-11-27 in tests) and the
  access date in brackets, no doubled brackets;
- APA 7: "Family, I., & Family, I. (Eds.)", sentence case, the year alone,
  publishers separated by ";", the publisher’s own URL; this site with the full
  date, named once (it is the author), and
  "Retrieved <date>, from <URL>";
- BibTeX: @book with editor (classic styles and biblatex render the names),
  @misc with a braced corporate author, month = may.
"""

from __future__ import annotations

import datetime as dt

import pytest

import sitelib
from sco_report import languages, reportdata
from browserlib import FIXED_CLOCK, FIXED_DATE, open_tab
from sitelib import soup

NAME = {"zh": "《乘风破浪 行稳致远》报告导读", "en": "Reader’s Guide to “Sailing Steady to Success”"}
# APA: the site is the author, named once; the period inside the closing quote
NAME_DOT = "Reader’s Guide to “Sailing Steady to Success.”"
RDCY = "http://rdcy.ruc.edu.cn/yw/PUBLICATIONS/Reports/010c95ba82214dde9ed83adb4ae84ec8.htm"
SITE = sitelib.SITE_URL
VERSION = "1.1.0"

REPORT = {
    "zh": {
        "gbt": "杨恕, 王文, 主编. 乘风破浪 行稳致远：上海合作组织十七年进展评估[R]. 北京: 中国人民大学重阳金融研究院; "
               "兰州: 兰州大学中亚研究所, 2018.",
        "apa": f"杨恕, 王文（主编）. (2018). 乘风破浪 行稳致远：上海合作组织十七年进展评估. 中国人民大学重阳金融研究院; "
               f"兰州大学中亚研究所. {RDCY}",
        "bibtex": "@book{yang2018scozh,\n  editor    = {{杨恕} and {王文}},\n"
                  "  title     = {乘风破浪 行稳致远：上海合作组织十七年进展评估},\n"
                  "  publisher = {{中国人民大学重阳金融研究院} and {兰州大学中亚研究所}},\n"
                  "  address   = {北京 and 兰州},\n  year      = {2018},\n  month     = may,\n"
                  f"  url       = {{{RDCY}}}\n}}",
    },
    "en": {
        "gbt": "YANG Shu, WANG Wen, eds. Sailing Steady to Success: Shanghai Cooperation Organization in its 17 "
               "years[R]. Beijing: Chongyang Institute for Financial Studies, Renmin University of China; Lanzhou: "
               "Institute for Central Asian Studies, Lanzhou University, 2018.",
        "apa": "Yang, S., & Wang, W. (Eds.). (2018). Sailing steady to success: Shanghai Cooperation Organization "
               "in its 17 years. Chongyang Institute for Financial Studies, Renmin University of China; Institute "
               f"for Central Asian Studies, Lanzhou University. {RDCY}",
        "bibtex": "@book{yang2018sco,\n  editor    = {Yang, Shu and Wang, Wen},\n"
                  "  title     = {Sailing Steady to Success: {Shanghai Cooperation Organization} in its 17 years},\n"
                  "  publisher = {{Chongyang Institute for Financial Studies, Renmin University of China} and "
                  "{Institute for Central Asian Studies, Lanzhou University}},\n"
                  "  address   = {Beijing and Lanzhou},\n  year      = {2018},\n  month     = may,\n"
                  f"  url       = {{{RDCY}}},\n  langid    = {{english}}\n}}",
    },
}

# This edition as a whole (about#cite), before site.js fills in the date.
EDITION = {
    "zh": {
        "gbt": f"{NAME['zh']}. {NAME['zh']}[EB/OL]. (2026-11-27)[引用日期]. {SITE}.",
        "apa": f"{NAME['zh']}. (2026年11月27日). {NAME['zh']}（{VERSION}版）. 引用日期检索，{SITE}",
    },
    "en": {
        "gbt": f"{NAME['en']}. {NAME['en']}[EB/OL]. (2026-11-27)[date accessed]. {SITE}en/.",
        "apa": f"{NAME_DOT} (2026, November 27). Reader’s guide to “Sailing Steady to Success” "
               f"(Version {VERSION}). Retrieved date accessed, from {SITE}en/",
    },
}

# One section of one page, in the cite box, once site.js has filled in the
# section and today's date ({iso}: 2026-11-27; {long}: November 27, 2026 /
# 2026年11月27日).
SECTION = {
    "zh": {
        "gbt": f"{NAME['zh']}. {NAME['zh']}：{{title}}[EB/OL]. (2026-11-27)[{{iso}}]. {{url}}.",
        "apa": f"{NAME['zh']}. (2026年11月27日). {{title}}（{VERSION}版）. {{long}}检索，{{url}}",
        "bibtex": f"@misc{{{{sco2018editionzh,\n  author       = {{{{{{{{{NAME['zh']}}}}}}}}},\n  title        = {{{{{{title}}}}}},\n"
                  f"  howpublished = {{{{{NAME['zh']}, {VERSION}版}}}},\n"
                  "  year         = {{2026}},\n  date         = {{2026-11-27}},\n  url          = {{{url}}},\n"
                  "  urldate      = {{{iso}}}\n}}",
    },
    "en": {
        "gbt": f"{NAME['en']}. {NAME['en']}: {{title}}[EB/OL]. (2026-11-27)[{{iso}}]. {{url}}.",
        "apa": f"{NAME_DOT} (2026, November 27). {{title}} (Version {VERSION}). Retrieved {{long}}, from {{url}}",
        "bibtex": f"@misc{{{{sco2018edition,\n  author       = {{{{{{{{{NAME['en']}}}}}}}}},\n"
                  "  title        = {{{title}}},\n"
                  f"  howpublished = {{{{{NAME['en']}, version {VERSION}}}}},\n"
                  "  year         = {{2026}},\n  date         = {{2026-11-27}},\n  url          = {{{url}}},\n"
                  "  urldate      = {{{iso}}},\n  langid       = {{english}}\n}}",
    },
}
TITLE = {"zh": "3 发展面临的挑战", "en": "3 Challenges"}

# A converted edition cites as its source does, converted (sco_report/derive.py):
# its own address, and its code at the end of the BibTeX keys.
for _lang, _convert in reportdata.load(sitelib.ROOT)["convert"].items():
    _src = languages.source(_lang)

    def _derive(text, lang=_lang, src=_src, convert=_convert):
        return convert(text).replace(f"{src},\n", f"{lang},\n").replace(SITE, SITE + languages.prefix(lang))
    NAME[_lang], TITLE[_lang] = _convert(NAME[_src]), _convert(TITLE[_src])
    for _table in (REPORT, EDITION, SECTION):
        _table[_lang] = {form: _derive(text) for form, text in _table[_src].items()}


@pytest.mark.parametrize("lang", sitelib.LANGS)
def test_report_citation_in_every_cite_box_and_on_about(site, lang):
    root = sitelib.lang_root(site, lang)
    for rel in ("challenges.html", "overview.html"):
        doc = soup(root / rel)
        for form, text in REPORT[lang].items():
            assert doc.select_one(f"#rpt-cite-report-{form}").get_text() == text, (rel, form)
    about = soup(root / "about.html")
    cites = about.select("article .rpt-cite")
    texts = [c.get_text() for c in cites]
    for form in ("gbt", "apa", "bibtex"):
        assert REPORT[lang][form] in texts, form
    assert REPORT[languages.other(lang)]["gbt"] in texts


@pytest.mark.parametrize("lang", sitelib.LANGS)
def test_edition_citation_on_about(site, lang):
    texts = [c.get_text() for c in soup(sitelib.lang_root(site, lang) / "about.html").select("article .rpt-cite")]
    for form in ("gbt", "apa"):
        assert EDITION[lang][form] in texts, (form, texts)
    assert not any("[[" in t or "]]" in t for t in texts)


@pytest.mark.parametrize("lang", sitelib.LANGS)
def test_meta_author_is_this_edition(site, lang):
    expected = NAME[lang]
    for rel in sitelib.content_pages(site, lang):
        assert soup(sitelib.lang_root(site, lang) / rel).select_one("meta[name=author]")["content"] == expected


@pytest.mark.browser
@pytest.mark.parametrize("lang", sitelib.LANGS)
def test_section_citation_exact(browser, http_root, lang):
    prefix = languages.prefix(lang)
    with open_tab(browser, http_root, init_script=FIXED_CLOCK) as tab:
        page = tab.goto(prefix + "challenges.html#expansion")
        page.locator("summary.rpt-cite__summary").click()
        today = dt.date(*FIXED_DATE)
        values = {
            "title": TITLE[lang],
            "url": f"{SITE}{prefix}challenges.html#expansion",
            "iso": today.isoformat(),
            "long": (f"{today.year}年{today.month}月{today.day}日" if languages.get(lang).han
                     else today.strftime("%B ") + f"{today.day}, {today.year}"),
        }
        for form, template in SECTION[lang].items():
            assert page.locator(f"#rpt-cite-edition-{form}").inner_text() == template.format(**values), form
        assert tab.errors == []
