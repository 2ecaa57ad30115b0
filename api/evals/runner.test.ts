import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.ts';
import { codebookHash, DEFAULT_CODEBOOK_FILE, loadCodebookFile } from '../codebooks/definition.ts';
import { loadConfig } from '../config.ts';
import { loadGoldFile } from './gold.ts';
import { readRecording } from './replay.ts';
import type { EvalResult } from './result.ts';
import { foldsByGroup, groupKey, runEval } from './runner.ts';
import { evaluate } from './service.ts';
import { compareResults } from './report.ts';
import { readResultFile, resultJson } from './results.ts';

const GOLD = join('evals', 'gold', 'shared-corpus.v1.jsonl');
const CORPUS = join('..', 'shared', 'corpus');
const codebook = loadCodebookFile(DEFAULT_CODEBOOK_FILE);
const codebookRef = { definition: codebook, version: codebook.version, hash: codebookHash(codebook) };
const config = loadConfig({});

/** Runs `fn` with process.stdout captured; returns what it printed. */
async function captureStdout(fn: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = write;
  }
  return chunks.join('');
}

/** The figure the README records under "## Evaluation baseline". */
function readmeBaseline(): number {
  const readme = readFileSync('README.md', 'utf8');
  const match = /Local baseline macro-F1 on evals\/gold\/shared-corpus\.v1\.jsonl \(5-fold cross-validation grouped by outlet\): (\d+(?:\.\d+)?)/.exec(readme);
  if (!match) throw new Error('README.md has no "Local baseline macro-F1 on evals/gold/shared-corpus.v1.jsonl (5-fold cross-validation grouped by outlet): 0.XX" line');
  return Number(match[1]);
}

describe('eval runner on the shipped gold set', () => {
  // One offline run shared by the checks below keeps the suite fast.
  let result: EvalResult;
  const dir = mkdtempSync(join(tmpdir(), 'framescope-evals-'));

  it('regression gate: the local baseline macro-F1 (held-out, grouped 5-fold) does not drop below the README figure', async () => {
    // Through the real command line, offline: `npm run eval -- --provider local --gold <file> --json` prints one JSON object.
    const stdout = await captureStdout(() =>
      runCli(['eval', '--provider', 'local', '--gold', GOLD, '--json', '--repeats', '2', '--outlet-bias', '--record', join(dir, 'answers.json'), '--results-dir', dir, '--name', 'gate', '--db', join(dir, 'absent.db')]),
    );
    result = JSON.parse(stdout) as EvalResult;
    expect((result as EvalResult & { files: unknown }).files).toEqual({ json: join(dir, 'gate.json'), markdown: join(dir, 'gate.md') });
    expect(process.exitCode ?? 0).toBe(0);
    const baseline = readmeBaseline();
    expect(result.provenance.protocol).toMatchObject({ kind: 'cross-validation', folds: 5, groupedBy: 'source' });
    expect(result.label.macroF1.estimate, `macro-F1 ${result.label.macroF1.estimate} fell below the README baseline ${baseline}`).toBeGreaterThanOrEqual(baseline);
  }, 120_000);

  it('reports every metric the issue lists, with provenance, and writes JSON and Markdown', () => {
    expect(result.provenance.gold).toMatchObject({ items: 140, scoredItems: 103, excludedItems: 37 });
    expect(result.provenance.codebook).toEqual({ name: 'post-soviet-integration', version: '1', hash: codebookHash(codebook) });
    expect(result.provenance.parameters).toMatchObject({ repeats: 2, outletMasked: true, outletBias: true, seed: 1, bootstrapIterations: 2000 });
    expect(result.label.confusion.labels).toEqual(['integrationist', 'critical', 'analytical']);
    expect(result.label.confusion.matrix.flat().reduce((s, x) => s + x, 0) + result.label.confusion.unanswered.reduce((s, x) => s + x, 0)).toBe(103);
    expect(result.label.perLabel.map((s) => [s.label, s.support])).toEqual([['integrationist', 28], ['critical', 25], ['analytical', 50]]);
    for (const i of [result.label.accuracy, result.label.macroF1, result.label.kappa]) expect(i.low! <= i.estimate! && i.estimate! <= i.high!, JSON.stringify(i)).toBe(true);
    expect(result.themes.perLabel).toHaveLength(15);
    expect(result.stance.n).toBe(103);
    // The segmenter's verdicts against the hand-marked exclusions: all 37 found, plus the 3 translator's notes gold keeps on purpose.
    expect(result.exclusion.segmenter).toMatchObject({ support: 37, predicted: 40, recall: 1 });
    expect(result.exclusion.segmenter!.precision).toBeCloseTo(37 / 40, 12);
    expect(result.reliability).toMatchObject({ asked: 140 * 2 + 103, schemaValid: 383, repeats: 2 });
    expect(result.reliability.agreementVsCorrectness!.unanimous.n + result.reliability.agreementVsCorrectness!.split.n).toBe(103);
    expect(result.calibration.bins).toHaveLength(10);
    // The local baseline only sees the passage text, so naming the outlet cannot move it.
    expect(result.outletBias).toMatchObject({ n: 103, labelChangedShare: 0, meanStanceShift: 0 });
    // Without --gold db and with no database file, the command does not create one.
    expect(existsSync(join(dir, 'absent.db'))).toBe(false);
    const stored = readResultFile(join(dir, 'gate.json'));
    expect(stored.label.n).toBe(103);
    const markdown = readFileSync(join(dir, 'gate.md'), 'utf8');
    expect(markdown).toContain('**Protocol:** 5-fold cross-validation grouped by outlet');
    expect(markdown).toContain(`codebook | post-soviet-integration v1 (${codebookHash(codebook)})`);
  });

  it('replays recorded answers to the same result without training or asking', async () => {
    const recording = readRecording(join(dir, 'answers.json'));
    expect(recording.answers).toHaveLength(383);
    const { result: replayed } = await evaluate({ provider: 'local', gold: GOLD, corpusDir: CORPUS, resultsDir: dir, name: 'replayed', repeats: 2, outletBias: true, replay: join(dir, 'answers.json') }, { config });
    expect(replayed.provenance.replayedFrom).toBe(join(dir, 'answers.json'));
    const roundTrip = (x: unknown) => JSON.parse(resultJson(x)) as unknown;
    expect(roundTrip(replayed.items)).toEqual(result.items);
    expect(roundTrip(replayed.label)).toEqual(result.label);
    const comparison = compareResults([readResultFile(join(dir, 'gate.json')), readResultFile(join(dir, 'replayed.json'))]);
    expect(comparison.rows[1]!.values[1]).toMatchObject({ difference: 0, exceedsIntervals: false });
  });

  it('compares results: differences, whether they exceed the intervals, and a warning for another gold set', async () => {
    const better = structuredClone(result);
    better.name = 'better';
    better.label.accuracy = { estimate: 0.9, low: 0.85, high: 0.95, level: 0.95 };
    better.provenance.gold.hash = 'another-gold-set';
    writeFileSync(join(dir, 'better.json'), resultJson(better));
    const stdout = await captureStdout(() => runCli(['eval', '--compare', join(dir, 'gate.json'), join(dir, 'better.json'), '--json']));
    const comparison = JSON.parse(stdout) as ReturnType<typeof compareResults>;
    expect(comparison.baseline).toBe('gate');
    const accuracyRow = comparison.rows.find((r) => r.metric === 'accuracy')!;
    expect(accuracyRow.values[1]!.difference).toBeCloseTo(0.9 - result.label.accuracy.estimate!, 12);
    expect(accuracyRow.values[1]!.exceedsIntervals).toBe(true);
    expect(comparison.rows.find((r) => r.metric === 'macro-F1')!.values[1]).toMatchObject({ difference: 0, exceedsIntervals: false });
    expect(comparison.warnings).toEqual([`better was scored on a different gold set (file:${GOLD}) than gate`]);
  });

  it('refuses a replay whose recording lacks an answer', async () => {
    const recording = readRecording(join(dir, 'answers.json'));
    writeFileSync(join(dir, 'short.json'), JSON.stringify({ ...recording, answers: recording.answers.slice(0, 10) }));
    await expect(evaluate({ provider: 'local', gold: GOLD, corpusDir: CORPUS, write: false, replay: join(dir, 'short.json') }, { config })).rejects.toThrow(
      'replay: the recording has no answer for one of the requests (different gold set, prompt, codebook or repeats?)',
    );
  });
  it('scores all items of a document in the same held-out fold', () => {
    const foldOf = new Map(result.items.map((i) => [i.documentKey, i.fold]));
    expect(new Set(foldOf.values()).size).toBe(5);
    for (const i of result.items) expect(i.fold).toBe(foldOf.get(i.documentKey));
  });

});

describe('gold files', () => {
  it('rejects a record whose text no longer matches its hash, naming the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'framescope-gold-'));
    const first = JSON.parse(readFileSync(GOLD, 'utf8').split('\n')[0]!);
    writeFileSync(join(dir, 'bad.jsonl'), `${JSON.stringify({ ...first, end: first.end - 1 })}\n`);
    expect(() => loadGoldFile(join(dir, 'bad.jsonl'), CORPUS, codebook)).toThrow(`${join(dir, 'bad.jsonl')}:1: the text at dugin-eurasian-macro-state.txt 0-401 does not match textSha256 (corpus file changed?)`);
  });

  it('rejects a label that is not in the codebook', () => {
    const dir = mkdtempSync(join(tmpdir(), 'framescope-gold-'));
    const first = JSON.parse(readFileSync(GOLD, 'utf8').split('\n')[0]!);
    writeFileSync(join(dir, 'bad.jsonl'), `\n${JSON.stringify({ ...first, label: 'pro-union' })}\n`);
    expect(() => loadGoldFile(join(dir, 'bad.jsonl'), CORPUS, codebook)).toThrow(`${join(dir, 'bad.jsonl')}:2: label "pro-union" is not in codebook post-soviet-integration`);
  });
});

describe('foldsByGroup', () => {
  it('keeps every outlet whole in one fold by default, and every document on request', () => {
    const item = (documentKey: string, sourceName: string | null) => ({ documentKey, sourceName });
    const gold = [item('d1', 'Herald'), item('d2', 'Herald'), item('d3', 'Courier'), item('d4', 'Courier'), item('d5', null)];
    expect(gold.map((i) => groupKey(i, 'source'))).toEqual(['source:Herald', 'source:Herald', 'source:Courier', 'source:Courier', 'document:d5']);
    expect(gold.map((i) => groupKey(i, 'document'))).toEqual(['document:d1', 'document:d2', 'document:d3', 'document:d4', 'document:d5']);
    const folds = foldsByGroup(gold.map((i) => groupKey(i, 'source')), 3, 1);
    expect(folds.size).toBe(3);
    expect(new Set(folds.values())).toEqual(new Set([0, 1, 2]));
  });

  it('puts every group in exactly one fold and spreads groups evenly', () => {
    const folds = foldsByGroup(['a', 'b', 'c', 'd', 'e', 'a', 'b'], 2, 1);
    expect([...folds.keys()].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    const sizes = [0, 1].map((f) => [...folds.values()].filter((v) => v === f).length).sort();
    expect(sizes).toEqual([2, 3]);
    expect(foldsByGroup(['a', 'b', 'c', 'd', 'e'], 2, 1)).toEqual(folds);
  });

});
