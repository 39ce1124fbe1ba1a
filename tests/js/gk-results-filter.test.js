// Unit tests of the not-met list's filter (overrides/assets/javascripts/gk-results-filter.js);
// the page itself is tested in Chromium (tests/test_results_browser.py).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const F = require("../../overrides/assets/javascripts/gk-results-filter.js");

test("no filter lets every unit through", () => {
  assert.equal(F.matches("云南省/昆明市/盘龙区", "panlongqu-xinfangju", { region: "", unit: "" }), true);
});

test("a region matches itself and the regions beneath it, not a name that only starts alike", () => {
  const want = { region: "云南省/昆明市", unit: "" };
  assert.equal(F.matches("云南省/昆明市", "a", want), true);
  assert.equal(F.matches("云南省/昆明市/盘龙区", "a", want), true);
  assert.equal(F.matches("云南省/昆明市郊", "a", want), false);
  assert.equal(F.matches("云南省", "a", want), false);
});

test("a unit matches by slug, within the region when both are chosen", () => {
  assert.equal(F.matches("云南省/玉溪市/通海县", "tonghaixian-xinfangju", { region: "", unit: "tonghaixian-xinfangju" }), true);
  assert.equal(F.matches("云南省/玉溪市/通海县", "other", { region: "", unit: "tonghaixian-xinfangju" }), false);
  assert.equal(F.matches("云南省/玉溪市/通海县", "tonghaixian-xinfangju", { region: "江西省", unit: "tonghaixian-xinfangju" }), false);
});
