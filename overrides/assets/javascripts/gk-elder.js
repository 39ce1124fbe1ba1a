/* gongkai: the 长者模式 switch (large text, high contrast) and printing helpers.
   The class html.gk-elder is set before the first paint by the inline script in main.html
   from localStorage["gk-elder"]; this file wires the header button and keeps it in step. */
(function () {
  "use strict";
  var KEY = "gk-elder";
  var root = document.documentElement;
  var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-gk-elder]"));

  function show(on) {
    root.classList.toggle("gk-elder", on);
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", on ? "true" : "false"); });
  }

  function save(on) {
    try {
      if (on) { localStorage.setItem(KEY, "1"); } else { localStorage.removeItem(KEY); }
    } catch (e) { /* storage blocked: the switch still works for this page */ }
  }

  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      var on = !root.classList.contains("gk-elder");
      show(on);
      save(on);
    });
  });
  show(root.classList.contains("gk-elder"));

  // Another tab switched: follow it.
  window.addEventListener("storage", function (e) {
    if (e.key === KEY) { show(e.newValue === "1"); }
  });

  // Printing: open every collapsed 指标值说明 so it is on paper, close them again after.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
