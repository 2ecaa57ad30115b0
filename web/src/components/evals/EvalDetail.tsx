import type { EvalResult } from '../../lib/api/evals.ts';
import { CalibrationChart } from './CalibrationChart.tsx';
import { ConfusionMatrix } from './ConfusionMatrix.tsx';
import { fmt, fmtInterval } from './format.ts';

/** One eval result: provenance, label metrics with intervals, confusion matrix, calibration and the rest. */
export function EvalDetail({ result }: { result: EvalResult }) {
  const p = result.provenance;
  const failures = Object.entries(result.reliability.failuresByKind);
  return (
    <article data-testid="eval-detail">
      <h2>{result.name}</h2>
      <p>
        {p.displayName} on <code>{p.gold.origin}</code>, {new Date(result.createdAt).toLocaleString()}.
      </p>
      <p className="evals-protocol" data-testid="eval-protocol">
        <strong>Protocol:</strong> {p.protocol.note}.
      </p>

      <section className="panel">
        <h3>Label</h3>
        <table className="evals-table">
          <thead>
            <tr>
              <th>metric</th>
              <th>estimate [95% CI]</th>
            </tr>
          </thead>
          <tbody data-testid="eval-label-metrics">
            <tr>
              <td>accuracy</td>
              <td>{fmtInterval(result.label.accuracy)}</td>
            </tr>
            <tr>
              <td>macro-F1</td>
              <td>{fmtInterval(result.label.macroF1)}</td>
            </tr>
            <tr>
              <td>Cohen&rsquo;s κ vs gold</td>
              <td>{fmtInterval(result.label.kappa)}</td>
            </tr>
          </tbody>
        </table>
        <p className="muted">
          {result.label.n} gold items: {result.label.byLevel.passage.n} passages, {result.label.byLevel.document.n} documents. Intervals: {p.parameters.bootstrapIterations} bootstrap resamples of {p.parameters.bootstrapUnit}s.
        </p>
        <table className="evals-table">
          <thead>
            <tr>
              <th>label</th>
              <th>precision</th>
              <th>recall</th>
              <th>F1</th>
              <th>gold</th>
              <th>predicted</th>
            </tr>
          </thead>
          <tbody>
            {result.label.perLabel.map((s) => (
              <tr key={s.label}>
                <td className={`label-${s.label}`}>{s.label}</td>
                <td>{fmt(s.precision)}</td>
                <td>{fmt(s.recall)}</td>
                <td>{fmt(s.f1)}</td>
                <td>{s.support}</td>
                <td>{s.predicted}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h4>Confusion matrix</h4>
        <ConfusionMatrix confusion={result.label.confusion} />
      </section>

      <section className="panel">
        <h3>Calibration</h3>
        <CalibrationChart calibration={result.calibration} />
      </section>

      <section className="panel">
        <h3>Themes, stance, exclusion, evidence</h3>
        <ul className="evals-facts">
          <li>
            Themes: micro-F1 {fmt(result.themes.microF1)} (precision {fmt(result.themes.microPrecision)}, recall {fmt(result.themes.microRecall)}), macro-F1 {fmt(result.themes.macroF1)}
          </li>
          <li>
            Stance: mean absolute error {fmt(result.stance.mae)}, Spearman {fmt(result.stance.spearman)} (n = {result.stance.n})
          </li>
          <li>
            Exclusion by the model: precision {fmt(result.exclusion.model.precision)}, recall {fmt(result.exclusion.model.recall)} ({result.exclusion.model.predicted} flagged, {result.exclusion.model.support} in gold)
          </li>
          {result.exclusion.segmenter && (
            <li>
              Exclusion by the segmenter: precision {fmt(result.exclusion.segmenter.precision)}, recall {fmt(result.exclusion.segmenter.recall)} ({result.exclusion.segmenter.predicted} flagged, {result.exclusion.segmenter.support} in gold)
            </li>
          )}
          <li>
            Evidence: {result.evidence.verified} of {result.evidence.quotes} quotes found verbatim ({fmt(result.evidence.verifiedShare)})
          </li>
        </ul>
      </section>

      <section className="panel">
        <h3>Reliability, cost and latency</h3>
        <ul className="evals-facts">
          <li>
            {result.reliability.schemaValid} of {result.reliability.asked} answers schema-valid; failures: {failures.length === 0 ? 'none' : failures.map(([k, n]) => `${k} ${n}`).join(', ')}
          </li>
          {result.reliability.repeats >= 2 && (
            <li>
              Run-to-run agreement over {result.reliability.repeats} repeats: Krippendorff&rsquo;s α {fmt(result.reliability.labelAlpha)} (label), {fmt(result.reliability.stanceAlpha)} (stance)
              {result.reliability.agreementVsCorrectness &&
                `; accuracy when unanimous ${fmt(result.reliability.agreementVsCorrectness.unanimous.accuracy)} (n = ${result.reliability.agreementVsCorrectness.unanimous.n}), when split ${fmt(result.reliability.agreementVsCorrectness.split.accuracy)} (n = ${result.reliability.agreementVsCorrectness.split.n})`}
            </li>
          )}
          <li>
            Cost {result.cost.usd === null ? 'unknown' : `$${result.cost.usd.toFixed(4)}`}; tokens in {result.cost.tokensIn}, out {result.cost.tokensOut}; latency p50 {fmt(result.cost.latencyMs.p50, 0)} ms, p95 {fmt(result.cost.latencyMs.p95, 0)} ms
          </li>
        </ul>
      </section>

      {result.outletBias && (
        <section className="panel">
          <h3>Outlet bias</h3>
          <p>
            Naming the outlet changed {fmt(result.outletBias.labelChangedShare)} of {result.outletBias.n} labels; mean stance shift {fmt(result.outletBias.meanStanceShift)}; accuracy masked {fmt(result.outletBias.maskedAccuracy)}, named {fmt(result.outletBias.unmaskedAccuracy)}.
          </p>
          <table className="evals-table">
            <thead>
              <tr>
                <th>source</th>
                <th>items</th>
                <th>labels changed</th>
                <th>mean stance shift</th>
              </tr>
            </thead>
            <tbody>
              {result.outletBias.bySource.map((s) => (
                <tr key={s.source}>
                  <td>{s.source}</td>
                  <td>{s.n}</td>
                  <td>{s.labelChanged}</td>
                  <td>{fmt(s.meanStanceShift)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {result.humanBaseline && (
        <section className="panel">
          <h3>Human baseline</h3>
          <p>
            On {result.humanBaseline.items} items with several human reviews: human-human agreement {fmt(result.humanBaseline.humanHuman.percentAgreement)} (α {fmt(result.humanBaseline.humanHuman.alpha)}), model-human agreement{' '}
            {fmt(result.humanBaseline.modelHuman.percentAgreement)}.
          </p>
        </section>
      )}

      <section className="panel">
        <h3>Provenance</h3>
        <dl className="evals-provenance">
          <dt>provider</dt>
          <dd>
            {p.provider} / {p.model}
          </dd>
          <dt>prompts</dt>
          <dd>
            {p.prompts.passage.version} ({p.prompts.passage.hash.slice(0, 12)}), {p.prompts.document.version} ({p.prompts.document.hash.slice(0, 12)})
          </dd>
          <dt>codebook</dt>
          <dd>
            {p.codebook.name} v{p.codebook.version} ({p.codebook.hash.slice(0, 12)})
          </dd>
          <dt>databases</dt>
          <dd data-testid="eval-databases">{p.sources.databases.length === 0 ? 'none (files only)' : p.sources.databases.map((d) => `${d.name} (${d.path}, migration ${d.migration ?? 'unknown'}): ${d.use}`).join('; ')}</dd>
          <dt>codebooks</dt>
          <dd data-testid="eval-codebooks">{p.sources.codebooks.map((c) => `${c.name} v${c.version} (${c.hash.slice(0, 12)}): ${c.use}`).join('; ') || `${p.codebook.name} v${p.codebook.version}`}</dd>
          <dt>gold set</dt>
          <dd>
            {p.gold.origin} ({p.gold.hash.slice(0, 12)}): {p.gold.items} items, {p.gold.scoredItems} labelled, {p.gold.excludedItems} excluded
          </dd>
          <dt>parameters</dt>
          <dd>
            repeats {p.parameters.repeats}, outlet masked{p.parameters.outletBias ? ' (and named, for the bias comparison)' : ''}, seed {p.parameters.seed}
          </dd>
          <dt>replayed from</dt>
          <dd>{p.replayedFrom ?? 'no (answers asked live)'}</dd>
        </dl>
      </section>
    </article>
  );
}
