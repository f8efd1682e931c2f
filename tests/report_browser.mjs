// report_browser.mjs — open results/report.html in headless Chromium (Debian's) and check it.
//
//   node tests/report_browser.mjs REPORT.html SCREENSHOT.png EXPERIMENT...
//
// Fails on: a console error or uncaught page error, any request that is not file:/data:
// (the page must open offline), an image that did not load, a missing experiment section,
// a section with fewer rendered tables than its Markdown holds (data-md-tables) or with a
// figure that lost its number and caption, any raw Markdown table text left on the page,
// equations KaTeX did not typeset, a table of contents that does not stay in reach.
// Saves a screenshot.
// Driven by playwright-core from tools/report/package.json (`make test-report` installs it).
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';

const [report, shot, ...experiments] = process.argv.slice(2);
if (!report || !shot || experiments.length === 0) {
    console.error('usage: node tests/report_browser.mjs REPORT.html SCREENSHOT.png EXPERIMENT...');
    process.exit(2);
}
const require = createRequire(path.resolve('build/node/package.json'));
const { chromium } = require('playwright-core');

let passed = 0, failed = 0;
function check(ok, what) {
    if (ok) passed++; else failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} - ${what}`);
}

const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [], remote = [];
    page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', e => errors.push(String(e)));
    page.on('request', r => { const u = r.url(); if (!u.startsWith('file:') && !u.startsWith('data:')) remote.push(u); });
    await page.goto('file://' + path.resolve(report), { waitUntil: 'load' });
    const facts = await page.evaluate((names) => {
        const imgs = [...document.images];
        return {
            images: imgs.length,
            broken: imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.dataset.file || i.src.slice(0, 40)),
            overview: !!document.getElementById('overview'),
            coverage: (() => { const c = document.getElementById('coverage'); if (!c) return null;
                               const t = c.querySelector('table');
                               return { items: Number(c.dataset.items), rows: t ? t.querySelectorAll('tbody tr').length : 0 }; })(),
            sections: names.map(n => {
                const s = document.getElementById('exp-' + n);
                const note = s ? s.querySelector('.note') : null;
                const figs = s ? [...s.querySelectorAll('figure')] : [];
                return { name: n, present: !!s, images: s ? s.querySelectorAll('img').length : 0,
                         noteTables: note ? note.querySelectorAll('table').length : 0,
                         mdTables: s ? Number(s.dataset.mdTables) : -1,
                         figures: figs.length, mdFigures: s ? Number(s.dataset.figures) : -1,
                         captioned: figs.filter(f => /^Figure \d+\.\d+\./.test((f.querySelector('figcaption') || {}).innerText || '')).length };
            }),
            // a Markdown table left as text, in any note (closed <details> included; code excluded):
            // a line that starts and ends with '|', or a delimiter row
            rawTables: [...document.querySelectorAll('.note')].flatMap(n => {
                const c = n.cloneNode(true);
                c.querySelectorAll('code, pre, table').forEach(e => e.remove());
                return c.textContent.split('\n').filter(l => /^\s*\|.*\|\s*$/.test(l) || /\|\s*:?-{3,}/.test(l));
            }).slice(0, 3),
            tocSticky: (() => { const t = document.getElementById('toc'); return !!t && getComputedStyle(t).position === 'sticky'; })(),
            tocLinks: document.querySelectorAll('#toc a').length,
            katex: document.querySelectorAll('.katex').length,
            katexErrors: document.querySelectorAll('.katex-error').length,
            rawMath: document.querySelectorAll('span.math').length,
        };
    }, experiments);
    check(errors.length === 0, `no console or page errors${errors.length ? ': ' + errors.join(' | ') : ''}`);
    check(remote.length === 0, `no network requests${remote.length ? ': ' + remote.join(' ') : ''}`);
    check(facts.images > 0 && facts.broken.length === 0,
          `all ${facts.images} images loaded${facts.broken.length ? '; broken: ' + facts.broken.join(', ') : ''}`);
    check(facts.overview, 'overview section present');
    check(facts.coverage && facts.coverage.items > 0 && facts.coverage.rows === facts.coverage.items,
          `coverage index rendered: ${facts.coverage ? facts.coverage.rows + ' rows for ' + facts.coverage.items + ' items' : 'no section'}`);
    for (const s of facts.sections)
        check(s.present && s.images > 0 && s.noteTables >= s.mdTables && s.mdTables > 0 &&
              s.figures === s.mdFigures && s.captioned === s.figures,
              `section ${s.name}: ${s.noteTables} of ${s.mdTables} Markdown tables rendered, ${s.figures} numbered and captioned figures`);
    check(facts.rawTables.length === 0, `no raw Markdown table text${facts.rawTables.length ? ': ' + facts.rawTables.join(' / ') : ''}`);
    check(facts.tocSticky && facts.tocLinks === experiments.length + 2,
          `table of contents stays at the top with ${facts.tocLinks} links`);
    check(facts.katex > 0 && facts.katexErrors === 0,
          `equations typeset offline: ${facts.katex} KaTeX elements, ${facts.katexErrors} errors (${facts.rawMath} math spans)`);
    fs.mkdirSync(path.dirname(path.resolve(shot)), { recursive: true });
    await page.screenshot({ path: shot });
    check(fs.statSync(shot).size > 10000, `screenshot saved to ${shot}`);
} finally {
    await browser.close();
}
console.log(`report: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
