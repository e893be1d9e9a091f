/* The cite box's QR code (site.js loads this file when the reader first asks
   for it, and this file the vendored qrcode-generator): the section's link
   drawn as an SVG built with DOM calls, dark modules on white with the quiet
   zone of four modules that phone cameras need, white in either colour
   scheme; beside it the link as text and a button that copies it. */
window.rptCiteQr = function (env) {
  "use strict";
  var panel = env.panel, ui = env.ui, lib = null, drawn = "", url = null;

  function svgOf(qrcode, text) {
    var QUIET = 4, NS = "http://www.w3.org/2000/svg";
    var qr = qrcode(0, "M");  /* the smallest version that holds it; 15% may be lost */
    qr.addData(text);         /* a URL: ASCII, percent-encoded */
    qr.make();
    var n = qr.getModuleCount(), size = n + 2 * QUIET, d = "";
    for (var r = 0; r < n; r++) {
      for (var c = 0; c < n; c++) {
        if (!qr.isDark(r, c)) continue;
        var run = 1;
        while (c + run < n && qr.isDark(r, c + run)) run++;
        d += "M" + (c + QUIET) + " " + (r + QUIET) + "h" + run + "v1h-" + run + "z";
        c += run - 1;
      }
    }
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("class", "rpt-cite__qr-code");
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    svg.setAttribute("shape-rendering", "crispEdges");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", text);
    var ground = document.createElementNS(NS, "rect");
    ground.setAttribute("width", size);
    ground.setAttribute("height", size);
    ground.setAttribute("fill", "#fff");
    var modules = document.createElementNS(NS, "path");
    modules.setAttribute("d", d);
    modules.setAttribute("fill", "#000");
    svg.appendChild(ground);
    svg.appendChild(modules);
    return svg;
  }

  /* the link as text beside the code, and a button that copies it */
  var side = document.createElement("div");
  side.className = "rpt-cite__qr-side";
  var hint = document.createElement("p");
  hint.textContent = ui.cite_qr_label || "";
  url = document.createElement("p");
  url.className = "rpt-cite__qr-url";
  url.setAttribute("translate", "no");  /* a page translator leaves it be */
  var copyLink = document.createElement("button");
  copyLink.type = "button";
  copyLink.className = "md-button rpt-cite__copy";
  copyLink.textContent = ui.link_copy || "Copy";
  copyLink.addEventListener("click", function () {
    env.copy(url.textContent).then(
      function () { env.say(env.section() ? ui.link_copied : ui.page_link_copied); },
      function () { env.say(ui.copy_failed || "Could not copy"); });
  });
  side.appendChild(hint);
  side.appendChild(url);
  side.appendChild(copyLink);
  panel.appendChild(side);

  function draw() {
    if (panel.hidden) return;
    var link = env.link();
    url.textContent = link;
    if (!lib) lib = env.load().then(function () { return window.qrcode; }, function () { lib = null; });
    lib.then(function (qrcode) {
      link = env.link();  /* the reader may have chosen another section meanwhile */
      if (!qrcode || link === drawn) return;
      var old = panel.querySelector("svg");
      var svg = svgOf(qrcode, link);
      if (old) { panel.replaceChild(svg, old); } else { panel.insertBefore(svg, panel.firstChild); }
      drawn = link;
    });
  }
  return { draw: draw };
};
