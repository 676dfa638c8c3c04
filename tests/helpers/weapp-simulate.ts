/**
 * Renders pages of the built WeChat mini-program (test-output/weapp) in `miniprogram-simulate` + `j-component`,
 * i.e. WeChat's own exparser component system on jsdom, with the WXML compiled by WeChat's `wcc`.
 *
 * What WeChat provides and the simulator does not is shimmed here, as little as Taro needs:
 * - `Event`/`CustomEvent` from jsdom (Node 20's own clash with it);
 * - `App`/`getApp`/`getCurrentPages`;
 * - `Page`, adapted onto `Component` (simulate only knows components): page methods become methods,
 *   and onLoad(query)/onShow/onReady/onUnload run from the component lifetimes as WeChat orders them;
 * - `wx.request`, `wx.downloadFile`, `wx.uploadFile` and `wx.chooseMedia` answering from the test's fake API (every
 *   call is recorded; unknown ones get a 404, or the picker closed) where simulate's own answer anything, silently;
 * - `wx.getStorageSync` & co. over an in-memory map, and navigation calls recorded instead of performed.
 *
 * Each render loads the app afresh (`jest.isolateModules`): the build's webpack runtime runs a page's
 * module once per registry, and simulate needs the page's `Page()` call on every load.
 */
import path from 'node:path';
import { simulateCompiler } from './weapp-compilers';

type Dict = Record<string, any>;

/** A fake API answer: a JSON body with 200, or an explicit status (and body). */
export type FakeAnswer = unknown | { status: number; body: unknown };
/**
 * Keyed by `METHOD /path` or `METHOD /path?query` (query must then match exactly, in order), where METHOD is
 * - an HTTP method, for wx.request: the answer is the JSON body;
 * - `DOWNLOAD`, for wx.downloadFile: the answer is the temp file path WeChat hands back (`{status, body}` for an HTTP error);
 * - `UPLOAD`, for wx.uploadFile: the answer is the body, which the page gets as text, as WeChat gives it;
 * and `CHOOSE media` for wx.chooseMedia: the answer is the `tempFiles` the user picks (none there: the user closes the picker).
 */
export type FakeApi = Record<string, FakeAnswer>;

export interface RecordedRequest {
  /** HTTP method, or DOWNLOAD, UPLOAD, CHOOSE (see FakeApi). */
  method: string;
  /** Path and query as the page asked for them, without origin. */
  url: string;
  /** The fake API key that answered, or null (answered 404, or the picker closed). */
  answeredBy: string | null;
  /** Headers the page sent (e.g. Authorization). */
  header: Record<string, string>;
  /** The body sent; for an upload, the form field's name and the file path. */
  data?: unknown;
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
  /** Types into an <Input> or <Textarea> (the `input` event WeChat sends): the `nth` (from 0) matching `selector`. */
  input(selector: string, value: string, nth?: number): Promise<void>;
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
      requests.push({ method, url: `${parsed.pathname}${parsed.search}`, answeredBy: answer?.key ?? null, header: { ...options.header }, data: options.data });
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
    /** downloadFile and uploadFile: answered from `DOWNLOAD …` / `UPLOAD …` keys, with progress, and abortable like WeChat's tasks. */
    const fileTask = (kind: 'DOWNLOAD' | 'UPLOAD', options: Dict, data: unknown, respond: (answer: ReturnType<typeof answerFor>) => Dict) => {
      const url = String(options.url);
      const parsed = new URL(url, FAKE_ORIGIN);
      const answer = answerFor(api, kind, url);
      requests.push({ method: kind, url: `${parsed.pathname}${parsed.search}`, answeredBy: answer?.key ?? null, header: { ...options.header }, data });
      const res = respond(answer);
      const progress = new Set<(p: Dict) => void>();
      const timer = setTimeout(() => {
        for (const cb of progress) cb({ progress: 100, totalBytesWritten: 1024, totalBytesExpectedToWrite: 1024, totalBytesSent: 1024, totalBytesExpectedToSend: 1024 });
        options.success?.(res);
        options.complete?.(res);
      }, 5);
      return {
        abort() {
          clearTimeout(timer);
          const fail = { errMsg: `${kind === 'DOWNLOAD' ? 'downloadFile' : 'uploadFile'}:fail abort` };
          options.fail?.(fail);
          options.complete?.(fail);
        },
        onProgressUpdate: (cb: (p: Dict) => void) => void progress.add(cb),
        offProgressUpdate: (cb: (p: Dict) => void) => void progress.delete(cb),
        onHeadersReceived() {},
        offHeadersReceived() {},
      };
    };
    // HTTP errors still succeed, as in WeChat: the page reads statusCode.
    wx.downloadFile = (options: Dict) =>
      fileTask('DOWNLOAD', options, undefined, (answer) =>
        answer && answer.status === 200
          ? { statusCode: 200, tempFilePath: String(answer.body), errMsg: 'downloadFile:ok' }
          : { statusCode: answer?.status ?? 404, tempFilePath: '', errMsg: 'downloadFile:ok' },
      );
    wx.uploadFile = (options: Dict) =>
      fileTask('UPLOAD', options, { name: options.name, filePath: options.filePath, ...(options.formData ? { formData: options.formData } : {}) }, (answer) => ({
        statusCode: answer?.status ?? 404,
        data: JSON.stringify(answer ? answer.body : { error: { code: 'not_found', message: `no fake answer for UPLOAD ${options.url}` } }),
        errMsg: 'uploadFile:ok',
      }));
    wx.chooseMedia = (options: Dict = {}) => {
      const key = 'CHOOSE media';
      const picked = key in api ? api[key] : undefined;
      const { count, mediaType, sourceType, sizeType } = options;
      requests.push({ method: 'CHOOSE', url: 'media', answeredBy: picked === undefined ? null : key, header: {}, data: { count, mediaType, sourceType, sizeType } });
      const res = picked === undefined ? { errMsg: 'chooseMedia:fail cancel' } : { tempFiles: picked, type: 'image', errMsg: 'chooseMedia:ok' };
      const answer = (success: (r: Dict) => void, fail: (r: Dict) => void) =>
        setTimeout(() => {
          (picked === undefined ? fail : success)(res);
          options.complete?.(res);
        }, 5);
      // As WeChat's async APIs do (and Taro passes chooseMedia straight through): a promise when no callback is given.
      if (!options.success && !options.fail && !options.complete) return new Promise((resolve, reject) => answer(resolve, reject));
      answer((r) => options.success?.(r), (r) => options.fail?.(r));
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
  function find(selectorOrText: string, nth = 0): Dict {
    let found: Dict | undefined;
    try {
      found = root!.querySelectorAll(selectorOrText)[nth];
    } catch {
      // not a selector
    }
    if (!found) {
      const el = [...root!.dom.querySelectorAll('[data-sid]')].find((e: Dict) => e.textContent.replace(/\s+/g, ' ').trim() === selectorOrText);
      if (el) found = root!.querySelector(`#${el.getAttribute('data-sid')}`);
    }
    if (!found) throw new Error(`page ${page}: nothing matches ${JSON.stringify(selectorOrText)}${nth ? ` (#${nth})` : ''}\nshown: ${text().slice(0, 2000)}`);
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
    async input(selector, value, nth = 0) {
      find(selector, nth).dispatchEvent('input', { detail: { value, cursor: value.length } });
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
