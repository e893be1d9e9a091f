/* site.js: our one script. Works over HTTP and from disk; no dependencies.
   1. The language switcher keeps the section being read.
   2. Section permalinks copy the section's full URL and say so.
   3. The "Cite this section" box: the current section, today's date, copy,
      and the link as a QR code (its library loaded when first asked for).
   4. Explanations of abbreviations and note references, built on first use.
   0. (first) The light/dark switch, in place of Material's palette component.
   Strings come from data/ui.yml through the #rpt-ui JSON in each page. */
(function () {
  "use strict";

  /* 0. Light/dark switch ------------------------------------------------------
     The scheme in force was set while the header was parsed (overrides/
     partials/javascripts/palette.html); here only a reader's switch. Each
     option is a radio input followed by the label that switches to the next;
     the choice is kept as Material keeps it, for every page of the site. */
  var paletteForm = document.querySelector("form[data-rpt-palette]");
  if (paletteForm) {
    var options = Array.prototype.slice.call(paletteForm.querySelectorAll("input[name=__palette]"));
    var applyPalette = function (index) {
      var input = options[index];
      var color = {};
      document.body.setAttribute("data-md-color-switching", "");  /* no transitions */
      ["media", "scheme", "primary", "accent"].forEach(function (key) {
        color[key] = input.getAttribute("data-md-color-" + key);
        document.body.setAttribute("data-md-color-" + key, color[key]);
      });
      options.forEach(function (option, i) {
        var label = option.nextElementSibling;
        if (label && label.tagName === "LABEL") label.hidden = i !== index;
      });
      if (window.__md_set) window.__md_set("__palette", { index: index, color: color });
      window.setTimeout(function () { document.body.removeAttribute("data-md-color-switching"); }, 0);
    };
    paletteForm.addEventListener("change", function (event) {
      var index = options.indexOf(event.target);
      if (index >= 0) applyPalette(index);
    });
    /* Enter on the focused option switches, as with Material's */
    paletteForm.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var shown = 0;
      options.forEach(function (option, i) {
        var label = option.nextElementSibling;
        if (label && label.tagName === "LABEL" && !label.hidden) shown = i;
      });
      var next = (shown + 1) % options.length;
      options[next].checked = true;
      applyPalette(next);
      options[next].focus();
    });
    /* a label whose option is checked already (a form the browser restored)
       fires no change: switch all the same */
    paletteForm.addEventListener("click", function (event) {
      var label = event.target.closest && event.target.closest("label[for]");
      var input = label && document.getElementById(label.getAttribute("for"));
      if (input && input.checked && options.indexOf(input) >= 0) applyPalette(options.indexOf(input));
    });
  }

  var ui = {};
  var uiNode = document.getElementById("rpt-ui");
  if (uiNode) ui = JSON.parse(uiNode.textContent);
  var article = document.querySelector("article.md-content__inner");
  if (!article) return;

  function headings() {
    return Array.prototype.slice.call(article.querySelectorAll("h2[id], h3[id]"));
  }

  /* The section being read. While the address names a section and the reader
     has not scrolled away from it themselves, that section: the browser may
     not have finished scrolling to it yet, and scrolls that are not the
     reader's (a late layout, a script, a focus, the fragment scroll itself)
     say nothing about what they are reading. Once the reader scrolls by
     their own action, the last heading at or above the top of the reading
     area (below the sticky header; a heading just landed on, which sits a
     little below that line, counts). */
  var anchored = true;  /* the fragment is trusted until the reader scrolls */
  function fragment() {
    var hash = decodeURIComponent(location.hash.slice(1));
    return hash && document.getElementById(hash) ? hash : "";
  }
  function currentSection() {
    var hash = fragment();
    if (anchored && hash) return hash;
    var header = document.querySelector(".md-header");
    var top = (header ? header.getBoundingClientRect().bottom : 0) + Math.min(96, window.innerHeight / 5);
    var found = null;
    headings().forEach(function (h) {
      if (h.getBoundingClientRect().top <= top) found = h;
    });
    return found ? found.id : "";  /* above the first heading: the page's start */
  }

  /* The reader's own scrolling: wheel, a touch that moves, scroll keys, a
     press on the scrollbar (or a middle-button autoscroll), and the "back to
     top" button. Scrolls made by the browser or by scripts fire none of these. */
  var SCROLL_KEYS = /^(ArrowUp|ArrowDown|PageUp|PageDown|Home|End| |Spacebar)$/;
  function readerScrolls() { anchored = false; }
  window.addEventListener("wheel", readerScrolls, { passive: true, capture: true });
  window.addEventListener("touchmove", readerScrolls, { passive: true, capture: true });
  window.addEventListener("keydown", function (event) {
    if (!SCROLL_KEYS.test(event.key) || event.altKey || event.ctrlKey || event.metaKey) return;
    var el = event.target;
    /* keys typed into a field, or a space that presses a button, do not scroll */
    if (el && el.closest && el.closest("input, textarea, select, button, summary, [contenteditable], [role=button]")) return;
    readerScrolls();
  }, true);
  window.addEventListener("pointerdown", function (event) {
    var root = document.documentElement;
    if (event.button === 1 || event.clientX >= root.clientWidth || event.clientY >= root.clientHeight) readerScrolls();
  }, true);
  window.addEventListener("click", function (event) {
    var el = event.target;
    if (!el || !el.closest) return;
    /* back to top is a scroll the reader asked for (Material's button
       cancels the click and scrolls by script) */
    if (el.closest(".md-top")) { anchored = false; return; }
    /* an in-page link names the section to trust next, also the one named
       already; not when a handler kept it from being followed (a first tap
       on a note reference). On window: after the page's own handlers. */
    if (!event.defaultPrevented && el.closest("a[href^='#']")) anchored = true;
  });
  window.addEventListener("hashchange", function () { anchored = true; }, true);

  /* 1. Language switcher ---------------------------------------------------- */
  var switchers = Array.prototype.slice.call(document.querySelectorAll("a.md-select__link[hreflang]"));
  switchers.forEach(function (a) { a.setAttribute("data-rpt-href", a.getAttribute("href").split("#")[0]); });
  function updateSwitchers() {
    var id = currentSection();
    switchers.forEach(function (a) {
      a.setAttribute("href", a.getAttribute("data-rpt-href") + (id ? "#" + id : ""));
    });
  }
  var pending = false;
  window.addEventListener("scroll", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; updateSwitchers(); });
  }, { passive: true });
  window.addEventListener("hashchange", updateSwitchers);
  switchers.forEach(function (a) {
    a.addEventListener("focus", updateSwitchers);
    a.addEventListener("mouseenter", updateSwitchers);
    a.addEventListener("click", updateSwitchers, true);
  });
  /* Not at load: the reader reaches a switcher only through the events
     above, and reading the headings' positions now would make the browser
     lay the page out inside this script, lengthening the load's longest task. */

  /* Copy text, with a fallback for browsers without the async clipboard. */
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return legacyCopy(text);
  }
  function legacyCopy(text) {
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  /* A brief message, read out by screen readers (role=status). */
  var toast = document.createElement("div");
  toast.className = "rpt-toast";
  toast.setAttribute("role", "status");
  toast.setAttribute("aria-live", "polite");
  /* inside <main>: all content in a landmark (axe's rule "region") */
  var landmark = document.querySelector("main") || document.body;
  landmark.appendChild(toast);
  var toastTimer = null;
  function say(message) {
    toast.textContent = "";
    window.setTimeout(function () { toast.textContent = message; toast.classList.add("rpt-toast--on"); }, 30);
    window.clearTimeout(toastTimer);
    toastTimer = window.setTimeout(function () { toast.classList.remove("rpt-toast--on"); }, 2400);
  }

  /* The address to share: this page's own over HTTP(S); from disk, the
     published page (a file:// path means nothing to anyone else). */
  function pageUrl() {
    if (/^https?:$/.test(location.protocol)) return location.href.split("#")[0];
    var canonical = document.querySelector("link[rel=canonical]");
    return canonical ? canonical.href : location.href.split("#")[0];
  }
  function canonicalUrl() {
    var canonical = document.querySelector("link[rel=canonical]");
    return canonical ? canonical.href : pageUrl();
  }

  /* 2. Section permalinks ----------------------------------------------------- */
  article.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.headerlink");
    if (!link) return;
    var id = link.getAttribute("href").slice(1);
    copy(pageUrl() + "#" + id).then(
      function () { say(ui.link_copied || "Link copied"); },
      function () { say(ui.copy_failed || "Could not copy"); });
  });

  /* 4. Explanations -----------------------------------------------------------
     An abbreviation (<abbr title>, which screen readers read) or a note
     reference (a link to its note) shows its explanation on hover, on
     keyboard focus and on a tap; a first tap on a note reference shows the
     note, a second one follows the link. Nothing is built until first used:
     one tooltip element for the page, a few listeners on the document. */
  var TIP_HOSTS = ".md-typeset abbr[title], .md-typeset abbr[data-rpt-title], .md-typeset a.footnote-ref";
  var tip = null, tipHost = null, hideTimer = null, lastPointer = "", tapped = null;
  /* abbreviations take keyboard focus (tabindex="0" from sco_report/typeset.py) */
  function tipHostOf(node) {
    return node && node.closest ? node.closest(TIP_HOSTS) : null;
  }
  function noteOf(ref) {
    var id = decodeURIComponent((ref.getAttribute("href") || "").split("#")[1] || "");
    return id ? document.getElementById(id) : null;
  }
  function fill(host) {
    tip.textContent = "";
    tip.removeAttribute("lang");
    if (host.tagName === "ABBR") {
      tip.textContent = host.getAttribute("title") || host.getAttribute("data-rpt-title");
      return;
    }
    var note = noteOf(host);
    if (!note) return;
    var copy = note.cloneNode(true);
    /* the note's text only: no back links, and links as plain text (a
       tooltip holds nothing to operate; the note itself is a tap away) */
    Array.prototype.forEach.call(copy.querySelectorAll(".footnote-backref"), function (a) { a.remove(); });
    Array.prototype.forEach.call(copy.querySelectorAll("a"), function (a) {
      var span = document.createElement("span");
      if (a.getAttribute("lang")) span.setAttribute("lang", a.getAttribute("lang"));
      span.textContent = a.textContent;
      a.replaceWith(span);
    });
    while (copy.firstChild) tip.appendChild(copy.firstChild);
  }
  function place(host) {
    var r = host.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    tip.style.left = "0px";
    tip.style.top = "0px";
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.max(8, Math.min(width - w - 8, r.left + r.width / 2 - w / 2));
    /* below the host, or above it when there is no room below */
    var top = r.bottom + 8 + h > window.innerHeight && r.top - 8 - h > 0 ? r.top - 8 - h : r.bottom + 8;
    tip.style.left = Math.round(left + window.scrollX) + "px";
    tip.style.top = Math.round(top + window.scrollY) + "px";
  }
  function showTip(host) {
    window.clearTimeout(hideTimer);
    if (tipHost === host) return;
    if (tipHost) hideTip(true);
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "rpt-tip";
      tip.className = "rpt-tip md-typeset";
      tip.setAttribute("role", "tooltip");
      tip.addEventListener("mouseenter", function () { window.clearTimeout(hideTimer); });
      tip.addEventListener("mouseleave", function () { hideSoon(); });
      landmark.appendChild(tip);
    }
    tipHost = host;
    fill(host);
    /* the browser's own title tooltip would cover ours: hold the title back
       while ours shows (it says the same, and is the host's description) */
    if (host.hasAttribute("title")) {
      host.setAttribute("data-rpt-title", host.getAttribute("title"));
      host.removeAttribute("title");
    }
    host.setAttribute("aria-describedby", "rpt-tip");
    tip.hidden = false;
    place(host);
    tip.classList.add("rpt-tip--on");
  }
  function hideTip() {
    window.clearTimeout(hideTimer);
    if (!tipHost) return;
    var host = tipHost;
    tipHost = null;
    if (host.hasAttribute("data-rpt-title")) {
      host.setAttribute("title", host.getAttribute("data-rpt-title"));
      host.removeAttribute("data-rpt-title");
    }
    host.removeAttribute("aria-describedby");
    tip.classList.remove("rpt-tip--on");
    tip.hidden = true;
  }
  /* leaving the host for the tooltip keeps it open (it can be hovered) */
  function hideSoon() {
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(function () {
      if (tipHost && document.activeElement === tipHost) return;
      hideTip();
    }, 200);
  }
  document.addEventListener("pointerdown", function (event) { lastPointer = event.pointerType || ""; }, true);
  document.addEventListener("mouseover", function (event) {
    var host = tipHostOf(event.target);
    if (host) showTip(host);
  });
  document.addEventListener("mouseout", function (event) {
    var host = tipHostOf(event.target);
    if (host && host === tipHost && !host.contains(event.relatedTarget) && event.relatedTarget !== tip) hideSoon();
  });
  document.addEventListener("focusin", function (event) {
    var host = tipHostOf(event.target);
    if (host) { showTip(host); } else if (tipHost) { hideTip(); }
  });
  document.addEventListener("focusout", function (event) {
    if (tipHost && tipHostOf(event.target) === tipHost && !tipHost.contains(event.relatedTarget)) hideTip();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && tipHost) hideTip();  /* dismissed without moving focus */
  });
  document.addEventListener("click", function (event) {
    var host = tipHostOf(event.target);
    if (!host) {
      if (tipHost && !(tip && tip.contains(event.target))) hideTip();
      tapped = null;
      return;
    }
    if (host.tagName === "ABBR") { showTip(host); return; }
    /* a note reference: the first tap shows the note, the second follows */
    if (lastPointer === "touch" && tapped !== host) {
      event.preventDefault();
      tapped = host;
      showTip(host);
      return;
    }
    tapped = null;
    hideTip();
  });

  /* 3. Cite this section ---------------------------------------------------------- */
  var box = document.querySelector("[data-rpt-cite]");
  if (!box) return;
  var select = box.querySelector("select");
  var texts = Array.prototype.slice.call(box.querySelectorAll("[data-rpt-cite-text]"));
  /* the citations as built: the page's published URL, a date placeholder */
  var built = texts.map(function (node) { return node.textContent; });
  var placeholder = ui.cite_accessed_placeholder || "";

  function sectionOf(id) {
    /* the h2 a section link or an h3 belongs to */
    var el = id && document.getElementById(id);
    if (!el) return "";
    if (el.tagName === "H2") return el.id;
    var found = "";
    headings().forEach(function (h) {
      if (h.tagName === "H2" && (h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING || h === el)) found = h.id;
    });
    return found;
  }
  /* today, as each format writes an access date: ISO (GB/T 7714, BibTeX)
     or in words in the page's language (APA) */
  function today(form) {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    if (form !== "long") return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
    /* not Intl.DateTimeFormat: making one costs more than the rest of this script */
    return ui.cite_date_long.replace("{y}", d.getFullYear()).replace("{m}", d.getMonth() + 1)
      .replace("{d}", d.getDate()).replace("{month}", ui.months[d.getMonth()]);
  }
  function render() {
    var section = select ? select.value : "";
    var page = canonicalUrl();
    texts.forEach(function (node, i) {
      node.textContent = built[i].split(page).join(page + (section ? "#" + section : ""))
        .split(placeholder).join(today(node.getAttribute("data-rpt-date")));
    });
    drawQr();
  }

  /* The link as a QR code, for a phone's camera: only the button until it
     is pressed; then cite-qr.js and the vendored qrcode-generator it uses
     (files of the site, found from Material's __md_scope as the bundle's
     polyfill is; the Content-Security-Policy's script-src 'self') draw it. */
  var qrBox = box.querySelector(".rpt-cite__qr");
  var qr = null;   /* cite-qr.js's drawing, once loaded */
  function drawQr() { if (qr) qr.draw(); }
  function loadScript(name) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = new URL("assets/javascripts/" + name, window.__md_scope || document.baseURI).href;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  /* not from disk in a build without an address (no canonical link): a
     file:// address means nothing to a phone */
  if (qrBox && (document.querySelector("link[rel=canonical]") || /^https?:$/.test(location.protocol))) {
    qrBox.hidden = false;
    var qrButton = qrBox.querySelector("button[aria-controls]");
    var qrLoad = null;
    qrButton.addEventListener("click", function () {
      var open = qrButton.getAttribute("aria-expanded") !== "true";
      qrButton.setAttribute("aria-expanded", open ? "true" : "false");
      document.getElementById(qrButton.getAttribute("aria-controls")).hidden = !open;
      if (!qrLoad) {
        qrLoad = loadScript("cite-qr.js").then(function () {
          qr = window.rptCiteQr({ panel: document.getElementById(qrButton.getAttribute("aria-controls")),
            link: function () { return canonicalUrl() + (select && select.value ? "#" + select.value : ""); },
            section: function () { return select ? select.value : ""; },
            load: function () { return loadScript("qrcode-generator.js"); },
            copy: copy, say: say, ui: ui });
        }, function () { qrLoad = null; });
      }
      qrLoad.then(drawQr);
    });
  }
  function fromAddress() {
    var section = sectionOf(decodeURIComponent(location.hash.slice(1)));
    if (select && section) select.value = section;
    render();
  }
  if (select) select.addEventListener("change", render);
  window.addEventListener("hashchange", fromAddress);
  box.addEventListener("toggle", function () {
    if (box.open && select && !select.value) {
      var reading = sectionOf(currentSection());
      if (reading) select.value = reading;
    }
    render();
  });
  /* RIS and CSL-JSON: a file made from the hidden text as it now reads
     (the chosen section, today's date), saved under the link's name */
  box.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-rpt-file]");
    if (!link) return;
    var text = document.getElementById(link.getAttribute("data-rpt-file")).textContent;
    link.href = URL.createObjectURL(new Blob([text], { type: link.getAttribute("type") + ";charset=utf-8" }));
  });
  box.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-rpt-copy]");
    if (!button) return;
    var target = document.getElementById(button.getAttribute("data-rpt-copy"));
    copy(target.textContent).then(
      function () { say(ui.citation_copied || "Copied"); },
      function () { say(ui.copy_failed || "Could not copy"); });
  });
  fromAddress();
})();
