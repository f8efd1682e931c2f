// pdf.mjs — print the report to PDF with headless Chromium (the report's print stylesheet:
// no table of contents, each experiment on a new page, figures never split).
//
//   node tools/report/pdf.mjs REPORT.html OUT.pdf
//
// Every <details> block is opened first, so the printed report holds the settings tables too.
// The PDF is written to OUT.pdf.tmp and renamed, so a stopped run never leaves half a file.
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';

const [report, out] = process.argv.slice(2);
if (!report || !out) {
    console.error('usage: node tools/report/pdf.mjs REPORT.html OUT.pdf');
    process.exit(2);
}
if (!fs.existsSync(report)) {
    console.error(`pdf: ${report} does not exist (run make report first)`);
    process.exit(1);
}
const require = createRequire(path.resolve('build/node/package.json'));
const { chromium } = require('playwright-core');
const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
});
try {
    const page = await browser.newPage();
    await page.goto('file://' + path.resolve(report), { waitUntil: 'load' });
    await page.evaluate(() => document.querySelectorAll('details').forEach(d => { d.open = true; }));
    await page.emulateMedia({ media: 'print' });
    const tmp = out + '.tmp';
    await page.pdf({ path: tmp, format: 'A4', printBackground: true,
                     margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' },
                     displayHeaderFooter: true, headerTemplate: '<span></span>',
                     footerTemplate: '<div style="font-size:8px;width:100%;text-align:center">nnlab report · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>' });
    fs.renameSync(tmp, out);
    console.log(`pdf: ${out} (${(fs.statSync(out).size / 1e6).toFixed(1)} MB)`);
} finally {
    await browser.close();
}
