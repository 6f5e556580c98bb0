// Topic filter for the hub: without this script the chips and the overview's bars
// link to theme pages; with it they toggle a filter kept in the URL
// (?theme=donnees,participation&mode=tous): shared, reloaded, walked back.
// A chip's number: articles shown once it is added (selected: those shown with it).
(function () {
  "use strict";
  // On a narrow screen the overview, above the list, is folded to its heading unless
  // the reader came for it; the header's link to it unfolds it.
  var glance = document.querySelector("#apercu > details");
  if (glance) {
    if (window.matchMedia && matchMedia("(max-width: 61.99rem)").matches && location.hash !== "#apercu") glance.open = false;
    document.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest('a[href="#apercu"]')) glance.open = true;
    });
  }
  var root = document.getElementById("filtres");
  var ui = window.dossierUi; // commun.js
  if (!root || !ui || !window.history || !history.pushState || !window.URLSearchParams) return;

  var items = Array.prototype.slice.call(document.querySelectorAll("main article[data-themes]"));
  var itemThemes = items.map(function (el) { return el.getAttribute("data-themes").split(" ").filter(Boolean); });
  var order = [];
  var labels = {};
  var status = document.getElementById("filtre-etat");
  var allSwitch = document.getElementById("filtre-tous");
  var empty = document.getElementById("filtre-vide");
  var reset = document.getElementById("filtre-reset");
  var bars = Array.prototype.slice.call(document.querySelectorAll("main svg.barres a[data-theme]"));
  // Each timeline mark follows the card that links to the same article.
  var cardOf = {};
  items.forEach(function (el, i) {
    var link = el.querySelector(":scope > :is(h2, h3) > a");
    if (link) cardOf[link.href] = i; // resolved, as the marks' below
  });
  var marks = Array.prototype.slice.call(document.querySelectorAll("main svg.frise a"));
  var state = { themes: [], all: false };

  // The filter bar's chips name their theme and give the themes' order; a card's chip
  // is known by its link to the theme's page.
  var slugOf = {};
  Array.prototype.forEach.call(root.querySelectorAll("a.chip[data-theme]"), function (link) {
    slugOf[link.href] = link.getAttribute("data-theme");
  });
  var links = Array.prototype.slice.call(document.querySelectorAll("main a.chip")).filter(function (link) {
    return slugOf.hasOwnProperty(link.href);
  });
  links.sort(function (a, b) { return root.contains(b) - root.contains(a); });
  links.forEach(function (link) {
    var slug = slugOf[link.href];
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
  var allButtons = Array.prototype.slice.call(document.querySelectorAll("main button.chip")).concat(bars);
  // SVG has no <button>: the bars stay links, acting as buttons.
  bars.forEach(function (bar) {
    bar.setAttribute("role", "button");
    bar.addEventListener("keydown", function (event) {
      if (event.key !== " ") return;
      event.preventDefault();
      bar.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
    });
  });

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

  function has(i, slug) {
    return itemThemes[i].indexOf(slug) >= 0;
  }

  function countFor(slug) {
    var on = state.themes.indexOf(slug) >= 0;
    var selected = on ? state.themes : state.themes.concat([slug]);
    return itemThemes.filter(function (themes, i) {
      return matches(themes, selected, state.all) && (!on || has(i, slug));
    }).length;
  }

  function quoted(slugs, joiner) {
    return ui.quoted(labels, slugs, joiner);
  }

  // « 5 des 16 articles portent sur « A » ou « B ». »
  function describe(shown) {
    var total = items.length;
    if (!state.themes.length) return total + (total > 1 ? " articles, tous affichés." : " article, affiché.");
    var topic = state.all && state.themes.length > 1
      ? "à la fois sur " + quoted(state.themes, "et")
      : "sur " + quoted(state.themes, "ou");
    if (!shown) return "Aucun des " + total + " articles ne porte " + topic + ".";
    if (shown === total) return (total > 1 ? "Les " + total + " articles portent " : "L’article porte ") + topic + ".";
    if (shown === 1) return "Un des " + total + " articles porte " + topic + ".";
    return shown + " des " + total + " articles portent " + topic + ".";
  }

  // One step back: « tous ces thèmes » goes back to « au moins un », then to everything.
  function resetLabel() {
    reset.hidden = !state.themes.length;
    reset.textContent = state.all && state.themes.length > 1
      ? "Revenir à «\u00a0au moins un de ces thèmes\u00a0»"
      : "Tout afficher";
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
    marks.forEach(function (mark) {
      var i = cardOf[new URL(mark.getAttribute("href"), location.href).href];
      mark.classList.toggle("off", i !== undefined && !matches(itemThemes[i], state.themes, state.all));
    });
    allSwitch.checked = state.all;
    resetLabel();
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

  function toggle(slug) {
    update(function () {
      var at = state.themes.indexOf(slug);
      var next = at >= 0 ? state.themes.filter(function (s) { return s !== slug; }) : state.themes.concat([slug]);
      state.themes = order.filter(function (s) { return next.indexOf(s) >= 0; });
    });
  }

  function clicked(event, selector) {
    return event.target.closest ? event.target.closest(selector) : null;
  }

  document.addEventListener("click", function (event) {
    var button = clicked(event, "main button.chip, main svg.barres a[data-theme]");
    var pair = clicked(event, "main a[data-pair]");
    if (button) {
      event.preventDefault();
      toggle(button.getAttribute("data-theme"));
    } else if (pair) {
      event.preventDefault();
      update(function () {
        var both = pair.getAttribute("data-pair").split(" ");
        state.themes = order.filter(function (s) { return both.indexOf(s) >= 0; });
        state.all = true;
      });
      status.focus();
    } else if (clicked(event, "#filtre-reset")) {
      update(function () {
        if (state.all && state.themes.length > 1) state.all = false;
        else state.themes = [];
      });
    } else if (clicked(event, "[data-un-pas]")) {
      update(function () { state.all = false; });
    } else if (clicked(event, "[data-reset]")) {
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
    "Choisissez un ou plusieurs thèmes\u00a0: les articles se filtrent sur place. Le nombre d’un thème\u00a0: les articles que vous verrez en l’ajoutant.";
  var barsHint = document.getElementById("barres-aide");
  if (barsHint) barsHint.textContent = "Chaque barre filtre les articles, comme les thèmes de la liste.";
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
