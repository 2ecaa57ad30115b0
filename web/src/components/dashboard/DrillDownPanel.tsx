import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { dashboardApi, type DashboardParams } from '../../lib/api/dashboard.ts';
import type { Drill } from './types.ts';
import { useView } from './useView.ts';
import { UserText } from '../UserText.tsx';

const PAGE = 50; // items per page

/** The items behind a clicked bar, cell or point, each linking to its review view. */
export function DrillDownPanel({ params, paramsKey, drill, onClose }: { params: DashboardParams; paramsKey: string; drill: Drill; onClose: () => void }) {
  const [offset, setOffset] = useState(0);
  const panel = useRef<HTMLElement>(null);
  // The click may come from a chart far down the page: bring the list into view.
  useEffect(() => {
    panel.current?.scrollIntoView({ block: 'start' });
  }, []);
  const { title, ...query } = drill;
  const { data, error } = useView(() => dashboardApi.passages(params, { ...query, offset: String(offset), limit: String(PAGE) }), `${paramsKey}|${JSON.stringify(drill)}|${offset}`);
  return (
    <section ref={panel} className="panel dash-drill" aria-label="Items behind the selection">
      <div className="dash-card-head">
        <h2>{title}</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      {data && (
        <>
          <p className="muted" data-testid="drill-total">
            {data.total} items · {data.statement}
          </p>
          <ol className="dash-drill-list" start={offset + 1}>
            {data.items.map((item) => (
              <li key={item.itemId} data-item-id={item.itemId}>
                <Link to={`/review/items/${item.itemId}`}>
                  <UserText text={item.source} /> · <UserText text={item.documentTitle} />
                  {item.level === 'passage' ? ` · passage ${item.seq + 1}` : ' · whole document'}
                </Link>{' '}
                <span className="badge">{item.label ?? 'no label'}</span> <span className="badge">stance {item.stance ?? '–'}</span>{' '}
                <span className="badge">{item.reviewStatus}</span>
                <p className="dash-drill-text" dir="auto">
                  {item.text}
                </p>
              </li>
            ))}
          </ol>
          <div className="row">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Previous
            </button>
            <span className="muted">
              {data.total === 0 ? 0 : offset + 1}–{Math.min(offset + PAGE, data.total)} of {data.total}
            </span>
            <button type="button" disabled={offset + PAGE >= data.total} onClick={() => setOffset(offset + PAGE)}>
              Next
            </button>
          </div>
        </>
      )}
    </section>
  );
}
