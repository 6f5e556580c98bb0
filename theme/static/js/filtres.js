// Topic filter for the hub. Without this script every chip is a link to its theme
// page; with it the chips become toggle buttons that filter the articles in place.
// State lives in the URL (?theme=donnees,participation&mode=tous) so a filtered
// view can be shared, reloaded and walked back with the browser's history.
//
// Counts on the chips: in the default mode (articles carrying ANY selected theme)
// a chip shows how many articles carry its theme; in « tous ces thèmes » mode it
// shows how many articles would remain if that theme were selected too.
(function () {
  "use strict";
  var root = document.getElementById("filtres");
  var ui = window.dossierUi; // commun.js
  if (!root || !ui || !window.history || !history.pushState || !window.URLSearchParams) return;

  var items = Array.prototype.slice.call(document.querySelectorAll("main [data-themes]"));
  var itemThemes = items.map(function (el) { return el.getAttribute("data-themes").split(" ").filter(Boolean); });
  var order = [];
  var labels = {};
  var status = document.getElementById("filtre-etat");
  var allSwitch = document.getElementById("filtre-tous");
  var empty = document.getElementById("filtre-vide");
  var state = { themes: [], all: false };

  // Turn every chip link into a toggle button carrying the same theme.
  var links = Array.prototype.slice.call(document.querySelectorAll("main a.chip[data-theme]"));
  // The filter bar gives the themes' order, even when a card with chips comes before it.
  links.sort(function (a, b) { return root.contains(b) - root.contains(a); });
  links.forEach(function (link) {
    var slug = link.getAttribute("data-theme");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "chip";
    button.setAttribute("data-theme", slug);
    button.setAttribute("aria-pressed", "false");
    while (link.firstChild) button.appendChild(link.firstChild);
    link.parentNode.replaceChild(button, link);
    if (!(slug in labels)) {
      order.push(slug);
      labels[slug] = button.firstChild.textContent.trim();
    }
  });
  var allButtons = Array.prototype.slice.call(document.querySelectorAll("main button.chip"));

  function readUrl() {
    var params = new URLSearchParams(location.search);
    var wanted = (params.get("theme") || "").split(",");
    state.themes = order.filter(function (slug) { return wanted.indexOf(slug) >= 0; });
    state.all = params.get("mode") === "tous";
  }

  function writeUrl() {
    var parts = [];
    if (state.themes.length) parts.push("theme=" + state.themes.join(","));
    if (state.all) parts.push("mode=tous");
    var url = ui.urlWith(/^(theme|mode)=/, parts);
    if (url !== location.pathname + location.search + location.hash) history.pushState(null, "", url);
  }

  function matches(themes, selected, all) {
    if (!selected.length) return true;
    var has = function (slug) { return themes.indexOf(slug) >= 0; };
    return all ? selected.every(has) : selected.some(has);
  }

  function countFor(slug) {
    var selected = state.all ? state.themes.concat([slug]) : [slug];
    return itemThemes.filter(function (themes) { return matches(themes, selected, true); }).length;
  }

  function quoted(slugs, joiner) {
    return ui.quoted(labels, slugs, joiner);
  }

  function describe(shown) {
    var total = items.length;
    var noun = function (n) { return n + (n > 1 ? " articles" : " article"); };
    if (!state.themes.length) return noun(total) + ", tous affichés.";
    var which = state.all && state.themes.length > 1
      ? "qui portent à la fois " + quoted(state.themes, "et")
      : "sur " + quoted(state.themes, "ou");
    if (!shown) return "Aucun article sur " + total + " ne porte à la fois " + quoted(state.themes, "et") + ".";
    return noun(shown) + " sur " + total + " " + which + ".";
  }

  function render() {
    var shown = 0;
    items.forEach(function (el, i) {
      var visible = matches(itemThemes[i], state.themes, state.all);
      el.hidden = !visible;
      if (visible) shown += 1;
    });
    allButtons.forEach(function (button) {
      var on = state.themes.indexOf(button.getAttribute("data-theme")) >= 0;
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
    ui.recount(countFor);
    allSwitch.checked = state.all;
    empty.hidden = shown > 0;
    status.textContent = describe(shown);
    // recherche.js listens: a running search narrows to the same themes.
    document.dispatchEvent(new CustomEvent("filtres", { detail: { themes: state.themes.slice(), all: state.all } }));
    var active = document.activeElement;
    if (active && active !== document.body && active.closest("[hidden]")) {
      var slug = active.getAttribute("data-theme");
      var target = slug && root.querySelector('button.chip[data-theme="' + slug + '"]');
      (target || status).focus();
    }
  }

  function update(change) {
    change();
    writeUrl();
    render();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("main button.chip") : null;
    if (button) {
      var slug = button.getAttribute("data-theme");
      update(function () {
        var at = state.themes.indexOf(slug);
        var next = at >= 0 ? state.themes.filter(function (s) { return s !== slug; }) : state.themes.concat([slug]);
        state.themes = order.filter(function (s) { return next.indexOf(s) >= 0; });
      });
    } else if (event.target.closest && event.target.closest("#filtre-reset, [data-reset]")) {
      update(function () { state.themes = []; state.all = false; });
    }
  });
  allSwitch.addEventListener("change", function () {
    update(function () { state.all = allSwitch.checked; });
  });
  window.addEventListener("popstate", function () { readUrl(); render(); });
  document.addEventListener("recherche-fin", render); // a search ended: count cards again

  root.querySelector(".tools").hidden = false;
  document.getElementById("filtres-aide").textContent =
    "Choisissez un ou plusieurs thèmes : les articles se filtrent sur place.";
  ui.quietly(status, function () {
    readUrl();
    render();
  });
})();

// Search box: shown only when the Pagefind index exists; recherche.js and Pagefind
// itself are fetched only once the reader reaches for the box (or opens a ?q= link),
// so the hub's first load stays light.
(function () {
  "use strict";
  var form = document.getElementById("recherche");
  if (!form || !window.fetch || !window.CustomEvent) return;
  var loaded = false;
  function load() {
    if (loaded) return;
    loaded = true;
    var script = document.createElement("script");
    script.src = form.getAttribute("data-script");
    document.head.appendChild(script);
  }
  fetch(form.getAttribute("data-index") + "pagefind-entry.json").then(function (response) {
    if (!response.ok) return;
    form.hidden = false;
    form.addEventListener("focusin", load);
    form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
    if (new URLSearchParams(location.search).get("q")) load();
  }, function () {});
})();
