/* gongkai site search (the 搜索 page). Runs Pagefind's index from this site only.
 *
 * The index (generator/search.py) holds every Han character as a word of its own, so the
 * query is spaced the same way here: one run of Chinese (信访处突) is searched as an exact
 * phrase of its characters; several words, pinyin (xinfangju, xin fang ju, xfj) and
 * numbers are searched as words that must all occur, pinyin matching word starts.
 * If an exact phrase finds nothing, its characters are searched as separate words.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-gk-search-page]");
  if (!root) return;

  // Keep in step with generator/search.py (HAN).
  var HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var HAN_ONE = new RegExp("([" + HAN + "])", "g");
  var HAS_HAN = new RegExp("[" + HAN + "]");
  var NOT_WORD = new RegExp("[^0-9a-z" + HAN + "]+");
  var WIDE = "\u3000-\u303f" + HAN + "\uff00-\uffef";
  var GAP = new RegExp("([" + WIDE + "])((?:</?mark>)*) ((?:</?mark>)*)(?=[" + WIDE + "])", "g");
  var PAGE_SIZE = 10;
  var RANK_META = { title: 5, py: 3, pyx: 1, name: 0, unit: 0, year: 0, kind: 0, amount: 0, amount_label: 0, region: 0, count: 0 };
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
  var list = root.querySelector("[data-gk-results]");
  var more = root.querySelector("[data-gk-more]");
  var sortSelect = root.querySelector("[data-gk-sort]");
  var empty = root.querySelector("[data-gk-empty]");
  var bundle = new URL(root.getAttribute("data-pagefind"), document.baseURI);
  var siteBase = new URL(root.getAttribute("data-site"), document.baseURI);

  var state = { q: "", filters: {}, sort: "", expanded: {} };
  var pagefind = null;
  var filtersLoaded = false;
  var current = null; // {results, shown, exact}
  var runId = 0;

  // ---- query ------------------------------------------------------------

  function spaced(text) {
    return text.replace(HAN_ONE, " $1 ").replace(/\s+/g, " ").trim();
  }

  function parts(q) {
    return q.normalize("NFKC").toLowerCase().split(NOT_WORD).filter(Boolean);
  }

  /** Pagefind queries for `q`: [query, exact?] in the order to try. */
  function plans(q) {
    var p = parts(q);
    if (!p.length) return [];
    var words = p.map(spaced).join(" ");
    if (p.length === 1 && HAS_HAN.test(p[0]) && words.indexOf(" ") > 0) {
      return [['"' + words + '"', true], [words, false]];
    }
    return [[words, false]];
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

  function load() {
    if (pagefind) return Promise.resolve(pagefind);
    return import(new URL("pagefind.js", bundle).href).then(function (pf) {
      return pf
        .options({
          basePath: bundle.pathname,
          baseUrl: siteBase.pathname,
          excerptLength: 36,
          noWorker: true,
          // The name ranks highest, then pinyin; the shown-only fields do not rank.
          ranking: { metaWeights: RANK_META },
        })
        .then(function () {
          return pf.init();
        })
        .then(function () {
          pagefind = pf;
          return pf;
        });
    });
  }

  function search(term, filters, extra) {
    var opts = Object.assign({ filters: filters }, extra || {});
    return pagefind.search(term, opts);
  }

  /** Results for the state: exact phrase first, its words next; ranked by relevance unless sorted. */
  function find() {
    var tries = plans(state.q);
    var filters = pagefindFilters(null);
    if (!tries.length) {
      if (!Object.keys(filters).length) return Promise.resolve(null);
      return search(null, filters, state.sort ? sortOption() : { sort: { year: "desc" } }).then(function (r) {
        return { response: r, term: null, exact: false };
      });
    }
    function attempt(i) {
      var term = tries[i][0];
      var exact = tries[i][1];
      return search(term, filters, sortOption()).then(function (r) {
        if (!r.results.length && i + 1 < tries.length) return attempt(i + 1);
        if (!exact || state.sort) return { response: r, term: term, exact: exact, fallback: i > 0 };
        // An exact phrase has no ranking of its own: order by the score of its words.
        return search(tries[i + 1][0], filters).then(function (loose) {
          var score = {};
          loose.results.forEach(function (x) {
            score[x.id] = x.score;
          });
          r.results.sort(function (a, b) {
            return (score[b.id] || 0) - (score[a.id] || 0);
          });
          return { response: r, term: term, exact: true, fallback: false };
        });
      });
    }
    return attempt(0);
  }

  /** Counts per facet value: for a facet with a selection, as if that facet were not selected. */
  function facetCounts(found) {
    var counts = Object.assign({}, found.response.filters);
    var selected = FACETS.filter(function (f) {
      return (state.filters[f] || []).length;
    });
    return Promise.all(
      selected.map(function (f) {
        return search(found.term, pagefindFilters(f)).then(function (r) {
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

  function excerptHtml(html) {
    // Pagefind escapes the text and adds <mark>; only the spaces between Han characters go.
    return html.replace(GAP, "$1$2$3").replace(GAP, "$1$2$3").replace(/<\/mark>(\s*)<mark>/g, "$1");
  }

  function resultItem(data) {
    var m = data.meta || {};
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
      el("h3", { class: "gk-result__title" }, [el("a", { href: data.url, text: m.name || m.title || data.url })]),
      el("p", { class: "gk-result__facts", text: facts.filter(Boolean).join(" · ") }),
      excerpt,
    ]);
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

  readUrl();
  input.value = state.q;
  sortSelect.value = state.sort;
  root.classList.add("gk-search--js");
  if (state.q || Object.keys(state.filters).length) run();
  else input.focus();
})();
