// Unit tests of the search engine (overrides/assets/javascripts/gk-search-engine.js) against a
// stand-in for Pagefind that answers as Pagefind does for merged parts: each part matches its
// own words only, and a part that lacks a word of a loose search leaves the word out (so its
// pages match on the other words); an exact phrase needs all its words in a row.
// Run: node --test tests/js/   (part of `make test`). The real Pagefind: tests/test_search*_browser.py.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const Engine = require("../../overrides/assets/javascripts/gk-search-engine.js");

const PART = Engine.PART;

// pages: {id: {part, words: [...], filters: {facet: value}}}; "w" is the document of words of each part.
const PAGES = {
  a: { part: "2022", words: ["楚雄", "劝返", "经费"], filters: { 年度: "2022", 类型: "项目文本" } },
  b: { part: "2022", words: ["盘龙", "信访", "访处", "处突", "经费"], filters: { 年度: "2022", 类型: "自评报告" } },
  c: { part: "2020", words: ["盘龙", "信访", "访处", "处突", "突经", "经费"], filters: { 年度: "2020", 类型: "项目文本" } },
  u: { part: "units", words: ["楚雄", "信访"], filters: { 类型: "单位" } },
  w1: { part: "2022", words: ["xinfang"], filters: {} },
  w2: { part: "2020", words: ["xinfang"], filters: {} },
  w3: { part: "units", words: ["xinfang"], filters: {} },
};
const INFO = { tag: "t1", pages: 4, parts: ["2022", "2020", "units"], skip: ["w1", "w2", "w3"], weights: { units: 1.5 } };
const SORT_YEAR = { key: "year", prefix: "", order: "c,a b" };

function holds(page, term) {
  const phrase = term.startsWith('"');
  const words = term.replace(/"/g, "").split(" ");
  const own = PAGES[page].words;
  const partWords = new Set(
    Object.values(PAGES)
      .filter((p) => p.part === PAGES[page].part)
      .flatMap((p) => p.words)
  );
  if (phrase) {
    const at = own.indexOf(words[0]);
    return at >= 0 && words.every((w, i) => own[at + i] === w);
  }
  const asked = words.filter((w) => partWords.has(w)); // words of a loose search its index lacks: left out
  return asked.length > 0 && asked.every((w) => own.includes(w));
}

function fakePagefind(log) {
  const merged = [];
  function passes(id, filters) {
    const page = PAGES[id];
    return Object.entries(filters || {}).every(([f, { any }]) =>
      any.includes(f === PART ? page.part : page.filters[f])
    );
  }
  function counts(ids) {
    const out = { [PART]: {}, 年度: {}, 类型: {} };
    ids.forEach((id) => {
      out[PART][PAGES[id].part] = (out[PART][PAGES[id].part] || 0) + 1;
      Object.entries(PAGES[id].filters).forEach(([f, v]) => (out[f][v] = (out[f][v] || 0) + 1));
    });
    return out;
  }
  return {
    options: async (o) => log.push(["options", o]),
    init: async () => log.push(["init"]),
    mergeIndex: async (path, o) => merged.push([path, o]),
    filters: async () => log.push(["filters"]),
    merged,
    search: async (term, options) => {
      log.push(["search", term]);
      const ids = Object.keys(PAGES).filter((id) => !term || holds(id, term));
      const hits = ids.filter((id) => passes(id, (options || {}).filters));
      // the stand-in's "relevance": loose searches ranked by the page's words, most first; phrases unranked
      if (term && !term.startsWith('"')) hits.sort((x, y) => PAGES[y].words.length - PAGES[x].words.length);
      return { results: hits.map((id) => ({ id })), filters: counts(hits), totalFilters: counts(ids) };
    },
  };
}

function engine() {
  const log = [];
  const fetched = [];
  const pf = fakePagefind(log);
  const e = Engine.create({
    bundle: new URL("http://127.0.0.1/site/pagefind/"),
    siteBase: new URL("http://127.0.0.1/site/"),
    fetchJson: async (url) => {
      fetched.push(url);
      if (url.endsWith("/parts.json")) return INFO;
      if (url.includes("/sort-year.json")) return SORT_YEAR;
      throw new Error(url);
    },
    importLibrary: async (url) => {
      fetched.push(url);
      return pf;
    },
    withLanguage: (lang, fn) => {
      log.push(["lang", lang]);
      return fn();
    },
  });
  return { e, log, fetched, pf };
}

const ids = (found) => found.response.results.map((r) => r.id);
const state = (q, extra) => Object.assign({ q, sort: "", filters: {} }, extra);

test("the first part is Pagefind's index, the others are merged into it with their weights", async () => {
  const { e, log, fetched, pf } = engine();
  await Promise.all([e.load(), e.load()]);
  assert.deepEqual(fetched, ["http://127.0.0.1/site/pagefind/parts.json", "http://127.0.0.1/site/pagefind/pagefind.js"]);
  const options = log.find((x) => x[0] === "options")[1];
  assert.equal(options.basePath, "/site/pagefind/parts/2022/");
  assert.equal(options.baseUrl, "/site/");
  assert.deepEqual(options.mergeFilter, { [PART]: "2022" });
  assert.equal(options.metaCacheTag, "t1");
  assert.deepEqual(log.slice(1, 3), [["lang", "und"], ["init"]]); // started in the index's language
  assert.deepEqual(
    pf.merged.map(([path, o]) => [path, o.language, o.indexWeight]),
    [
      ["/site/pagefind/parts/2020/", "und", 1],
      ["/site/pagefind/parts/units/", "und", 1.5],
    ]
  );
});

test("a phrase finds the pages that hold it, ranked by its words", async () => {
  const { e } = engine();
  await e.load();
  const found = await e.find(state("信访处突"));
  assert.equal(found.exact, true);
  assert.equal(found.term, '"信访 访处 处突"');
  assert.deepEqual(ids(found), ["c", "b"]); // the order of the words' search, not the phrase's
});

test("a phrase that nothing holds is searched as its words, and says so", async () => {
  const { e } = engine();
  await e.load();
  const found = await e.find(state("经费信访"));
  assert.equal(found.exact, false);
  assert.equal(found.fallback, true);
  assert.equal(found.term, "经费 费信 信访");
});

test("a part that lacks one of the words is left out, not matched on the others", async () => {
  const { e } = engine();
  await e.load();
  // 劝返 is only in 2022; the units part would otherwise return 楚雄 (u) without it
  const found = await e.find(state("楚雄 劝返"));
  assert.deepEqual(found.only, { [PART]: { any: ["2022"] } });
  assert.deepEqual(ids(found), ["a"]);
});

test("the documents of words are never results", async () => {
  const { e } = engine();
  await e.load();
  const found = await e.find(state("xinfang"));
  assert.deepEqual(ids(found), []);
});

test("filters without a query: newest year first, pages without a year left out", async () => {
  const { e, fetched } = engine();
  await e.load();
  const found = await e.find(state("", { filters: { 类型: ["项目文本", "单位"] } }));
  assert.deepEqual(ids(found), ["a", "c"]);
  assert.equal(fetched.filter((u) => u.includes("sort-year.json")).length, 1);
  assert.ok(fetched.includes("http://127.0.0.1/site/pagefind/sort-year.json?v=t1"));
  assert.equal(await e.find(state("")), null);
});

test("a sort asked for orders across parts by the global table, fetched once", async () => {
  const { e, fetched } = engine();
  await e.load();
  const asc = await e.find(state("经费", { sort: "year:asc" }));
  assert.deepEqual(ids(asc), ["c", "a", "b"]);
  const desc = await e.find(state("经费", { sort: "year:desc" }));
  assert.deepEqual(ids(desc), ["a", "b", "c"]);
  assert.equal(fetched.filter((u) => u.includes("sort-year")).length, 1);
});

test("a facet's counts are those without its own selection", async () => {
  const { e, log } = engine();
  await e.load();
  const selection = { 年度: ["2020"] };
  const found = await e.find(state("经费", { filters: selection }));
  assert.deepEqual(ids(found), ["c"]);
  await e.loadFilters();
  assert.equal(e.filtersReady(), true);
  await e.loadFilters();
  assert.equal(log.filter((x) => x[0] === "filters").length, 1);
  const counts = await e.facetCounts(found, selection);
  assert.deepEqual(counts["年度"], { 2022: 2, 2020: 1 });
  assert.deepEqual(counts["类型"], { 项目文本: 1 });
});

test("a failed start is tried again on the next search", async () => {
  let calls = 0;
  const e = Engine.create({
    bundle: new URL("http://127.0.0.1/pagefind/"),
    siteBase: new URL("http://127.0.0.1/"),
    fetchJson: async () => {
      calls += 1;
      if (calls === 1) throw new Error("offline");
      return { parts: [] };
    },
    importLibrary: async () => assert.fail("no parts, no library"),
    withLanguage: (lang, fn) => fn(),
  });
  await assert.rejects(e.load(), /offline/);
  await assert.rejects(e.load(), /no parts/);
  assert.equal(calls, 2);
});

test("the merged index is Pagefind's only index; a part's weight goes by page number", async () => {
  // parts.json of parts merged on disk (generator/search/merged.py): pages 0-1 of 2022, 2 of units, "3" the words
  const info = Object.assign({}, INFO, { merged: "merged-t1", offsets: [0, 2, 2], skip: ["3"] });
  const log = [];
  const pf = {
    options: async (o) => log.push(["options", o]),
    init: async () => log.push(["init"]),
    mergeIndex: async () => log.push(["mergeIndex"]),
    search: async (term) => {
      log.push(["search", term]);
      const scores = { 0: 1.2, 1: 0.5, 2: 1.0, 3: 9 }; // the unit page "2" scores 1.0 × 1.5 = 1.5
      return { results: Object.keys(scores).map((id) => ({ id, score: scores[id] })), filters: {}, totalFilters: {} };
    },
  };
  const e = Engine.create({
    bundle: new URL("http://127.0.0.1/site/pagefind/"),
    siteBase: new URL("http://127.0.0.1/site/"),
    fetchJson: async () => info,
    importLibrary: async () => pf,
    withLanguage: (lang, fn) => fn(),
  });
  await e.load();
  assert.equal(log[0][1].basePath, "/site/pagefind/merged-t1/");
  assert.equal(log[0][1].mergeFilter, undefined);
  assert.ok(!log.some((x) => x[0] === "mergeIndex"));
  assert.equal(e.singleChars(), true);
  const found = await e.find(state("xfj"));
  assert.deepEqual(ids(found), ["2", "0", "1"]); // the unit first, the words' document left out
  assert.deepEqual(log.filter((x) => x[0] === "search").map((x) => x[1]), ["", "xfj"]); // no per-part word check
});
