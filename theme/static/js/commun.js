// What filtres.js and recherche.js share: the URL state they keep, how they name
// themes in a sentence, how the theme chips show counts, and a status line that
// does not speak when the page loads. Loaded before filtres.js, which loads
// recherche.js when the reader reaches for the search box.
window.dossierUi = (function () {
  "use strict";

  // « A », « B » ou « C » : the labels of some themes, joined for a sentence.
  function quoted(labels, slugs, joiner) {
    var names = slugs.map(function (slug) { return "«\u00a0" + labels[slug] + "\u00a0»"; });
    return names.length > 1 ? names.slice(0, -1).join(", ") + " " + joiner + " " + names[names.length - 1] : names[0];
  }

  // This page's address with the parameters a script owns (``owned`` matches their
  // "key=") replaced by ``parts`` ("key=value", already encoded); the others are kept.
  function urlWith(owned, parts) {
    var kept = location.search.replace(/^\?/, "").split("&").filter(function (part) {
      return part && !owned.test(part);
    }).concat(parts);
    return location.pathname + (kept.length ? "?" + kept.join("&") : "") + location.hash;
  }

  // Show ``countOf(slug)`` on every theme chip of the hub; a chip with none is marked empty.
  function recount(countOf) {
    Array.prototype.forEach.call(document.querySelectorAll("#filtres button.chip"), function (chip) {
      var n = countOf(chip.getAttribute("data-theme"));
      var number = chip.querySelector(".count");
      if (number) number.textContent = String(n);
      chip.classList.toggle("empty", n === 0);
    });
  }

  // Run ``change`` while ``region`` is not live: what a page says as it loads is not
  // news, so screen readers announce only what changes afterwards.
  function quietly(region, change) {
    var live = region.getAttribute("aria-live");
    region.removeAttribute("aria-live");
    try {
      change();
    } finally {
      if (live) setTimeout(function () { region.setAttribute("aria-live", live); }, 0);
    }
  }

  return { quoted: quoted, urlWith: urlWith, recount: recount, quietly: quietly };
})();
