/* gongkai site search: the 搜索 page — DOM, events, rendering, and the search state in the URL.
 *
 * Three scripts, loaded in order by site_templates/search.md.j2, none from another host:
 * gk-search-query.js (`gkSearchQuery`: the query cut into the index's character pairs and words,
 * the order of results; pure functions), gk-search-engine.js (`gkSearchEngine`: Pagefind and its
 * index parts; no DOM) — both unit-tested under Node in tests/js/ — and this one. A query is
 * searched as an exact phrase of its pairs and, if that finds nothing, as its words; results,
 * filters (counts as if a facet were not selected) and the sort list are shown; the state is
 * kept in the URL, so a search can be shared.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-gk-search-page]");
  var Q = window.gkSearchQuery;
  if (!root || !Q || !window.gkSearchEngine) return;

  var FACETS = Q.FACETS;
  var SORTS = Q.SORTS;
  var PAGE_SIZE = 10;
  var FACET_SHOWN = 8; // values shown before "显示全部"

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
  var current = null; // {results, shown, found}
  var runId = 0;
  var engine = window.gkSearchEngine.create({
    bundle: bundle,
    siteBase: siteBase,
    fetchJson: function (url, init) {
      return fetch(url, init).then(function (r) {
        if (!r.ok) throw new Error(url + ": HTTP " + r.status);
        return r.json();
      });
    },
    importLibrary: function (url) {
      return import(url);
    },
    withLanguage: function (lang, fn) {
      var html = document.documentElement;
      var before = html.getAttribute("lang");
      html.setAttribute("lang", lang);
      try {
        return fn();
      } finally {
        html.setAttribute("lang", before); // the page's own language, back at once
      }
    },
  });

  // ---- state <-> URL ----------------------------------------------------

  function readUrl() {
    var read = Q.readState(location.search);
    state.q = read.q;
    state.sort = read.sort;
    state.filters = read.filters;
  }

  function writeUrl() {
    var qs = Q.stateSearch(state);
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
  }

  function pagefindFilters(except) {
    return Q.pagefindFilters(state.filters, except);
  }

  function load() {
    return engine.load().then(function () {
      root.setAttribute("data-gk-ready", "");
    });
  }

  function find() {
    return engine.find(state);
  }

  function facetCounts(found) {
    return engine.facetCounts(found, state.filters);
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

  function resultItem(data) {
    var m = Q.display(data.meta);
    var excerpt = el("p", { class: "gk-result__excerpt" });
    excerpt.innerHTML = Q.excerptHtml(data.excerpt || "", engine.singleChars());
    return el("li", { class: "gk-result" }, [
      el("h3", { class: "gk-result__title" }, [el("a", { href: data.url, text: m.name || data.url })]),
      el("p", { class: "gk-result__facts", text: Q.resultFacts(m) }),
      excerpt,
    ]);
  }

  /**
   * The first page of an exact phrase: pages named by the phrase first, then those whose name
   * holds it, each in rank order. Ranks of different index parts are not quite comparable (each
   * part weighs words by its own pages), so the name decides where it can; no extra download,
   * as the first page's data is loaded to show it anyway.
   */
  function namesFirst(batch, datas) {
    var phrase = current.found.exact && !state.sort ? Q.queryParts(state.q)[0] : null;
    if (!phrase) return;
    var order = Q.namesFirst(
      datas.map(function (d) {
        return Q.display(d.meta).name;
      }),
      phrase
    );
    var b = batch.slice();
    var d = datas.slice();
    order.forEach(function (i, k) {
      batch[k] = b[i];
      datas[k] = d[i];
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
      var keys = Q.facetValues(f, values, selected);
      if (!keys.length) return;
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
            if (!engine.filtersReady()) {
              return engine.loadFilters().then(function () {
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
