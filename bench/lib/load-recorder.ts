/**
 * Splits one long autocannon run into named phases: each response (or error) is counted in
 * the phase current when it completed, so readers never pause between phases.
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { httpGet } from './load-run';

/** Latencies in tenths of a millisecond, up to 60 s (autocannon times out long before). */
const RESOLUTION = 10;
const MAX_TENTHS = 60_000 * RESOLUTION;

interface Phase {
  name: string;
  startedAt: number;
  endedAt: number | null;
  latencies: Uint32Array;
  ok: number;
  /** Non-2xx answers. */
  bad: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Answers per whole second since the phase began. */
  perSecond: number[];
}

export interface PhaseFigures {
  name: string;
  seconds: number;
  requests: number;
  rps: number;
  /** The slowest whole second: how far throughput dropped at worst (NaN: shorter than a second). */
  minSecondRps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
}

export class PhaseRecorder {
  private readonly phases: Phase[] = [];
  private current: Phase | null = null;

  /** Ends the current phase (if any) and starts `name`; null just ends it. */
  phase(name: string | null): void {
    const now = performance.now();
    if (this.current) this.current.endedAt = now;
    this.current = null;
    if (name === null) return;
    this.current = { name, startedAt: now, endedAt: null, latencies: new Uint32Array(MAX_TENTHS + 1), ok: 0, bad: 0, errors: 0, perSecond: [] };
    this.phases.push(this.current);
  }

  response(statusCode: number, ms: number): void {
    const phase = this.current;
    if (!phase) return;
    if (statusCode >= 200 && statusCode < 300) phase.ok++;
    else phase.bad++;
    phase.latencies[Math.min(MAX_TENTHS, Math.round(ms * RESOLUTION))]++;
    const second = Math.floor((performance.now() - phase.startedAt) / 1000);
    phase.perSecond[second] = (phase.perSecond[second] ?? 0) + 1;
  }

  error(): void {
    if (this.current) this.current.errors++;
  }

  /** Figures of the phases named, merged as one (their time is added up). */
  figures(label: string, ...names: string[]): PhaseFigures {
    const chosen = this.phases.filter((p) => names.includes(p.name));
    if (chosen.length === 0) throw new Error(`no phase named ${names.join(', ')}`);
    const latencies = new Uint32Array(MAX_TENTHS + 1);
    let requests = 0;
    let errors = 0;
    let seconds = 0;
    let minSecondRps = Infinity;
    for (const p of chosen) {
      for (let i = 0; i <= MAX_TENTHS; i++) latencies[i] += p.latencies[i];
      requests += p.ok + p.bad;
      errors += p.bad + p.errors;
      const duration = ((p.endedAt ?? performance.now()) - p.startedAt) / 1000;
      seconds += duration;
      // Whole seconds only: the last, partial second would look like a drop.
      for (let s = 0; s < Math.floor(duration); s++) minSecondRps = Math.min(minSecondRps, p.perSecond[s] ?? 0);
    }
    const percentile = (q: number) => {
      const rank = Math.ceil(requests * q);
      let seen = 0;
      for (let i = 0; i <= MAX_TENTHS; i++) {
        seen += latencies[i];
        if (seen >= rank && seen > 0) return i / RESOLUTION;
      }
      return 0;
    };
    let max = 0;
    for (let i = MAX_TENTHS; i >= 0; i--)
      if (latencies[i]) {
        max = i / RESOLUTION;
        break;
      }
    return {
      name: label,
      seconds,
      requests,
      rps: seconds > 0 ? requests / seconds : 0,
      minSecondRps: Number.isFinite(minSecondRps) ? minSecondRps : NaN,
      p50: percentile(0.5),
      p99: percentile(0.99),
      max,
      errors,
    };
  }
}

/** What Chrome sends; the server answers gzip. */
export const BROWSER_ENCODING = 'gzip, deflate, br, zstd';

/** The gzip size of each path's answer; throws unless every one is 200 and gzip. */
export async function gzipSizes(origin: string, paths: string[]): Promise<number[]> {
  const sizes: number[] = [];
  for (const p of paths) {
    const answer = await httpGet(origin + p, { 'Accept-Encoding': BROWSER_ENCODING });
    if (answer.status !== 200 || answer.encoding !== 'gzip') throw new Error(`${p} answered ${answer.status} ${answer.encoding ?? 'identity'}`);
    sizes.push(answer.bytes.length);
  }
  return sizes;
}

/** `connections` autocannon readers cycling through `paths` (gzip) for up to `seconds`, each answer counted in the recorder's current phase. */
export function startReaders(origin: string, paths: string[], connections: number, seconds: number, recorder: PhaseRecorder): { instance: autocannon.Instance; done: Promise<autocannon.Result> } {
  let finish: (error: unknown, result?: autocannon.Result) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (error, result) => (error ? reject(error) : resolve(result!));
  });
  const instance = autocannon(
    { url: origin, connections, pipelining: 1, duration: seconds, headers: { 'Accept-Encoding': BROWSER_ENCODING }, requests: paths.map((p) => ({ method: 'GET', path: p })) },
    (error, result) => finish(error, result),
  );
  instance.on('response', (_client, statusCode, _bytes, ms) => recorder.response(statusCode, ms));
  instance.on('reqError', () => recorder.error());
  return { instance, done };
}
