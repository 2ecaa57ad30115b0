import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Bar, BarChart, CartesianGrid, ErrorBar, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { comparisonReport, type ComparisonReport } from '../../lib/api/evals.ts';
import { fmt, fmtInterval } from './format.ts';

const POLL_MS = 2_000;

/** A model comparison's report; refreshed while an arm's run is still going. */
export function ComparisonView({ id }: { id: number }) {
  const [report, setReport] = useState<ComparisonReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const load = () =>
      comparisonReport(id)
        .then((r) => {
          if (!live) return;
          setReport(r);
          if (r.incomplete) timer = setTimeout(load, POLL_MS);
        })
        .catch((e: Error) => live && setError(e.message));
    void load();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [id]);

  if (error) return <p className="error">{error}</p>;
  if (!report) return <p className="muted">Loading comparison #{id}…</p>;
  const runName = new Map(report.arms.map((a) => [a.runId, `#${a.runId} ${a.displayName}`]));
  const chart = report.arms.map((a) => {
    const k = a.humans.kappa;
    return { name: `#${a.runId} ${a.model}`, kappa: k.estimate ?? 0, error: k.low === null || k.high === null || k.estimate === null ? [0, 0] : [k.estimate - k.low, k.high - k.estimate] };
  });
  return (
    <section className="panel" aria-label={`Comparison ${report.name}`} data-testid="comparison-report">
      <h2>
        Comparison #{report.comparisonId}: {report.name}
      </h2>
      <p className="muted" data-testid="comparison-summary">
        {report.items} items in the sample, {report.humanDecided} with an independent human decision so far. Intervals: 95% bootstrap over documents; an unanswered item counts as disagreeing.
        {report.incomplete && ' Some runs are still going: the figures cover what is answered so far.'}
      </p>
      <table className="evals-table" data-testid="comparison-arms">
        <thead>
          <tr>
            <th>run</th>
            <th>model</th>
            <th>prompt</th>
            <th>status</th>
            <th>answered</th>
            <th>accuracy vs people [95% CI]</th>
            <th>κ vs people [95% CI]</th>
            <th>USD / 1,000 items</th>
            <th>latency p50 / p95</th>
          </tr>
        </thead>
        <tbody>
          {report.arms.map((a) => (
            <tr key={a.runId}>
              <td>
                <Link to={`/tagging?run=${a.runId}`}>#{a.runId}</Link>
              </td>
              <td>{a.displayName}</td>
              <td>{a.promptVersions.passage}</td>
              <td>{a.status}</td>
              <td>
                {a.answered} / {report.items}
              </td>
              <td>{fmtInterval(a.humans.accuracy)}</td>
              <td>{fmtInterval(a.humans.kappa)}</td>
              <td>{a.costPer1000Usd === null ? 'unknown (no price)' : `$${a.costPer1000Usd.toFixed(4)}`}</td>
              <td>
                {fmt(a.latencyMs.p50, 0)} / {fmt(a.latencyMs.p95, 0)} ms
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.humanDecided > 0 && (
        <div style={{ width: '100%', height: 60 + 40 * chart.length }} aria-label="Kappa against people">
          <ResponsiveContainer>
            <BarChart data={chart} layout="vertical" margin={{ left: 20, right: 20 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" domain={[-1, 1]} />
              <YAxis type="category" dataKey="name" width={180} />
              <Tooltip formatter={(v) => fmt(Number(v))} />
              <Bar dataKey="kappa" name="κ vs people" fill="#4e79a7">
                <ErrorBar dataKey="error" width={6} stroke="#333" direction="x" />
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <h3>Agreement between the models</h3>
      <table className="evals-table" data-testid="comparison-pairs">
        <thead>
          <tr>
            <th>arms</th>
            <th>items both answered</th>
            <th>percent agreement</th>
            <th>Cohen's κ [95% CI]</th>
          </tr>
        </thead>
        <tbody>
          {report.pairs.map((p) => (
            <tr key={`${p.a}-${p.b}`}>
              <td>
                {runName.get(p.a)} vs {runName.get(p.b)}
              </td>
              <td>{p.n}</td>
              <td>{fmt(p.percentAgreement)}</td>
              <td>{fmtInterval(p.kappa)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Where they differ ({report.disagreements.length} items)</h3>
      {report.reviewLink && report.disagreements.length > 0 && (
        <p>
          <Link to={report.reviewLink} data-testid="review-disagreements">
            Review these {report.disagreements.length} items first
          </Link>
        </p>
      )}
      <table className="evals-table" data-testid="comparison-disagreements">
        <thead>
          <tr>
            <th>item</th>
            <th>level</th>
            {report.arms.map((a) => (
              <th key={a.runId}>#{a.runId}</th>
            ))}
            <th>people</th>
          </tr>
        </thead>
        <tbody>
          {report.disagreements.map((d) => (
            <tr key={d.itemId}>
              <td>
                <Link to={`/review/items/${d.itemId}`}>{d.itemId}</Link>
              </td>
              <td>{d.level}</td>
              {d.answers.map((x, i) => (
                <td key={i}>{x ? `${x.label} (${x.stance})` : 'no answer'}</td>
              ))}
              <td>{d.human ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
