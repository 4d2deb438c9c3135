// End-to-end tests of the comparison view: one click converts the manifest to its twin (legacy ↔
// native), both run on one clock with one playhead, the findings are callouts pinned to both
// timelines, the converted YAML is a diff that can be copied, and a share link restores all of it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OUTPUT, URL_ROOT, generation, launch, manifestText, moveAndWait, openInCourse, openPage, setManifest, waitForRun } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Opens a gallery example and turns the comparison on. */
async function compareExample(id, options) {
  const opened = await openPage(browser, `${URL_ROOT}#example/${id}`, options);
  await opened.page.locator('#gallery').evaluate((el, want) => el.value === want || new Promise((ok) => {
    const check = () => (el.value === want ? ok() : setTimeout(check, 20));
    check();
  }), id);
  const before = await generation(opened.page);
  await opened.page.getByRole('button', { name: 'Compare legacy ↔ native' }).click();
  await waitForRun(opened.page, before);
  await opened.page.locator('.comparison').waitFor();
  return opened;
}

/** The top and left of an element's box. */
async function box(page, selector) {
  return page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: Math.round(r.top), left: Math.round(r.left), width: Math.round(r.width) };
  });
}

describe('comparison view', () => {
  test("the seeds' Job: the legacy twin never completes, the native one Succeeded", async () => {
    const { page, context, problems, close } = await compareExample('job-sidecar', { viewport: { width: 1920, height: 1200 } });
    try {
      const legacy = page.locator('.variant-legacy');
      const native = page.locator('.variant-native');
      assert.match(await native.locator('h3').textContent(), /your manifest/);
      assert.match(await legacy.locator('h3').textContent(), /converted by podlife/);
      assert.equal(await native.locator('.outcome').getAttribute('data-phase'), 'Succeeded');
      assert.equal(await legacy.locator('.outcome').getAttribute('data-phase'), 'Running');
      assert.match(await native.locator('.outcome').textContent(), /Succeeded/);
      assert.match(await legacy.locator('.outcome').textContent(), /Running forever: the Job never completes/);

      // The completion finding is a callout, pinned to both timelines under its number.
      const completion = page.locator('.callout[data-kind=completion]');
      assert.match(await completion.locator('h4').textContent(), /A Job with a legacy sidecar never completes/);
      assert.match(await completion.locator('.side-native dd').textContent(), /Succeeded at/);
      assert.match(await completion.locator('.side-legacy dd').textContent(), /never completes/);
      const number = (await completion.getAttribute('id')).replace('finding-', '');
      assert.ok(await legacy.locator(`.pin[data-finding="${number}"]`).count() > 0, 'pinned on the legacy timeline');
      assert.ok(await native.locator(`.pin[data-finding="${number}"]`).count() > 0, 'pinned on the native timeline');

      // One playhead: a callout's moment moves the shared clock, and both status lines follow it.
      const moment = completion.locator('.side-native button.moment').first();
      const at = (await moment.textContent()).trim();
      await moment.click();
      await page.waitForFunction((want) => document.querySelector('.clock')?.textContent.startsWith(want), at);
      assert.match(await native.locator('.status-line').textContent(), /STATUS Completed/);
      assert.match(await legacy.locator('.status-line').textContent(), /STATUS (Running|NotReady)/);
      assert.equal(await page.locator('.playback').count(), 1, 'one set of playback controls');
      // A pin moves the clock to its own moment, wherever on the badge the click falls.
      await page.getByRole('button', { name: 'Jump to the start' }).click();
      await native.locator(`.pin[data-finding="${number}"] circle`).first().click();
      await page.waitForFunction((want) => document.querySelector('.clock')?.textContent.startsWith(want), at);

      // Wide screen: side by side.
      const [l, n] = [await box(page, '.variant-legacy'), await box(page, '.variant-native')];
      assert.equal(l.top, n.top, 'the two variants stand side by side');
      assert.ok(n.left > l.left + l.width - 5);

      // The converted YAML as a diff, and copied whole.
      await page.locator('.yaml-diff summary').click();
      await page.locator('pre.diff').waitFor();
      const added = await page.locator('.diff-line.added').allTextContents();
      const removed = await page.locator('.diff-line.removed').allTextContents();
      assert.ok(removed.some((line) => /restartPolicy: Always/.test(line)), `the native sidecar's restartPolicy goes: ${removed}`);
      assert.ok(removed.some((line) => /initContainers:/.test(line)), `the shipper joins the containers: ${removed}`);
      assert.equal(added.length, 1, `the legacy twin only loses lines, and says where it comes from: ${added}`);
      assert.match(added[0], /# Converted by podlife from a native manifest/);
      // Why the shipper went where it did, and what the legacy text still lacks, at its line.
      assert.match(await page.locator('.yaml-diff .moves').textContent(), /logshipper: initContainers\[0\] → containers\[1\]/);
      assert.match(await page.locator('.yaml-diff .suggestions').textContent(), /legacy line \d+: .*never completes/);
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await page.locator('#copy-converted').click();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.match(copied, /kind: Job/);
      assert.doesNotMatch(copied, /restartPolicy: Always/);
      await page.screenshot({ path: `${OUTPUT}compare-job-wide.png`, fullPage: true });

      // A mistake while comparing: the comparison stays, greyed, and says why.
      const before = await generation(page);
      await setManifest(page, (await manifestText(page)).replace('restartPolicy: Always', 'restartPolcy: Always'));
      await waitForRun(page, before);
      await page.locator('.comparison.stale').waitFor();
      assert.match(await page.locator('#compare-error').textContent(), /The manifest has errors/);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('delete at t applies to both; on a narrower screen the two are stacked', async () => {
    const { page, problems, close } = await compareExample('log-shipper', { viewport: { width: 1280, height: 1000 } });
    try {
      // Without a deletion, shutdown is among the findings this scenario cannot show.
      assert.equal(await page.locator('.callout[data-kind=shutdown]').count(), 0);
      const before = await generation(page);
      await page.locator('#delete-at').fill('10');
      await page.locator('#delete-at').press('Enter');
      await waitForRun(page, before);
      await page.locator('.callout[data-kind=shutdown]').waitFor();
      for (const variant of ['legacy', 'native']) {
        assert.match(await page.locator(`.variant-${variant} .outcome`).textContent(), /deleted|removed|Terminat/i, variant);
      }
      // Native: the app is stopped first and the shipper after it (R71); legacy: together (R92).
      const shutdown = page.locator('.callout[data-kind=shutdown]');
      assert.match(await shutdown.locator('.side-native dd').textContent(), /after "myapp" exited/);
      assert.match(await shutdown.locator('.side-legacy dd').textContent(), /together with "myapp"/);
      await page.getByRole('button', { name: 'Jump to deletion' }).click();
      await page.waitForFunction(() => document.querySelector('.clock')?.textContent.startsWith('10 s'));
      const [l, n] = [await box(page, '.variant-legacy'), await box(page, '.variant-native')];
      assert.ok(n.top > l.top + 100, 'stacked: the native variant below the legacy one');
      assert.equal(n.left, l.left);
      await page.screenshot({ path: `${OUTPUT}compare-deleted-stacked.png`, fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('on a phone the timelines scroll to follow the playhead, both together', async () => {
    const { page, problems, close } = await compareExample('job-sidecar', { viewport: { width: 390, height: 844 } });
    try {
      const scrolled = () => page.evaluate(() => [...document.querySelectorAll('.variant .timeline')].map((t) => t.scrollLeft));
      assert.deepEqual(await scrolled(), [0, 0]);
      await page.getByRole('button', { name: 'Jump to the end' }).click();
      await page.waitForFunction(() => [...document.querySelectorAll('.variant .timeline')].every((t) => t.scrollLeft > 0));
      const [legacy, native] = await scrolled();
      assert.equal(legacy, native, 'the two timelines scroll together');
      await page.screenshot({ path: `${OUTPUT}compare-phone-end.png`, fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('a shared comparison opens as a comparison, at the same moment, in a fresh profile', async () => {
    const { page, problems, close } = await compareExample('job-sidecar');
    let address;
    let clock;
    try {
      for (let i = 0; i < 2; i++) await moveAndWait(page, () => page.getByRole('button', { name: 'Next event' }).click());
      clock = await page.locator('.clock').textContent();
      await page.locator('#share').click();
      address = await page.locator('#share-url').inputValue();
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
    const fresh = await openPage(browser, address);
    try {
      await fresh.page.locator('.comparison').waitFor();
      await fresh.page.waitForFunction((c) => document.querySelector('.clock')?.textContent === c, clock);
      assert.equal(await fresh.page.locator('#compare-toggle').getAttribute('aria-pressed'), 'true');
      assert.equal(await fresh.page.locator('.variant-native .outcome').getAttribute('data-phase'), 'Succeeded');
      assert.deepEqual(fresh.problems, []);
    } finally {
      await fresh.close();
    }
  });

  test('a pod without a sidecar says there is nothing to compare and keeps its own timeline', async () => {
    const { page, problems, close } = await openPage(browser, `${URL_ROOT}#example/init-db-wait`);
    try {
      await page.locator('.lesson', { hasText: 'Init container waiting' }).waitFor();
      const before = await generation(page);
      await page.getByRole('button', { name: 'Compare legacy ↔ native' }).click();
      await waitForRun(page, before);
      assert.match(await page.locator('#compare-error').textContent(), /Nothing to compare: The pod has a single container, "app"/);
      assert.equal(await page.locator('.comparison').count(), 0);
      assert.equal(await page.locator('.timeline svg.lanes').count(), 1, 'the pod itself is still drawn');
      await page.getByRole('button', { name: 'Back to one pod' }).click();
      await page.locator('#compare-error').waitFor({ state: 'detached' });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('a sidecar the converter does not recognise can be named', async () => {
    const { page, problems, close } = await openPage(browser, URL_ROOT);
    try {
      let before = await generation(page);
      await setManifest(page, [
        'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: two', 'spec:', '  containers:',
        '    - name: web', '      image: nginx:1.27',
        '    - name: worker', '      image: python:3.12', '      command: ["python", "worker.py"]', '',
      ].join('\n'));
      await waitForRun(page, before);
      before = await generation(page);
      await page.getByRole('button', { name: 'Compare legacy ↔ native' }).click();
      await waitForRun(page, before);
      assert.match(await page.locator('#compare-error').textContent(), /No legacy sidecar found among containers/);
      before = await generation(page);
      await page.locator('#compare-sidecar').selectOption('worker');
      await waitForRun(page, before);
      await page.locator('.comparison').waitFor();
      assert.equal(await page.locator('#compare-error').count(), 0);
      assert.ok(await page.locator('.variant-native .lane[data-container=worker]').count() === 1);
      assert.match(await page.locator('.compare-intro').textContent(), /"worker" as a legacy sidecar/);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test("a sidecar that crash-loops: each variant's status line prints RESTARTS as kubectl does, with '(Xs ago)'", async () => {
    const { page, problems, close } = await openPage(browser, URL_ROOT);
    try {
      let before = await generation(page);
      await setManifest(page, [
        'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: crashing-sidecar', 'spec:', '  initContainers:',
        '  - name: proxy', '    image: busybox:1.36', '    restartPolicy: Always', '    command: ["sh", "-c", "sleep 5; exit 1"]',
        '  containers:', '  - name: app', '    image: busybox:1.36', '    command: ["sh", "-c", "sleep 3600"]', '',
      ].join('\n'));
      await waitForRun(page, before);
      before = await generation(page);
      await page.getByRole('button', { name: 'Compare legacy ↔ native' }).click();
      await waitForRun(page, before);
      await page.locator('.comparison').waitFor();
      // 60 s in: the proxy has restarted several times, the last one some seconds ago.
      await page.locator('.scrub input').evaluate((el) => {
        el.value = '60';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.waitForFunction(() => document.querySelector('.clock')?.textContent.startsWith('60 s'));
      for (const variant of ['native', 'legacy']) {
        const line = await page.locator(`.variant-${variant} .status-line`).textContent();
        assert.match(line, /^at 60 s: READY \d\/\d · STATUS \S+ · RESTARTS [1-9]\d* \(\d+s ago\)$/, `${variant}: ${line}`);
      }
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('?compare opens the comparison, and leaving it takes it out of the address', async () => {
    const { page, problems, close } = await openPage(browser, `${URL_ROOT}?compare#example/job-sidecar`);
    try {
      await page.locator('.comparison').waitFor();
      await page.getByRole('button', { name: 'Back to one pod' }).click();
      await page.locator('.comparison').waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => location.search), '');
      await page.reload();
      await page.locator('.timeline svg.lanes').first().waitFor();
      assert.equal(await page.locator('.comparison').count(), 0, 'a reload shows one pod');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('?embed&compare puts the comparison of a gallery example in an iframe of a course page', async () => {
    const { page, frame, problems, close } = await openInCourse(browser, {
      name: 'course-compare.html',
      heading: 'Legacy or native?',
      src: `${URL_ROOT}?embed&compare#example/job-sidecar`,
      viewport: { width: 1200, height: 900 },
      size: { width: 1100, height: 800 },
    });
    await frame.locator('.comparison').waitFor();
    assert.equal(await frame.locator('.timeline svg.lanes').count(), 2, 'both timelines');
    assert.equal(await frame.locator('.editor-column').count(), 0, 'no editor in the embed');
    await frame.locator('.callout[data-kind=completion]').waitFor();
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'the embed writes nothing to the storage of its origin');
    await page.screenshot({ path: `${OUTPUT}compare-embed.png` });
    assert.deepEqual(problems, []);
    await close();
  });
});
