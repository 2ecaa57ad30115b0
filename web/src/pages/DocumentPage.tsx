import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { getDocument, type DocumentView } from '../lib/api/corpus.ts';
import { UserText, WebLink } from '../components/UserText.tsx';

/**
 * Document page: metadata and the text with its passages delineated; excluded passages are
 * visibly marked with their reason. Text is rendered as text (never as markup).
 */
export function DocumentPage() {
  const { id } = useParams();
  const [view, setView] = useState<DocumentView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    getDocument(Number(id))
      .then((v) => live && setView(v))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [id]);

  if (error) return <p className="error">{error}</p>;
  if (!view) return <p className="muted">Loading…</p>;
  const d = view.document;
  return (
    <article className="document-page">
      <p>
        <Link to="/corpus">← Corpus</Link>
      </p>
      <h1 dir="auto">
        <UserText text={d.title} />
      </h1>
      <dl className="document-meta">
        <dt>Source</dt>
        <dd>
          <UserText text={d.sourceName} />
        </dd>
        {d.author && (
          <>
            <dt>Author</dt>
            <dd>{d.author}</dd>
          </>
        )}
        {d.published && (
          <>
            <dt>Published</dt>
            <dd>
              {d.published} <span className="muted">({d.publishedPrecision})</span>
            </dd>
          </>
        )}
        {d.url && (
          <>
            <dt>URL</dt>
            <dd>
              <WebLink url={d.url} />
            </dd>
          </>
        )}
        {d.language && (
          <>
            <dt>Language</dt>
            <dd>{d.language}</dd>
          </>
        )}
        {d.notes && (
          <>
            <dt>Notes</dt>
            <dd>{d.notes}</dd>
          </>
        )}
        <dt>Passages</dt>
        <dd>
          {d.passageCount} ({d.excludedCount} excluded) · <Link to={`/review/items/${view.itemId}`}>review the whole document</Link>
        </dd>
      </dl>
      <ol className="passages" aria-label="Passages">
        {view.passages.map((p) => (
          <li key={p.id} className={`passage${p.excluded ? ' excluded' : ''}`} data-seq={p.seq}>
            <div className="passage-head">
              <Link to={`/review/items/${p.itemId}`} title="Open this passage in review">
                §{p.seq + 1}
              </Link>
              {p.excluded && (
                <span className="badge passage-excluded" title={p.excludedBy === 'reviewer' ? 'excluded by a reviewer' : 'excluded by the segmenter'}>
                  excluded: {p.excludedReason ?? 'boilerplate'}
                </span>
              )}
              {!p.excluded && p.autoExcluded && <span className="badge">included by a reviewer (segmenter said {p.autoExcludedReason})</span>}
            </div>
            <div className="passage-text" dir="auto">
              {p.text}
            </div>
          </li>
        ))}
      </ol>
    </article>
  );
}
