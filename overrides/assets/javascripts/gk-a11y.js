/* gongkai: accessibility helpers. (1) The 长者模式 switch (large text, high contrast): the
   class html.gk-elder is set before the first paint by the inline script in main.html from
   localStorage["gk-elder"]; this file wires the header button and keeps it in step.
   (2) Material's phone menu button is a <label>: made reachable and usable by keyboard.
   (3) Printing opens collapsed details. */
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

  // Material's menu button (phones) is a label for the drawer checkbox: give it a tab stop,
  // a role and a state, open it with Enter or Space, close the menu with Escape.
  var drawer = document.getElementById("__drawer");
  var menu = document.querySelector('.md-header label[for="__drawer"]');
  if (drawer && menu) {
    var syncMenu = function () { menu.setAttribute("aria-expanded", drawer.checked ? "true" : "false"); };
    var setMenu = function (open) {
      drawer.checked = open;
      drawer.dispatchEvent(new Event("change", { bubbles: true }));
      syncMenu();
    };
    menu.setAttribute("tabindex", "0");
    menu.setAttribute("role", "button");
    menu.setAttribute("aria-label", "导航菜单");
    syncMenu();
    drawer.addEventListener("change", syncMenu);
    menu.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" && e.key !== " ") { return; }
      e.preventDefault();
      e.stopPropagation();  // Material's own key handler would click the label as well (toggle twice)
      setMenu(!drawer.checked);
      if (drawer.checked) {
        var first = document.querySelector(".md-sidebar--primary a[href]");
        if (first) { window.setTimeout(function () { first.focus(); }, 260); }  // after the slide-in
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && drawer.checked) {
        setMenu(false);
        menu.focus();
      }
    });
  }

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
