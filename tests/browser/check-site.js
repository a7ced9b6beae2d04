#!/usr/bin/env node
// Opens every HTML page of one or more folders (a built web edition) in
// headless Chromium and checks each page for:
//
// - axe-core violations of the WCAG 2.1 level A and AA rules (tags wcag2a,
//   wcag2aa, wcag21a, wcag21aa), at a desktop width and at 320 CSS px, with
//   every <details> closed as the page comes and then opened;
// - printed colours: verdict badges keep their colours in print;
// - reflow (WCAG 2.1 SC 1.4.10): at a viewport of 320 CSS px the page does
//   not scroll sideways, no element sticks out of the viewport or cuts off
//   its content, and only a keyboard-reachable, named region holding
//   two-dimensional content (a table, an image, a chart, preformatted text)
//   scrolls sideways on its own;
// - text spacing (WCAG 2.1 SC 1.4.12): with the spacing the criterion names
//   applied at the desktop width, no element cuts off content it did not;
// - charts: every chart (an inline <svg> not hidden with aria-hidden, or an
//   <img>/<object> showing an SVG inside a <figure>) is exposed as an image
//   whose accessible name, as Chromium computes it, holds every number of
//   the data table beside it (in its <figure>, named by aria-describedby or
//   aria-details, or the first table after it before the next chart or
//   heading);
// - phones: at 375 CSS px no text of a table or a chart (SVG text, scaled
//   as drawn) is under 12 CSS px;
// - fonts (with --font FAMILY): the page's heading and its charts' text are
//   drawn in FAMILY as a web font the site serves, not a system font;
// - the page loads without a missing resource, a script error or a request
//   leaving the machine.
//
// Usage: node check-site.js [--chromium PATH] [--json FILE] [--timeout SECONDS] [--font FAMILY] DIR...
//
// The JSON result goes to stdout (or FILE); one line per violation (page,
// rule, selector) goes to stderr. What axe could not decide (such as the
// contrast of text inside an SVG) is listed under needs_review and counted,
// but does not fail the check. Exit status: 0 when nothing was found, 1
// when something was, 2 when the check could not run (bad arguments, no HTML
// page, Chromium failed to start).
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const USAGE =
  'usage: node check-site.js [--chromium PATH] [--json FILE] [--timeout SECONDS] [--font FAMILY] DIR...';

/** The axe-core tags whose rules must pass: WCAG 2.0 and 2.1, levels A and AA. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Chromium's flags: headless, no network of its own, a fresh profile. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Widths (CSS px) at which axe runs; the last one is the reflow width. */
const DESKTOP = { width: 1280, height: 900 };
const NARROW = { width: 320, height: 640 };
/** The phone width at which no table or chart text may be under MIN_TEXT_PX. */
const PHONE = { width: 375, height: 800 };
const MIN_TEXT_PX = 12;

/** Content types of the files a built site may hold. */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.pdf': 'application/pdf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
};

/** Stops with exit status 2; with the usage line when the arguments were wrong. */
function fail(message, usage = false) {
  process.stderr.write(`error: ${message}\n${usage ? `${USAGE}\n` : ''}`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    chromium: process.env.KORPSMONITOR_CHROMIUM || '/usr/bin/chromium',
    json: null,
    font: null,
    timeout: 900,
    dirs: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${a} needs a value`, true);
      return argv[++i];
    };
    if (a === '--chromium') opts.chromium = value();
    else if (a === '--json') opts.json = value();
    else if (a === '--font') opts.font = value();
    else if (a === '--timeout') {
      opts.timeout = Number(value());
      if (!(opts.timeout > 0)) fail('--timeout takes a positive number of seconds', true);
    } else if (a === '-h' || a === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (a.startsWith('-')) fail(`unknown option ${a}`, true);
    else opts.dirs.push(a);
  }
  if (opts.dirs.length === 0) fail('no folder given', true);
  return opts;
}

/** Every .html file under `dir`, as paths relative to it, sorted. */
function htmlFiles(dir) {
  const found = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(r);
      else if (entry.isFile() && entry.name.endsWith('.html')) found.push(r);
    }
  };
  walk('');
  return found.sort();
}

/**
 * A static file server on 127.0.0.1 serving folder `roots[i]` under `/i/`;
 * nothing outside a root is served.
 */
function serve(roots) {
  const server = http.createServer((req, res) => {
    const notFound = () => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405);
      res.end();
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return notFound();
    }
    const m = /^\/(\d+)(\/.*)$/.exec(pathname);
    if (!m || !roots[Number(m[1])] || pathname.includes('\0')) return notFound();
    const root = path.resolve(roots[Number(m[1])]);
    let file = path.resolve(root, `.${m[2]}`);
    if (file !== root && !file.startsWith(root + path.sep)) return notFound();
    try {
      if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      const body = fs.readFileSync(file);
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      notFound();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------------------
// Checks run inside the page. Each is a self-contained function handed to
// page.evaluate, so it may use only what it defines itself.

/** A short CSS selector of an element, for the report (runs in the page). */
function kmSelector(el) {
  const parts = [];
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
    if (e.id) {
      parts.unshift(`#${CSS.escape(e.id)}`);
      break;
    }
    let part = e.localName;
    const parent = e.parentElement;
    if (parent) {
      const same = [...parent.children].filter((c) => c.localName === e.localName);
      if (same.length > 1) part += `:nth-of-type(${same.indexOf(e) + 1})`;
    }
    parts.unshift(part);
    if (e.localName === 'body') break;
  }
  return parts.join(' > ');
}

/**
 * Whether `el` is rendered and not visually hidden text (clipped to a pixel
 * or less, for screen readers), which takes no room (runs in the page).
 */
function kmShown(el) {
  if (el.closest('head') || !el.checkVisibility({ checkVisibilityCSS: true })) return false;
  for (let a = el; a && a !== document.body; a = a.parentElement) {
    const s = getComputedStyle(a);
    const r = a.getBoundingClientRect();
    const clipped =
      (s.clip !== 'auto' && s.clip !== '') || (s.clipPath !== 'none' && s.clipPath !== '');
    if (clipped && r.width <= 1 && r.height <= 1) return false;
  }
  return true;
}

/**
 * Every shown element, other than the page itself, that cuts off its own
 * content (overflow hidden or clip, content larger than its box), as
 * { selector, message } (runs in the page).
 */
function kmClipped() {
  const found = [];
  const root = document.documentElement;
  for (const e of root.querySelectorAll('body *')) {
    if (!kmShown(e)) continue;
    const s = getComputedStyle(e);
    const clips = (v) => v === 'hidden' || v === 'clip';
    const cuts = [];
    const x = e.scrollWidth - e.clientWidth;
    const y = e.scrollHeight - e.clientHeight;
    if (clips(s.overflowX) && x > 1) cuts.push(`${x} px sideways (overflow-x: ${s.overflowX})`);
    if (clips(s.overflowY) && y > 1) cuts.push(`${y} px downwards (overflow-y: ${s.overflowY})`);
    if (cuts.length > 0) {
      found.push({ selector: kmSelector(e), message: `cuts off its content: ${cuts.join(' and ')}` });
    }
  }
  return found;
}

/** The functions above, for the page. */
const PAGE_HELPERS = [kmSelector, kmShown, kmClipped].map((f) => f.toString()).join('\n');

/**
 * The reflow check at the current viewport: the page's width, elements out
 * of the viewport, content cut off, and sideways scrolling regions.
 */
function reflowCheck() {
  /* global kmSelector, kmShown, kmClipped */
  const found = [];
  const root = document.documentElement;
  const vw = root.clientWidth;
  const pageWidth = Math.max(root.scrollWidth, document.body ? document.body.scrollWidth : 0);
  if (pageWidth > vw + 1) {
    found.push({
      rule: 'reflow-page-width',
      message: `the page is ${pageWidth} px wide in a viewport of ${vw} px: it scrolls sideways`,
      selectors: ['html'],
    });
  }
  const style = (e) => getComputedStyle(e);
  const scrollsX = (s) => s.overflowX === 'auto' || s.overflowX === 'scroll';
  const clipsX = (s) => s.overflowX === 'hidden' || s.overflowX === 'clip';
  // A region that may scroll sideways: reachable by keyboard, named, and
  // holding two-dimensional content (WCAG 2.1 SC 1.4.10's exception).
  const allowedScroller = (e) => {
    const role = e.getAttribute('role');
    const named = e.hasAttribute('aria-label') || e.hasAttribute('aria-labelledby');
    const twoDimensional = e.querySelector('table, svg, img, canvas, pre, [role="img"]');
    return e.tabIndex >= 0 && (role === 'region' || role === 'group') && named && twoDimensional;
  };
  // The element whose box clips `e` sideways, other than the page itself.
  const clippingAncestor = (e) => {
    for (let a = e.parentElement; a && a !== document.body && a !== root; a = a.parentElement) {
      const s = style(a);
      if (s.overflowX !== 'visible') return a;
    }
    return null;
  };
  const outOfView = new Set();
  for (const e of [root, ...root.querySelectorAll('*')]) {
    if (!kmShown(e)) continue;
    const s = style(e);
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const overflow = e.scrollWidth - e.clientWidth;
    if (e !== root && e !== document.body && overflow > 1) {
      if (scrollsX(s) && !allowedScroller(e)) {
        found.push({
          rule: 'reflow-scroll-region',
          message:
            `scrolls sideways by ${overflow} px but is not a keyboard-reachable (tabindex="0"), ` +
            'named region (role="region" with aria-label) holding a table, image or preformatted text',
          selectors: [kmSelector(e)],
        });
      }
    }
    if ((e === document.body || e === root) && clipsX(s) && pageWidth > vw + 1) {
      found.push({
        rule: 'reflow-clipped',
        message: `cuts off the page sideways (overflow-x: ${s.overflowX})`,
        selectors: [kmSelector(e)],
      });
    }
    if (e !== root && e !== document.body && !clippingAncestor(e)) {
      const sticksOut = r.right > vw + 1 || (r.left < -1 && r.right > 0);
      if (sticksOut) {
        outOfView.add(e);
        // Only the outermost element that sticks out is reported.
        if (!outOfView.has(e.parentElement)) {
          found.push({
            rule: 'reflow-out-of-view',
            message:
              `reaches from ${Math.round(r.left)} to ${Math.round(r.right)} px ` +
              `in a viewport of ${vw} px`,
            selectors: [kmSelector(e)],
          });
        }
      }
    }
  }
  for (const c of kmClipped()) {
    found.push({ rule: 'reflow-clipped', message: c.message, selectors: [c.selector] });
  }
  return found;
}

/**
 * The text spacing of WCAG 2.1 SC 1.4.12 (line height 1.5, paragraph
 * spacing 2 em, letter spacing 0.12 em, word spacing 0.16 em), applied to
 * the whole page by a style sheet with the id km-text-spacing.
 */
const TEXT_SPACING_CSS = `
*, *::before, *::after {
  line-height: 1.5 !important;
  letter-spacing: 0.12em !important;
  word-spacing: 0.16em !important;
}
p { margin-bottom: 2em !important; }
`;

/**
 * The elements that cut off content with the text spacing of SC 1.4.12 and
 * did not without it (runs in the page).
 */
function textSpacingCheck(css) {
  /* global kmClipped */
  const key = (c) => `${c.selector} ${c.message.replace(/\d+ px/g, '')}`;
  const before = new Set(kmClipped().map(key));
  const sheet = document.createElement('style');
  sheet.id = 'km-text-spacing';
  sheet.textContent = css;
  document.head.append(sheet);
  const found = kmClipped()
    .filter((c) => !before.has(key(c)))
    .map((c) => ({
      rule: 'text-spacing-clipped',
      message: `with the text spacing of WCAG 2.1 SC 1.4.12, ${c.message}`,
      selectors: [c.selector],
    }));
  sheet.remove();
  return found;
}

/**
 * The charts of the page, each marked with `data-km-chart` so that Chromium's
 * accessibility tree can be asked for it, with the numbers of its data table.
 */
function chartsOfPage() {
  /* global kmSelector, numbersIn */
  // A chart: an outermost inline <svg> (one that is decoration must be
  // aria-hidden), or an SVG shown by <img> or <object> inside a <figure>.
  const isChart = (e) =>
    e.localName === 'svg'
      ? !e.parentElement.closest('svg')
      : e.closest('figure') !== null &&
        (e.localName === 'img'
          ? /\.svg(?:[?#].*)?$/i.test(e.getAttribute('src') || '')
          : (e.getAttribute('type') || '').startsWith('image/svg+xml'));
  const charts = [...document.querySelectorAll('svg, img, object')].filter(isChart);
  // The data table of a chart: named by aria-describedby or aria-details, in
  // the same <figure>, or the first table after the chart before the next one.
  const tableOf = (chart, i) => {
    for (const attr of ['aria-details', 'aria-describedby']) {
      for (const id of (chart.getAttribute(attr) || '').split(/\s+/).filter(Boolean)) {
        const t = document.getElementById(id);
        const table = t && (t.localName === 'table' ? t : t.querySelector('table'));
        if (table) return table;
      }
    }
    const figure = chart.closest('figure');
    const inFigure = figure && figure.querySelector('table');
    if (inFigure) return inFigure;
    // Else the first table after it, before the next chart or heading.
    const before = (a, b) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    const next = charts[i + 1];
    const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role="heading"]')];
    for (const t of document.querySelectorAll('table')) {
      if (!before(chart, t) || chart.contains(t)) continue;
      if ((next && before(next, t)) || headings.some((h) => before(chart, h) && before(h, t))) break;
      return t;
    }
    return null;
  };
  return charts.map((chart, i) => {
    chart.setAttribute('data-km-chart', String(i));
    const table = tableOf(chart, i);
    const cells = table ? [...table.querySelectorAll('td')].map((c) => c.textContent) : [];
    return {
      index: i,
      selector: kmSelector(chart),
      shown: chart.getClientRects().length > 0,
      element: chart.localName,
      role: chart.getAttribute('role'),
      ariaHidden: chart.closest('[aria-hidden="true"]') !== null,
      table: table ? kmSelector(table) : null,
      tableNumbers: [...new Set(cells.flatMap(numbersIn))],
    };
  });
}

/**
 * The numbers in `text` as canonical strings ("1.234" and "1234" are "1234",
 * "12,5" is "12.5"), without their signs; used in the page and here alike.
 */
function numbersIn(text) {
  const out = [];
  const re = /\d{1,3}(?:[.\u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?/g;
  for (const [token] of text.matchAll(re)) {
    let t = token;
    if (/^\d{1,3}(?:[.\u00a0\u202f]\d{3})+(?:,\d+)?$/.test(t)) t = t.replace(/[.\u00a0\u202f]/g, '');
    out.push(String(Number(t.replace(',', '.'))));
  }
  return out;
}

/** Runs axe with the WCAG 2.1 A/AA tags; returns violations and items to review. */
async function runAxe(page, axeSource) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ content: axeSource });
  }
  return page.evaluate(async (tags) => {
    /* global axe */
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    const slim = (v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        selector: n.target.join(' '),
        html: n.html,
        summary: n.failureSummary || '',
      })),
    });
    return { violations: r.violations.map(slim), incomplete: r.incomplete.map(slim) };
  }, TAGS);
}

/** Chromium's own accessible name and role of every chart of the page. */
async function chartNames(cdp, count) {
  const names = [];
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
  for (let i = 0; i < count; i++) {
    const { nodeId } = await cdp.send('DOM.querySelector', {
      nodeId: root.nodeId,
      selector: `[data-km-chart="${i}"]`,
    });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', {
      nodeId,
      fetchRelatives: false,
    });
    const node = nodes[0] || {};
    names.push({
      ignored: Boolean(node.ignored),
      role: node.role ? node.role.value : null,
      name: node.name ? String(node.name.value) : '',
      description: node.description ? String(node.description.value) : '',
    });
  }
  return names;
}

/**
 * The table and chart text of the page drawn under `min` CSS px, grouped by
 * element (runs in the page): a table's cells and caption at their computed
 * size, an SVG text at its size times the drawing's scale.
 */
function smallTextCheck(min) {
  /* global kmSelector, kmShown */
  const small = new Map();
  const note = (el, px, text) => {
    const key = kmSelector(el);
    const prev = small.get(key);
    if (!prev || px < prev.px) small.set(key, { px, text: text.trim().slice(0, 40) });
  };
  for (const cell of document.querySelectorAll('table caption, table th, table td')) {
    if (!cell.textContent.trim() || !kmShown(cell)) continue;
    for (const e of [cell, ...cell.querySelectorAll('*')]) {
      if (!e.textContent.trim() || !kmShown(e)) continue;
      const px = parseFloat(getComputedStyle(e).fontSize);
      if (px < min - 0.05) note(cell, px, e.textContent);
    }
  }
  for (const t of document.querySelectorAll('svg text')) {
    if (!t.textContent.trim() || t.getClientRects().length === 0 || !kmShown(t)) continue;
    const ctm = t.getScreenCTM();
    const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
    const px = parseFloat(getComputedStyle(t).fontSize) * scale;
    if (px < min - 0.05) note(t.closest('svg'), px, t.textContent);
  }
  return [...small.entries()].map(([selector, { px, text }]) => ({
    rule: 'small-text',
    message: `text drawn at ${px.toFixed(1)} CSS px, under ${min} px ("${text}")`,
    selectors: [selector],
  }));
}

/**
 * Whether the page's heading and its first chart text are drawn in `family`
 * as a web font (not a system font), as Chromium reports the fonts it used.
 */
async function fontCheck(page, cdp, family) {
  await page.evaluate(() => document.fonts.ready);
  const found = [];
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
  for (const selector of ['h1', 'svg text']) {
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    if (!nodeId) continue;
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    const used = fonts.reduce((a, b) => (b.glyphCount > a.glyphCount ? b : a), { glyphCount: -1 });
    if (used.familyName !== family || !used.isCustomFont) {
      found.push({
        check: 'fonts',
        rule: 'web-font',
        message:
          `${selector} is drawn in ${used.familyName || 'no font'}` +
          `${used.isCustomFont ? ' (a web font)' : ' (a system font)'}, expected the web font ${family}`,
        selectors: [selector],
      });
    }
  }
  return found;
}

async function checkPage(page, cdp, url, axeSource, events, font) {
  const found = [];
  events.length = 0;
  await page.setViewportSize(DESKTOP);
  const response = await page.goto(url, { waitUntil: 'load', timeout: 60000 });
  if (!response || !response.ok()) {
    found.push({
      check: 'page',
      rule: 'page-load',
      message: `the page did not load (${response ? response.status() : 'no response'})`,
      selectors: [],
    });
    return { found, charts: [], incomplete: [] };
  }
  await page.addScriptTag({ content: `${PAGE_HELPERS}\n${numbersIn.toString()}` });

  if (font) found.push(...(await fontCheck(page, cdp, font)));

  const incomplete = [];
  const axeAt = async (size) => {
    await page.setViewportSize(size);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    const r = await runAxe(page, axeSource);
    for (const v of r.violations) {
      for (const n of v.nodes) {
        const key = `${v.rule} ${n.selector}`;
        if (found.some((f) => f.key === key)) continue;
        found.push({
          check: 'axe',
          key,
          rule: v.rule,
          impact: v.impact,
          width: size.width,
          message: `${v.help} (${v.helpUrl})${n.summary ? `: ${n.summary.replace(/\s+/g, ' ')}` : ''}`,
          selectors: [n.selector],
          html: n.html,
        });
      }
    }
    for (const v of r.incomplete) {
      for (const n of v.nodes) {
        const key = `${v.rule} ${n.selector}`;
        if (!incomplete.some((f) => f.key === key)) {
          incomplete.push({ key, rule: v.rule, width: size.width, selector: n.selector, reason: n.summary.replace(/\s+/g, ' ') });
        }
      }
    }
  };
  await axeAt(DESKTOP);

  // Printed, a verdict keeps its colour: browsers leave out backgrounds
  // when printing unless the element asks for its colours exactly, and a
  // white word on no background prints as nothing.
  await page.emulateMedia({ media: 'print' });
  const pale = await page.evaluate(() =>
    [...document.querySelectorAll('.verdict--conform_norm, .verdict--aandacht, .verdict--onvoldoende')]
      .filter((e) => getComputedStyle(e).printColorAdjust !== 'exact')
      .map((e) => e.className),
  );
  await page.emulateMedia({ media: 'screen' });
  if (pale.length > 0) {
    found.push({
      check: 'print',
      rule: 'print-colours',
      message: `${pale.length} verdict badge(s) would print without their colour (print-color-adjust is not exact)`,
      selectors: [...new Set(pale)].map((c) => `.${c.split(' ').join('.')}`),
    });
  }

  // Charts, at the desktop width.
  const charts = await page.evaluate(chartsOfPage);
  const names = await chartNames(cdp, charts.length);
  for (const [i, chart] of charts.entries()) {
    const { name, description, role, ignored } = names[i];
    chart.name = name;
    chart.description = description;
    chart.axRole = role;
    // A chart not shown at this width (the phone drawing of a chart drawn
    // twice) is out of the accessibility tree; its twin is checked.
    if (chart.ariaHidden || !chart.shown) continue;
    const where = [chart.selector];
    if (chart.element === 'svg' && chart.role !== 'img') {
      found.push({
        check: 'chart',
        rule: 'chart-role',
        message: `an inline chart <svg> has role="${chart.role || ''}", expected role="img" (or aria-hidden="true" for decoration)`,
        selectors: where,
      });
    }
    if (ignored || role !== 'image') {
      found.push({
        check: 'chart',
        rule: 'chart-role',
        message: `Chromium exposes the chart as ${ignored ? 'nothing (ignored)' : `role ${role}`}, expected an image`,
        selectors: where,
      });
    }
    // The numbers may be in the name or in the description (a short name
    // and the numbers in the table that describes the chart).
    const have = new Set(numbersIn(`${name} ${description}`));
    if (chart.table) {
      chart.missing = chart.tableNumbers.filter((n) => !have.has(n));
      if (chart.missing.length > 0) {
        found.push({
          check: 'chart',
          rule: 'chart-name-numbers',
          message:
            `the chart's accessible name lacks ${chart.missing.join(', ')} from its data table ` +
            `${chart.table}; name: "${name}"${description ? `; description: "${description}"` : ''}`,
          selectors: where,
        });
      }
    } else if (have.size === 0) {
      found.push({
        check: 'chart',
        rule: 'chart-name-numbers',
        message: `the chart has no data table beside it and its accessible name holds no number; name: "${name}"`,
        selectors: where,
      });
    }
  }

  // What a reader can unfold is checked unfolded too: every <details> open,
  // at the desktop width, then reflow and axe at 320 CSS px.
  const folded = await page.evaluate(() => {
    const closed = [...document.querySelectorAll('details:not([open])')];
    for (const d of closed) d.open = true;
    return closed.length;
  });
  if (folded > 0) await axeAt(DESKTOP);
  await page.setViewportSize(NARROW);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  for (const f of await page.evaluate(reflowCheck)) {
    found.push({ check: 'reflow', width: NARROW.width, ...f });
  }
  await axeAt(NARROW);

  // Phones: no table or chart text under MIN_TEXT_PX.
  await page.setViewportSize(PHONE);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  for (const f of await page.evaluate(smallTextCheck, MIN_TEXT_PX)) {
    found.push({ check: 'phone', width: PHONE.width, ...f });
  }

  // Text spacing, at the desktop width.
  await page.setViewportSize(DESKTOP);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  for (const f of await page.evaluate(textSpacingCheck, TEXT_SPACING_CSS)) {
    found.push({ check: 'text-spacing', width: DESKTOP.width, ...f });
  }

  for (const e of events) {
    if (!found.some((f) => f.rule === e.rule && f.message === e.message)) {
      found.push({ check: 'page', ...e });
    }
  }
  for (const f of found) delete f.key;
  for (const f of incomplete) delete f.key;
  return { found, charts, incomplete };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const sites = opts.dirs.map((dir) => {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) fail(`${dir}: not a folder`);
    const pages = htmlFiles(dir);
    if (pages.length === 0) fail(`${dir}: no .html page in it`);
    return { dir, pages };
  });
  if (!fs.existsSync(opts.chromium)) fail(`${opts.chromium}: no Chromium there (--chromium PATH)`);

  // The installed packages must be the pinned ones, or results would vary.
  for (const [name, pinned] of Object.entries(require('./package.json').dependencies)) {
    let installed = null;
    try {
      installed = require(`${name}/package.json`).version;
    } catch {
      // reported below
    }
    if (installed !== pinned) {
      fail(
        `${name} ${installed || 'is not installed'}${installed ? ' is installed' : ''}, ` +
          `${pinned} is pinned: run npm ci --prefix ${path.relative(process.cwd(), __dirname) || '.'}`,
      );
    }
  }
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const { chromium } = require('playwright-core');

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'korpsmonitor-chromium-'));
  const server = await serve(sites.map((s) => s.dir));
  const base = `http://127.0.0.1:${server.address().port}`;
  let context;
  const cleanup = async () => {
    if (context) await context.close().catch(() => {});
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  const watchdog = setTimeout(async () => {
    process.stderr.write(`error: the check took longer than ${opts.timeout} s\n`);
    await cleanup();
    process.exit(2);
  }, opts.timeout * 1000);

  try {
    // A browser that crashes while starting (as on a machine short of
    // resources) is started again, up to three times.
    for (let attempt = 1; !context; attempt++) {
      try {
        context = await chromium.launchPersistentContext(profile, {
          executablePath: opts.chromium,
          headless: true,
          args: FLAGS,
          viewport: DESKTOP,
          deviceScaleFactor: 1,
          locale: 'nl-NL',
          timeout: 120000,
        });
      } catch (e) {
        const first = e.message.split('\n')[0];
        if (attempt < 3) {
          process.stderr.write(`Chromium did not start (${first}); trying again\n`);
          fs.rmSync(profile, { recursive: true, force: true });
          fs.mkdirSync(profile);
          continue;
        }
        process.stderr.write(`error: Chromium (${opts.chromium}) did not start: ${e.message}\n`);
        process.exitCode = 2;
        return;
      }
    }
    const browserVersion = context.browser() ? context.browser().version() : null;
    const page = context.pages()[0] || (await context.newPage());
    const cdp = await context.newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('Accessibility.enable');
    await cdp.send('CSS.enable');

    // Everything the page loads must come from the site itself.
    const events = [];
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(`${base}/`) || u.startsWith('data:') || u.startsWith('blob:')) {
        return route.continue();
      }
      events.push({ rule: 'external-request', message: `requests ${u}`, selectors: [] });
      return route.abort();
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && r.url().startsWith(`${base}/`)) {
        // Named as a file of the folder given: /<site>/<path> on the server.
        const pathname = decodeURIComponent(new URL(r.url()).pathname);
        const [, site, ...rest] = pathname.split('/');
        const file = /^\d+$/.test(site) && sites[Number(site)]
          ? path.join(sites[Number(site)].dir, rest.join('/'))
          : `${pathname} (outside the folders checked)`;
        events.push({
          rule: 'missing-resource',
          message: `${file} answered ${r.status()}`,
          selectors: [],
        });
      }
    });
    page.on('pageerror', (e) => {
      events.push({ rule: 'script-error', message: e.message, selectors: [] });
    });
    page.on('console', (m) => {
      // A resource that failed to load is reported above, with its address.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
        events.push({ rule: 'console-error', message: m.text(), selectors: [] });
      }
    });

    const result = {
      tags: TAGS,
      axe: require('axe-core/package.json').version,
      playwright: require('playwright-core/package.json').version,
      browser: browserVersion,
      widths: [DESKTOP.width, NARROW.width, PHONE.width],
      font: opts.font,
      pages: [],
      violations: 0,
    };
    for (const [i, site] of sites.entries()) {
      for (const rel of site.pages) {
        const url = `${base}/${i}/${rel.split('/').map(encodeURIComponent).join('/')}`;
        const name = path.join(site.dir, rel);
        const { found, charts, incomplete } = await checkPage(page, cdp, url, axeSource, events, opts.font);
        result.pages.push({ page: name, violations: found, charts, needs_review: incomplete });
        result.violations += found.length;
        for (const f of found) {
          const at = f.width ? ` at ${f.width} px` : '';
          process.stderr.write(`${name}: ${f.rule} (${f.check}${at}): ${f.message}\n`);
          for (const s of f.selectors) process.stderr.write(`    ${s}\n`);
        }
      }
    }
    const text = `${JSON.stringify(result, null, 2)}\n`;
    if (opts.json) fs.writeFileSync(opts.json, text);
    else process.stdout.write(text);
    const pages = result.pages.length;
    const review = result.pages.reduce((n, p) => n + p.needs_review.length, 0);
    process.stderr.write(
      `${pages} page${pages === 1 ? '' : 's'} checked in Chromium ${browserVersion} with axe-core ` +
        `${result.axe}: ${result.violations} violation${result.violations === 1 ? '' : 's'}, ` +
        `${review} item${review === 1 ? '' : 's'} for review\n`,
    );
    process.exitCode = result.violations === 0 ? 0 : 1;
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

main().catch((e) => {
  process.stderr.write(`error: ${e.stack || e}\n`);
  process.exit(2);
});
