import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClusterGraph } from '../../src/graph/fleet-graph.js';
import { formatGraphHtml } from '../../src/report/graph/html.js';
import { launchChromium, type PageWatch, watchedPage } from '../helpers/chromium.js';
import { fleetRepo } from '../helpers/fleet-repo.js';
import { runCli } from '../helpers/run-cli.js';

const FLEET = path.resolve(import.meta.dirname, '../../examples/aks-fleet');
const BROKEN = path.resolve(import.meta.dirname, '../../examples/aks-fleet-broken');
const work = mkdtempSync(path.join(os.tmpdir(), 'fluxgate-graph-html-'));
const cache = path.join(work, 'cache');

// A busy 2-core machine: launching Chromium and rendering both sides of a diff take their time.
const SLOW = 180_000;

// Launched by the first test that opens a page: without a browser each test fails (never skips) with what to do.
let browser: Promise<Browser> | undefined;
afterAll(async () => {
  await (await browser?.catch(() => undefined))?.close();
  rmSync(work, { recursive: true, force: true });
});

async function graphHtml(cwd: string, ...args: string[]): Promise<string> {
  const run = await runCli(['graph', '--format', 'html', ...args], {
    cwd,
    env: { FLUXGATE_CACHE_DIR: cache },
  });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout;
}

let pages = 0;
/** Opens the page from a file:// URL, as a user opens a saved report, once its script has run. */
async function open(html: string): Promise<PageWatch & { close(): Promise<void> }> {
  const file = path.join(work, `graph-${++pages}.html`);
  writeFileSync(file, html);
  browser ??= launchChromium();
  const watched = await watchedPage(await browser);
  await watched.page.goto(pathToFileURL(file).href);
  await watched.page.waitForSelector('html[data-ready="true"]', { state: 'attached' });
  return { ...watched, close: () => watched.context.close() };
}

const cluster = (page: Page, name: string) => page.locator(`section[data-cluster="${name}"]`);
const node = (page: Page, clusterName: string, key: string) =>
  cluster(page, clusterName).locator(`li.node[data-node="${key}"]`);

describe('fluxgate graph --format html, in a headless Chromium', () => {
  it(
    'shows each cluster, expands to its Kustomizations with their findings, loads nothing, throws nothing',
    async () => {
      const html = await graphHtml(BROKEN);
      const { page, requests, errors, dialogs, close } = await open(html);
      try {
        expect(
          await page
            .locator('section.cluster')
            .evaluateAll((s) => s.map((e) => e.getAttribute('data-cluster'))),
        ).toEqual(['dev-aks', 'prod-aks']);
        for (const name of ['dev-aks', 'prod-aks']) {
          const apps = node(page, name, 'Kustomization/flux-system/apps');
          expect(await apps.count()).toBe(1);
          // Collapsed until the user expands the cluster.
          expect(await apps.isVisible()).toBe(false);
        }
        await cluster(page, 'prod-aks').locator(':scope > details > summary').click();
        const apps = node(page, 'prod-aks', 'Kustomization/flux-system/apps');
        await apps.waitFor({ state: 'visible' });
        expect(await apps.getAttribute('data-errors')).toBe('4');
        expect(await apps.locator(':scope > details > summary .badge.error').textContent()).toBe('4 errors');
        // The findings are listed once the node is expanded.
        const finding = apps.locator('ul.findings li[data-rule="schema/unknown-field"]');
        expect(await finding.isVisible()).toBe(false);
        await apps.locator(':scope > details > summary').click();
        await finding.waitFor({ state: 'visible' });
        expect(await finding.textContent()).toContain('unknown field "spec.minReadySecond"');
        expect(await finding.locator('.where').textContent()).toBe('apps/prod/deployment-patch.yaml:7');
        // The plain-text Secret's finding is there; its value is not.
        expect(await apps.locator('li[data-rule="policy/secret-encrypted"]').count()).toBe(1);
        expect(await page.content()).not.toContain('not-a-real-password-CANARY');
        // Still closed: the other cluster.
        expect(await node(page, 'dev-aks', 'Kustomization/flux-system/apps').isVisible()).toBe(false);

        // A dependsOn link opens the node it names, in its cluster.
        await cluster(page, 'dev-aks').locator(':scope > details > summary').click();
        const devApps = node(page, 'dev-aks', 'Kustomization/flux-system/apps');
        await devApps.locator(':scope > details > summary').click();
        await devApps.getByRole('link', { name: 'Kustomization flux-system/infrastructure' }).click();
        await node(page, 'dev-aks', 'Kustomization/flux-system/infrastructure')
          .locator(':scope > details[open]')
          .waitFor({ state: 'attached' });
        // A finding of a Kustomization whose source is missing: on that Kustomization.
        const sandbox = node(page, 'dev-aks', 'Kustomization/flux-system/sandbox');
        expect(await sandbox.getAttribute('data-errors')).toBe('1');
        expect(await sandbox.locator('li[data-rule="refs/source-not-found"]').count()).toBe(1);

        // The filter keeps the nodes whose key matches.
        await page.locator('#filter').fill('sandbox');
        const shown = await page
          .locator('li.node:not([hidden])')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-node')));
        expect(shown).toEqual(['Kustomization/flux-system/sandbox', 'Kustomization/flux-system/sandbox']);

        expect(requests).toEqual([]);
        expect(errors).toEqual([]);
        expect(dialogs).toEqual([]);
      } finally {
        await close();
      }
    },
    SLOW,
  );

  it(
    '--diff HEAD marks exactly the node whose objects an overlay patch changes',
    async () => {
      const root = fleetRepo(FLEET);
      const patch = path.join(root, 'apps/prod/deployment-patch.yaml');
      const before = readFileSync(patch, 'utf8');
      writeFileSync(patch, before.replace('memory: 128Mi', 'memory: 192Mi'));
      expect(readFileSync(patch, 'utf8')).not.toBe(before);
      const { page, requests, errors, close } = await open(await graphHtml(root, '--diff', 'HEAD'));
      try {
        const marked = await page
          .locator('li.node[data-change]')
          .evaluateAll((rows) =>
            rows.map((r) => [
              r.closest('section')?.getAttribute('data-cluster'),
              r.getAttribute('data-node'),
              r.getAttribute('data-change'),
            ]),
          );
        expect(marked).toEqual([['prod-aks', 'Kustomization/flux-system/apps', 'changed']]);
        expect(await cluster(page, 'prod-aks').getAttribute('data-change')).toBe('changed');
        expect(await cluster(page, 'dev-aks').getAttribute('data-change')).toBeNull();
        await cluster(page, 'prod-aks').locator(':scope > details > summary').click();
        const apps = node(page, 'prod-aks', 'Kustomization/flux-system/apps');
        await apps.waitFor({ state: 'visible' });
        expect(await apps.locator('.badge.changed').textContent()).toBe('changed');
        await apps.locator(':scope > details > summary').click();
        expect(await apps.locator('p.change').textContent()).toBe('change: 1 object changed');
        // "only changed" leaves that one node.
        await page.locator('#only-changed').check();
        expect(await page.locator('li.node:not([hidden])').count()).toBe(1);
        expect(requests).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    },
    SLOW,
  );

  it(
    'a name that tries to end the script element stays text',
    async () => {
      const evil = '</script><script>alert(1)</script><!--';
      const graphs: ClusterGraph[] = [
        {
          name: evil,
          nodes: [
            {
              key: `Kustomization/flux-system/${evil}`,
              kind: 'Kustomization',
              label: `Kustomization flux-system/${evil}`,
              objects: 1,
              deploys: ['ConfigMap x/<img src=x onerror=alert(2)>'],
              findings: [
                {
                  ruleId: 'policy/x',
                  severity: 'error',
                  message: '<img src=x onerror=alert(3)> \u2028 & "quoted"',
                  file: 'a.yaml',
                  line: 1,
                },
              ],
            },
          ],
          edges: [],
        },
      ];
      const html = formatGraphHtml(graphs);
      expect(html.match(/<script\b/g)).toHaveLength(2);
      const { page, requests, errors, dialogs, close } = await open(html);
      try {
        expect(await page.locator('script').count()).toBe(2);
        expect(await page.locator('img').count()).toBe(0);
        expect(await page.locator('section.cluster h2').textContent()).toBe(evil);
        const data = JSON.parse((await page.locator('#fleet-data').textContent()) ?? '') as {
          clusters: ClusterGraph[];
        };
        expect(data.clusters).toEqual(graphs);
        expect(await page.locator('li.node').getAttribute('data-node')).toBe(
          `Kustomization/flux-system/${evil}`,
        );
        expect(dialogs).toEqual([]);
        expect(requests).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    },
    SLOW,
  );
});
