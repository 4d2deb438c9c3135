// End-to-end tests of the manifest editor: the CodeMirror chunk (dist/editor/podlife-editor.js) is
// loaded after the first render and replaces the textarea; the core's diagnostics show as lint
// markers; it loads from a sub-path too; the textarea stays when the chunk cannot be loaded.
// The release build in dist/ is served by a static server (scripts/test.sh sets PODLIFE_URL and
// PODLIFE_SUBPATH_URL) and driven in Debian's Chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  CHUNK,
  OUTPUT,
  URL_ROOT,
  URL_SUBPATH,
  launch,
  openPage as openPageIn,
  setManifest,
} from './support.mjs';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const DEFAULT_MANIFEST = readFileSync(
  fileURLToPath(new URL('../../web/gallery/log-shipper.yaml', import.meta.url)),
  'utf8',
);
const EDITOR_LABEL = 'Pod manifest (YAML)';

// The typo: the log shipper's `restartPolicy: Always` misspelt as `restartPolice`.
const TYPO_LINE = DEFAULT_MANIFEST.split('\n').findIndex((line) => line.trim() === 'restartPolicy: Always') + 1;
// The sidecar's own line (the leading comment mentions `restartPolicy: Always` too).
const TYPO_MANIFEST = DEFAULT_MANIFEST.replace(/^(\s+)restartPolicy: Always$/m, '$1restartPolice: Always');

// A manifest whose only diagnostic is an info note: podlife does not know the image `cart`, so it
// assumes the program runs until stopped, and says so on the image's line.
const ASSUMING_MANIFEST = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: cart',
  'spec:',
  '  containers:',
  '  - name: cart',
  '    image: example.com/shop/cart:1.4',
  '',
].join('\n');
const ASSUMING_LINE = 8;

/** The colour a CSS custom property of the page resolves to, as `rgb(...)`. */
async function pageColour(page, property) {
  return page.evaluate((property) => {
    const probe = document.createElement('span');
    probe.style.color = `var(${property})`;
    document.body.append(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
  }, property);
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const openPage = (url, options = {}) => openPageIn(browser, url, { viewport: { width: 1100, height: 900 }, ...options });

/** Waits for CodeMirror to replace the textarea. */
async function waitForEditor(page) {
  await page.locator('.code-editor[data-status=ready] .cm-editor').waitFor();
  await page.locator('#manifest').waitFor({ state: 'hidden' });
}

/**
 * The line number, as the gutter shows it, of the line holding the first element matching
 * `selector`. (CodeMirror renders only the lines in view, so the DOM order of `.cm-line`s is not the
 * line number.)
 */
async function lineOf(page, selector) {
  return page.evaluate((selector) => {
    const target = document.querySelector(selector)?.closest('.cm-line');
    if (!target) return 0;
    const { top, bottom } = target.getBoundingClientRect();
    const middle = (top + bottom) / 2;
    for (const number of document.querySelectorAll('.cm-lineNumbers .cm-gutterElement')) {
      const box = number.getBoundingClientRect();
      if (box.height > 0 && box.top <= middle && middle < box.bottom) return Number(number.textContent);
    }
    return -1;
  }, selector);
}

/** Types the typo into the editor: select `restartPolicy: Always` on its line and retype it. */
async function typeTheTypo(page) {
  const line = page.locator('.cm-content .cm-line', { hasText: /^\s*restartPolicy: Always$/ });
  assert.equal(await line.count(), 1);
  await line.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home'); // to the end of the indentation
  await page.keyboard.type('restartPolice: Always');
}

async function assertCheckedLines(page, text) {
  const expected = String(text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
  await page.waitForFunction(
    (n) => document.querySelector('#diagnostics')?.dataset.checkedLines === n,
    expected,
  );
}

describe('manifest editor', () => {
  test('loads CodeMirror after the first render, in place of the labelled textarea', async () => {
    const { page, problems, requests, close } = await openPage(URL_ROOT);
    try {
      await waitForEditor(page);
      const firstLine = page.locator('.cm-content .cm-line').first();
      assert.equal(await firstLine.textContent(), DEFAULT_MANIFEST.split('\n')[0]);
      assert.equal(await lineOf(page, '.cm-content .cm-line'), 1);
      const content = page.locator('.cm-content');
      assert.equal(await content.getAttribute('aria-label'), EDITOR_LABEL);
      assert.equal(await content.getAttribute('contenteditable'), 'true');
      assert.ok((await page.locator('.cm-gutters .cm-lineNumbers').count()) === 1, 'line numbers');
      assert.ok(
        requests.some((r) => r.pathname === `/${CHUNK}`),
        `the chunk was loaded from /${CHUNK}`,
      );
      // The chunk is not part of the page: only the app's import() asks for it.
      const index = readFileSync(`${DIST}index.html`, 'utf8');
      assert.ok(!index.includes('podlife-editor'), 'index.html does not reference the chunk');
      // The label still leads to the editor.
      await page.locator('label[for=manifest]').click();
      assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('cm-content')));
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  for (const colorScheme of ['light', 'dark']) {
    test(`shows the core's diagnostics as lint markers on the right line (${colorScheme})`, async () => {
      const { page, problems, close } = await openPage(URL_ROOT, { colorScheme });
      try {
        await waitForEditor(page);
        await typeTheTypo(page);
        await assertCheckedLines(page, TYPO_MANIFEST);
        // The edit went through on_edit to the app, and back into the (hidden) textarea.
        assert.equal(await page.locator('#manifest').inputValue(), TYPO_MANIFEST);

        // The core's error, as the diagnostics list shows it, for the typo's line.
        const item = page.locator('#diagnostics > li.error', { hasText: 'restartPolice' });
        await item.waitFor();
        const itemText = await item.textContent();
        assert.ok(itemText.startsWith(`${TYPO_LINE}:`), `the core places it on line ${TYPO_LINE}: ${itemText}`);
        assert.match(itemText, /unknown field/);

        // The marker: an underline on the key in that line, and an error icon in the lint gutter.
        const range = page.locator('.cm-lintRange-error');
        await range.first().waitFor();
        assert.equal(await range.count(), 1);
        assert.equal(await range.textContent(), 'restartPolice');
        assert.equal(await lineOf(page, '.cm-lintRange-error'), TYPO_LINE);
        assert.equal(await page.locator('.cm-gutter-lint .cm-lint-marker-error').count(), 1);
        // The core also warns that the init container now blocks start-up: a warning marker.
        assert.ok((await page.locator('.cm-gutter-lint .cm-lint-marker-warning').count()) >= 1);

        await page.mouse.move(0, 0);
        await page.locator('.cm-line', { hasText: 'restartPolice' }).scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${OUTPUT}editor-markers-${colorScheme}.png` });

        // Its tooltip: severity, path, the core's message and hint.
        await range.hover();
        const tooltip = page.locator('.cm-tooltip-lint');
        await tooltip.waitFor();
        const tip = await tooltip.textContent();
        assert.match(tip, /error/);
        assert.match(tip, /unknown field "spec\.template\.spec\.initContainers\[0\]\.restartPolice"/);
        assert.match(tip, /did you mean `restartPolicy`\?/);
        const headline = itemText.match(/unknown field.*restartPolice"/)[0];
        assert.ok(tip.includes(headline), `the tooltip ${JSON.stringify(tip)} shows ${JSON.stringify(headline)}`);
        await page.screenshot({ path: `${OUTPUT}editor-lint-${colorScheme}.png`, fullPage: true });

        // Undoing the typo (history) clears the markers.
        await page.locator('.cm-content').focus();
        for (let i = 0; i < 10 && (await page.locator('#manifest').inputValue()) !== DEFAULT_MANIFEST; i++) {
          await page.keyboard.press('Control+z');
        }
        await assertCheckedLines(page, DEFAULT_MANIFEST);
        await page.waitForFunction(() => document.querySelectorAll('.cm-lintRange-error').length === 0);
        assert.equal(await page.locator('#manifest').inputValue(), DEFAULT_MANIFEST);
        assert.deepEqual(problems, []);
      } finally {
        await close();
      }
    });
  }

  for (const colorScheme of ['light', 'dark']) {
    test(`marks an info note (an assumption) as info, not as a warning (${colorScheme})`, async () => {
      const { page, problems, close } = await openPage(URL_ROOT, { colorScheme });
      try {
        await waitForEditor(page);
        await setManifest(page, ASSUMING_MANIFEST);
        await assertCheckedLines(page, ASSUMING_MANIFEST);
        const info = await pageColour(page, '--info');
        const warning = await pageColour(page, '--warning');
        assert.notEqual(info, warning, 'info and warning have colours of their own');

        // The diagnostics list: an info item, in the info colour, and nothing else.
        const item = page.locator('#diagnostics > li.info', { hasText: 'podlife does not know what `cart` does' });
        await item.waitFor();
        assert.ok((await item.textContent()).startsWith(`${ASSUMING_LINE}:`));
        assert.equal(await page.locator('#diagnostics > li').count(), 1);
        const severity = item.locator('.severity');
        assert.equal(await severity.textContent(), 'info');
        assert.equal(await severity.evaluate((e) => getComputedStyle(e).color), info);
        assert.equal(await item.evaluate((e) => getComputedStyle(e).borderLeftColor), info);

        // The editor: one info marker in the gutter, on the image's line, painted in the info colour,
        // and no warning marker; the image is underlined as info.
        const marker = page.locator('.cm-gutter-lint .cm-lint-marker-info');
        await marker.waitFor();
        assert.equal(await marker.count(), 1);
        assert.equal(await page.locator('.cm-gutter-lint .cm-lint-marker-warning').count(), 0);
        assert.equal(await marker.evaluate((e) => getComputedStyle(e).backgroundColor), info);
        const range = page.locator('.cm-lintRange-info');
        assert.equal(await range.count(), 1);
        assert.equal(await range.textContent(), 'example.com/shop/cart:1.4');
        assert.equal(await lineOf(page, '.cm-lintRange-info'), ASSUMING_LINE);
        assert.equal(await page.locator('.cm-lintRange-warning').count(), 0);

        // Its tooltip names the severity as info, with the setting that decides the assumption.
        await page.mouse.move(0, 0);
        await range.hover();
        const tooltip = page.locator('.cm-tooltip-lint');
        await tooltip.waitFor();
        assert.equal(await tooltip.locator('.pl-severity').textContent(), 'info');
        assert.match(await tooltip.textContent(), /podlife\.dev\/behaviour\.cart/);
        await page.screenshot({ path: `${OUTPUT}editor-info-${colorScheme}.png` });
        assert.deepEqual(problems, []);
      } finally {
        await close();
      }
    });
  }

  test('loads the chunk from a sub-path', { skip: !URL_SUBPATH && 'PODLIFE_SUBPATH_URL not set' }, async () => {
    const { page, problems, requests, close } = await openPage(URL_SUBPATH);
    try {
      await waitForEditor(page);
      const base = new URL(URL_SUBPATH).pathname;
      assert.ok(
        requests.some((r) => r.pathname === `${base}${CHUNK}`),
        `the chunk was loaded from ${base}${CHUNK}`,
      );
      const outside = requests.filter((r) => !r.pathname.startsWith(base)).map((r) => r.href);
      assert.deepEqual(outside, [], `every asset is loaded from under ${base}`);
      await typeTheTypo(page);
      await page.locator('.cm-lintRange-error').waitFor();
      assert.equal(await lineOf(page, '.cm-lintRange-error'), TYPO_LINE);
      await page.screenshot({ path: `${OUTPUT}editor-sub-path.png` });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('keeps the textarea, with a note, when the chunk cannot be loaded', async () => {
    const { page, problems, close } = await openPage(URL_ROOT, { blockChunk: true });
    try {
      await page.locator('.code-editor[data-status=failed]').waitFor({ state: 'attached' });
      await page.locator('.editor-note').waitFor();
      assert.equal(await page.locator('.cm-editor').count(), 0);
      const textarea = page.locator('#manifest');
      assert.ok(await textarea.isVisible());
      await textarea.fill(TYPO_MANIFEST);
      await assertCheckedLines(page, TYPO_MANIFEST);
      await page.locator('#diagnostics > li.error', { hasText: 'restartPolice' }).waitFor();
      await page.screenshot({ path: `${OUTPUT}editor-fallback.png`, fullPage: true });
      // The only problems are the blocked chunk's.
      const unexpected = problems.filter(
        (p) => !p.includes(CHUNK) && !p.includes('Failed to load resource'),
      );
      assert.deepEqual(unexpected, []);
    } finally {
      await close();
    }
  });

  test('the first load stays small: the chunk is separate (sizes gzip -9)', (t) => {
    const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
    const files = (dir) => readdirSync(dir, { recursive: true }).filter((f) => /\.(wasm|js|css)$/.test(f));
    const first = files(DIST).filter((f) => !f.startsWith('editor/'));
    const sizes = Object.fromEntries(first.map((f) => [f, gz(`${DIST}${f}`)]));
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    const chunk = gz(`${DIST}${CHUNK}`);
    t.diagnostic(`first load ${(total / 1024).toFixed(1)} KiB gzip: ${JSON.stringify(sizes)}`);
    t.diagnostic(`editor chunk ${(chunk / 1024).toFixed(1)} KiB gzip`);
    assert.ok(first.every((f) => !f.includes('podlife-editor')), 'the chunk is not among the first files');
    // CodeMirror's minimal setup (view, state, commands, language, lint, YAML) is about 118 KB gzip.
    assert.ok(chunk < 140_000, `the editor chunk stays small: ${chunk} bytes gzip`);
  });
});
