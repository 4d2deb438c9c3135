// Shared by the end-to-end tests: Debian's Chromium through playwright-core, a page opened in a fresh
// context that records page errors, console errors, failed requests and any request that would leave
// the machine, and helpers to drive the manifest editor (CodeMirror, or the textarea fallback).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const URL_ROOT = process.env.PODLIFE_URL ?? 'http://127.0.0.1:8080/';
export const URL_SUBPATH = process.env.PODLIFE_SUBPATH_URL;
const CHROMIUM = process.env.PODLIFE_CHROMIUM ?? '/usr/bin/chromium';
export const OUTPUT = fileURLToPath(new URL('./output/', import.meta.url));
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function launch() {
  mkdirSync(OUTPUT, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The path of the lazily loaded editor chunk under dist/. */
export const CHUNK = 'editor/podlife-editor.js';

/**
 * Opens `url` in a fresh context, waiting for the first timeline. `blockChunk` makes the editor
 * chunk's request fail, as a broken network would.
 */
export async function openPage(browser, url, { colorScheme = 'light', viewport, blockChunk = false } = {}) {
  const ctx = await browser.newContext({ viewport: viewport ?? { width: 1400, height: 1000 }, colorScheme });
  if (blockChunk) await ctx.route(`**/${CHUNK}`, (route) => route.abort('failed'));
  const page = await ctx.newPage();
  const problems = [];
  const requests = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('request', (request) => {
    const target = new URL(request.url());
    if (target.protocol === 'data:' || target.protocol === 'blob:') return;
    requests.push(target);
    if (!LOOPBACK.has(target.hostname)) problems.push(`request left the machine: ${request.url()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(url);
  await page.locator('.timeline svg.lanes').first().waitFor();
  return { page, context: ctx, problems, requests, close: () => ctx.close() };
}

/**
 * A course page on the same static server (served by the test itself, so dist/ stays as built) with
 * `src` in an iframe of `size`, as course material embeds the playground. Returns the page, the
 * iframe's frame locator and the page errors seen.
 */
export async function openInCourse(browser, { name, heading, src, viewport, size }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  const course = `${URL_ROOT}${name}`;
  await page.route(course, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><title>Course</title><h1>${heading}</h1><iframe title="podlife" src="${src}" width="${size.width}" height="${size.height}"></iframe>`,
  }));
  await page.goto(course);
  return { page, frame: page.frameLocator('iframe'), problems, close: () => context.close() };
}

/** The run counter on the lifecycle column: it goes up on every run of the core. */
export async function generation(page) {
  return Number(await page.locator('.sim-column').getAttribute('data-generation'));
}

/** Waits until the core has run again after `before`. */
export async function waitForRun(page, before) {
  await page.waitForFunction(
    (n) => Number(document.querySelector('.sim-column')?.dataset.generation) > n,
    before,
  );
}

/** Whether the code editor (CodeMirror) replaced the textarea, once its loading has settled. */
export async function codeEditorLoaded(page) {
  await page.locator('.code-editor[data-status=ready], .code-editor[data-status=failed]').waitFor();
  return (await page.locator('.code-editor[data-status=ready] .cm-editor').count()) > 0;
}

/** Replaces the manifest as a user would: select all, type (paste) the new text. */
export async function setManifest(page, text) {
  if (await codeEditorLoaded(page)) {
    await page.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(text);
  } else {
    await page.locator('#manifest').fill(text);
  }
}

/** The text in the editor (the saved copy follows every edit). */
export async function manifestText(page) {
  return page.evaluate(() => localStorage.getItem('podlife.manifest'));
}

/** The narration's lines so far. */
export async function narration(page) {
  return page.locator('.narration-list li').allTextContents();
}

/**
 * Moves the playhead with `key` (or a click, when `key` is a function) and waits until the clock
 * shows another moment: Yew renders on its scheduler after the event returns, so a read straight
 * after the key press can still see the moment before it.
 */
export async function moveAndWait(page, key) {
  const before = await page.locator('.clock').first().textContent();
  if (typeof key === 'function') await key();
  else await page.keyboard.press(key);
  await page.waitForFunction((b) => document.querySelector('.clock').textContent !== b, before);
}
