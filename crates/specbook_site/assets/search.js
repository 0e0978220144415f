// Search over the index under search/, ranked as `specbook search` ranks (see search.rs):
// for each word, a document's best term that is the word (or starts with it, x0.8); word
// scores add up; ties go to the document listed first. Results come 20 at a time, each with
// a snippet of the page around the first word found (the words marked, the page read once
// the result is in view), and the query is
// kept in the address (`?q=`) so a search can be shared. Only this site's files are fetched,
// and of the index only what a query needs: the shard of each word's first two characters and
// the documents of the results shown (search/d/K.json holds documents K*32 to K*32+31).
(function () {
  "use strict";
  var PREFIX_FACTOR = 0.8;
  var PAGE = 20;
  var DOC_CHUNK = 32;
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var count = document.getElementById("search-count");
  if (!input || !list) { return; }
  var root = document.currentScript.src.replace(/assets\/search\.js.*$/, "");
  var chunks = {};
  var shards = {};
  var pages = {};
  function tokens(text) {
    return text.split(/[^\p{L}\p{N}]+/u).filter(function (w) {
      return Array.from(w).length >= 2;
    }).map(function (w) { return w.toLowerCase(); });
  }
  function hex(text) {
    var bytes = new TextEncoder().encode(Array.from(text).slice(0, 2).join(""));
    return Array.from(bytes).map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function load(url) {
    return fetch(url).then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; });
  }
  function shard(word) {
    var name = hex(word);
    if (!shards[name]) { shards[name] = load(root + "search/t/" + name + ".json"); }
    return shards[name];
  }
  // The documents numbered `numbers`, in that order.
  function documents(numbers) {
    return Promise.all(numbers.map(function (n) {
      var k = Math.floor(n / DOC_CHUNK);
      if (!chunks[k]) {
        chunks[k] = fetch(root + "search/d/" + k + ".json")
          .then(function (r) { return r.ok ? r.json() : []; }).catch(function () { return []; });
      }
      return chunks[k].then(function (docs) { return docs[n % DOC_CHUNK]; });
    })).then(function (docs) { return docs.filter(Boolean); });
  }
  // The numbers of the documents matching `query`, best first.
  function search(query) {
    var words = tokens(query);
    return Promise.all(words.map(shard)).then(function (loaded) {
      var totals = new Map();
      words.forEach(function (word, i) {
        var terms = loaded[i];
        var best = new Map();
        Object.keys(terms).forEach(function (term) {
          if (term.indexOf(word) !== 0) { return; }
          var factor = term === word ? 1 : PREFIX_FACTOR;
          terms[term].forEach(function (posting) {
            var score = posting[1] * factor;
            if (!best.has(posting[0]) || best.get(posting[0]) < score) { best.set(posting[0], score); }
          });
        });
        best.forEach(function (score, doc) { totals.set(doc, (totals.get(doc) || 0) + score); });
      });
      var hits = Array.from(totals.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      return hits.map(function (hit) { return hit[0]; });
    });
  }
  // `text` into `parent`, each word of the query that starts a word of the text marked.
  function marked(parent, text, words) {
    var pattern = new RegExp("(^|[^\\p{L}\\p{N}])(" + words.map(function (w) {
      return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|") + ")", "giu");
    var at = 0;
    text.replace(pattern, function (match, before, word, offset) {
      var start = offset + before.length;
      parent.append(text.slice(at, start));
      var mark = document.createElement("mark");
      mark.textContent = word;
      parent.append(mark);
      at = start + word.length;
      return match;
    });
    parent.append(text.slice(at));
  }
  function startsWord(word) {
    return new RegExp("(^|[^\\p{L}\\p{N}])" + word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "u");
  }
  // The block of the page's text (a paragraph, an item, a cell, a heading) with the first
  // query word, cut to about 180 characters around it.
  function snippet(doc, words) {
    if (!pages[doc.url]) {
      pages[doc.url] = fetch(root + doc.url).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        page.querySelectorAll(".body a.anchor").forEach(function (a) { a.remove(); });
        return Array.from(page.querySelectorAll(".body :is(p, li, td, th, pre, blockquote, h2, h3, h4, h5, h6)"))
          .filter(function (el) { return !el.querySelector("p, li"); })
          .map(function (el) { return el.textContent.replace(/\s+/g, " ").trim(); })
          .filter(Boolean);
      }).catch(function () { return []; });
    }
    return pages[doc.url].then(function (blocks) {
      var patterns = words.map(startsWord);
      for (var i = 0; i < blocks.length; i += 1) {
        var text = blocks[i];
        var lower = text.toLowerCase();
        var first = -1;
        patterns.forEach(function (re) {
          var found = lower.search(re);
          if (found >= 0 && (first < 0 || found < first)) { first = found; }
        });
        if (first < 0) { continue; }
        var start = first > 60 ? text.lastIndexOf(" ", first - 60) : 0;
        if (start < 0) { start = 0; }
        var end = text.indexOf(" ", Math.min(text.length, start + 180));
        if (end < 0) { end = text.length; }
        return (start > 0 ? "… " : "") + text.slice(start, end).trim() + (end < text.length ? " …" : "");
      }
      var lead = blocks[0] || "";
      return lead.length > 180 ? lead.slice(0, lead.indexOf(" ", 170) > 0 ? lead.indexOf(" ", 170) : 180) + " …" : lead;
    });
  }
  function item(doc, words) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = root + doc.url;
    marked(link, doc.id + " " + doc.title, words);
    var status = document.createElement("span");
    status.className = "status";
    status.dataset.status = doc.status || "";
    status.textContent = doc.status || "–";
    var text = document.createElement("p");
    text.className = "snippet";
    li.append(link, " ", status, text);
    // The snippet reads the result's page: fetched when the result comes into view, so a
    // query loads the pages of the results that are seen, not of all 20.
    var fill = function () { snippet(doc, words).then(function (found) { marked(text, found, words); }); };
    if (window.IntersectionObserver) {
      var watch = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) { watch.disconnect(); fill(); }
      }, { rootMargin: "200px" });
      watch.observe(li);
    } else {
      fill();
    }
    return li;
  }
  var pending = 0;
  var results = [];
  var shown = 0;
  // The next page of results, once their documents are loaded; `ticket` is the search they
  // belong to (a newer search drops them).
  function showMore(words, ticket) {
    var next = results.slice(shown, shown + PAGE);
    shown += next.length;
    if (more) { more.hidden = true; }
    return documents(next).then(function (docs) {
      if (ticket !== pending) { return; }
      docs.forEach(function (doc) { list.append(item(doc, words)); });
      if (more) { more.hidden = shown >= results.length; }
    });
  }
  function show() {
    var query = input.value;
    var ticket = ++pending;
    var words = tokens(query);
    var address = new URL(window.location.href);
    if (query.trim()) { address.searchParams.set("q", query); } else { address.searchParams.delete("q"); }
    window.history.replaceState(null, "", address);
    if (!words.length) {
      list.replaceChildren();
      if (more) { more.hidden = true; }
      if (count) { count.textContent = ""; }
      return;
    }
    search(query).then(function (found) {
      if (ticket !== pending) { return; }
      results = found;
      shown = 0;
      list.replaceChildren();
      if (count) { count.textContent = found.length + (found.length === 1 ? " spec matches." : " specs match."); }
      if (!found.length) {
        var none = document.createElement("li");
        none.textContent = "No spec matches.";
        list.append(none);
        if (more) { more.hidden = true; }
        return;
      }
      showMore(words, ticket);
    });
  }
  if (more) {
    more.addEventListener("click", function () { showMore(tokens(input.value), pending); });
  }
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(show, 120);
  });
  var form = input.form;
  if (form) {
    form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); show(); });
  }
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) {
    input.value = given;
    show();
  }
})();
