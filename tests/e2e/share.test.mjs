// End-to-end tests of share links: the whole state in the URL fragment, opened in a fresh browser
// profile; a damaged link leaves saved work alone; gallery entries are addressable (#example/<id>).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OUTPUT, URL_ROOT, launch, manifestText, moveAndWait, openInCourse, openPage, setManifest, waitForRun, generation } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

describe('share links', () => {
  test('a shared link opens the same manifest, settings and moment in a fresh profile', async () => {
    const { page, problems, close } = await openPage(browser, URL_ROOT);
    let address;
    let expected;
    try {
      const edited = (await manifestText(page)).replace('name: myapp\n  labels', 'name: shared-app\n  labels');
      let before = await generation(page);
      await setManifest(page, edited);
      await waitForRun(page, before);
      before = await generation(page);
      await page.locator('#k8s-version').selectOption('1.31');
      await waitForRun(page, before);
      before = await generation(page);
      await page.locator('#delete-at').fill('12');
      await page.locator('#delete-at').press('Enter');
      await waitForRun(page, before);
      await page.getByRole('button', { name: 'Next event' }).click();
      await page.getByRole('button', { name: 'Next event' }).click();
      await page.getByRole('button', { name: 'Next event' }).click();
      expected = { yaml: edited, clock: await page.locator('.clock').textContent() };
      await page.locator('#share').click();
      address = await page.locator('#share-url').inputValue();
      assert.match(address, /#s=[A-Za-z0-9_-]+$/);
      assert.ok(address.length < 1000, `the link is short: ${address.length} characters`);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
    const fresh = await openPage(browser, address);
    try {
      await fresh.page.locator('.pod-title', { hasText: 'shared-app' }).waitFor();
      await fresh.page.waitForFunction((c) => document.querySelector('.clock')?.textContent === c, expected.clock);
      assert.equal(await manifestText(fresh.page), expected.yaml);
      assert.equal(await fresh.page.locator('#k8s-version').inputValue(), '1.31');
      assert.equal(await fresh.page.locator('#delete-at').inputValue(), '12s');
      assert.equal(await fresh.page.locator('#gallery').inputValue(), 'link');
      assert.ok(!(await fresh.page.evaluate(() => location.hash)), 'the fragment is cleared once read');
      await fresh.page.screenshot({ path: `${OUTPUT}share-opened.png`, fullPage: true });
      assert.deepEqual(fresh.problems, []);
    } finally {
      await fresh.close();
    }
  });

  test('a damaged link says so and leaves the saved work alone', async () => {
    const { page, problems, close } = await openPage(browser, URL_ROOT);
    try {
      const mine = (await manifestText(page)).replace('replicas: 1', 'replicas: 2');
      const before = await generation(page);
      await setManifest(page, mine);
      await waitForRun(page, before);
      await page.goto('about:blank');
      await page.goto(`${URL_ROOT}#s=AQ${'x'.repeat(40)}`);
      await page.locator('#link-error').waitFor();
      assert.match(await page.locator('#link-error').textContent(), /link/i);
      assert.equal(await manifestText(page), mine, 'the saved manifest is unchanged');
      await page.screenshot({ path: `${OUTPUT}share-damaged.png` });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('#example/<id> opens that gallery entry', async () => {
    const { page, problems, close } = await openPage(browser, `${URL_ROOT}#example/crashloop-backoff`);
    try {
      await page.locator('.timeline .lane[data-container=app]').waitFor();
      assert.equal(await page.locator('#gallery').inputValue(), 'crashloop-backoff');
      assert.match(await page.locator('.lesson').textContent(), /CrashLoopBackOff/);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
});

describe('embed and presenter modes', () => {
  test('?embed renders in an iframe from another page, without touching saved work', async () => {
    const { page, frame, problems, close } = await openInCourse(browser, {
      name: 'course-page.html',
      heading: 'Sidecars',
      src: `${URL_ROOT}?embed#example/reverse-shutdown`,
      viewport: { width: 1100, height: 800 },
      size: { width: 1000, height: 700 },
    });
    await frame.locator('.timeline svg.lanes').waitFor();
    await frame.locator('.timeline .lane[data-container=proxy]').waitFor();
    assert.equal(await frame.locator('.editor-column').count(), 0, 'no editor in the embed');
    assert.equal(await frame.locator('.playback').count(), 1, 'the playback controls are there');
    const href = await frame.locator('.embed-footer a').getAttribute('href');
    assert.ok(href.startsWith(URL_ROOT) && !href.includes('embed'), href);
    const saved = await page.evaluate(() => localStorage.length);
    assert.equal(saved, 0, 'the embed writes nothing to the storage of its origin');
    await page.screenshot({ path: `${OUTPUT}embed-iframe.png` });
    assert.deepEqual(problems, []);
    await close();
  });

  test('?present shows large type and the narration', async () => {
    const { page, problems, close } = await openPage(browser, `${URL_ROOT}?present`);
    try {
      assert.equal(await page.evaluate(() => document.documentElement.dataset.mode), 'presenter');
      const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
      assert.ok(size >= 20, `large type: ${size}px`);
      assert.ok(await page.locator('.narration').isVisible());
      await moveAndWait(page, 'ArrowRight');
      assert.match(await page.locator('.clock').textContent(), /^0\.5 s/);
      await page.screenshot({ path: `${OUTPUT}presenter.png` });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
});
