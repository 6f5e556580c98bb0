// Full-text search on the hub, with Pagefind's own JavaScript API and the index the
// build writes to our pagefind/ folder: nothing is asked of any other site.
// filtres.js loads this file when the reader reaches for the search box.
//
// One list, two filters: while a query is active its results replace the cards, and
// the theme chips above keep working on them (same ?theme= and « tous ces thèmes »
// state, sent as a Pagefind filter); the chips then count results instead of
// articles, with the same meaning. The query is kept in the URL (?q=) so a search
// can be shared or reloaded.
(function () {
  "use strict";
  var ui = window.dossierUi; // commun.js
  var form = document.getElementById("recherche");
  var input = document.getElementById("recherche-q");
  var status = document.getElementById("recherche-etat");
  var box = document.getElementById("resultats");
  var list = box.querySelector(".hits");
  var none = document.getElementById("recherche-vide");
  var more = document.getElementById("recherche-plus");
  var section = form.closest(".list");
  var here = location.href;
  var PAGE = 20;
  var WAIT = 250; // ms of quiet typing before a search

  var order = [];
  var labels = {};
  Array.prototype.forEach.call(document.querySelectorAll("#filtres [data-theme]"), function (chip) {
    var slug = chip.getAttribute("data-theme");
    order.push(slug);
    labels[slug] = chip.firstChild.textContent.trim();
  });
  var params = new URLSearchParams(location.search);
  var filter = {
    themes: (params.get("theme") || "").split(",").filter(function (s) { return s in labels; }),
    all: params.get("mode") === "tous"
  };
  var query = "";
  var ticket = 0;
  var results = [];
  var shown = 0;
  var timer = 0;
  var engine = null;

  function pagefind() {
    if (!engine) {
      var index = new URL(form.getAttribute("data-index"), here).href;
      var base = new URL(form.getAttribute("data-base"), here).pathname;
      engine = import(index + "pagefind.js").then(function (pf) {
        // filters() loads the theme index, so that every search also counts per theme.
        return pf.options({ baseUrl: base, excerptLength: 28 })
          .then(function () { return pf.filters(); })
          .then(function () { return pf; });
      });
    }
    return engine;
  }

  // The index was built from a copy where ’ was written ' (see the plugin's publish/search.py);
  // French spacing as the build writes it: no-break space before : ; ! ? » and after «.
  function typo(text) {
    return text.replace(/'/g, "\u2019").replace(/ ([:;!?»])/g, "\u00a0$1").replace(/« /g, "«\u00a0");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // Pagefind's excerpt is HTML with <mark> around the matched words: keep the text and
  // the marks, nothing else. A mark covers the word, not the punctuation glued to it;
  // an excerpt cut inside a sentence says so with « … » at that end.
  function excerpt(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var pieces = [];
    Array.prototype.forEach.call(template.content.childNodes, function (node) {
      var text = typo(node.textContent);
      if (node.nodeName !== "MARK") return pieces.push([false, text]);
      var word = /^([«(\[“"\u00a0]*)(.*?)([.,;:!?…»)\]”"\u00a0]*)$/.exec(text);
      pieces.push([false, word[1]], [true, word[2]], [false, word[3]]);
    });
    var first = pieces[0];
    var last = pieces[pieces.length - 1];
    if (first && /^\s*[a-zà-ÿ,;:)]/.test(first[1] || (pieces[1] || [0, ""])[1])) first[1] = "…\u00a0" + first[1].replace(/^[\s,;:]+/, "");
    if (last && !/[.!?…»]\s*$/.test(pieces.map(function (p) { return p[1]; }).join(""))) last[1] = last[1].replace(/\s+$/, "") + "\u00a0…";
    var target = el("p", "extrait");
    pieces.forEach(function (piece) {
      if (piece[1]) target.appendChild(piece[0] ? el("mark", null, piece[1]) : document.createTextNode(piece[1]));
    });
    return target;
  }

  function hit(data) {
    var item = el("li", "hit");
    var heading = el("h3");
    var link = el("a", null, typo(data.meta.title || data.url));
    link.href = data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var themes = (data.filters.theme || []).slice().sort(function (a, b) { return order.indexOf(a) - order.indexOf(b); });
    var names = themes.map(function (slug) { return labels[slug] || slug; });
    var meta = [data.meta.date].concat(names.length ? [names.join(", ")] : []).filter(Boolean);
    if (meta.length) item.appendChild(el("p", "meta", meta.join(" · ")));
    item.appendChild(excerpt(data.excerpt));
    return item;
  }

  function quoted(slugs, joiner) {
    return ui.quoted(labels, slugs, joiner);
  }

  function scope() {
    if (!filter.themes.length) return "";
    if (filter.all && filter.themes.length > 1) return ", parmi les articles qui portent à la fois " + quoted(filter.themes, "et");
    return " sur " + quoted(filter.themes, "ou");
  }

  function themeFilter() {
    if (!filter.themes.length) return {};
    return { theme: filter.all ? { all: filter.themes } : { any: filter.themes } };
  }

  // Chips count the results a reader would get by adding the theme, as filtres.js counts
  // cards. Pagefind gives, per theme, the results that have it among those shown
  // (filters) and among all the query's results (totalFilters). « Tous ces thèmes »,
  // or a theme already chosen: those shown that have it. « Au moins un »: those shown,
  // plus the query's results that have the theme and are not shown yet.
  function count(response) {
    var shown = response.results.length;
    var within = (response.filters || {}).theme || {};
    var total = (response.totalFilters || {}).theme || {};
    ui.recount(function (slug) {
      var kept = within[slug] || 0;
      if (filter.all || filter.themes.indexOf(slug) >= 0) return kept;
      return filter.themes.length ? shown + (total[slug] || 0) - kept : total[slug] || 0;
    });
  }

  function describe(response) {
    var n = response.results.length;
    var what = "«\u00a0" + query + "\u00a0»";
    none.hidden = n > 0;
    if (n) {
      status.textContent = n + (n > 1 ? " articles contiennent " : " article contient ") + what + scope() + ".";
      return;
    }
    status.textContent = "Aucun résultat pour " + what + scope() + ".";
    none.textContent = "Aucun article ne contient " + what + scope() + ". Vérifiez l’orthographe, ou essayez un mot plus court ou plus courant.";
    var outside = response.unfilteredResultCount;
    if (filter.themes.length && outside) {
      none.appendChild(document.createTextNode(" " + outside + (outside > 1 ? " articles le contiennent" : " article le contient") + " hors de ces thèmes\u00a0: "));
      var reset = el("button", "link", "tout afficher");
      reset.type = "button";
      reset.setAttribute("data-reset", "");
      none.appendChild(reset);
      none.appendChild(document.createTextNode("."));
    }
  }

  function nextPage(mine, focus) {
    var batch = results.slice(shown, shown + PAGE);
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (data) {
      if (mine !== ticket) return;
      var first = null;
      data.forEach(function (one) {
        var item = hit(one);
        first = first || item;
        list.appendChild(item);
      });
      shown += data.length;
      more.hidden = shown >= results.length;
      if (focus && first) first.querySelector("a").focus();
    });
  }

  function failed() {
    stop();
    status.textContent = "La recherche n’a pas pu se charger. Les thèmes restent utilisables.";
  }

  function stop() {
    ticket += 1;
    results = [];
    list.textContent = "";
    box.hidden = true;
    none.hidden = true;
    status.textContent = "";
    if (section.classList.contains("searching")) {
      section.classList.remove("searching");
      document.dispatchEvent(new CustomEvent("recherche-fin")); // filtres.js recounts the cards
    }
  }

  function writeUrl() {
    history.replaceState(null, "", ui.urlWith(/^q=/, query ? ["q=" + encodeURIComponent(query)] : []));
  }

  function search() {
    clearTimeout(timer);
    var wanted = input.value.trim();
    if (wanted !== query) {
      query = wanted;
      writeUrl();
    }
    if (!query) {
      stop();
      return;
    }
    var mine = (ticket += 1);
    pagefind().then(function (pf) {
      return pf.search(query, { filters: themeFilter() });
    }).then(function (response) {
      if (mine !== ticket) return;
      section.classList.add("searching");
      box.hidden = false;
      results = response.results;
      shown = 0;
      list.textContent = "";
      count(response);
      return nextPage(mine, false).then(function () {
        if (mine === ticket) describe(response);
      });
    }).catch(failed);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, WAIT);
  });
  more.addEventListener("click", function () { nextPage(ticket, true); });
  document.getElementById("recherche-effacer").addEventListener("click", function () {
    input.value = "";
    search();
    input.focus();
  });
  document.addEventListener("filtres", function (event) {
    filter = event.detail;
    if (query) search();
  });
  window.addEventListener("popstate", function () {
    var wanted = new URLSearchParams(location.search).get("q") || "";
    if (wanted !== query) {
      input.value = wanted;
      search();
    }
  });

  if (!input.value) input.value = new URLSearchParams(location.search).get("q") || "";
  if (input.value.trim()) search();
})();
