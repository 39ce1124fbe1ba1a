// Unit tests of the 404 page's search for the words of a missing address
// (overrides/assets/javascripts/gk-notfound.js). Run: node --test tests/js/ (part of `make test`).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const N = require("../../overrides/assets/javascripts/gk-notfound.js");

test("a disclosure's address: its own name first, then every word of the address", () => {
  assert.deepEqual(N.searches("2020/panlongqu-xinfangju/xinfang-chutu-jingfei/"), [
    "xinfang chutu jingfei",
    "panlongqu xinfangju xinfang chutu jingfei",
  ]);
});

test("numbers (years, the -2 of a second page of one name) and the site's folders are not words", () => {
  assert.deepEqual(N.searches("units/panlongqu-xinfangju/"), ["panlongqu xinfangju"]);
  assert.deepEqual(N.searches("2021/a-2/"), ["a"]);
  assert.deepEqual(N.searches("2020/"), []);
  assert.deepEqual(N.searches(""), []);
  assert.deepEqual(N.searches("source/2022/x.yml.html"), ["x"]);
});

test("escaped and full-width characters are read as typed, the query string left out", () => {
  assert.deepEqual(N.searches("units/%E7%9B%98%E9%BE%99/"), ["盘龙"]);
  assert.deepEqual(N.searches("units/%E7%9B%98%/"), ["e7 9b"]); // not decodable: its letters as written
  assert.deepEqual(N.searches("2020/ＸｉｎＦａｎｇ/?q=1#top"), ["xinfang"]);
});

test("at most as many words as the search looks up", () => {
  const long = Array.from({ length: 20 }, (_, i) => "w" + String.fromCharCode(97 + i)).join("-");
  assert.equal(N.searches(long + "/")[0].split(" ").length, N.MAX_WORDS);
});

test("the address relative to the site, whatever folder the site is served from", () => {
  assert.equal(N.relative("/sub/2020/a/", "/sub/"), "2020/a/");
  assert.equal(N.relative("/2020/a/", "/"), "2020/a/");
  assert.equal(N.relative("/2020/a/", "/other/"), "2020/a/");
});
