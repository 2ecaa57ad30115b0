import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { listDocuments, type DocumentPage } from '../../lib/api/corpus.ts';

const PAGE_SIZE = 25;

/** Documents with search (title, author, text) and paging, optionally for one source. */
export function DocumentsTable({ sourceId, refreshKey }: { sourceId: number | null; refreshKey: number }) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<DocumentPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => setPage(1), [query, sourceId]);
  useEffect(() => {
    let live = true;
    listDocuments({ q: query || undefined, sourceId: sourceId ?? undefined, page, pageSize: PAGE_SIZE })
      .then((d) => live && (setData(d), setError(null)))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [query, sourceId, page, refreshKey]);

  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  return (
    <section className="panel" aria-label="Documents">
      <h2>Documents {data && <span className="muted">({data.total})</span>}</h2>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(q.trim());
        }}
      >
        <input type="search" aria-label="Search documents" placeholder="Search title, author, text" value={q} onChange={(e) => setQ(e.target.value)} />
        <button type="submit">Search</button>
      </form>
      {error && <p className="error">{error}</p>}
      {data && (
        <table className="grid">
          <thead>
            <tr>
              <th>Title</th>
              <th>Source</th>
              <th>Author</th>
              <th>Published</th>
              <th>Passages</th>
              <th>Excluded</th>
            </tr>
          </thead>
          <tbody>
            {data.documents.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link to={`/documents/${d.id}`}>{d.title}</Link>
                </td>
                <td>{d.sourceName}</td>
                <td>{d.author}</td>
                <td>{d.published}</td>
                <td>{d.passageCount}</td>
                <td>{d.excludedCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.total > PAGE_SIZE && (
        <div className="row corpus-pager">
          <button disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span>
            Page {page} of {pages}
          </span>
          <button disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Next
          </button>
        </div>
      )}
    </section>
  );
}
