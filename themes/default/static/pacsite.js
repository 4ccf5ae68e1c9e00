// pacsite: small conveniences only. Every page reads fully without JavaScript.
(function () {
  "use strict";
  function cellValue(cell) {
    if (!cell) return "";
    if (cell.dataset.sort !== undefined) {  // a number as a number: "10" after "9"
      return /^-?\d+(\.\d+)?$/.test(cell.dataset.sort) ? parseFloat(cell.dataset.sort) : cell.dataset.sort;
    }
    var text = cell.textContent.trim();
    var number = text.replace(/[\s\u00a0\u202f€$£%+]/g, "").replace("−", "-");
    if (/^-?\d+([.,]\d+)?$/.test(number)) {
      return parseFloat(number.replace(",", "."));
    }
    return text.toLowerCase();
  }
  // sort ``rows`` (in place, then back into ``body``) by the column ``index``, numbers as numbers
  function sortRows(body, rows, index, ascending) {
    rows.sort(function (a, b) {
      var x = cellValue(a.cells[index]), y = cellValue(b.cells[index]);
      if (x === y) return 0;
      var order = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y), document.documentElement.lang);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  // mark ``th`` as the sorted column; return whether the sort is ascending (each click turns it)
  function sortedBy(th) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.children, function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    return ascending;
  }
  function sortBy(table, index, th) {
    var body = table.tBodies[0];
    if (!body) return;
    sortRows(body, Array.prototype.slice.call(body.rows), index, sortedBy(th));
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var head = table.tHead;
    if (!head || !head.rows[0]) return;
    Array.prototype.forEach.call(head.rows[0].cells, function (th, index) {
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(table, index, th); });
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(table, index, th); }
      });
    });
  });
  // the Gantt: open each one scrolled to today (a third of the way in), its families' bars scrolling together
  // (or, when no bar crosses that window, scrolled to the bar nearest to today: a family of past phases)
  document.querySelectorAll(".gantt[data-today]").forEach(function (chart) {
    var scrollers = chart.querySelectorAll(".gantt-scroll"), busy = false;
    var width = scrollers.length ? scrollers[0].clientWidth : 0, today = parseFloat(chart.dataset.today);
    var left = Math.max(0, today - width / 3), spans = [];
    chart.querySelectorAll(".gantt-scroll .bar").forEach(function (bar) {
      var box = bar.getBBox();
      spans.push([box.x, box.x + box.width]);
    });
    var seen = spans.some(function (s) { return s[1] >= left && s[0] <= left + width; });
    if (!seen && spans.length) {
      var nearest = spans.reduce(function (a, b) {
        var da = Math.min(Math.abs(a[0] - today), Math.abs(a[1] - today));
        var db = Math.min(Math.abs(b[0] - today), Math.abs(b[1] - today));
        return db < da ? b : a;
      });
      left = Math.max(0, (nearest[1] < today ? nearest[1] - width * 2 / 3 : nearest[0] - width / 3));
    }
    Array.prototype.forEach.call(scrollers, function (box) {
      box.scrollLeft = left;
      box.addEventListener("scroll", function () {
        if (busy) return;
        busy = true;
        Array.prototype.forEach.call(scrollers, function (other) { if (other !== box) other.scrollLeft = box.scrollLeft; });
        busy = false;
      });
    });
  });
  // the plan table: filters by family, status, owner and lateness (the form is hidden without the script,
  // and every row shows), and sorting by a column within each family, which stays over its rows
  document.querySelectorAll("form[data-plan-filters]").forEach(function (form) {
    var table = form.parentNode.querySelector("table.plan-table");
    if (!table) return;
    var output = form.querySelector("output");
    var rows = table.querySelectorAll("tbody tr[data-status]");
    function apply() {
      var family = form.elements.family ? form.elements.family.value : "";
      var status = form.elements.status.value, owner = form.elements.owner.value, late = form.elements.late.checked;
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies, function (body) {
        var any = false;
        Array.prototype.forEach.call(body.querySelectorAll("tr[data-status]"), function (row) {
          var keep = (!family || body.dataset.family === family) && (!status || row.dataset.status === status) &&
                     (!owner || row.dataset.owner === owner) && (!late || row.hasAttribute("data-late"));
          row.hidden = !keep;
          if (keep) { any = true; shown += 1; }
        });
        body.hidden = !any;
        var count = body.querySelector("tr.family-head [data-count]");  // "2 / 5 phases" while filtered
        if (count) {
          var total = count.dataset.count, words = count.textContent.replace(/^[\d\s\/]+/, "");
          var mine = body.querySelectorAll("tr[data-status]:not([hidden])").length;
          count.textContent = (String(mine) === total ? total : mine + " / " + total) + " " + words;
        }
      });
      output.textContent = output.dataset.template.replace("{n}", shown).replace("{total}", rows.length);
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
    var head = table.tHead.rows[0];
    Array.prototype.forEach.call(head.cells, function (th, index) {
      th.tabIndex = 0;
      th.setAttribute("role", "columnheader");
      function sort() {  // within each family: its row stays over its phases
        var ascending = sortedBy(th);
        Array.prototype.forEach.call(table.tBodies, function (body) {
          sortRows(body, Array.prototype.slice.call(body.querySelectorAll("tr[data-status]")), index, ascending);
        });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); window.print(); });
  });
})();
// On a phone the families list would push the page's content below the fold.
(function () {
  "use strict";
  if (window.matchMedia && window.matchMedia("(max-width: 48rem)").matches) {
    document.querySelectorAll("details.sidebar-box[open]").forEach(function (box) { box.removeAttribute("open"); });
  }
})();
// Search: Pagefind when served over http(s); from disk (file://), where browsers
// block its modules, the compact index search-index.js loaded by a plain script tag.
(function () {
  "use strict";
  var box = document.getElementById("search-results");
  if (!box) return;
  var input = document.getElementById("q");
  var query = new URLSearchParams(location.search).get("q") || "";
  var header = document.getElementById("site-q");
  input.value = query;
  if (header) header.value = query;
  var engine = null;

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function words(text) {
    return fold(text).match(/[\p{L}\p{N}_]+/gu) || [];
  }
  // the words of a query, a French plural or feminine ending dropped: each must start a word of a page
  function stems(q) {
    return words(q).map(function (w) { return w.length > 4 ? w.replace(/(eaux|aux|es|s|x|e)$/, "") : w; });
  }
  // the order of the results, the same with both indexes: a title naming words of the query first, then
  // a phase (rank 1) before the pages that sum phases up (rank 0), then the index's own order
  function score(wanted, titleWords, rank) {
    var points = 5 * rank;
    wanted.forEach(function (w) { if (titleWords.indexOf(" " + w) >= 0) points += 10; });
    return points;
  }
  function byScore(a, b) {
    return b.score - a.score || a.order - b.order;
  }
  function say(template, q, n) {
    return template.replace("{q}", q).replace("{n}", String(n));
  }
  function show(q, results) {
    box.textContent = "";
    var status = document.createElement("p");
    status.className = "search-status";
    var n = results.length;
    status.textContent = say(n === 0 ? box.dataset.none : n === 1 ? box.dataset.one : box.dataset.count, q, n);
    box.appendChild(status);
    if (!n) return;
    var list = document.createElement("ol");
    list.className = "search-list";
    results.forEach(function (r) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = r.url;
      link.textContent = r.title;
      item.appendChild(link);
      if (r.family) {
        var family = document.createElement("span");
        family.className = "search-family";
        family.textContent = r.family;
        item.appendChild(document.createTextNode(" "));
        item.appendChild(family);
      }
      var excerpt = document.createElement("p");
      if (r.excerptHtml) excerpt.innerHTML = r.excerptHtml; else excerpt.textContent = r.excerpt;
      item.appendChild(excerpt);
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  // the compact index: every word of the query (accents ignored, a French plural
  // or feminine ending dropped) must start a word of the page
  function compact() {
    return new Promise(function (resolve, reject) {
      if (window.pacsiteSearch) { resolve(); return; }
      var script = document.createElement("script");
      script.src = box.dataset.index;
      script.onload = function () { resolve(); };
      script.onerror = reject;
      document.head.appendChild(script);
    }).then(function () {
      var root = new URL(box.dataset.root, location.href);
      var pages = window.pacsiteSearch.pages.map(function (p) {
        return { path: p[0], title: p[1], family: p[2], summary: p[3], words: " " + p[4], rank: p[5] || 0,
                 titleWords: " " + words(p[1]).join(" ") };
      });
      return function (q) {
        var wanted = stems(q);
        if (!wanted.length) return Promise.resolve([]);
        var found = [];
        pages.forEach(function (p, order) {
          for (var i = 0; i < wanted.length; i++) {
            if (p.words.indexOf(" " + wanted[i]) < 0) return;
          }
          found.push({ score: score(wanted, p.titleWords, p.rank), order: order, page: p });
        });
        found.sort(byScore);
        return Promise.resolve(found.slice(0, 50).map(function (f) {
          return { url: new URL(f.page.path, root).href, title: f.page.title, family: f.page.family, excerpt: f.page.summary };
        }));
      };
    });
  }
  function pagefind() {
    var url = new URL(box.dataset.pagefind, location.href).href;
    return import(url).then(function (pf) {
      // the words of a page beyond its own text are metadata (output/search.py): a phase's weigh twice another's;
      // its summary is shown, never ranked
      var metaWeights = { phase_words: 1, words: 0.5, summary: 0 };
      return pf.options({ ranking: { metaWeights: metaWeights } }).then(function () { return pf; });
    }).then(function (pf) {
      return function (q) {
        return pf.search(q).then(function (search) {
          return Promise.all(search.results.slice(0, 50).map(function (r) { return r.data(); }));
        }).then(function (data) {
          var wanted = stems(q);
          return data.map(function (d, order) { // only a phase names its family (base.html)
            var titleWords = " " + words(d.meta.title || "").join(" ");
            return { score: score(wanted, titleWords, d.meta.family ? 1 : 0), order: order, d: d };
          }).sort(byScore).map(function (f) {
            var d = f.d, result = { url: d.url, title: d.meta.title, family: d.meta.family || "" };
            // matched in its text: the passage; only in its tables or fields: its summary, else its opening
            if (d.excerpt.indexOf("<mark>") < 0 && d.meta.summary) result.excerpt = d.meta.summary;
            else result.excerptHtml = "… " + d.excerpt + " …";
            return result;
          });
        });
      };
    });
  }
  function run(q) {
    if (!q.trim()) { box.textContent = ""; return; }
    if (!engine) {
      box.textContent = box.dataset.loading;
      engine = (location.protocol === "file:" ? compact() : pagefind().catch(compact));
    }
    engine.then(function (search) { return search(q); })
      .then(function (results) { if (input.value === q) show(q, results); })
      .catch(function () { box.textContent = box.dataset.unavailable; });
  }
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = new URL(location.href);
      url.searchParams.set("q", input.value);
      if (location.protocol !== "file:") history.replaceState(null, "", url);
      run(input.value);
    }, 200);
  });
  run(query);
})();
