// The playground's speed report (not a test: numbers, no pass/fail). Run by scripts/report.sh against
// the release build served on 127.0.0.1. Prints Markdown:
//   - load → first timeline: navigation start to the first drawn timeline (median of 5 fresh loads);
//   - keystroke → updated timeline (50 edits to the pod's name, one key each, p50/p95): keydown to the moment the timeline
//     was redrawn in the DOM, and to the next animation frame after it (when it reaches the screen);
//   - the same in the comparison view (`?compare`: convert, simulate both variants, compare, redraw both);
//   - playback: frame intervals while playing at 16× for 3 s (frames over 25 ms count as dropped).
import { launch, openPage, URL_ROOT } from './support.mjs';

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (x) => `${x.toFixed(1)} ms`;

const browser = await launch();

/** Keystroke → updated timeline(s) on `url`: 50 edits to the pod's name, one key each. Leaves the page open. */
async function editTimings(url) {
  const opened = await openPage(browser, url);
  const { page } = opened;
  // The code editor arrives after the first render; the textarea is the fallback if it never does.
  const loaded = await page.locator('.cm-editor').waitFor({ timeout: 10000 }).then(() => true, () => false);
  const editor = loaded ? 'CodeMirror' : 'textarea';
  // Each edit lengthens the pod's name (line 6, `name: myapp`), so every keystroke changes the trace
  // and everything that draws it: the worst case of a real edit, not a comment the page can skip.
  await page.locator(editor === 'CodeMirror' ? '.cm-content' : '#manifest').click();
  await page.keyboard.press('ControlOrMeta+Home');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  await page.evaluate(() => {
    window.__edits = [];
    window.__dom = [];
    document.addEventListener('keydown', () => { window.__keyAt = performance.now(); }, true);
    const timeline = document.querySelector('.sim-column');
    new MutationObserver(() => {
      const at = window.__keyAt;
      if (at === undefined) return;
      window.__keyAt = undefined;
      window.__dom.push(performance.now() - at);
      requestAnimationFrame(() => window.__edits.push(performance.now() - at));
    }).observe(timeline, { attributes: true, attributeFilter: ['data-generation'] });
  });
  for (let i = 0; i < 50; i++) {
    const before = await page.evaluate(() => window.__edits.length);
    await page.keyboard.type(String.fromCharCode(97 + (i % 26)));
    await page.waitForFunction((n) => window.__edits.length > n, before);
  }
  const edits = await page.evaluate(() => window.__edits);
  const dom = await page.evaluate(() => window.__dom);
  return { ...opened, editor, edits, dom };
}

const out = [];
try {
  // Load → first timeline.
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await context.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('.timeline svg.lanes')) {
          window.__firstTimeline = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    const page = await context.newPage();
    await page.goto(URL_ROOT);
    await page.waitForFunction(() => window.__firstTimeline !== undefined);
    loads.push(await page.evaluate(() => window.__firstTimeline));
    await context.close();
  }

  // Keystroke → updated timeline(s): one pod, then the comparison (both variants re-run and redrawn).
  const compared = await editTimings(`${URL_ROOT}?compare`);
  await compared.close();
  const { page, close, editor, edits, dom } = await editTimings(URL_ROOT);

  // Playback frames.
  await page.keyboard.press('Escape');
  await page.locator('.speed select').selectOption('16');
  await page.getByRole('button', { name: 'Play' }).click();
  const frames = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const deltas = [];
        let last;
        const start = performance.now();
        const tick = (now) => {
          if (last !== undefined) deltas.push(now - last);
          last = now;
          if (now - start < 3000) requestAnimationFrame(tick);
          else resolve(deltas);
        };
        requestAnimationFrame(tick);
      }),
  );
  await close();

  out.push(`| measure | value |`, `|---|---|`);
  out.push(`| load → first timeline (median of 5) | ${ms(quantile(loads, 0.5))} |`);
  out.push(`| keystroke → timeline redrawn in the DOM, p50 / p95 (50 edits, ${editor}) | ${ms(quantile(dom, 0.5))} / ${ms(quantile(dom, 0.95))} |`);
  out.push(`| keystroke → next frame after the redraw, p50 / p95 | ${ms(quantile(edits, 0.5))} / ${ms(quantile(edits, 0.95))} |`);
  out.push(`| comparison view: keystroke → both timelines redrawn, p50 / p95 (50 edits) | ${ms(quantile(compared.dom, 0.5))} / ${ms(quantile(compared.dom, 0.95))} |`);
  const dropped = frames.filter((d) => d > 25).length;
  out.push(`| playback at 16×: frames in 3 s | ${frames.length} (median ${ms(quantile(frames, 0.5))}, p95 ${ms(quantile(frames, 0.95))}) |`);
  out.push(`| playback: frames over 25 ms | ${dropped} |`);
} finally {
  await browser.close();
}
console.log(out.join('\n'));
