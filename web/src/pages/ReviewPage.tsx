import { useEffect, useState } from 'react';
import { Link, NavLink, Route, Routes } from 'react-router-dom';
import { AdjudicationView } from '../components/review/AdjudicationView.tsx';
import { AgreementView } from '../components/review/AgreementView.tsx';
import { ItemRoute } from '../components/review/ItemPanel.tsx';
import { PeopleView } from '../components/review/PeopleView.tsx';
import { QueueView } from '../components/review/QueueView.tsx';
import { ReviewerGate } from '../components/review/ReviewerGate.tsx';
import { ReviewSessionProvider, useReviewSession } from '../components/review/session.tsx';
import { reviewApi, type Actor, type ReviewSetup } from '../lib/api/review.ts';

/** Review workspace: queue, item view (/review/items/:itemId), adjudication, agreement, people. */
export function ReviewPage() {
  return <ReviewerGate>{(actor, signOut) => <Workspace actor={actor} signOut={signOut} />}</ReviewerGate>;
}

function Workspace({ actor, signOut }: { actor: Actor; signOut: () => void }) {
  const [setup, setSetup] = useState<ReviewSetup | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    reviewApi.setup().then(setSetup, (err: Error) => setError(err.message));
  }, []);
  if (error) return <p className="error">{error}</p>;
  if (!setup) return <p className="muted">Loading…</p>;
  return (
    <ReviewSessionProvider actor={actor} setup={setup}>
      <nav className="row review-nav" aria-label="Review">
        <NavLink end to="/review">
          Queue
        </NavLink>
        {actor.role === 'admin' && <NavLink to="/review/adjudication">Adjudication</NavLink>}
        <NavLink to="/review/agreement">Agreement</NavLink>
        <NavLink to="/review/people">People &amp; protocol</NavLink>
        <span className="muted review-who">
          Reviewing as <strong data-testid="reviewer-name">
            <bdi>{actor.name}</bdi>
          </strong> ({actor.role}) ·{' '}
          <button className="link" onClick={signOut}>
            sign out
          </button>
        </span>
      </nav>
      <NoticeBar />
      <Routes>
        <Route index element={<QueueView />} />
        <Route path="items/:itemId" element={<ItemRoute />} />
        <Route path="adjudication" element={<AdjudicationView />} />
        <Route path="agreement" element={<AgreementView />} />
        <Route path="people" element={<PeopleView actor={actor} />} />
        <Route path="*" element={<p>Nothing here.</p>} />
      </Routes>
    </ReviewSessionProvider>
  );
}

function NoticeBar() {
  const { notice, setNotice } = useReviewSession();
  if (!notice) return null;
  return (
    <div className={`review-notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="review-notice">
      {notice.text}
      {notice.itemId !== undefined && (
        <>
          {' '}
          <Link to={`/review/items/${notice.itemId}`}>open item {notice.itemId}</Link>
        </>
      )}{' '}
      <button className="link" onClick={() => setNotice(null)} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
