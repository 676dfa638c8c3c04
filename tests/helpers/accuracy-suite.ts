/**
 * The accuracy test of one OCR engine: every fixture through `analyzeImage`, scored with
 * `scoreFixtures`, a table printed, and thresholds asserted (a drop below one fails the test).
 */
import path from 'node:path';
import { analyzeFile } from '../../server/cli/commands/ocr';
import { createOcrEngine } from '../../server/ocr/create-engine';
import type { OcrEngine, OcrEngineName } from '../../server/ocr/ocr-engine';
import { analyzeImage } from '../../server/pipeline/analyze';
import type { SensitiveType } from '../../server/pipeline/findings';
import { FIXTURES_DIR, formatMisses, formatReport, loadTruth, scoreFixtures, type FixtureSet, type ScoredField } from './accuracy';

export interface Thresholds {
  /** Minimum accuracy (0–1) per field. */
  fields: Partial<Record<ScoredField, number>>;
  /** Minimum recall (0–1) per kind of personal data. */
  recall?: Partial<Record<SensitiveType, number>>;
}

export function accuracySuite(engineName: OcrEngineName, thresholds: Record<FixtureSet, Thresholds>, timeoutMs: number): void {
  describe(`${engineName} OCR + extraction accuracy on the fixtures`, () => {
    let engine: OcrEngine;
    beforeAll(async () => {
      engine = await createOcrEngine(engineName);
    }, 120_000);
    afterAll(async () => engine?.close());

    test.each(Object.keys(thresholds) as FixtureSet[])(
      '%s',
      async (set) => {
        const started = Date.now();
        const truths = loadTruth(set);
        const predictions = [];
        for (const truth of truths) {
          const record = await analyzeFile(path.join(FIXTURES_DIR, set, truth.file), (image) => analyzeImage(image, engine));
          predictions.push({ ...record, file: truth.file });
        }
        const report = scoreFixtures(truths, predictions);
        const seconds = ((Date.now() - started) / 1000).toFixed(0);
        console.log(`${formatReport(`${engineName} on ${set}, ${seconds} s`, report)}\n\nmisses:\n${formatMisses(report)}`);

        const { fields, recall = {} } = thresholds[set];
        const below: string[] = [];
        for (const [field, min] of Object.entries(fields) as [ScoredField, number][]) {
          const got = report.fields[field].accuracy ?? 0;
          if (got < min) below.push(`${field} ${(got * 100).toFixed(1)}% < ${min * 100}%`);
        }
        for (const [type, min] of Object.entries(recall) as [SensitiveType, number][]) {
          const got = report.sensitive?.[type].recall ?? 0;
          if (got < min) below.push(`${type} recall ${(got * 100).toFixed(1)}% < ${min * 100}%`);
        }
        expect(below).toEqual([]);
      },
      timeoutMs,
    );
  });
}
