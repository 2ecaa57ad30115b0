import { useEffect, useState } from 'react';
import { reviewApi, type AgreementBlock, type AgreementReport, type Estimate } from '../../lib/api/review.ts';

function fmt(e: Estimate | null): string {
  if (!e || e.estimate === null) return '—';
  const ci = e.low !== null && e.high !== null ? ` [${e.low.toFixed(2)}, ${e.high.toFixed(2)}]` : '';
  return `${e.estimate.toFixed(2)}${ci}`;
}

function Rows({ rows, name }: { rows: (AgreementBlock & { name: string })[]; name: string }) {
  return (
    <table className="grid">
      <thead>
        <tr>
          <th>{name}</th>
          <th>Items</th>
          <th>Percent agreement</th>
          <th>Cohen's κ</th>
          <th>Fleiss' κ</th>
          <th>Krippendorff's α</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name}>
            <td>{r.name}</td>
            <td>{r.n}</td>
            <td>{fmt(r.percent)}</td>
            <td>{fmt(r.cohen)}</td>
            <td>{fmt(r.fleiss)}</td>
            <td>{fmt(r.alpha)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Agreement between reviewers and between the model and reviewers, with bootstrap 95% intervals. */
export function AgreementView() {
  const [report, setReport] = useState<AgreementReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    reviewApi.agreement().then(setReport, (err: Error) => setError(err.message));
  }, []);
  if (error) return <p className="error">{error}</p>;
  if (!report) return <p className="muted">Computing…</p>;
  const h = report.humanHuman;
  const m = report.modelHuman;
  return (
    <div>
      <div className="panel">
        <h2>Reviewer with reviewer</h2>
        <p className="muted">
          Items decided by two or more people; each person's latest standing decision. Values with bootstrap {Math.round(report.bootstrap.level * 100)}% intervals over items (
          {report.bootstrap.iterations} resamples). Left out: {report.leftOut.bulk} bulk and {report.leftOut.import} imported decisions.
        </p>
        <Rows name="Overall" rows={[{ name: 'all labels', ...h }]} />
        <h3>Per label (this label vs the rest)</h3>
        <Rows name="Label" rows={h.perLabel.map((l) => ({ ...l, name: l.label }))} />
        <h3>Per reviewer pair</h3>
        <Rows name="Pair" rows={h.perPair.map((p) => ({ ...p, name: `${p.a} · ${p.b}` }))} />
      </div>
      <div className="panel">
        <h2>Model with reviewer</h2>
        <p className="muted">The latest suggestion against each person's decision.</p>
        <Rows name="Overall" rows={[{ name: 'all labels', ...m }]} />
        <h3>Per label</h3>
        <Rows name="Label" rows={m.perLabel.map((l) => ({ ...l, name: l.label }))} />
        <h3>Per reviewer</h3>
        <Rows name="Reviewer" rows={m.perReviewer.map((r) => ({ ...r, name: r.reviewer }))} />
      </div>
    </div>
  );
}
