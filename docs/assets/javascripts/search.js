/* Search that reads a query as the reader meant it.

   Loaded when search is first opened, by the stand-in for Material's search
   worker (sco_report/theme_patches.py, LAZY_WORKER), which passes every
   message to and from the worker through the functions at the end. What it
   knows comes with the search index, in its config (sco_report/search.py,
   query_help):

   1. Any script. A Chinese query with a character the index does not have
      (兩駕馬車 in a Simplified index) is converted by OpenCC's dictionaries
      (opencc-t2cn.js, vendored, loaded only then); in the Traditional
      edition, by the map of its characters that the build made with OpenCC.
   2. Any language. A glossary term or summit city typed in another
      language (RATS, Qingdao; 上海精神 on the English pages) is searched
      by this edition's name for it.
   3. Parts of terms. The report's terms are single words of the index, so
      a query for a part of one (反恐怖) also asks for the terms holding it.
   4. Phrases first. A result whose text holds the whole query ranks above
      results that hold only some of its words.
   5. An empty result offers the other editions (the same query there) and
      the glossary entries whose names contain the query.

   The worker itself finds the words: the report's terms are words of the
   index (jieba's dictionary at build time), and Material's worker cuts a
   Chinese query into the index's words. */
(function () {
  "use strict";

  var HAN = /[\u3400-\u9fff\uf900-\ufaff]/g;  /* as sco_report/theme_patches.py HAN_RUN */
  var PHRASE = 1e6;   /* a result that holds the phrase better outranks every one that holds it less */

  var help = null;    /* the index's query_help */
  var base = "";      /* the index's folder: its locations are relative to it */
  var chars = null;   /* the Han characters of the index and of its aliases, in its script */
  var aliases = [];   /* [name in another language, lowercase; this edition's], longest first */
  var converting = null;  /* the promise of OpenCC's converter, once a query needs it */
  /* The queries sent to the worker, oldest first, as typed and as searched
     (for comparing): it answers them in order. Then the one whose result
     Material shows now. */
  var pending = [];
  var answered = { typed: "", phrase: "" };

  function addChars(text) {
    (String(text).match(HAN) || []).forEach(function (ch) { chars.add(ch); });
  }

  /* The text of a title or result as a reader sees it, for comparing: no
     tags (Material's <mark>), no word breaks (jieba's U+200B), lower case,
     typographic apostrophes plain, no quotes or query operators, one space
     between words and none between Chinese characters. */
  function plain(text) {
    return String(text)
      .replace(/<[^>]*>/g, "")
      .replace(/\u200b/g, "")
      .toLowerCase()
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/["\u201c\u201d*+~^:]+|(^|\s)-/g, " ")
      .replace(/\s+/g, " ")
      .replace(/([\u3400-\u9fff\uf900-\ufaff]) (?=[\u3400-\u9fff\uf900-\ufaff])/g, "$1")
      .trim();
  }

  function isWordChar(text, i) {
    return i >= 0 && i < text.length && /[a-z0-9]/.test(text[i]);
  }

  /* Each name another language gives a term or a city, as this edition's
     name, longest names first; Latin names as whole words only. */
  function translate(query) {
    var lower = query.toLowerCase();
    var out = "";
    var i = 0;
    scan: while (i < query.length) {
      for (var k = 0; k < aliases.length; k++) {
        var name = aliases[k][0];
        if (lower.startsWith(name, i) && !isWordChar(lower, i - 1) && !isWordChar(lower, i + name.length)) {
          out += " " + aliases[k][1] + " ";
          i += name.length;
          continue scan;
        }
      }
      out += query[i];
      i += 1;
    }
    return out.replace(/\s+/g, " ").trim();
  }

  /* The query, and after it the terms that hold one of its Chinese words
     after their start (the worker finds those that start with it). */
  function withTerms(query) {
    var more = [];
    (query.match(/[\u3400-\u9fff\uf900-\ufaff]{2,}/g) || []).forEach(function (word) {
      help.words.forEach(function (term) {
        if (term.indexOf(word) > 0 && more.indexOf(term) === -1) more.push(term);
      });
    });
    return more.length ? query + " " + more.join(" ") : query;
  }

  function converter() {
    var map = help.convert.map;
    if (map) {   /* an edition converted at build: its own characters' map */
      return Promise.resolve(function (text) {
        return Array.from(text).map(function (ch) { return map[ch] || ch; }).join("");
      });
    }
    if (!converting) {
      converting = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = new URL("assets/javascripts/" + help.convert.script, window.__md_scope || document.baseURI).href;
        script.onload = function () {
          var steps = help.convert.from.map(function (from) {
            return window.OpenCC.Converter({ from: from, to: help.convert.to });
          });
          resolve(function (text) {
            return steps.reduce(function (result, step) { return step(result); }, text);
          });
        };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return converting;
  }

  /* The index, before the worker gets it. */
  function setup(index, folder) {
    help = (index.config || {}).rpt || null;
    base = folder;
    chars = new Set();
    if (!help) return Promise.resolve();
    index.docs.forEach(function (doc) { addChars(doc.title); addChars(doc.text); });
    /* characters of the other script in the index: a query with one is converted too */
    Array.from(help.foreign).forEach(function (ch) { chars.delete(ch); });
    aliases = Object.keys(help.aliases)
      .sort(function (a, b) { return b.length - a.length; })
      .map(function (name) { addChars(name); return [name, help.aliases[name]]; });
    return Promise.resolve();
  }

  /* A query, before the worker gets it: the query to search for. */
  function query(value) {
    var typed = value.trim();
    var sent = { typed: typed, phrase: "" };
    pending.push(sent);
    if (!help || !typed) return Promise.resolve(value);
    var foreign = (typed.match(HAN) || []).some(function (ch) { return !chars.has(ch); });
    var text = foreign
      ? converter().then(function (convert) { return convert(typed); }, function () { return typed; })
      : Promise.resolve(typed);
    return text.then(function (converted) {
      var searched = translate(converted);
      sent.phrase = plain(searched);
      return withTerms(searched);
    });
  }

  /* Whether some of the title's words, one after another, are the phrase:
     the title names it (上合组织 in “上海合作组织（简称上合组织）”, not in
     “上合组织银行联合体”, which the worker finds as a word that starts so). */
  function titled(item, phrase) {
    var words = String(item.title).replace(/<[^>]*>/g, "").toLowerCase()
      .split(/[\s\u200b\p{P}]+/u).filter(Boolean);
    var target = phrase.replace(/ /g, "");
    for (var i = 0; i < words.length; i++) {
      var run = "";
      for (var j = i; j < words.length && run.length < target.length; j++) run += words[j];
      if (run === target) return true;
    }
    return false;
  }

  /* How well an item holds the phrase: 2 its title names it, 1 its text
     or title has it, 0 neither. */
  function holds(item, phrase) {
    if (titled(item, phrase)) return 2;
    return plain(item.title + " " + (item.text || "")).indexOf(phrase) !== -1 ? 1 : 0;
  }

  function top(items) {
    return items.reduce(function (best, item) { return Math.max(best, item.score); }, 0);
  }

  /* The worker's result, before Material shows it: the same items, those
     whose title names the whole phrase first, then those whose text has
     it (on each page, and the pages among themselves), Material's order
     otherwise kept. */
  function result(data) {
    answered = pending.shift() || { typed: "", phrase: "" };
    var phrase = answered.phrase;
    if (!phrase || !data || !Array.isArray(data.items)) return data;
    var pages = data.items.map(function (items) {
      return items
        .map(function (item) {
          var level = holds(item, phrase);
          return level ? Object.assign({}, item, { score: item.score * Math.pow(PHRASE, level) }) : item;
        })
        .sort(function (a, b) { return b.score - a.score; });
    });
    pages.sort(function (a, b) { return top(b) - top(a); });
    return Object.assign({}, data, { items: pages });
  }

  /* Styles set here, not in site.css, which every page view loads */
  function offer(list, href, text) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = href;
    link.textContent = text;
    link.style.color = "var(--md-typeset-a-color)";
    link.style.textDecoration = "underline";
    item.appendChild(link);
    list.appendChild(item);
  }

  /* After Material has shown a result: if it is empty, what to try. */
  function shown(data, list) {
    var typed = answered.typed;
    if (!help || !list || !typed || !data || (data.items && data.items.length)) return;
    var box = document.createElement("li");
    box.className = "rpt-search-help";
    box.style.cssText = "padding: .6rem 1rem .8rem; font-size: .64rem";
    var intro = document.createElement("p");
    intro.textContent = help.strings.search_try;
    intro.style.margin = "0 0 .3rem";
    box.appendChild(intro);
    var offers = document.createElement("ul");
    offers.style.cssText = "margin: 0; padding-left: 1.2rem";
    help.editions.forEach(function (edition) {
      var url = new URL(edition[0], base);
      url.searchParams.set("q", typed);
      offer(offers, url.href, edition[1].replace("{q}", typed));
    });
    var phrase = answered.phrase || plain(typed);
    var entries = help.glossary.filter(function (entry) {
      return plain(entry[0]).indexOf(phrase) !== -1;
    });
    entries.slice(0, 3).forEach(function (entry) {
      offer(offers, new URL(entry[1], base).href, help.strings.search_glossary_term.replace("{term}", entry[0]));
    });
    if (!entries.length) offer(offers, new URL(help.glossary_page, base).href, help.strings.search_glossary);
    box.appendChild(offers);
    list.appendChild(box);
  }

  window.__rptSearch = { setup: setup, query: query, result: result, shown: shown };
})();
