// Renders CSL-JSON items (standard input, a JSON array) with citeproc-js and
// the APA 7 style that citation-js's CSL plugin ships: one plain-text
// bibliography entry per line (tests/test_references.py).
const { Cite } = require("@citation-js/core");
require("@citation-js/plugin-csl");

const items = JSON.parse(require("fs").readFileSync(0, "utf8"));
for (const item of items) {
  const entry = new Cite([item]).format("bibliography", { format: "text", template: "apa", lang: "en-US" });
  console.log(entry.trim());
}
