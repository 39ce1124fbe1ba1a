/* gongkai site search: Pagefind for the 搜索 page — loading the index parts and answering a search state.
 *
 * No DOM: what the browser provides (fetch, import(), <html lang>) comes in as `deps`, so the
 * same code runs under Node against a stand-in Pagefind (tests/js/). The query logic is
 * gk-search-query.js (`gkSearchQuery`); the page (DOM, events, rendering) is gk-search.js.
 *
 * The index is in parts (generator/search/parts.py): parts.json names them; pagefind.js is
 * imported once, the first part is Pagefind's primary index and the others are merged into it
 * (mergeIndex; they share its WebAssembly). Merged sorted results would be ordered by each
 * part's own ranks, so sorting uses the global order in sort-<key>.json instead. Pagefind
 * leaves out a query word its index does not hold (and replaces a word of letters by a
 * prefix it holds), so a part without a word would return pages that lack it: such parts
 * are left out of the search (onlyParts). Every part holds a document of all pinyin words
 * (parts.json `skip`), so pinyin is matched alike in every part; it is never a result.
 * Each part's ranks are weighed (parts.json `weights`, Pagefind's indexWeight) so that short
 * unit pages rank as they would in one index over everything.
 *
 * When parts.json names `merged` (the parts merged on disk into one index, search/merged.py,
 * what the build writes), only that index is loaded: no mergeIndex, no per-part word check;
 * the parts are what the search falls back to when they could not be merged.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("./gk-search-query.js"));
  } else {
    root.gkSearchEngine = factory(root.gkSearchQuery);
  }
})(this, function (Q) {
  "use strict";

  var PART = "gk-part"; // a filter Pagefind adds to every page of a part (mergeFilter): the part's name
  var NO_PART = "-"; // no part has this name (search/parts.py)
  var INDEX_LANG = "und"; // generator/search/parts.py, LANGUAGE
  var RANK_LIMIT = 1000; // exact-phrase results ranked by relevance up to this many
  var RANK_META = { title: 5, py: 3, pyx: 1, d: 0 };

  /**
   * An engine for the bundle at `deps.bundle` (a URL) of the site at `deps.siteBase`, with
   * deps.fetchJson(url, init) → Promise of JSON, deps.importLibrary(url) → Promise of
   * Pagefind's module, deps.withLanguage(lang, fn) → fn() run while <html lang> is `lang`.
   */
  function create(deps) {
    var pagefind = null;
    var loading = null; // the first load(), while it runs
    var index = null; // parts.json: {tag, pages, parts, skip, weights}
    var skip = Object.create(null); // ids of the parts' documents of words (not pages)
    var orders = {}; // sort key → promise of {page id: [group, position]} (sortTable)
    var filtersLoaded = null; // promise of Pagefind's filter index
    var filtersReady = false; // … once it is loaded: results found from then on carry filter counts

    function start(info) {
      if (!info.parts || !info.parts.length) throw new Error("parts.json: no parts");
      index = info;
      (info.skip || []).forEach(function (id) {
        skip[id] = true;
      });
      // The parts merged into one index on disk (parts.json `merged`, search/merged.py): one
      // entry file, one file list and one index file per word, whatever the number of parts.
      var paths = info.merged
        ? [new URL(info.merged + "/", deps.bundle).pathname]
        : info.parts.map(function (name) {
            return new URL("parts/" + name + "/", deps.bundle).pathname;
          });
      var partOptions = info.merged
        ? function () {
            return {};
          }
        : function (i) {
            return Q.partOptions(info, PART, i);
          };
      var shared = {
        baseUrl: deps.siteBase.pathname,
        excerptLength: 40,
        // The name ranks highest, then pinyin; the display field does not rank.
        ranking: { metaWeights: RANK_META },
        metaCacheTag: info.tag,
      };
      return deps.importLibrary(new URL("pagefind.js", deps.bundle).href).then(function (pf) {
        var first = Object.assign({ basePath: paths[0], noWorker: true }, shared, partOptions(0));
        return pf
          .options(first)
          .then(function () {
            // Pagefind takes the language from <html lang> when it starts, and for "zh" cuts
            // every query again with Intl.Segmenter. The query is cut already (gkSearchQuery),
            // so it is started with the index's own language.
            return deps.withLanguage(INDEX_LANG, function () {
              return pf.init();
            });
          })
          .then(function () {
            return Promise.all(
              paths.slice(1).map(function (path, i) {
                var options = Object.assign({ language: INDEX_LANG }, shared, partOptions(i + 1));
                return pf.mergeIndex(path, options);
              })
            );
          })
          .then(function () {
            return pf.search(""); // returns once every part's file list and the WebAssembly are loaded
          })
          .then(function () {
            pagefind = pf;
            return pf;
          });
      });
    }

    /** Pagefind with every part merged; started once (again after a failure). */
    function load() {
      if (pagefind) return Promise.resolve(pagefind);
      if (loading) return loading;
      // The part list changes with every build, so it is checked with the server each time; the
      // files it leads to are named by content or carry its tag, and may come from the cache.
      loading = deps.fetchJson(new URL("parts.json", deps.bundle).href, { cache: "no-cache" }).then(start);
      loading.catch(function () {
        loading = null; // try again on the next search
      });
      return loading;
    }

    /**
     * A page's part in the merged index (its name is its number in base 36, the parts' pages in
     * order from parts.json `offsets`), for the part's rank weight: the index scores a page
     * matched only in its meta fields (pinyin) alike whatever its length, so the short unit
     * pages are weighed as when their part was searched on its own (see "Ranks across parts").
     */
    function weightOf(id) {
      var n = parseInt(id, 36);
      var w = 1;
      index.parts.forEach(function (name, i) {
        if (n >= index.offsets[i]) w = (index.weights || {})[name] || 1;
      });
      return w;
    }

    function search(term, filters) {
      return pagefind.search(term, { filters: filters }).then(function (r) {
        r.results = r.results.filter(function (x) {
          return !skip[x.id];
        });
        if (index.merged && index.offsets && term !== null) {
          r.results.forEach(function (x) {
            x.score *= weightOf(x.id);
          });
          r.results.sort(function (a, b) {
            return b.score - a.score; // stable: equal scores keep Pagefind's order
          });
        }
        return r;
      });
    }

    /**
     * The part filter for a query of words: only the parts that hold every word found anywhere.
     * Each word is looked up with a filter no page has, so Pagefind only counts its pages per
     * part (totalFilters) and scores none: a few milliseconds, from index files already loaded.
     * Null when every part holds every word.
     */
    function onlyParts(term) {
      if (index.merged) return Promise.resolve(null); // one index: a word is matched alike everywhere
      var none = {};
      none[PART] = { any: [NO_PART] };
      return Promise.all(
        term.split(" ").map(function (w) {
          return pagefind.search(Q.probeTerm(w), { filters: none }).then(function (r) {
            return (r.totalFilters || {})[PART] || {};
          });
        })
      ).then(function (perWord) {
        var ok = Q.partsHolding(index.parts, perWord);
        if (!ok) return null;
        var only = {};
        only[PART] = { any: ok.length ? ok : [NO_PART] };
        return only;
      });
    }

    /** The global order of a sort key (sort-<key>.json), fetched once. */
    function sortTable(key) {
      if (!orders[key]) {
        var url = new URL("sort-" + key + ".json?v=" + encodeURIComponent(index.tag), deps.bundle).href;
        orders[key] = deps.fetchJson(url).then(Q.rankTable);
        orders[key].catch(function () {
          delete orders[key];
        });
      }
      return orders[key];
    }

    /** `results` of all parts in the order of `spec` ({key: "asc"|"desc"}); pages without the key left out. */
    function arrange(results, spec) {
      var key = Object.keys(spec)[0];
      return sortTable(key).then(function (rank) {
        return Q.arrange(results, rank, spec[key]);
      });
    }

    function sorted(response, spec) {
      return arrange(response.results, spec).then(function (results) {
        response.results = results;
        return response;
      });
    }

    /** The words of `p` in the parts that hold them all; `fallback` if the phrase found nothing. */
    function loose(p, filters, order, fallback) {
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

    /** An exact phrase's results (Pagefind does not rank them): by the relevance of its words, or sorted. */
    function phrase(p, filters, order) {
      return search(p.phrase, filters).then(function (r) {
        if (!r.results.length) return loose(p, filters, order, true);
        var found = { response: r, term: p.phrase, exact: true };
        if (order) {
          return sorted(r, order).then(function () {
            return found;
          });
        }
        // Up to RANK_LIMIT results, ranked by their words (same index files, no extra download;
        // a phrase in the name ranks highest); beyond that, newest first, units after.
        var by =
          r.results.length <= RANK_LIMIT
            ? search(p.loose, filters).then(function (o) {
                return o.results;
              })
            : arrange(r.results.slice(), { year: "desc" });
        return by.then(function (list) {
          r.results = Q.orderLike(r.results, list);
          return found;
        });
      });
    }

    /**
     * Results for a search state {q, sort, filters} once loaded: {response, term, exact, fallback,
     * only}, or null when there is nothing to search. Filters without a query: newest first.
     */
    function find(state) {
      var p = Q.plan(state.q);
      var filters = Q.pagefindFilters(state.filters, null);
      var order = Q.sortSpec(state.sort);
      if (p) return p.phrase ? phrase(p, filters, order) : loose(p, filters, order, false);
      if (!Object.keys(filters).length) return Promise.resolve(null);
      return search(null, filters)
        .then(function (r) {
          return sorted(r, order || { year: "desc" });
        })
        .then(function (r) {
          return { response: r, term: null, exact: false };
        });
    }

    /** Counts per facet value of what `find` found: for a facet with a selection, as if it were not selected. */
    function facetCounts(found, selection) {
      var counts = Object.assign({}, found.response.filters);
      var selected = Q.FACETS.filter(function (f) {
        return (selection[f] || []).length;
      });
      return Promise.all(
        selected.map(function (f) {
          var filters = Object.assign(Q.pagefindFilters(selection, f), found.only);
          return search(found.term, filters).then(function (r) {
            counts[f] = r.filters[f] || {};
          });
        })
      ).then(function () {
        return counts;
      });
    }

    /** Pagefind's filter index, which the counts need (loaded once, after the first results show). */
    function loadFilters() {
      if (!filtersLoaded) {
        filtersLoaded = pagefind.filters().then(function () {
          filtersReady = true;
        });
        filtersLoaded.catch(function () {
          filtersLoaded = null;
        });
      }
      return filtersLoaded;
    }

    return {
      load: load,
      find: find,
      facetCounts: facetCounts,
      loadFilters: loadFilters,
      filtersReady: function () {
        return filtersReady;
      },
      /** Whether results' text has one character per pair (the merged index): Q.excerptHtml's `single`. */
      singleChars: function () {
        return !!(index && index.merged);
      },
    };
  }

  return { create: create, PART: PART, NO_PART: NO_PART, RANK_LIMIT: RANK_LIMIT };
});
