/* gongkai site search: the query logic of the 搜索 page, as pure functions (no DOM, no Pagefind).
 *
 * The index (generator/search/index.py) writes Chinese as overlapping character pairs
 * (信访处突 → 信访 访处 处突 突), so a query is cut the same way here (`plan`): one run of two or
 * more characters is searched as an exact phrase of its pairs, ranked by its words; a single
 * character matches as the start of a pair; several words, pinyin (xinfangju, xin fang ju, xfj)
 * and numbers are searched as words that must all occur. Excerpts are turned back from pairs
 * into the text (`excerptHtml`). The rest decides what to do with Pagefind's answers: which
 * index parts can hold every word (`partsHolding`), the global sort orders across parts
 * (`rankTable`, `arrange`), the order of the first screen (`namesFirst`) and the URL state.
 *
 * A classic script (no bundler, no module loader): in the browser it defines `gkSearchQuery`,
 * which gk-search.js (the page: DOM, events, Pagefind) uses; under Node it is `module.exports`
 * (tests/js/, `node --test tests/js/`).
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.gkSearchQuery = api;
})(this, function () {
  "use strict";

  // The Han characters cut into pairs. One definition with generator/search/index.py
  // (HAN_CLASS): tests/test_search_query_js.py checks that the two agree.
  var HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var HAN_RUN = new RegExp("[" + HAN + "]+|[^" + HAN + "]+", "g");
  var IS_HAN = new RegExp("^[" + HAN + "]$");
  var ALL_HAN = new RegExp("^[" + HAN + "]+$");
  var NOT_WORD = new RegExp("[^0-9a-z" + HAN + "]+");
  // Characters written without spaces around them: CJK punctuation, Han, full-width forms.
  var WIDE = new RegExp("[\u3000-\u303f" + HAN + "\uff00-\uffef]");
  var MAX_WORDS = 12; // index words looked up per query (a phrase of 13 characters)
  var FACETS = ["年度", "类型", "省份", "市州", "单位"];
  var SORTS = {
    "": "相关度",
    "year:desc": "年度（新→旧）",
    "year:asc": "年度（旧→新）",
    "amount:desc": "金额（高→低）",
    "amount:asc": "金额（低→高）",
  };

  // ---- the query as index words ----------------------------------------------------

  /** The words of a query as typed: NFKC (full-width letters and digits), lower case, cut at anything else. */
  function queryParts(q) {
    return q.normalize("NFKC").toLowerCase().split(NOT_WORD).filter(Boolean);
  }

  /** One part of the query as index words: Chinese runs as pairs (no closing character), the rest as it is. */
  function words(part) {
    var out = [];
    (part.match(HAN_RUN) || []).forEach(function (run) {
      if (!IS_HAN.test(run[0]) || run.length === 1) {
        out.push(run);
      } else {
        for (var i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
      }
    });
    return out;
  }

  /** How to search `q`: {phrase, loose}; phrase is null unless `q` is one Chinese run of 2+ characters. Null for nothing to search. */
  function plan(q) {
    var p = queryParts(q);
    if (!p.length) return null;
    var all = [];
    p.forEach(function (part) {
      all = all.concat(words(part));
    });
    // A pasted paragraph would fetch an index file per pair: its first words find it just as well.
    var loose = all.slice(0, MAX_WORDS).join(" ");
    var one = p.length === 1 && p[0].length > 1 && ALL_HAN.test(p[0]);
    return { phrase: one ? '"' + loose + '"' : null, loose: loose };
  }

  // ---- index parts ---------------------------------------------------------------------

  /**
   * The term that counts a word's pages per part. A word of three or more letters or digits is
   * looked up as itself ("…"): Pagefind would count a shorter prefix in a part without it.
   */
  function probeTerm(word) {
    return word.length > 2 && /^[0-9a-z]+$/.test(word) ? '"' + word + '"' : word;
  }

  /**
   * The parts that hold every word found anywhere, from each word's pages per part
   * ([{part: pages}, …], one object per word). Null when that is every part; a word found in
   * no part at all does not count (Pagefind leaves it out of the search everywhere alike).
   */
  function partsHolding(names, perWord) {
    var found = perWord.filter(function (counts) {
      return names.some(function (k) {
        return counts[k] > 0;
      });
    });
    var ok = names.filter(function (name) {
      return found.every(function (counts) {
        return counts[name] > 0;
      });
    });
    return ok.length === names.length ? null : ok;
  }

  /** Pagefind's options for part `i` of parts.json: its name as a filter (mergeFilter) and its rank weight. */
  function partOptions(info, filterName, i) {
    var f = {};
    f[filterName] = info.parts[i];
    return { mergeFilter: f, indexWeight: (info.weights || {})[info.parts[i]] || 1 };
  }

  // ---- sorting across parts ------------------------------------------------------------

  /** A global sort order (sort-<key>.json: groups of equal value, ids without their prefix) as {page id: [group, position]}. */
  function rankTable(table) {
    var rank = Object.create(null);
    table.order.split(",").forEach(function (group, g) {
      group.split(" ").forEach(function (id, i) {
        if (id) rank[table.prefix + id] = [g, i];
      });
    });
    return rank;
  }

  /** `results` in the order of `rank` ("asc" or "desc" by group, pages of a group in their order); pages without a rank left out. */
  function arrange(results, rank, direction) {
    var sign = direction === "desc" ? -1 : 1;
    return results
      .filter(function (r) {
        return r.id in rank;
      })
      .sort(function (a, b) {
        var x = rank[a.id];
        var y = rank[b.id];
        return sign * (x[0] - y[0]) || x[1] - y[1];
      });
  }

  /** `results` in the order their ids have in `list`; those not in it after, as they were (a stable sort). */
  function orderLike(results, list) {
    var pos = Object.create(null);
    list.forEach(function (x, i) {
      if (!(x.id in pos)) pos[x.id] = i;
    });
    var n = list.length;
    var at = function (r) {
      return r.id in pos ? pos[r.id] : n;
    };
    return results.slice().sort(function (a, b) {
      return at(a) - at(b);
    });
  }

  /** How closely a name holds the phrase typed: 0 the name itself, 1 in the name, 2 not in it. */
  function nameMatch(name, phrase) {
    var n = (name || "").normalize("NFKC");
    return n === phrase ? 0 : n.indexOf(phrase) >= 0 ? 1 : 2;
  }

  /** The order of a first screen of results by their names: named by the phrase first, then holding it, each kept in rank order (indexes into `names`). */
  function namesFirst(names, phrase) {
    return names
      .map(function (name, i) {
        return { match: nameMatch(name, phrase), i: i };
      })
      .sort(function (a, b) {
        return a.match - b.match || a.i - b.i;
      })
      .map(function (o) {
        return o.i;
      });
  }

  // ---- results ---------------------------------------------------------------------------

  /** Whether `ch` (one character) is a Han character as the index counts them. */
  function isHan(ch) {
    return IS_HAN.test(ch);
  }

  function isWide(ch) {
    return !!ch && WIDE.test(ch);
  }

  /**
   * Pagefind's excerpt of the pair text (escaped, with <mark>) back into the text as written.
   * With `single`, each pair is written as its first character (the merged index's fragments,
   * generator/search/merged.py `slim_fragment`): a marked pair marks its second character too.
   */
  function excerptHtml(html, single) {
    var out = "";
    var lastChar = "";
    var pairEnd = null; // second character of the pair just read, while a run goes on
    var markNext = false; // single: the character before was a marked pair
    html.split(" ").forEach(function (raw) {
      var marked = raw.indexOf("<mark>") >= 0;
      var tok = raw.replace(/<\/?mark>/g, "");
      if (!tok) return;
      var chars = Array.from(tok);
      var text;
      if (single) {
        var han = chars.length === 1 && IS_HAN.test(tok);
        var extend = markNext && han;
        markNext = marked && han;
        marked = marked || extend;
        text = tok;
      } else if (chars.length === 2 && IS_HAN.test(chars[0]) && IS_HAN.test(chars[1])) {
        text = pairEnd === chars[0] ? chars[1] : tok; // a following pair adds one character
        pairEnd = chars[1];
      } else if (pairEnd !== null && chars[0] === pairEnd && !(chars[1] && IS_HAN.test(chars[1]))) {
        text = chars.slice(1).join(""); // the run's closing character (and any full stop after it)
        pairEnd = null;
      } else {
        text = tok;
        pairEnd = null;
      }
      if (!text) return;
      var first = Array.from(text)[0];
      var glue = out && !(isWide(lastChar) || isWide(first)) ? " " : "";
      out += glue + (marked ? "<mark>" + text + "</mark>" : text);
      lastChar = Array.from(text).pop();
    });
    return out.replace(/<\/mark><mark>/g, "");
  }

  /** What a result shows (the index's `d` meta field, JSON); {} if it is missing or broken. */
  function display(meta) {
    try {
      return JSON.parse((meta || {}).d || "{}");
    } catch (e) {
      return {};
    }
  }

  /** The facts line of a result: unit, year, kind and amount; for a unit page its region and count. */
  function resultFacts(m) {
    var facts = [];
    if (m.kind === "单位") {
      facts.push("单位", m.region || "");
      if (m.count) facts.push("公开文本 " + m.count + " 份");
    } else {
      facts.push(m.unit || "", m.year ? m.year + "年" : "", m.kind || "");
      if (m.amount) facts.push((m.amount_label || "金额") + " " + m.amount);
    }
    return facts.filter(Boolean).join(" · ");
  }

  /** A facet's values to show, in order: years newest first, others by count then name; zero counts only if selected. */
  function facetValues(facet, counts, selected) {
    return Object.keys(counts)
      .filter(function (v) {
        return counts[v] > 0 || selected.indexOf(v) >= 0;
      })
      .sort(function (a, b) {
        if (facet === "年度") return b.localeCompare(a);
        return counts[b] - counts[a] || a.localeCompare(b, "zh");
      });
  }

  // ---- the state in the URL --------------------------------------------------------------

  /** The search state of a URL's query string: {q, sort, filters: {facet: [values]}}; an unknown sort is dropped. */
  function readState(search) {
    var params = new URLSearchParams(search);
    var sort = params.get("sort") || "";
    var state = { q: (params.get("q") || "").trim(), sort: SORTS.hasOwnProperty(sort) ? sort : "", filters: {} };
    FACETS.forEach(function (f) {
      var values = params.getAll(f);
      if (values.length) state.filters[f] = values;
    });
    return state;
  }

  /** The query string of a state (without "?"; "" for nothing): shareable, read back by readState. */
  function stateSearch(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FACETS.forEach(function (f) {
      (state.filters[f] || []).forEach(function (v) {
        params.append(f, v);
      });
    });
    if (state.sort) params.set("sort", state.sort);
    return params.toString();
  }

  /** Pagefind's filters for the selected facet values, leaving out the facet `except`. */
  function pagefindFilters(filters, except) {
    var out = {};
    Object.keys(filters).forEach(function (f) {
      if (f !== except && filters[f].length) out[f] = { any: filters[f] };
    });
    return out;
  }

  /** "amount:desc" → {amount: "desc"}; "" → null (ranked by relevance). */
  function sortSpec(sort) {
    if (!sort) return null;
    var s = sort.split(":");
    var o = {};
    o[s[0]] = s[1];
    return o;
  }

  return {
    HAN: HAN,
    MAX_WORDS: MAX_WORDS,
    FACETS: FACETS,
    SORTS: SORTS,
    queryParts: queryParts,
    words: words,
    plan: plan,
    probeTerm: probeTerm,
    partsHolding: partsHolding,
    partOptions: partOptions,
    rankTable: rankTable,
    arrange: arrange,
    orderLike: orderLike,
    nameMatch: nameMatch,
    namesFirst: namesFirst,
    isHan: isHan,
    isWide: isWide,
    excerptHtml: excerptHtml,
    display: display,
    resultFacts: resultFacts,
    facetValues: facetValues,
    readState: readState,
    stateSearch: stateSearch,
    pagefindFilters: pagefindFilters,
    sortSpec: sortSpec,
  };
});
