// End-to-end tests of the playground: the release build in dist/ served statically on 127.0.0.1
// (scripts/test.sh sets PODLIFE_URL and PODLIFE_SUBPATH_URL), driven in Debian's Chromium. Each test
// saves a screenshot of the state it checks under tests/e2e/output/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  OUTPUT, URL_ROOT, URL_SUBPATH, generation, launch, manifestText, moveAndWait, narration, openPage,
  setManifest, waitForRun,
} from './support.mjs';

const DEFAULT_MANIFEST = readFileSync(
  fileURLToPath(new URL('../../web/gallery/log-shipper.yaml', import.meta.url)),
  'utf8',
);

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A learner's own pods, pasted over the default example.
const WRONG_PORT = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 80
    livenessProbe:
      httpGet:
        path: /
        port: 8080
      initialDelaySeconds: 3
      periodSeconds: 3
`;
const OOM = `apiVersion: v1
kind: Pod
metadata:
  name: memory-demo-2
spec:
  containers:
  - name: memory-demo-2-ctr
    image: polinux/stress
    resources:
      requests:
        memory: "50Mi"
      limits:
        memory: "100Mi"
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]
`;
const PULL_AND_HOOK_FAIL = `apiVersion: v1
kind: Pod
metadata:
  name: typo-in-tag
  annotations:
    podlife.dev/behaviour.app: "pull=fail"
spec:
  containers:
  - name: app
    image: registry.example/app:v1
    command: ["sh", "-c", "sleep 3600"]
  - name: warmup
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    lifecycle:
      postStart:
        exec:
          command: ["sh", "-c", "exit 1"]
`;

const WAITS_FOR_ORDERS = `apiVersion: v1
kind: Pod
metadata:
  name: shop
spec:
  initContainers:
  - name: wait-for-orders
    image: busybox:1.36
    command: ['sh', '-c', 'until nslookup orders; do echo waiting; sleep 2; done']
  containers:
  - name: web
    image: busybox:1.36
    command: ['sh', '-c', 'echo up && sleep 3600']
`;

/**
 * Pastes `manifest` over the default example, moves the playhead to the end of the run (with the
 * button: the editor has the keyboard), runs `check`, then saves a screenshot as playground-`name`.
 */
async function atTheEndOf(manifest, name, check) {
  const { page, problems, close } = await openPage(browser, URL_ROOT);
  try {
    const before = await generation(page);
    await setManifest(page, manifest);
    await waitForRun(page, before);
    await page.getByRole('button', { name: 'Jump to the end' }).click();
    await check(page);
    await page.screenshot({ path: `${OUTPUT}playground-${name}.png`, fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
}

/** The Events panel's rows, cells joined by nothing (Type, Reason, Age, From, Message). */
const eventRows = (page) => page.locator('.events tbody tr').allTextContents();

const clock = (page) => page.locator('.clock').textContent();
const playheadX = async (page) => Number(await page.locator('.playhead line').getAttribute('x1'));
/** Clicks a step button and waits until the clock shows another moment. */
const stepAndWait = (page, name) => moveAndWait(page, () => page.getByRole('button', { name }).click());
const watchLines = async (page) => (await page.locator('.watch pre').textContent()).trim().split('\n');

describe('playground', () => {
  test('opens on the log-shipper example, already simulated', async () => {
    const { page, problems, close } = await openPage(browser, URL_ROOT);
    try {
      assert.equal(await page.title(), 'podlife: a Kubernetes pod-lifecycle playground');
      assert.equal(await page.locator('#gallery').inputValue(), 'log-shipper');
      assert.equal(await manifestText(page), DEFAULT_MANIFEST);
      const lanes = await page.locator('.timeline .lane').evaluateAll((gs) => gs.map((g) => g.dataset.container));
      assert.deepEqual(lanes, ['logshipper', 'myapp'], 'the sidecar lane comes before the app lane');
      assert.match(await page.locator('#outcome').textContent(), /Running/);
      assert.equal(await page.locator('#diagnostics > li.error').count(), 0);
      assert.equal(await clock(page), `0 s / ${(await clock(page)).split(' / ')[1]}`);
      assert.equal(await page.locator('.pod-diagram .pod-container').count(), 2);
      assert.ok(await page.locator('.pod-diagram .volume').count() >= 1, 'the shared volume is drawn');
      await page.screenshot({ path: `${OUTPUT}playground-default.png`, fullPage: true });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: `${OUTPUT}playground-default-dark.png`, fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('play reaches Running', async () => {
    const { page, problems, close } = await openPage(browser, URL_ROOT);
    try {
      await page.locator('.speed select').selectOption('16');
      await page.getByRole('button', { name: 'Play' }).click();
      await page.locator('.watch pre', { hasText: 'Running' }).waitFor({ timeout: 15000 });
      const lines = await watchLines(page);
      assert.match(lines.at(-1), /myapp\s+2\/2\s+Running\s+0/);
      await page.locator('.conditions tr[data-condition=Ready] td.on').waitFor();
      assert.match(await page.locator('.pod-diagram .pod-container[data-container=myapp]').getAttribute('data-state'), /ready|started|running/);
      await page.screenshot({ path: `${OUTPUT}playground-running.png`, fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('next and previous event move the playhead and the kubectl panel', async () => {
    const { page, problems, close } = await openPage(browser, URL_ROOT);
    try {
      // At 0 s the pod exists: kubectl -w prints its first line at once.
      assert.equal((await watchLines(page)).length, 2);
      assert.match((await watchLines(page))[1], /myapp\s+0\/2\s+Init:0\/1\s+0\s+0s/);
      const x0 = await playheadX(page);
      for (let i = 0; i < 4; i++) await moveAndWait(page, 'ArrowRight');
      const afterFour = await clock(page);
      assert.notEqual(afterFour, (await clock(page)).replace(/^[^ ]+/, '0'));
      assert.ok((await playheadX(page)) > x0, 'the playhead moved right');
      const rowsForward = (await watchLines(page)).length;
      assert.ok(rowsForward >= 3, `kubectl -w printed lines: ${await watchLines(page)}`);
      await page.screenshot({ path: `${OUTPUT}playground-stepped.png`, fullPage: true });

      const xForward = await playheadX(page);
      // Each step renders on Yew's scheduler, after the click returns: wait for the clock to move
      // before the next step, so the DOM read below is the second step's and not the first's.
      for (let i = 0; i < 2; i++) await stepAndWait(page, 'Previous event');
      assert.ok((await playheadX(page)) < xForward, 'the playhead moved back');
      assert.ok((await watchLines(page)).length < rowsForward, 'kubectl -w lines after the playhead are gone');
      await stepAndWait(page, 'Next event');
      assert.ok((await page.locator('.why-item').count()) >= 1, 'the why panel explains the moment');
      assert.match(await page.locator('.why-rule .rule-id').first().textContent(), /^R\d+$/);
      const link = page.locator('.why-rule a').first();
      assert.match(await link.getAttribute('href'), /^https:\/\/(github\.com|kubernetes\.io)\//);

      await moveAndWait(page, 'End');
      assert.equal(await playheadX(page) > xForward, true);
      await moveAndWait(page, 'Home');
      assert.equal(await playheadX(page), x0);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('space plays and pauses', async () => {
    const { page, problems, close } = await openPage(browser, URL_ROOT);
    try {
      await page.keyboard.press('Space');
      await page.waitForFunction(() => !document.querySelector('.clock').textContent.startsWith('0 s'));
      await page.keyboard.press('Space');
      const stopped = await clock(page);
      await page.waitForTimeout(300);
      assert.equal(await clock(page), stopped, 'paused');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('deleting the pod shows the reverse-order shutdown', async () => {
    const { page, problems, close } = await openPage(browser, URL_ROOT);
    try {
      // The default pod (one native sidecar): delete it at 10 s.
      const before = await generation(page);
      await page.locator('#delete-at').fill('10');
      await page.locator('#delete-at').press('Tab');
      await waitForRun(page, before);
      await moveAndWait(page, () => page.getByRole('button', { name: 'Jump to deletion' }).click());
      assert.match(await clock(page), /^10 s/);
      await moveAndWait(page, 'End');
      // The kubelet records Killing for every container as its kill begins, all at the deletion
      // (R103); the SIGTERMs then come in reverse order: the app first, the sidecar after it.
      const killing = await page.locator('.narration-list li[data-type=KillStarted]').allTextContents();
      assert.deepEqual(killing.map((l) => l.match(/^([\d.]+) s/)?.[1]), ['10', '10'], `${killing}`);
      const sigterms = (await narration(page)).filter((l) => l.includes('SIGTERM'));
      assert.match(sigterms[0] ?? '', /myapp/, `the app is stopped first: ${sigterms}`);
      assert.match(sigterms[1] ?? '', /logshipper/, `then the sidecar: ${sigterms}`);

      // Two sidecars: the last declared stops first.
      await page.locator('#gallery').selectOption('reverse-shutdown');
      await page.locator('.timeline .lane[data-container=proxy]').waitFor();
      assert.match(await clock(page), /^0 s/, 'another example starts from its beginning');
      await moveAndWait(page, 'End');
      const order = (await narration(page))
        .filter((l) => l.includes('SIGTERM'))
        .map((l) => l.match(/Stopping (?:container|sidecar) "([^"]+)"/)?.[1]);
      assert.deepEqual(order, ['app', 'log-shipper', 'proxy']);
      assert.match(await page.locator('#outcome').textContent(), /removed/);
      await page.screenshot({ path: `${OUTPUT}playground-reverse-shutdown.png`, fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('a scenario value the core cannot read is said next to the controls', async () => {
    const { page, problems, close } = await openPage(browser, URL_ROOT);
    try {
      await page.locator('#delete-at').fill('soon');
      await page.locator('#delete-at').press('Enter');
      await page.locator('.scenario-error').waitFor();
      assert.match(await page.locator('.scenario-error').textContent(), /Not applied/);
      assert.equal(await page.locator('#delete-at').getAttribute('aria-invalid'), 'true');
      await page.screenshot({ path: `${OUTPUT}playground-scenario-error.png`, fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('an init container waits for a host nobody defined until the learner says when it appears', () => atTheEndOf(WAITS_FOR_ORDERS, 'waits-for-orders', async (page) => {
    // Not there: the init container keeps waiting, as on a cluster where nobody created the Service.
    assert.ok((await watchLines(page)).some((l) => /Init:0\/1/.test(l)), 'still Init:0/1');
    assert.match(await page.locator('.diagnostics').textContent(), /no Service "orders" in this file/);
    const badge = page.locator('.lane[data-container=wait-for-orders] .assumed-badge');
    assert.match(await badge.getAttribute('aria-label'), /assumed: no Service "orders"/);
    // The learner makes it appear at 20 s: the init container finishes and the app runs.
    const before = await generation(page);
    const appears = page.getByLabel('Host orders appears at (seconds; empty: never)');
    await appears.fill('20');
    await appears.press('Enter');
    await waitForRun(page, before);
    await page.getByRole('button', { name: 'Jump to the end' }).click();
    assert.ok((await watchLines(page)).some((l) => /\bRunning\b/.test(l)), `Running: ${await watchLines(page)}`);
  }));

  test('a reload restores the edited manifest and the settings', async () => {
    const { page, context, problems, close } = await openPage(browser, URL_ROOT);
    try {
      const edited = DEFAULT_MANIFEST.replace('name: myapp\n  labels', 'name: my-edited-app\n  labels');
      assert.notEqual(edited, DEFAULT_MANIFEST);
      const before = await generation(page);
      await setManifest(page, edited);
      await waitForRun(page, before);
      await page.locator('#k8s-version').selectOption('1.30');
      await page.reload();
      await page.locator('.timeline svg.lanes').waitFor();
      assert.equal(await manifestText(page), edited);
      assert.equal(await page.locator('#k8s-version').inputValue(), '1.30');
      assert.match(await page.locator('.pod-title').textContent(), /my-edited-app/);
      await page.screenshot({ path: `${OUTPUT}playground-reloaded.png`, fullPage: true });
      assert.deepEqual(problems, []);
      void context;
    } finally {
      await close();
    }
  });

  test('every gallery example simulates', async () => {
    const { page, problems, close } = await openPage(browser, URL_ROOT);
    try {
      const ids = await page.locator('#gallery option').evaluateAll((os) => os.map((o) => o.value));
      assert.ok(ids.length >= 11, `the gallery lists the examples: ${ids}`);
      for (const id of ids.filter((i) => i !== 'draft').reverse()) {
        const before = await generation(page);
        await page.locator('#gallery').selectOption(id);
        await waitForRun(page, before);
        assert.ok(await page.locator('.timeline .lane').count() >= 1, `${id}: lanes drawn`);
        assert.equal(await page.locator('#diagnostics > li.error').count(), 0, `${id}: no errors`);
        assert.ok((await page.locator('.lesson').textContent()).length > 20, `${id}: the lesson is shown`);
        if (id === 'crashloop-backoff') {
          await moveAndWait(page, 'End');
          await page.screenshot({ path: `${OUTPUT}playground-crashloop.png`, fullPage: true });
        }
      }
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('a liveness probe on the wrong port: Unhealthy, Killing, then CrashLoopBackOff', () => atTheEndOf(WRONG_PORT, 'wrong-port', async (page) => {
    const events = await eventRows(page);
    assert.ok(events.some((r) => /^Warning\s*Unhealthy.*Liveness probe failed: Get "http:\/\/10\.244\.0\.5:8080\/": .*connection refused/.test(r)), `Unhealthy: ${events}`);
    assert.ok(events.some((r) => /^Normal\s*Killing.*Container web failed liveness probe, will be restarted/.test(r)), `Killing: ${events}`);
    assert.ok(events.some((r) => /^Warning\s*BackOff.*Back-off restarting failed container web/.test(r)), `BackOff: ${events}`);
    const lines = await watchLines(page);
    assert.ok(lines.some((l) => /CrashLoopBackOff\s+\d+ \(\d+s ago\)/.test(l)), `kubectl -w: ${lines}`);
    assert.ok(await page.locator('.lane[data-container=web] .m-kill-started').count() > 0, 'the kills are marked');
    assert.ok(await page.locator('.lane[data-container=web] .m-probe').count() > 0, 'the failed probes are marked');
    // A run cut off mid crash loop does not claim the pod settled.
    assert.match(await page.locator('#outcome').textContent(), /^Still Running when the simulation stops at \d+ s: STATUS CrashLoopBackOff, RESTARTS \d+$/);
    assert.match(await page.locator('.lesson').textContent(), /edited: its lesson may no longer hold/);
    // The kill's start in the narration, and in "Why" with the row kubectl describe lists for it.
    await page.locator('.narration-list li[data-type=KillStarted] button').first().click();
    assert.match(await page.locator('.why-event').allTextContents().then((t) => t.join('\n')),
      /kubectl describe: Normal Killing spec\.containers\{web\}: Container web failed liveness probe, will be restarted/);
  }));

  test('an OOM-killed container: STATUS OOMKilled, its own marker, restarts and back-off', () => atTheEndOf(OOM, 'oom', async (page) => {
    const lines = await watchLines(page);
    assert.ok(lines.some((l) => /0\/1\s+OOMKilled\s+\d/.test(l)), `kubectl -w: ${lines}`);
    assert.ok(lines.some((l) => /CrashLoopBackOff/.test(l)), `kubectl -w: ${lines}`);
    const oom = page.locator('.lane[data-container=memory-demo-2-ctr] .m-oom');
    assert.ok(await oom.count() > 1, 'every OOM kill has its marker');
    assert.match(await oom.first().locator('title').textContent(), /OOM-killed.*exit 137, OOMKilled/);
  }));

  test('a failed image pull and a failed postStart hook are marked and listed as the kubelet records them', () => atTheEndOf(PULL_AND_HOOK_FAIL, 'pull-and-hook-fail', async (page) => {
    assert.ok(await page.locator('.lane[data-container=app] .m-pull-failed').count() > 0, 'the failed pull is marked');
    assert.ok(await page.locator('.lane[data-container=warmup] .m-hook-failed').count() > 0, 'the failed hook is marked');
    const events = await eventRows(page);
    for (const want of [/^Warning\s*Failed.*Failed to pull image "registry\.example\/app:v1"/, /^Warning\s*Failed.*Error: ErrImagePull/,
      /^Normal\s*BackOff.*Back-off pulling image "registry\.example\/app:v1"/, /^Warning\s*Failed.*Error: ImagePullBackOff/,
      /^Warning\s*FailedPostStartHook.*PostStartHook failed/, /^Normal\s*Killing.*FailedPostStartHook/]) {
      assert.ok(events.some((r) => want.test(r)), `${want}: ${events}`);
    }
    assert.ok((await page.locator('.legend').textContent()).includes('image pull failed'));
  }));

  test('works when dist/ is served from a sub-path', { skip: !URL_SUBPATH && 'PODLIFE_SUBPATH_URL not set' }, async () => {
    const { page, problems, requests, close } = await openPage(browser, URL_SUBPATH);
    try {
      const base = new URL(URL_SUBPATH).pathname;
      const outside = requests.filter((r) => !r.pathname.startsWith(base)).map((r) => r.href);
      assert.deepEqual(outside, [], `every asset is loaded from under ${base}`);
      assert.ok(requests.some((r) => r.pathname.endsWith('.wasm')), 'the wasm module was loaded');
      assert.ok(await page.locator('.timeline .lane').count() >= 2);
      await page.screenshot({ path: `${OUTPUT}playground-sub-path.png` });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
});
