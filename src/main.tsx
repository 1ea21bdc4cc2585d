import { StrictMode, Suspense, lazy } from 'react';
import { createRoot } from 'react-dom/client';
import { boot } from './app/boot.ts';
import { registerOffline } from './app/offline.ts';
import { DreamProvider } from './app/runtime-context.tsx';
import { AudienceView } from './views/AudienceView.tsx';
import './views/app.css';

// The performer's panels (leva and the rest) load only in the performer view: the audience
// bundle stays small.
const PerformerView = lazy(() => import('./views/PerformerView.tsx'));

const { runtime } = boot(window.location.search, window.location.hash);
registerOffline(runtime.view);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
document.body.dataset.view = runtime.view;

createRoot(root).render(
  <StrictMode>
    <DreamProvider runtime={runtime}>
      {runtime.view === 'audience' ? (
        <AudienceView />
      ) : (
        <Suspense fallback={<div className="loading">entering the dream…</div>}>
          <PerformerView />
        </Suspense>
      )}
    </DreamProvider>
  </StrictMode>,
);
