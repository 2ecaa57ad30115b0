import { NavLink, Navigate, Route, Routes } from 'react-router-dom';
import { LoginGate } from './components/review/ReviewerGate.tsx';
import { CodebooksPage } from './pages/CodebooksPage.tsx';
import { CorpusPage } from './pages/CorpusPage.tsx';
import { DashboardPage } from './pages/DashboardPage.tsx';
import { DocumentPage } from './pages/DocumentPage.tsx';
import { EvalsPage } from './pages/EvalsPage.tsx';
import { ExportPage } from './pages/ExportPage.tsx';
import { JobsPage } from './pages/JobsPage.tsx';
import { ReviewPage } from './pages/ReviewPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { StoriesPage } from './pages/StoriesPage.tsx';
import { StoryPage } from './pages/StoryPage.tsx';
import { TaggingPage } from './pages/TaggingPage.tsx';

const NAV = [
  { to: '/corpus', label: 'Corpus' },
  { to: '/tagging', label: 'Tagging' },
  { to: '/review', label: 'Review' },
  { to: '/dashboard', label: 'Dashboard' },
  { to: '/stories', label: 'Stories' },
  { to: '/export', label: 'Export' },
  { to: '/evals', label: 'Evals' },
  { to: '/codebooks', label: 'Codebooks' },
  { to: '/jobs', label: 'Jobs' },
  { to: '/settings', label: 'Settings' },
];

/** The layout: navigation on top, one page below. */
export function App() {
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Framescope</span>
        <nav aria-label="Main">
          {NAV.map((n) => (
            <NavLink key={n.to} to={n.to} className={({ isActive }) => (isActive ? 'active' : undefined)}>
              {n.label}
            </NavLink>
          ))}
        </nav>
      </header>
      <main className="page">
        <LoginGate>
          <Routes>
            <Route path="/" element={<Navigate to="/corpus" replace />} />
            <Route path="/corpus" element={<CorpusPage />} />
            <Route path="/documents/:id" element={<DocumentPage />} />
            <Route path="/tagging" element={<TaggingPage />} />
            <Route path="/review/*" element={<ReviewPage />} />
            <Route path="/dashboard" element={<DashboardPage />} />
            <Route path="/stories" element={<StoriesPage />} />
            <Route path="/stories/:id" element={<StoryPage />} />
            <Route path="/export" element={<ExportPage />} />
            <Route path="/evals" element={<EvalsPage />} />
            <Route path="/codebooks" element={<CodebooksPage />} />
            <Route path="/jobs" element={<JobsPage />} />
            <Route path="/settings" element={<SettingsPage />} />
            <Route path="*" element={<p>Nothing here. Try the Corpus page.</p>} />
          </Routes>
        </LoginGate>
      </main>
    </div>
  );
}
