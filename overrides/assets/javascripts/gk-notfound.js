/* gongkai 404 page: a search for the words of the missing address (overrides/404.html).
 *
 * A page's address is its pinyin (corpus/slugs.py): /2020/panlongqu-xinfangju/xinfang-chutu-jingfei/
 * is 盘龙区信访局's 信访处突经费 of 2020, and the search finds pinyin words (search/index.py), so the
 * words of an address that does not exist (a mistyped or removed page) are a search for it:
 * `searches` gives the page's own name (the last part of the address) and, when the address has
 * more, all its words. The page shows them as links to the 搜索 page (?q=) and fills in its
 * search form; without JavaScript the form is there, empty.
 *
 * A classic script: in the browser it defines `gkNotFound` and runs on the 404 page; under Node it
 * is `module.exports` (tests/js/, `node --test tests/js/`).
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else {
    root.gkNotFound = api;
    if (typeof document === "object") api.start(document, root.location);
  }
})(this, function () {
  "use strict";

  var MAX_WORDS = 12; // as many as the search looks up (gk-search-query.js MAX_WORDS)
  // The site's folders and file endings: not words of a page's name.
  var FOLDERS = ["units", "regions", "years", "source", "data", "search", "about", "index", "html", "md", "yml", "yaml"];
  var SPLIT = /[^0-9a-z\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/;

  function decode(part) {
    try {
      return decodeURIComponent(part);
    } catch (e) {
      return part;
    }
  }

  /** The words of one part of an address: letters and Han, lower case; numbers (years, -2) and folders left out. */
  function partWords(part) {
    return decode(part)
      .normalize("NFKC")
      .toLowerCase()
      .split(SPLIT)
      .filter(function (w) {
        return w && !/^[0-9]+$/.test(w) && FOLDERS.indexOf(w) < 0;
      });
  }

  function unique(words) {
    return words
      .filter(function (w, i) {
        return words.indexOf(w) === i;
      })
      .slice(0, MAX_WORDS);
  }

  /** The queries for a missing address `path` (relative to the site, as "2020/a-b/c-d/"): the page's own
   *  name first, then every word of the address when that is more; [] when it has no words. */
  function searches(path) {
    var named = path
      .split(/[?#]/)[0]
      .split("/")
      .map(partWords).filter(function (w) {
      return w.length;
    });
    if (!named.length) return [];
    var own = unique(named[named.length - 1]).join(" ");
    var all = unique([].concat.apply([], named)).join(" ");
    return all === own ? [own] : [own, all];
  }

  /** The address of `pathname` relative to the site at `base` ("/" or "/sub/"). */
  function relative(pathname, base) {
    return pathname.indexOf(base) === 0 ? pathname.slice(base.length) : pathname.replace(/^\//, "");
  }

  /** The 404 page: fill the search form and list the searches (elements marked data-gk-notfound-*). */
  function start(doc, location) {
    var form = doc.querySelector("[data-gk-notfound-form]");
    var list = doc.querySelector("[data-gk-notfound-searches]");
    if (!form || !list) return;
    var action = form.getAttribute("action") || "";
    var base = action.replace(/search\/$/, "");
    var queries = searches(relative(location.pathname, base));
    if (!queries.length) return;
    form.querySelector("input[name=q]").value = queries[0];
    queries.forEach(function (q) {
      var item = doc.createElement("li");
      var link = doc.createElement("a");
      link.href = action + "?" + new URLSearchParams({ q: q }).toString();
      link.textContent = "搜索“" + q + "”";
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = false;
  }

  return { MAX_WORDS: MAX_WORDS, partWords: partWords, searches: searches, relative: relative, start: start };
});
