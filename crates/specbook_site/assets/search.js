// Search over the index under search/, ranked as `specbook search` ranks (see search.rs):
// for each word, a document's best term that is the word (or starts with it, x0.8); word
// scores add up; ties go to the document listed first. Only this site's files are fetched.
(function () {
  "use strict";
  var PREFIX_FACTOR = 0.8;
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  if (!input || !list) { return; }
  var root = document.currentScript.src.replace(/assets\/search\.js.*$/, "");
  var docs = null;
  var shards = {};
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
  function search(query) {
    var words = tokens(query);
    var ready = docs || (docs = load(root + "search/docs.json"));
    return Promise.all([ready].concat(words.map(shard))).then(function (loaded) {
      var all = loaded[0];
      var totals = new Map();
      words.forEach(function (word, i) {
        var terms = loaded[i + 1];
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
      return hits.map(function (hit) { return all[hit[0]]; });
    });
  }
  var pending = 0;
  function show() {
    var query = input.value;
    var ticket = ++pending;
    if (!tokens(query).length) { list.replaceChildren(); return; }
    search(query).then(function (results) {
      if (ticket !== pending) { return; }
      list.replaceChildren.apply(list, results.slice(0, 20).map(function (doc) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = root + doc.url;
        link.textContent = doc.id + " " + doc.title;
        var status = document.createElement("span");
        status.className = "status";
        status.textContent = doc.status || "–";
        item.append(link, " ", status);
        return item;
      }));
      if (!results.length) {
        var none = document.createElement("li");
        none.textContent = "No spec matches.";
        list.append(none);
      }
    });
  }
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(show, 120);
  });
})();
