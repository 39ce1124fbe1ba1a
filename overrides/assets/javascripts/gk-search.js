/* gongkai site search (the 搜索 page). Runs Pagefind's index from this site only.
 *
 * The index (generator/search.py) writes Chinese as overlapping character pairs
 * (信访处突 → 信访 访处 处突 突), so the query is cut the same way here: one run of two or
 * more characters is searched as an exact phrase of its pairs, ranked by its words (names
 * first); a single character matches as the start of a pair; several words, pinyin
 * (xinfangju, xin fang ju, xfj) and numbers are searched as words that must all occur,
 * pinyin matching word starts. If an exact phrase finds nothing, its pairs are searched
 * as separate words. Excerpts are turned back from pairs into the text.
 *
 * The index is in parts (generator/search_parts.py): parts.json names them; pagefind.js is
 * imported once, the first part is Pagefind's primary index and the others are merged into it
 * (mergeIndex; they share its WebAssembly). Merged sorted results would be ordered by each
 * part's own ranks, so sorting uses the global order in sort-<key>.json instead. Pagefind
 * leaves out a query word its index does not hold (and replaces a word of letters by a
 * prefix it holds), so a part without a word would return pages that lack it: such parts
 * are left out of the search (onlyParts). Every part holds a document of all pinyin words
 * (parts.json `skip`), so pinyin is matched alike in every part; it is never a result.
 * Each part's ranks are weighed (parts.json `weights`, Pagefind's indexWeight) so that short
 * unit pages rank as they would in one index over everything.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-gk-search-page]");
  if (!root) return;

  // Keep in step with generator/search.py (HAN).
  var HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var HAN_RUN = new RegExp("[" + HAN + "]+|[^" + HAN + "]+", "g");
  var IS_HAN = new RegExp("^[" + HAN + "]$");
  var NOT_WORD = new RegExp("[^0-9a-z" + HAN + "]+");
  var WIDE = new RegExp("[\u3000-\u303f" + HAN + "\uff00-\uffef]");
  var PAGE_SIZE = 10;
  var PART = "gk-part"; // a filter Pagefind adds to every page of a part (mergeFilter): the part's name
  var NO_PART = "-"; // no part has this name (search_parts.py)
  var INDEX_LANG = "und"; // generator/search.py, LANGUAGE
  var RANK_LIMIT = 1000; // exact-phrase results ranked by relevance up to this many
  var MAX_WORDS = 12; // index words looked up per query (a phrase of 13 characters)
  var RANK_META = { title: 5, py: 3, pyx: 1, d: 0 };
  var FACETS = ["年度", "类型", "省份", "市州", "单位"];
  var FACET_SHOWN = 8; // values shown before "显示全部"
  var SORTS = {
    "": "相关度",
    "year:desc": "年度（新→旧）",
    "year:asc": "年度（旧→新）",
    "amount:desc": "金额（高→低）",
    "amount:asc": "金额（低→高）",
  };

  var form = root.querySelector("form");
  var input = root.querySelector("input[name=q]");
  var status = root.querySelector("[data-gk-status]");
  var ui = root.querySelector("[data-gk-ui]");
  var facetsBox = root.querySelector("[data-gk-facets]");
  var facetsPanel = root.querySelector("[data-gk-facets-box]");
  var facetsCount = root.querySelector("[data-gk-facets-count]");
  var list = root.querySelector("[data-gk-results]");
  var more = root.querySelector("[data-gk-more]");
  var sortSelect = root.querySelector("[data-gk-sort]");
  var empty = root.querySelector("[data-gk-empty]");
  var bundle = new URL(root.getAttribute("data-pagefind"), document.baseURI);
  var siteBase = new URL(root.getAttribute("data-site"), document.baseURI);

  var state = { q: "", filters: {}, sort: "", expanded: {} };
  var pagefind = null;
  var loading = null; // the first load(), while it runs
  var index = null; // parts.json: {tag, pages, parts, skip, weights}
  var skip = Object.create(null); // ids of the parts' documents of words (not pages)
  var orders = {}; // sort key → promise of {page id: [group, position]} (sortTable)
  var filtersLoaded = false;
  var current = null; // {results, shown, exact}
  var runId = 0;

  // ---- query ------------------------------------------------------------

  /** A part of the query as index words: Chinese runs as pairs (no closing character). */
  function words(part) {
    var out = [];
    (part.match(HAN_RUN) || []).forEach(function (run) {
      if (!IS_HAN.test(run[0])) {
        out.push(run);
      } else if (run.length === 1) {
        out.push(run);
      } else {
        for (var i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
      }
    });
    return out;
  }

  function parts(q) {
    return q.normalize("NFKC").toLowerCase().split(NOT_WORD).filter(Boolean);
  }

  /** How to search `q`: {phrase, loose} (phrase null unless `q` is one Chinese run of 2+ characters). */
  function plan(q) {
    var p = parts(q);
    if (!p.length) return null;
    var all = [];
    p.forEach(function (part) {
      all = all.concat(words(part));
    });
    // A pasted paragraph would fetch an index file per pair: its first words find it just as well.
    all = all.slice(0, MAX_WORDS);
    var loose = all.join(" ");
    var one = p.length === 1 && p[0].length > 1 && new RegExp("^[" + HAN + "]+$").test(p[0]);
    return { phrase: one ? '"' + loose + '"' : null, loose: loose };
  }

  // ---- state <-> URL ----------------------------------------------------

  function readUrl() {
    var params = new URLSearchParams(location.search);
    state.q = (params.get("q") || "").trim();
    state.sort = SORTS.hasOwnProperty(params.get("sort") || "") ? params.get("sort") || "" : "";
    state.filters = {};
    FACETS.forEach(function (f) {
      var values = params.getAll(f);
      if (values.length) state.filters[f] = values;
    });
  }

  function writeUrl() {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FACETS.forEach(function (f) {
      (state.filters[f] || []).forEach(function (v) {
        params.append(f, v);
      });
    });
    if (state.sort) params.set("sort", state.sort);
    var qs = params.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
  }

  function pagefindFilters(except) {
    var out = {};
    Object.keys(state.filters).forEach(function (f) {
      if (f !== except && state.filters[f].length) out[f] = { any: state.filters[f] };
    });
    return out;
  }

  function sortOption() {
    if (!state.sort) return {};
    var s = state.sort.split(":");
    var o = {};
    o[s[0]] = s[1];
    return { sort: o };
  }

  // ---- Pagefind ---------------------------------------------------------

  function fetchJson(url, init) {
    return fetch(url, init).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }

  function load() {
    if (pagefind) return Promise.resolve(pagefind);
    if (loading) return loading;
    // The part list changes with every build, so it is checked with the server each time; the
    // files it leads to are named by content or carry its tag, and may come from the cache.
    loading = fetchJson(new URL("parts.json", bundle).href, { cache: "no-cache" }).then(function (info) {
      if (!info.parts || !info.parts.length) throw new Error("parts.json: no parts");
      index = info;
      (info.skip || []).forEach(function (id) {
        skip[id] = true;
      });
      var paths = info.parts.map(function (name) {
        return new URL("parts/" + name + "/", bundle).pathname;
      });
      var tagged = function (i) {
        var f = {};
        f[PART] = info.parts[i];
        return { mergeFilter: f, indexWeight: (info.weights || {})[info.parts[i]] || 1 };
      };
      var shared = {
        baseUrl: siteBase.pathname,
        excerptLength: 40,
        // The name ranks highest, then pinyin; the display field does not rank.
        ranking: { metaWeights: RANK_META },
        metaCacheTag: info.tag,
      };
      return import(new URL("pagefind.js", bundle).href).then(function (pf) {
        return pf
          .options(Object.assign({ basePath: paths[0], noWorker: true }, shared, tagged(0)))
          .then(function () {
            // Pagefind takes the language from <html lang> when it starts, and for "zh" cuts
            // every query again with Intl.Segmenter. The query is cut here already, so it is
            // started with the index's own language, and the page's is put back at once.
            var html = document.documentElement;
            var lang = html.getAttribute("lang");
            html.setAttribute("lang", INDEX_LANG);
            try {
              return pf.init();
            } finally {
              html.setAttribute("lang", lang);
            }
          })
          .then(function () {
            return Promise.all(
              paths.slice(1).map(function (path, i) {
                return pf.mergeIndex(path, Object.assign({ language: INDEX_LANG }, shared, tagged(i + 1)));
              })
            );
          })
          .then(function () {
            return pf.search(""); // returns once every part's file list and the WebAssembly are loaded
          })
          .then(function () {
            pagefind = pf;
            root.setAttribute("data-gk-ready", "");
            return pf;
          });
      });
    });
    loading.catch(function () {
      loading = null; // try again on the next search
    });
    return loading;
  }

  function search(term, filters) {
    return pagefind.search(term, { filters: filters }).then(function (r) {
      r.results = r.results.filter(function (x) {
        return !skip[x.id];
      });
      return r;
    });
  }

  /**
   * The part filter for a query of words: only the parts that hold every word found anywhere.
   * Each word is looked up with a filter no page has, so Pagefind only counts its pages per
   * part (totalFilters) and scores none: a few milliseconds, from index files already loaded.
   * A word of three or more letters or digits is looked up as itself ("…"): Pagefind would
   * count a shorter prefix in a part without it. Null when every part holds every word.
   */
  function onlyParts(term) {
    var none = {};
    none[PART] = { any: [NO_PART] };
    return Promise.all(
      term.split(" ").map(function (w) {
        var exact = w.length > 2 && /^[0-9a-z]+$/.test(w);
        return pagefind.search(exact ? '"' + w + '"' : w, { filters: none }).then(function (r) {
          return (r.totalFilters || {})[PART] || {};
        });
      })
    ).then(function (perWord) {
      var found = perWord.filter(function (counts) {
        return Object.keys(counts).some(function (k) {
          return counts[k] > 0;
        });
      });
      var ok = index.parts.filter(function (name) {
        return found.every(function (counts) {
          return counts[name] > 0;
        });
      });
      if (ok.length === index.parts.length) return null;
      var only = {};
      only[PART] = { any: ok.length ? ok : [NO_PART] };
      return only;
    });
  }

  /** The global order of a sort key (sort-<key>.json): {page id: [group of equal value, position]}. */
  function sortTable(key) {
    if (!orders[key]) {
      var url = new URL("sort-" + key + ".json?v=" + encodeURIComponent(index.tag), bundle).href;
      orders[key] = fetchJson(url).then(function (table) {
        var rank = Object.create(null);
        table.order.split(",").forEach(function (group, g) {
          group.split(" ").forEach(function (id, i) {
            if (id) rank[table.prefix + id] = [g, i];
          });
        });
        return rank;
      });
      orders[key].catch(function () {
        delete orders[key];
      });
    }
    return orders[key];
  }

  /** `results` of all parts in the order of `spec` ({key: "asc"|"desc"}); pages without the key left out. */
  function arrange(results, spec) {
    var key = Object.keys(spec)[0];
    var sign = spec[key] === "desc" ? -1 : 1;
    return sortTable(key).then(function (rank) {
      return results
        .filter(function (r) {
          return r.id in rank;
        })
        .sort(function (a, b) {
          var x = rank[a.id];
          var y = rank[b.id];
          return sign * (x[0] - y[0]) || x[1] - y[1];
        });
    });
  }

  function sorted(response, spec) {
    return arrange(response.results, spec).then(function (results) {
      response.results = results;
      return response;
    });
  }

  /** Results for the state: the exact phrase, else its words; ranked, or sorted if asked. */
  function find() {
    var p = plan(state.q);
    var filters = pagefindFilters(null);
    var order = sortOption().sort;
    if (!p) {
      if (!Object.keys(filters).length) return Promise.resolve(null);
      return search(null, filters)
        .then(function (r) {
          return sorted(r, order || { year: "desc" });
        })
        .then(function (r) {
          return { response: r, term: null, exact: false };
        });
    }
    function loose(fallback) {
      var only = null;
      return onlyParts(p.loose)
        .then(function (o) {
          only = o;
          return search(p.loose, Object.assign({}, filters, only));
        })
        .then(function (r) {
          return order ? sorted(r, order) : r;
        })
        .then(function (r) {
          return { response: r, term: p.loose, exact: false, fallback: fallback, only: only };
        });
    }
    if (!p.phrase) return loose(false);
    return search(p.phrase, filters).then(function (r) {
      if (!r.results.length) return loose(true);
      var found = { response: r, term: p.phrase, exact: true };
      if (order) {
        return sorted(r, order).then(function () {
          return found;
        });
      }
      // Pagefind does not rank exact phrases. Up to RANK_LIMIT results, rank them by their
      // words (same index files, no extra download; a phrase in the name ranks highest);
      // beyond that, newest first, units after.
      var ranked = r.results.length <= RANK_LIMIT;
      var by = ranked
        ? search(p.loose, filters).then(function (o) {
            return o.results;
          })
        : arrange(r.results.slice(), { year: "desc" });
      return by.then(function (list) {
        var pos = {};
        list.forEach(function (x, i) {
          pos[x.id] = i;
        });
        var n = list.length;
        r.results.sort(function (a, b) {
          return (a.id in pos ? pos[a.id] : n) - (b.id in pos ? pos[b.id] : n);
        });
        return found;
      });
    });
  }

  /** Counts per facet value: for a facet with a selection, as if that facet were not selected. */
  function facetCounts(found) {
    var counts = Object.assign({}, found.response.filters);
    var selected = FACETS.filter(function (f) {
      return (state.filters[f] || []).length;
    });
    return Promise.all(
      selected.map(function (f) {
        return search(found.term, Object.assign(pagefindFilters(f), found.only)).then(function (r) {
          counts[f] = r.filters[f] || {};
        });
      })
    ).then(function () {
      return counts;
    });
  }

  // ---- rendering --------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function isWide(ch) {
    return !!ch && WIDE.test(ch);
  }

  /** Pagefind's excerpt of the pair text (escaped, with <mark>) back into the text as written. */
  function excerptHtml(html) {
    var out = "";
    var lastChar = "";
    var pairEnd = null; // second character of the pair just read, while a run goes on
    html.split(" ").forEach(function (raw) {
      var marked = raw.indexOf("<mark>") >= 0;
      var tok = raw.replace(/<\/?mark>/g, "");
      if (!tok) return;
      var chars = Array.from(tok);
      var text;
      if (chars.length === 2 && IS_HAN.test(chars[0]) && IS_HAN.test(chars[1])) {
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

  function display(data) {
    try {
      return JSON.parse((data.meta || {}).d || "{}");
    } catch (e) {
      return {};
    }
  }

  function resultItem(data) {
    var m = display(data);
    var facts = [];
    if (m.kind === "单位") {
      facts.push("单位", m.region || "");
      if (m.count) facts.push("公开文本 " + m.count + " 份");
    } else {
      facts.push(m.unit || "", m.year ? m.year + "年" : "", m.kind || "");
      if (m.amount) facts.push((m.amount_label || "金额") + " " + m.amount);
    }
    var excerpt = el("p", { class: "gk-result__excerpt" });
    excerpt.innerHTML = excerptHtml(data.excerpt || "");
    return el("li", { class: "gk-result" }, [
      el("h3", { class: "gk-result__title" }, [el("a", { href: data.url, text: m.name || data.url })]),
      el("p", { class: "gk-result__facts", text: facts.filter(Boolean).join(" · ") }),
      excerpt,
    ]);
  }

  /** How closely a result's name holds the phrase typed: 0 the name itself, 1 in the name, 2 elsewhere. */
  function nameMatch(data, phrase) {
    var name = (display(data).name || "").normalize("NFKC");
    return name === phrase ? 0 : name.indexOf(phrase) >= 0 ? 1 : 2;
  }

  /**
   * The first page of an exact phrase: pages named by the phrase first, then those whose name
   * holds it, each in rank order. Ranks of different index parts are not quite comparable (each
   * part weighs words by its own pages), so the name decides where it can; no extra download,
   * as the first page's data is loaded to show it anyway.
   */
  function namesFirst(batch, datas) {
    var phrase = current.found.exact && !state.sort ? parts(state.q)[0] : null;
    if (!phrase) return;
    var order = datas.map(function (d, i) {
      return { match: nameMatch(d, phrase), i: i };
    });
    order.sort(function (a, b) {
      return a.match - b.match || a.i - b.i;
    });
    var b = batch.slice();
    var d = datas.slice();
    order.forEach(function (o, k) {
      batch[k] = b[o.i];
      datas[k] = d[o.i];
    });
    Array.prototype.splice.apply(current.results, [0, batch.length].concat(batch));
  }

  function showMore() {
    var start = current.shown;
    var batch = current.results.slice(start, start + PAGE_SIZE);
    var id = runId;
    return Promise.all(
      batch.map(function (r) {
        return r.data();
      })
    ).then(function (datas) {
      if (id !== runId) return;
      if (start === 0) namesFirst(batch, datas);
      datas.forEach(function (d) {
        list.appendChild(resultItem(d));
      });
      current.shown = start + batch.length;
      more.hidden = current.shown >= current.results.length;
      if (start > 0 && list.children[start]) list.children[start].querySelector("a").focus();
    });
  }

  function renderFacets(counts) {
    facetsBox.textContent = "";
    FACETS.forEach(function (f) {
      var values = counts[f] || {};
      var selected = state.filters[f] || [];
      var keys = Object.keys(values).filter(function (v) {
        return values[v] > 0 || selected.indexOf(v) >= 0;
      });
      if (!keys.length) return;
      keys.sort(function (a, b) {
        if (f === "年度") return b.localeCompare(a);
        return values[b] - values[a] || a.localeCompare(b, "zh");
      });
      var limit = state.expanded[f] ? keys.length : FACET_SHOWN;
      var box = el("fieldset", { class: "gk-facet" }, [el("legend", { text: f })]);
      keys.forEach(function (v, i) {
        var checked = selected.indexOf(v) >= 0;
        if (i >= limit && !checked) return;
        var id = "gk-f-" + FACETS.indexOf(f) + "-" + i;
        var box_ = el("input", { type: "checkbox", id: id, value: v, "data-facet": f });
        box_.checked = checked;
        box.appendChild(
          el("div", { class: "gk-facet__item" }, [
            box_,
            el("label", { for: id }, [v + " ", el("span", { class: "gk-facet__n", text: "（" + (values[v] || 0) + "）" })]),
          ])
        );
      });
      if (keys.length > limit) {
        box.appendChild(
          el("button", { type: "button", class: "gk-facet__all", "data-expand": f, text: "显示全部 " + keys.length + " 项" })
        );
      }
      facetsBox.appendChild(box);
    });
    var active = Object.keys(pagefindFilters(null)).length;
    var chosen = Object.keys(state.filters).reduce(function (n, f) {
      return n + state.filters[f].length;
    }, 0);
    facetsCount.textContent = chosen ? "（已选 " + chosen + " 项）" : "";
    if (active) {
      facetsBox.appendChild(el("button", { type: "button", class: "gk-facet__clear", "data-clear": "1", text: "清除全部筛选" }));
    }
  }

  function renderEmpty() {
    var q = state.q;
    var filtered = Object.keys(pagefindFilters(null)).length > 0;
    empty.textContent = "";
    empty.appendChild(
      el("p", { class: "gk-empty__title" }, [
        el("strong", { text: q ? "没有找到“" + q + "”相关的公开文本。" : "没有符合筛选条件的公开文本。" }),
      ])
    );
    var tips = el("ul");
    if (q) {
      tips.appendChild(el("li", { text: "检查是否有错别字，或者只输入名称中的几个字，例如“信访”。" }));
      tips.appendChild(el("li", { text: "用拼音或拼音首字母搜索单位和项目名称，例如 xinfangju、xin fang ju 或 xfj。" }));
    }
    if (filtered) {
      tips.appendChild(
        el("li", {}, ["去掉已选的筛选条件：", el("button", { type: "button", "data-clear": "1", text: "清除全部筛选" })])
      );
    }
    var links = el("li", {}, ["浏览全部公开文本："]);
    [
      ["units/", "按单位"],
      ["years/", "按年度"],
      ["regions/", "按地区"],
    ].forEach(function (pair, i) {
      if (i) links.appendChild(document.createTextNode("、"));
      links.appendChild(el("a", { href: new URL(pair[0], siteBase).href, text: pair[1] }));
    });
    tips.appendChild(links);
    empty.appendChild(el("p", { text: "可以试试：" }));
    empty.appendChild(tips);
    empty.hidden = false;
  }

  function setStatus(text) {
    status.textContent = text;
  }

  // ---- run --------------------------------------------------------------

  function run() {
    var id = ++runId;
    writeUrl();
    list.textContent = "";
    more.hidden = true;
    empty.hidden = true;
    if (!state.q && !Object.keys(pagefindFilters(null)).length) {
      ui.hidden = true;
      setStatus("");
      return Promise.resolve();
    }
    ui.hidden = false;
    root.setAttribute("aria-busy", "true");
    setStatus("正在搜索…");
    return load()
      .then(find)
      .then(function (found) {
        if (id !== runId) return;
        if (!found) return;
        current = { results: found.response.results, shown: 0, found: found };
        var n = current.results.length;
        var what = state.q ? "“" + state.q + "”" : "所选条件";
        if (!n) {
          setStatus("没有找到" + what + "相关的公开文本");
          renderEmpty();
        } else {
          var note = found.fallback ? "（没有完全一致的词句，以下结果包含这些字）" : "";
          setStatus("找到 " + n + " 条与" + what + "相关的结果" + note);
        }
        return showMore()
          .then(function () {
            if (id !== runId) return;
            // Filter counts need Pagefind's filter index: loaded after the first results show.
            if (!filtersLoaded) {
              return pagefind.filters().then(function () {
                filtersLoaded = true;
                return find().then(function (again) {
                  if (id !== runId || !again) return;
                  current.found = again;
                });
              });
            }
          })
          .then(function () {
            if (id !== runId) return;
            return facetCounts(current.found).then(function (counts) {
              if (id === runId) renderFacets(counts);
            });
          });
      })
      .catch(function (err) {
        if (id !== runId) return;
        setStatus("搜索暂时无法使用，请稍后再试，或按单位、年度、地区浏览。");
        if (window.console) console.error(err);
      })
      .then(function () {
        if (id === runId) root.removeAttribute("aria-busy");
      });
  }

  // ---- events -----------------------------------------------------------

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    state.q = input.value.trim();
    run();
  });

  var typing = null;
  input.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () {
      if (input.value.trim() !== state.q) {
        state.q = input.value.trim();
        run();
      }
    }, 350);
  });

  sortSelect.addEventListener("change", function () {
    state.sort = sortSelect.value;
    run();
  });

  function clearFilters() {
    state.filters = {};
    run().then(function () {
      input.focus();
    });
  }

  root.addEventListener("change", function (e) {
    var t = e.target;
    if (!t.matches || !t.matches("input[data-facet]")) return;
    var f = t.getAttribute("data-facet");
    var values = (state.filters[f] || []).filter(function (v) {
      return v !== t.value;
    });
    if (t.checked) values.push(t.value);
    state.filters[f] = values;
    var focusId = t.id;
    var value = t.value;
    run().then(function () {
      var again = root.querySelector('input[data-facet="' + f + '"][value="' + CSS.escape(value) + '"]');
      (again || document.getElementById(focusId) || input).focus();
    });
  });

  root.addEventListener("click", function (e) {
    var t = e.target;
    if (t.hasAttribute && t.hasAttribute("data-clear")) clearFilters();
    if (t.hasAttribute && t.hasAttribute("data-expand")) {
      var f = t.getAttribute("data-expand");
      state.expanded[f] = true;
      facetCounts(current.found).then(function (counts) {
        renderFacets(counts);
        var first = facetsBox.querySelector('input[data-facet="' + f + '"]');
        if (first) first.focus();
      });
    }
  });

  more.addEventListener("click", function () {
    showMore();
  });

  Object.keys(SORTS).forEach(function (k) {
    sortSelect.appendChild(el("option", { value: k, text: SORTS[k] }));
  });

  // On a phone the filters start folded, so the results come first on the screen.
  if (window.matchMedia && window.matchMedia("(max-width: 59.984em)").matches) facetsPanel.open = false;
  readUrl();
  input.value = state.q;
  sortSelect.value = state.sort;
  root.classList.add("gk-search--js");
  if (state.q || Object.keys(state.filters).length) {
    run();
  } else {
    input.focus();
    // Nothing to search yet: start Pagefind while the query is typed, so the first results come sooner.
    load().catch(function () {});
  }
})();
