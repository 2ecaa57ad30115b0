import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ComparisonView } from '../components/evals/ComparisonView.tsx';
import { EvalDetail } from '../components/evals/EvalDetail.tsx';
import { fmtInterval } from '../components/evals/format.ts';
import { evalsApi, type EvalResult, type EvalResultSummary } from '../lib/api/evals.ts';
import { listCodebooks, type StoredCodebook } from '../lib/api/codebooks.ts';
import { listComparisons, type ModelComparison } from '../lib/api/tagging.ts';

/** Evals: model comparisons on this database's sample (`?comparison=`), the stored results of `npm run eval`, and one of them in full (`?name=`). */
export function EvalsPage() {
  const [params, setParams] = useSearchParams();
  const selected = params.get('name');
  const comparison = /^\d+$/.test(params.get('comparison') ?? '') ? Number(params.get('comparison')) : null;
  const [comparisons, setComparisons] = useState<ModelComparison[] | null>(null);
  const [active, setActive] = useState<StoredCodebook | null>(null);
  const everyCodebook = params.get('codebooks') === 'all';
  const [results, setResults] = useState<EvalResultSummary[] | null>(null);
  const [detail, setDetail] = useState<EvalResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    listCodebooks()
      .then((cs) => setActive(cs.find((c) => c.active) ?? null))
      .catch(() => setActive(null));
  }, []);

  useEffect(() => {
    listComparisons()
      .then(setComparisons)
      .catch(() => setComparisons([]));
  }, [comparison]);

  useEffect(() => {
    evalsApi
      .list()
      .then((r) => setResults(r.results))
      .catch((e: Error) => setError(e.message));
  }, []);

  useEffect(() => {
    setDetail(null);
    if (!selected) return;
    let live = true;
    evalsApi
      .get(selected)
      .then((r) => live && setDetail(r))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [selected]);

  // The active codebook's results by default: another codebook's figures measure other labels.
  const shown = (results ?? []).filter((r) => everyCodebook || active === null || r.codebookHash === active.hash);
  return (
    <>
      <h1>Evals</h1>
      <p className="muted">
        How well each provider, model, prompt and codebook labels, measured against human gold labels. Run <code>npm run eval -- --provider local</code> (or <code>openai</code>) to add a result; compare with{' '}
        <code>npm run eval -- --compare a.json b.json</code>.
      </p>
      <section className="panel">
        <h2>Model comparisons</h2>
        <p className="muted">Start one on the Tagging page: two or more models or prompts on the same sample of this database, scored against the independent human decisions made so far.</p>
        {comparisons !== null && comparisons.length === 0 && <p className="muted">No comparisons yet.</p>}
        {comparisons !== null && comparisons.length > 0 && (
          <ul data-testid="comparison-list">
            {comparisons.map((c) => (
              <li key={c.id} className={c.id === comparison ? 'selected' : undefined}>
                <Link to={`/evals?comparison=${c.id}`}>
                  #{c.id} {c.name}
                </Link>{' '}
                <span className="muted">
                  {c.items} items, {c.runs.map((r) => `${r.model} (${r.status})`).join(' vs ')}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {comparison !== null && <ComparisonView key={comparison} id={comparison} />}
      {error && <p className="error">{error}</p>}
      {results === null && !error && <p className="muted">Loading results…</p>}
      {results !== null && active && (
        <p className="row" data-testid="eval-codebook-note">
          {everyCodebook
            ? `Results for every codebook (${results.length}); the active one is ${active.name} v${active.version}.`
            : `Results for the active codebook, ${active.name} v${active.version} (${active.hash.slice(0, 12)}): ${shown.length} of ${results.length}.`}{' '}
          <label>
            <input
              type="checkbox"
              checked={everyCodebook}
              onChange={(e) => {
                const next = new URLSearchParams(params);
                if (e.target.checked) next.set('codebooks', 'all');
                else next.delete('codebooks');
                setParams(next);
              }}
            />{' '}
            show every codebook's results
          </label>
        </p>
      )}
      {results !== null && shown.length === 0 && <p className="muted">{results.length === 0 ? 'No results yet in evals/results.' : 'No results for the active codebook yet.'}</p>}
      {results !== null && shown.length > 0 && (
        <table className="evals-table" data-testid="eval-list">
          <thead>
            <tr>
              <th>result</th>
              <th>provider / model</th>
              <th>prompt</th>
              <th>codebook</th>
              <th>databases</th>
              <th>protocol</th>
              <th>items</th>
              <th>accuracy [95% CI]</th>
              <th>macro-F1 [95% CI]</th>
              <th>κ [95% CI]</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.name} className={r.name === selected ? 'selected' : undefined}>
                <td>
                  <Link to={`/evals?name=${encodeURIComponent(r.name)}`}>{r.name}</Link>
                </td>
                <td>
                  {r.provider} / {r.model}
                </td>
                <td>{r.promptVersion}</td>
                <td>{r.codebook}</td>
                <td>{r.databases.length === 0 ? '—' : r.databases.join(', ')}</td>
                <td>{r.protocol}</td>
                <td>{r.n}</td>
                <td>{fmtInterval(r.accuracy)}</td>
                <td>{fmtInterval(r.macroF1)}</td>
                <td>{fmtInterval(r.kappa)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && !detail && !error && <p className="muted">Loading {selected}…</p>}
      {detail && <EvalDetail result={detail} />}
    </>
  );
}
