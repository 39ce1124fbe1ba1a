// Unit tests of the search page's query logic (overrides/assets/javascripts/gk-search-query.js).
// Run: node --test tests/js/   (part of `make test`). That the Python index cuts text the same
// way is checked from the Python side: tests/test_search_query_js.py.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const Q = require("../../overrides/assets/javascripts/gk-search-query.js");

test("a Chinese run is cut into overlapping pairs, without the closing character", () => {
  assert.deepEqual(Q.words("信访处突"), ["信访", "访处", "处突"]);
  assert.deepEqual(Q.words("信"), ["信"]);
  assert.deepEqual(Q.words("2020年经费"), ["2020", "年经", "经费"]);
  assert.deepEqual(Q.words("〇二"), ["〇二"]); // 〇 is a Han character here, as in the index
  assert.deepEqual(Q.words("㐀丁"), ["㐀丁"]); // Extension A
  assert.deepEqual(Q.words("xinfangju"), ["xinfangju"]);
});

test("the query is NFKC-normalised, lower-cased and cut at anything that is not a word", () => {
  assert.deepEqual(Q.queryParts("ＸｉｎＦａｎｇ　ＪＵ，信访！"), ["xinfang", "ju", "信访"]);
  assert.deepEqual(Q.queryParts("  ,, "), []);
  assert.deepEqual(Q.queryParts("５３．５０万元"), ["53", "50万元"]);
});

test("one Chinese run of two or more characters is an exact phrase of its pairs", () => {
  assert.deepEqual(Q.plan("信访处突"), { phrase: '"信访 访处 处突"', loose: "信访 访处 处突" });
  assert.deepEqual(Q.plan(" 劝返 "), { phrase: '"劝返"', loose: "劝返" });
});

test("a single character, several words, pinyin and numbers are words, not a phrase", () => {
  assert.deepEqual(Q.plan("信"), { phrase: null, loose: "信" });
  assert.deepEqual(Q.plan("楚雄 劝返"), { phrase: null, loose: "楚雄 劝返" });
  assert.deepEqual(Q.plan("xin fang ju"), { phrase: null, loose: "xin fang ju" });
  assert.deepEqual(Q.plan("XFJ"), { phrase: null, loose: "xfj" });
  assert.deepEqual(Q.plan("2020"), { phrase: null, loose: "2020" });
  assert.equal(Q.plan("  "), null);
});

test("a pasted paragraph looks up at most MAX_WORDS index words", () => {
  const p = Q.plan("对上省进京到九江市访群众差旅费2万元");
  assert.equal(Q.MAX_WORDS, 12);
  assert.equal(p.loose.split(" ").length, 12);
  assert.equal(p.phrase, null); // digits inside: not one Chinese run
  const long = Q.plan("一二三四五六七八九十甲乙丙丁戊");
  assert.equal(long.loose.split(" ").length, 12);
  assert.equal(long.phrase, '"' + long.loose + '"');
});

test("words of three or more letters or digits are counted per part as themselves", () => {
  assert.equal(Q.probeTerm("xinfang"), '"xinfang"');
  assert.equal(Q.probeTerm("2020"), '"2020"');
  assert.equal(Q.probeTerm("xf"), "xf"); // a prefix of two letters stays a prefix
  assert.equal(Q.probeTerm("信访"), "信访");
});

test("only the parts that hold every word found anywhere are searched", () => {
  const names = ["2022", "2020", "units"];
  // 劝返 only in 2022; 楚雄 in 2022 and the units
  assert.deepEqual(Q.partsHolding(names, [{ 2022: 3, units: 1 }, { 2022: 2 }]), ["2022"]);
  // every part holds every word: no restriction
  assert.equal(Q.partsHolding(names, [{ 2022: 1, 2020: 1, units: 4 }]), null);
  // a word found nowhere does not count (Pagefind leaves it out everywhere alike)
  assert.equal(Q.partsHolding(names, [{ 2022: 1, 2020: 1, units: 1 }, { 2022: 0 }]), null);
  // words that no one part holds together: no part
  assert.deepEqual(Q.partsHolding(names, [{ 2020: 1 }, { 2022: 1 }]), []);
});

test("a part's options carry its name as a filter and its rank weight", () => {
  const info = { parts: ["2022", "units"], weights: { units: 1.55 } };
  assert.deepEqual(Q.partOptions(info, "gk-part", 1), { mergeFilter: { "gk-part": "units" }, indexWeight: 1.55 });
  assert.deepEqual(Q.partOptions(info, "gk-part", 0), { mergeFilter: { "gk-part": "2022" }, indexWeight: 1 });
});

test("a global sort table orders results across parts; pages without the key are left out", () => {
  const rank = Q.rankTable({ prefix: "und_", order: "a1 b2,c3,d4 e5" });
  assert.deepEqual(rank.und_c3, [1, 0]);
  const results = ["und_e5", "und_c3", "und_x9", "und_a1", "und_b2", "und_d4"].map((id) => ({ id }));
  const ids = (rs) => rs.map((r) => r.id);
  assert.deepEqual(ids(Q.arrange(results, rank, "asc")), ["und_a1", "und_b2", "und_c3", "und_d4", "und_e5"]);
  // descending by group; pages of equal value keep their (URL) order
  assert.deepEqual(ids(Q.arrange(results, rank, "desc")), ["und_d4", "und_e5", "und_c3", "und_a1", "und_b2"]);
});

test("exact-phrase results are ordered like another result list, the others after", () => {
  const rs = ["a", "b", "c", "d"].map((id) => ({ id }));
  const by = ["c", "a"].map((id) => ({ id }));
  assert.deepEqual(
    Q.orderLike(rs, by).map((r) => r.id),
    ["c", "a", "b", "d"]
  );
  assert.deepEqual(
    rs.map((r) => r.id),
    ["a", "b", "c", "d"]
  ); // not changed in place
});

test("on the first screen, pages named by the phrase come first, then names holding it", () => {
  const names = ["信访工作经费", "盘龙区信访局2022年自评", "盘龙区信访局", undefined];
  assert.deepEqual(Q.namesFirst(names, "盘龙区信访局"), [2, 1, 0, 3]);
  assert.equal(Q.nameMatch("ＡＢ信访", "ab信访"), 2); // NFKC only: case is the name's own
  assert.equal(Q.nameMatch("AB信访", "AB信访"), 0);
});

test("an excerpt of pairs reads as the text again, marks kept", () => {
  // what Pagefind returns for the document text "信访 访处 处突 突经 经费 费 53.50 万元 元"
  const html = "<mark>信访</mark> <mark>访处</mark> <mark>处突</mark> 突经 经费 费 53.50 万元 元";
  assert.equal(Q.excerptHtml(html), "<mark>信访处突</mark>经费53.50万元");
  assert.equal(Q.excerptHtml("劝返 返。 工作"), "劝返。工作"); // closing character with its full stop
  assert.equal(Q.excerptHtml("total 53 yuan"), "total 53 yuan"); // spaces between words of letters stay
  assert.equal(Q.excerptHtml(""), "");
});

test("an excerpt of one character per pair (the merged index) reads as the text, a marked pair marks both", () => {
  // the same text as the merged index's fragment holds it: "信 访 处 突 经 费 53.50 万 元"
  const html = "<mark>信</mark> <mark>访</mark> <mark>处</mark> 突 经 费 53.50 万 元";
  assert.equal(Q.excerptHtml(html, true), "<mark>信访处突</mark>经费53.50万元");
  assert.equal(Q.excerptHtml("工 作 <mark>经</mark> 费 。 信 访", true), "工作<mark>经费</mark>。信访"); // 经费: one pair
  assert.equal(Q.excerptHtml("劝 返。 工 作", true), "劝返。工作");
  assert.equal(Q.excerptHtml("<mark>xfj</mark> 53 yuan", true), "<mark>xfj</mark> 53 yuan");
});

test("the result facts: a disclosure's unit, year, kind and amount; a unit's region and count", () => {
  const d = Q.display({ d: '{"name":"x","unit":"盘龙区信访局","year":"2020","kind":"项目文本","amount":"53.50 万元","amount_label":"资金安排合计"}' });
  assert.equal(Q.resultFacts(d), "盘龙区信访局 · 2020年 · 项目文本 · 资金安排合计 53.50 万元");
  assert.equal(Q.resultFacts({ kind: "单位", region: "云南省 › 昆明市", count: "2" }), "单位 · 云南省 › 昆明市 · 公开文本 2 份");
  assert.equal(Q.resultFacts({ kind: "单位" }), "单位");
  assert.deepEqual(Q.display({ d: "{broken" }), {});
  assert.deepEqual(Q.display(undefined), {});
});

test("facet values: years newest first, the others by count; a selected value with no pages stays", () => {
  assert.deepEqual(Q.facetValues("年度", { 2020: 1, 2022: 5, 2021: 0 }, []), ["2022", "2020"]);
  assert.deepEqual(Q.facetValues("类型", { 项目文本: 4, 单位: 4, 自评报告: 9, 绩效目标表: 0 }, ["绩效目标表"]), [
    "自评报告",
    "单位",
    "项目文本",
    "绩效目标表",
  ]);
});

test("the search state round-trips through the URL; an unknown sort is dropped", () => {
  const state = { q: "信访", sort: "amount:desc", filters: { 年度: ["2020", "2022"], 类型: ["项目文本"] } };
  const qs = Q.stateSearch(state);
  assert.deepEqual(Q.readState("?" + qs), state);
  assert.deepEqual(Q.readState("?q=+x+&sort=evil"), { q: "x", sort: "", filters: {} });
  assert.equal(Q.stateSearch({ q: "", sort: "", filters: {} }), "");
  assert.ok(Q.stateSearch(state).startsWith("q=%E4%BF%A1%E8%AE%BF&%E5%B9%B4%E5%BA%A6=2020"));
});

test("Pagefind filters and sort options from the state", () => {
  const filters = { 年度: ["2020"], 类型: [], 单位: ["盘龙区信访局"] };
  assert.deepEqual(Q.pagefindFilters(filters, null), { 年度: { any: ["2020"] }, 单位: { any: ["盘龙区信访局"] } });
  assert.deepEqual(Q.pagefindFilters(filters, "年度"), { 单位: { any: ["盘龙区信访局"] } });
  assert.deepEqual(Q.sortSpec("year:asc"), { year: "asc" });
  assert.equal(Q.sortSpec(""), null);
});
