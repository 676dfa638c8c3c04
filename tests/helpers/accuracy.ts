/**
 * Scoring of the OCR pipeline against the fixture truth files, shared by the accuracy tests and
 * the OCR benchmark. Predictions have the shape of the `ocr --jsonl` command's lines.
 *
 * Rules:
 * - amount, date, invoiceCode, invoiceNumber: exact string match. A field counts over the files
 *   whose truth has a value; a value predicted where the truth is null is counted as `invented`.
 * - payee: both sides normalised (full-width → half-width, whitespace and punctuation removed);
 *   correct when equal, or when one contains the other and the shorter has ≥ 80 % of the longer's
 *   characters (so "XX有限公司" vs "XX有限公司(盖章)" passes, a short name like "金桥出租车"
 *   for "天长市金桥出租车有限公司" does not).
 * - personal data: a truth box is found when a predicted box of the same type has IoU ≥ 0.5 with
 *   it or covers at least half of it (recall); a predicted box is right when it finds some truth
 *   box of its type that way (precision).
 */
import path from 'node:path';
import type { OcrRecord } from '../../server/cli/commands/ocr';
import type { Box } from '../../server/ocr/ocr-engine';
import type { SensitiveType } from '../../server/pipeline/findings';
import { readTruth, SHARED_FIXTURES, type Truth } from './fixtures';

export const FIXTURES_DIR = SHARED_FIXTURES;
export const FIXTURE_SETS = ['vouchers', 'real-invoices'] as const;
export type FixtureSet = (typeof FIXTURE_SETS)[number];
export type FixtureTruth = Truth;
/** One line of `ocr --jsonl` output, with `file` the bare file name as in truth.jsonl. */
export type Prediction = OcrRecord;

export const SCORED_FIELDS = ['amount', 'date', 'invoiceCode', 'invoiceNumber', 'payee'] as const;
export type ScoredField = (typeof SCORED_FIELDS)[number];
export const SENSITIVE_TYPES: SensitiveType[] = ['idcard', 'phone', 'bankcard', 'name'];

export interface FieldScore {
  correct: number;
  /** Files whose truth has a value for the field. */
  total: number;
  /** Values predicted where the truth has none. */
  invented: number;
  /** correct / total, or null when no file has the field. */
  accuracy: number | null;
  misses: { file: string; expected: string | null; got: string | null }[];
}

export interface SensitiveScore {
  truth: number;
  found: number;
  predicted: number;
  right: number;
  recall: number | null;
  precision: number | null;
}

export interface AccuracyReport {
  files: number;
  fields: Record<ScoredField, FieldScore>;
  /** null when the truth lists no personal data at all (the real-invoice set). */
  sensitive: Record<SensitiveType, SensitiveScore> | null;
}

/** The fixture truth of one set, one object per image, in file order. */
export function loadTruth(set: FixtureSet): FixtureTruth[] {
  return readTruth(path.join(FIXTURES_DIR, set));
}

export function normalisePayee(name: string): string {
  return name
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

export function payeeMatches(expected: string, got: string): boolean {
  const a = normalisePayee(expected);
  const b = normalisePayee(got);
  if (!a || !b) return false;
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return long.includes(short) && short.length >= long.length * 0.8;
}

function intersection(a: Box, b: Box): number {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  return w > 0 && h > 0 ? w * h : 0;
}

/** IoU ≥ 0.5, or the prediction covers at least half of the truth box. */
export function boxFinds(predicted: Box, truth: Box): boolean {
  const inter = intersection(predicted, truth);
  const truthArea = truth[2] * truth[3];
  const union = predicted[2] * predicted[3] + truthArea - inter;
  return (union > 0 && inter / union >= 0.5) || (truthArea > 0 && inter / truthArea >= 0.5);
}

const ratio = (n: number, d: number) => (d ? n / d : null);

export function scoreFixtures(truths: FixtureTruth[], predictions: Prediction[]): AccuracyReport {
  const byFile = new Map(predictions.map((p) => [p.file, p]));
  const fields = Object.fromEntries(
    SCORED_FIELDS.map((f) => [f, { correct: 0, total: 0, invented: 0, accuracy: null, misses: [] } as FieldScore]),
  ) as Record<ScoredField, FieldScore>;
  const hasSensitiveTruth = truths.some((t) => t.sensitive !== undefined);
  const sensitive = Object.fromEntries(
    SENSITIVE_TYPES.map((t) => [t, { truth: 0, found: 0, predicted: 0, right: 0, recall: null, precision: null } as SensitiveScore]),
  ) as Record<SensitiveType, SensitiveScore>;

  for (const truth of truths) {
    const predicted = byFile.get(truth.file);
    for (const field of SCORED_FIELDS) {
      const score = fields[field];
      const expected = truth[field];
      const got = predicted?.[field] ?? null;
      if (expected === null) {
        if (got !== null) {
          score.invented++;
          score.misses.push({ file: truth.file, expected, got });
        }
        continue;
      }
      score.total++;
      const ok = got !== null && (field === 'payee' ? payeeMatches(expected, got) : expected === got);
      if (ok) score.correct++;
      else score.misses.push({ file: truth.file, expected, got });
    }
    if (!hasSensitiveTruth) continue;
    const predictedBoxes = predicted?.sensitive ?? [];
    const truthBoxes = truth.sensitive ?? [];
    for (const type of SENSITIVE_TYPES) {
      const mine = predictedBoxes.filter((p) => p.type === type);
      const theirs = truthBoxes.filter((t) => t.type === type);
      const s = sensitive[type];
      s.truth += theirs.length;
      s.found += theirs.filter((t) => mine.some((p) => boxFinds(p.bbox, t.bbox))).length;
      s.predicted += mine.length;
      s.right += mine.filter((p) => theirs.some((t) => boxFinds(p.bbox, t.bbox))).length;
    }
  }
  for (const score of Object.values(fields)) score.accuracy = ratio(score.correct, score.total);
  for (const s of Object.values(sensitive)) {
    s.recall = ratio(s.found, s.truth);
    s.precision = ratio(s.right, s.predicted);
  }
  return { files: truths.length, fields, sensitive: hasSensitiveTruth ? sensitive : null };
}

const pct = (n: number | null) => (n === null ? '   n/a' : `${(n * 100).toFixed(1).padStart(5)}%`);

/** A plain-text table of a report, for test and benchmark output. */
export function formatReport(title: string, report: AccuracyReport): string {
  const out = [`${title} (${report.files} files)`, 'field          accuracy  correct/total  invented'];
  for (const field of SCORED_FIELDS) {
    const f = report.fields[field];
    out.push(`${field.padEnd(14)} ${pct(f.accuracy)}   ${`${f.correct}/${f.total}`.padStart(8)}      ${String(f.invented).padStart(4)}`);
  }
  if (report.sensitive) {
    out.push('personal data  recall  found/truth  precision  right/predicted');
    for (const type of SENSITIVE_TYPES) {
      const s = report.sensitive[type];
      out.push(`${type.padEnd(14)} ${pct(s.recall)}   ${`${s.found}/${s.truth}`.padStart(8)}     ${pct(s.precision)}   ${`${s.right}/${s.predicted}`.padStart(8)}`);
    }
  }
  return out.join('\n');
}

/** The misses of a report, one line each, for finding out why a field fails. */
export function formatMisses(report: AccuracyReport): string {
  return SCORED_FIELDS.flatMap((f) => report.fields[f].misses.map((m) => `${f} ${m.file}: expected ${m.expected ?? 'null'}, got ${m.got ?? 'null'}`)).join('\n');
}
