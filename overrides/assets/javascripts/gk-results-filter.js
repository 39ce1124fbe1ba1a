/* gongkai: the 地区 / 单位 filter of a year's list of indicators not met (results/<年度>/).
   The page works without this script (its region and unit anchors); the script shows the form,
   hides the units that do not match, says how many indicators are shown, and keeps the choice
   in the address (?region=云南省/昆明市&unit=slug), so a filtered list can be shared.
   `gkResultsFilter.matches` is a pure function, tested under Node (tests/js/). */
(function (root) {
  "use strict";

  /* Does a unit block of region `region` (a/b/c) and slug `unit` pass the filter? */
  function matches(region, unit, want) {
    if (want.region && region !== want.region && region.indexOf(want.region + "/") !== 0) { return false; }
    if (want.unit && unit !== want.unit) { return false; }
    return true;
  }

  var api = { matches: matches };
  if (typeof module === "object" && module.exports) { module.exports = api; return; }
  root.gkResultsFilter = api;

  var form = document.querySelector("[data-gk-results-filter]");
  if (!form) { return; }
  var region = form.elements.namedItem("region");
  var unit = form.elements.namedItem("unit");
  var status = form.querySelector("[data-gk-results-status]");
  var regions = Array.prototype.slice.call(document.querySelectorAll(".gk-unmet-region"));

  function hasOption(select, value) {
    return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
  }

  function apply() {
    var want = { region: region.value, unit: unit.value };
    var shown = 0;
    var units = 0;
    regions.forEach(function (section) {
      var any = false;
      Array.prototype.forEach.call(section.querySelectorAll(".gk-unmet-unit"), function (block) {
        var ok = matches(section.getAttribute("data-region"), block.getAttribute("data-unit"), want);
        block.hidden = !ok;
        if (ok) { any = true; units += 1; shown += Number(block.getAttribute("data-count")); }
      });
      section.hidden = !any;
    });
    status.textContent = want.region || want.unit
      ? "显示 " + units + " 个单位的 " + shown + " 项未完成指标。"
      : "显示全部 " + units + " 个单位的 " + shown + " 项未完成指标。";
    var params = new URLSearchParams();
    if (want.region) { params.set("region", want.region); }
    if (want.unit) { params.set("unit", want.unit); }
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  var given = new URLSearchParams(location.search);
  if (hasOption(region, given.get("region") || "")) { region.value = given.get("region") || ""; }
  if (hasOption(unit, given.get("unit") || "")) { unit.value = given.get("unit") || ""; }
  region.addEventListener("change", apply);
  unit.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  apply();
})(typeof window !== "undefined" ? window : this);
