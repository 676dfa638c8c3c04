/**
 * Renders pages of the built WeChat mini-program (test-output/weapp) in `miniprogram-simulate` + `j-component`,
 * i.e. WeChat's own exparser component system on jsdom, with the WXML compiled by WeChat's `wcc`.
 *
 * What WeChat provides and the simulator does not is shimmed here, as little as Taro needs:
 * - `Event`/`CustomEvent` from jsdom (Node 20's own clash with it);
 * - `App`/`getApp`/`getCurrentPages`;
 * - `Page`, adapted onto `Component` (simulate only knows components): page methods become methods,
 *   and onLoad(query)/onShow/onReady/onUnload run from the component lifetimes as WeChat orders them;
 * - `wx.request` answering from the test's fake API (every call is recorded; unknown ones get a 404),
 *   `wx.getStorageSync` & co. over an in-memory map, and navigation calls recorded instead of performed.
 *
 * Each render loads the app afresh (`jest.isolateModules`): the build's webpack runtime runs a page's
 * module once per registry, and simulate needs the page's `Page()` call on every load.
 */
import path from 'node:path';
import { simulateCompiler } from './weapp-compilers';

type Dict = Record<string, any>;

/** A fake API answer: a JSON body with 200, or an explicit status (and body). */
export type FakeAnswer = unknown | { status: number; body: unknown };
/** Keyed by `METHOD /path` or `METHOD /path?query` (query must then match exactly, in order). */
export type FakeApi = Record<string, FakeAnswer>;

export interface RecordedRequest {
  method: string;
  /** Path and query as the page asked for them, without origin. */
  url: string;
  /** The fake API key that answered, or null (answered 404). */
  answeredBy: string | null;
}

export interface RenderedPage {
  /** j-component's root component of the page. */
  root: Dict;
  /** Text as shown: whitespace collapsed. */
  text(): string;
  /** Waits until every string is shown (and none of `absent`), or throws with what is shown. */
  waitForTexts(texts: string[], absent?: string[], timeoutMs?: number): Promise<void>;
  /** Taps the first element matching a WXML selector (e.g. '.search-button') or, failing that, showing exactly `text`. */
  tap(selectorOrText: string): Promise<void>;
  /** Types into an <Input> (the `input` event WeChat sends). */
  input(selector: string, value: string): Promise<void>;
  requests: RecordedRequest[];
  navigations: { api: string; url?: string }[];
  /** wx storage as the page left it. */
  storage: Map<string, unknown>;
  /** console.error calls while the page was shown (React reports render errors there). */
  errors: string[];
  unload(): void;
}

const FAKE_ORIGIN = 'https://fake-api.invalid';
let domInstalled = false;
let ownWindow: Dict | undefined;

/**
 * The simulator needs a DOM. Under jest's jsdom environment one is there already; under the repo's node
 * environment (jest-environment-jsdom is not a dependency) we make one with the jsdom package and expose
 * the globals exparser and j-component read.
 */
function installDom(): void {
  if (domInstalled) return;
  domInstalled = true;
  const g = globalThis as Dict;
  if (typeof g.document === 'undefined') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { JSDOM } = require('jsdom') as { JSDOM: new (html: string, options: Dict) => { window: Dict } };
    const { window } = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
      pretendToBeVisual: true,
      url: 'https://servicewechat.com/',
    });
    g.window = ownWindow = window;
    for (const name of ['document', 'navigator', 'Node', 'Element', 'HTMLElement']) g[name] = window[name];
    for (const name of ['getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame']) g[name] = window[name].bind(window);
  }
  // Node 20's own Event and CustomEvent are not jsdom's: dispatching them on a jsdom node throws.
  g.Event = g.window.Event;
  g.CustomEvent = g.window.CustomEvent;
}

/** Closes the jsdom window made here (its timers would keep the jest worker alive); call from afterAll. */
export function closeSimulator(): void {
  ownWindow?.close();
  ownWindow = undefined;
}

function answerFor(api: FakeApi, method: string, url: string): { key: string; status: number; body: unknown } | undefined {
  const parsed = new URL(url, FAKE_ORIGIN);
  const key = [`${method} ${parsed.pathname}${parsed.search}`, `${method} ${parsed.pathname}`].find((k) => k in api);
  if (key === undefined) return undefined;
  const answer = api[key];
  if (typeof answer === 'object' && answer !== null && 'status' in answer && typeof (answer as Dict).status === 'number')
    return { key, ...(answer as { status: number; body: unknown }) };
  return { key, status: 200, body: answer };
}

/** `Page(options)` → `Component(...)` with WeChat's page lifecycle order. */
function pageAdapter(route: string, query: Dict, pages: Dict[]): (options: Dict) => void {
  return (options: Dict) => {
    const methods: Dict = {};
    for (const [key, value] of Object.entries(options)) if (typeof value === 'function') methods[key] = value;
    (globalThis as Dict).Component({
      data: options.data ?? {},
      methods,
      lifetimes: {
        attached(this: Dict) {
          this.route = this.__route__ = route;
          this.options = query;
          pages.push(this);
          this.onLoad?.({ ...query });
          this.onShow?.();
        },
        ready(this: Dict) {
          this.onReady?.();
        },
        detached(this: Dict) {
          this.onUnload?.();
          pages.splice(pages.indexOf(this), 1);
        },
      },
    });
  };
}

/**
 * Loads the app and renders `page` (e.g. 'pages/index/index') of the build in `outDir`, with `query`
 * as the page's options and `api` answering wx.request.
 */
export function renderPage(outDir: string, page: string, query: Dict, api: FakeApi, initialStorage: Dict = {}): RenderedPage {
  installDom();
  const g = globalThis as Dict;
  const requests: RecordedRequest[] = [];
  const navigations: { api: string; url?: string }[] = [];
  const errors: string[] = [];
  const storage = new Map<string, unknown>(Object.entries(initialStorage));
  const pages: Dict[] = [];
  const originalConsoleError = console.error;
  let root: Dict | undefined;

  jest.isolateModules(() => {
    // simulate reaches the compiler through `miniprogram-compiler`'s JS API; route it to our wcc copy.
    jest.doMock('miniprogram-compiler', () => simulateCompiler);
    // A fresh wx each time: the build's webpack runtime keeps its chunk list on it.
    delete g.wx;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const simulate = require('miniprogram-simulate') as {
      load(componentPath: string, options: Dict): string;
      render(id: string, properties?: Dict): Dict;
    };
    const wx = g.wx as Dict;

    wx.request = (options: Dict) => {
      const method = String(options.method ?? 'GET').toUpperCase();
      const url = String(options.url);
      const parsed = new URL(url, FAKE_ORIGIN);
      const answer = answerFor(api, method, url);
      requests.push({ method, url: `${parsed.pathname}${parsed.search}`, answeredBy: answer?.key ?? null });
      const res = answer
        ? { statusCode: answer.status, data: answer.body, header: { 'content-type': 'application/json' }, errMsg: 'request:ok' }
        : { statusCode: 404, data: { error: { code: 'not_found', message: `no fake answer for ${method} ${url}` } }, header: {}, errMsg: 'request:ok' };
      // Asynchronous like the real one.
      const timer = setTimeout(() => {
        options.success?.(res);
        options.complete?.(res);
      }, 5);
      return { abort: () => clearTimeout(timer), onHeadersReceived() {}, offHeadersReceived() {}, onChunkReceived() {}, offChunkReceived() {} };
    };
    wx.getStorageSync = (key: string) => (storage.has(key) ? storage.get(key) : '');
    wx.setStorageSync = (key: string, value: unknown) => void storage.set(key, value);
    wx.removeStorageSync = (key: string) => void storage.delete(key);
    wx.clearStorageSync = () => storage.clear();
    for (const name of ['navigateTo', 'redirectTo', 'reLaunch', 'switchTab', 'navigateBack']) {
      wx[name] = (options: Dict = {}) => {
        navigations.push({ api: name, url: options.url });
        const res = { errMsg: `${name}:ok` };
        setTimeout(() => {
          options.success?.(res);
          options.complete?.(res);
        }, 0);
      };
    }

    let app: Dict | undefined;
    g.App = (options: Dict) => {
      app = options;
      const launch = { path: page, query, scene: 1001, referrerInfo: {} };
      options.onLaunch?.call(options, launch);
      options.onShow?.call(options, launch);
    };
    g.getApp = () => app;
    g.getCurrentPages = () => [...pages];
    g.Page = pageAdapter(page, query, pages);

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(outDir, 'app.js'));
    if (!app) throw new Error('app.js did not call App()');

    const id = simulate.load(path.join(outDir, page), { rootPath: outDir });
    // React reports render errors (and Taro its warnings of broken pages) through console.error.
    console.error = (...args: unknown[]) => {
      errors.push(args.map(String).join(' '));
      originalConsoleError(...args);
    };
    try {
      root = simulate.render(id);
      root.attach(g.document.createElement('parent-wrapper'));
    } catch (err) {
      console.error = originalConsoleError;
      throw err;
    }
  });

  const text = () => String(root!.dom?.textContent ?? '').replace(/\s+/g, ' ').trim();

  /** j-component finds by WXML selector; by text we look in the DOM and go back through Taro's `data-sid` (the WXML id). */
  function find(selectorOrText: string): Dict {
    let found: Dict | undefined;
    try {
      found = root!.querySelector(selectorOrText);
    } catch {
      // not a selector
    }
    if (!found) {
      const el = [...root!.dom.querySelectorAll('[data-sid]')].find((e: Dict) => e.textContent.replace(/\s+/g, ' ').trim() === selectorOrText);
      if (el) found = root!.querySelector(`#${el.getAttribute('data-sid')}`);
    }
    if (!found) throw new Error(`page ${page}: nothing matches ${JSON.stringify(selectorOrText)}\nshown: ${text().slice(0, 2000)}`);
    return found;
  }
  // j-component dispatches on a microtask; let Taro's handler and React's update run before the caller looks.
  const settle = () => new Promise((r) => setTimeout(r, 20));

  return {
    root: root!,
    text,
    async tap(selectorOrText) {
      find(selectorOrText).dispatchEvent('tap', {});
      await settle();
    },
    async input(selector, value) {
      find(selector).dispatchEvent('input', { detail: { value, cursor: value.length } });
      await settle();
    },
    requests,
    navigations,
    storage,
    errors,
    async waitForTexts(texts, absent = [], timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const shown = text();
        if (texts.every((t) => shown.includes(t)) && absent.every((t) => !shown.includes(t))) return;
        if (Date.now() > deadline) {
          const missing = texts.filter((t) => !shown.includes(t));
          const unwanted = absent.filter((t) => shown.includes(t));
          throw new Error(
            `page ${page}: missing ${JSON.stringify(missing)}, unwanted ${JSON.stringify(unwanted)}\nshown: ${shown.slice(0, 2000)}` +
              `\nrequests: ${JSON.stringify(requests)}\nerrors: ${errors.join('\n').slice(0, 2000)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    unload() {
      console.error = originalConsoleError;
      root?.detach();
    },
  };
}
