// The web edition's one script: progressive enhancement only, every page
// reads in full without it (docs/web.md).
//
// - Tables with class "sortable" get a button in each column head that
//   sorts the rows (aria-sort says how), and, with more than eight rows, a
//   filter field above them.
// - A table region (.table-wrap) keeps its Tab stop and shows a hint only
//   while its table is wider than the region, i.e. while it scrolls.
// - The comparison page sets two chosen units side by side.
'use strict';

(function () {
  var VERDICTS = { 'conform norm': 0, aandacht: 1, onvoldoende: 2, 'n.v.t.': 3 };

  /** A cell's value for sorting: a number, a verdict's rank or text. */
  function sortKey(cell) {
    var text = (cell ? cell.textContent : '').replace(/\s+/g, ' ').trim();
    var v = text.replace(/\s*\(handmatig\)$/, '');
    if (Object.prototype.hasOwnProperty.call(VERDICTS, v)) return { n: VERDICTS[v], t: v };
    if (/^[-−]?[\d.]+(,\d+)?\s*%?$/.test(v)) {
      return { n: Number(v.replace(/[.%\s]/g, '').replace(',', '.').replace('−', '-')), t: v };
    }
    return { n: null, t: v };
  }

  function compare(a, b) {
    var missingA = a.t === '' || a.t === '–';
    var missingB = b.t === '' || b.t === '–';
    if (missingA || missingB) return missingA === missingB ? 0 : missingA ? 1 : -1;
    if (a.n !== null && b.n !== null) return a.n - b.n;
    return a.t.localeCompare(b.t, 'nl');
  }

  function sortable(table, n) {
    var heads = table.querySelectorAll('thead th');
    var body = table.tBodies[0];
    if (!body || heads.length === 0) return;
    var original = Array.prototype.slice.call(body.rows);
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort-button';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () {
        var next = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        Array.prototype.forEach.call(heads, function (h) {
          h.removeAttribute('aria-sort');
        });
        th.setAttribute('aria-sort', next);
        var rows = original.slice();
        rows.sort(function (a, b) {
          var c = compare(sortKey(a.cells[col]), sortKey(b.cells[col]));
          return next === 'ascending' ? c : -c;
        });
        rows.forEach(function (r) {
          body.appendChild(r);
        });
      });
    });
    if (original.length > 8) filterable(table, original, n);
  }

  function filterable(table, rows, n) {
    var wrap = table.closest('.table-wrap') || table;
    var caption = table.caption ? table.caption.textContent.trim() : 'de tabel';
    var box = document.createElement('div');
    box.className = 'table-filter';
    var id = 'filter-' + n;
    var label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = 'Zoek in de tabel ‘' + caption + '’';
    var input = document.createElement('input');
    input.type = 'search';
    input.id = id;
    input.autocomplete = 'off';
    var status = document.createElement('p');
    status.className = 'table-filter-status';
    status.setAttribute('aria-live', 'polite');
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    wrap.parentNode.insertBefore(box, wrap);
    input.addEventListener('input', function () {
      var q = input.value.trim().toLocaleLowerCase('nl');
      var shown = 0;
      rows.forEach(function (r) {
        var hit = q === '' || r.textContent.toLocaleLowerCase('nl').indexOf(q) >= 0;
        r.hidden = !hit;
        if (hit) shown++;
      });
      status.textContent = q === '' ? '' : shown + ' van de ' + rows.length + ' rijen';
      scrolling();
    });
  }

  /** Which table regions scroll: only those keep a Tab stop and a hint. */
  function scrolling() {
    Array.prototype.forEach.call(document.querySelectorAll('.table-wrap'), function (wrap) {
      // A region not shown (in a closed <details>) keeps its Tab stop, so
      // that it is reachable the moment it shows.
      if (wrap.clientWidth === 0) return;
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      var hint = wrap.previousElementSibling;
      if (!hint || !hint.classList.contains('scroll-hint')) {
        hint = document.createElement('p');
        hint.className = 'scroll-hint';
        hint.textContent = 'De tabel is breder dan het scherm: schuif hem opzij voor alle kolommen.';
        wrap.parentNode.insertBefore(hint, wrap);
      }
      hint.hidden = !scrolls;
      wrap.classList.toggle('is-scrolling', scrolls);
      if (scrolls) wrap.setAttribute('tabindex', '0');
      else wrap.removeAttribute('tabindex');
    });
  }

  function comparison() {
    var form = document.getElementById('vergelijk');
    var out = document.getElementById('vergelijking');
    var source = document.querySelector('#tabel-alle-eenheden table');
    if (!form || !out || !source) return;
    var a = form.elements.a;
    var b = form.elements.b;
    var heads = Array.prototype.map.call(source.tHead.rows[0].cells, function (c) {
      return c.textContent.trim();
    });
    var rows = Array.prototype.slice.call(source.tBodies[0].rows);
    var fromHash = function () {
      var m = /(?:^#|&)a=([^&]*)/.exec(location.hash);
      var k = /(?:^#|&)b=([^&]*)/.exec(location.hash);
      if (m) a.value = decodeURIComponent(m[1]);
      if (k) b.value = decodeURIComponent(k[1]);
      if (a.selectedIndex < 0) a.selectedIndex = 0;
      if (b.selectedIndex < 0 || (!k && b.selectedIndex === a.selectedIndex)) {
        b.selectedIndex = a.selectedIndex === 0 ? 1 : 0;
      }
    };
    var show = function () {
      var ra = rows[a.selectedIndex];
      var rb = rows[b.selectedIndex];
      if (!ra || !rb) return;
      var na = a.options[a.selectedIndex].text;
      var nb = b.options[b.selectedIndex].text;
      var html = ['<div class="table-wrap" id="tabel-vergelijking" role="region" aria-labelledby="tabel-vergelijking-titel" tabindex="0"><table>'];
      html.push('<caption id="tabel-vergelijking-titel"></caption><thead><tr><th scope="col"></th><th scope="col"></th><th scope="col"></th></tr></thead><tbody>');
      for (var i = 1; i < heads.length; i++) html.push('<tr><th scope="row"></th><td></td><td></td></tr>');
      html.push('</tbody></table></div>');
      out.innerHTML = html.join('');
      var t = out.querySelector('table');
      t.caption.textContent = na + ' en ' + nb + ' naast elkaar';
      var hr = t.tHead.rows[0].cells;
      hr[0].textContent = heads[0] === 'Eenheid' ? 'Score of oordeel' : heads[0];
      hr[1].textContent = na;
      hr[2].textContent = nb;
      for (var j = 1; j < heads.length; j++) {
        var r = t.tBodies[0].rows[j - 1];
        var numeric = ra.cells[j] && ra.cells[j].classList.contains('num');
        r.cells[0].textContent = heads[j];
        r.cells[1].innerHTML = ra.cells[j] ? ra.cells[j].innerHTML : '';
        r.cells[2].innerHTML = rb.cells[j] ? rb.cells[j].innerHTML : '';
        if (numeric) {
          r.cells[1].className = 'num';
          r.cells[2].className = 'num';
        }
      }
      var hash = '#a=' + encodeURIComponent(a.value) + '&b=' + encodeURIComponent(b.value);
      if (history.replaceState) history.replaceState(null, '', hash);
      scrolling();
    };
    form.hidden = false;
    fromHash();
    a.addEventListener('change', show);
    b.addEventListener('change', show);
    window.addEventListener('hashchange', function () {
      fromHash();
      show();
    });
    show();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), sortable);
    comparison();
    scrolling();
    window.addEventListener('resize', scrolling);
    document.addEventListener('toggle', scrolling, true);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
