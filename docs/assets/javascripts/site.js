/* site.js: our one script. Works over HTTP and from disk; no dependencies.
   1. The language switcher keeps the section being read.
   2. Section permalinks copy the section's full URL and say so.
   3. The "Cite this section" box: the current section, today's date, copy.
   Strings come from data/ui.yml through the #rpt-ui JSON in each page. */
(function () {
  "use strict";

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
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#'], .md-top");
    if (!link) return;
    /* back to top is a scroll the reader asked for; an in-page link names
       the section to trust next (also when it is the one already named) */
    anchored = !link.classList.contains("md-top");
  }, true);
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
  updateSwitchers();

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
  document.body.appendChild(toast);
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
  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }
  function render() {
    var section = select ? select.value : "";
    var page = canonicalUrl();
    texts.forEach(function (node, i) {
      node.textContent = built[i].split(page).join(page + (section ? "#" + section : ""))
        .split(placeholder).join(today());
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
