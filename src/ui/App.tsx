// The page: the top bar (preset, run controls, seed, share, backend), the config panels on the left,
// and the live views in the main area (plots, runs, sample inspector). Hot state lives in zustand
// stores outside React; components subscribe to the slices they show.
import { useEffect, useState } from 'react';
import { startHashMirror } from '../state/configStore';
import { useRunsStore } from '../state/runsStore';
import { useSessionStore } from '../state/sessionStore';
import { installFlushOnHide } from '../state/flushOnHide';
import { ConfigPanels } from './config/ConfigPanels';
import { CostDialog, NotesBanner, RestartDialog, RewardApprovalModal } from './Dialogs';
import { GalleryDialog } from './gallery/GalleryDialog';
import { SampleInspector } from './inspector/SampleInspector';
import PlotsPanel from './plots/PlotsPanel';
import { RunsPanel } from './runs/RunsPanel';
import { IntroHeader } from './teaching/IntroHeader';
import { PresetDescription, TopBar } from './TopBar';

export function App() {
  const [galleryOpen, setGalleryOpen] = useState(false);
  useEffect(() => {
    startHashMirror();
    useSessionStore.getState().init();
    void useRunsStore.getState().loadPersisted();
    installFlushOnHide();
  }, []);
  return (
    <div className="app">
      <TopBar onOpenGallery={() => setGalleryOpen(true)} />
      <IntroHeader />
      <NotesBanner />
      <PresetDescription />
      <div className="app-body">
        <aside className="config-column">
          <ConfigPanels />
        </aside>
        <main className="main-area">
          <PlotsPanel />
          <RunsPanel />
          <SampleInspector />
        </main>
      </div>
      <footer className="app-footer muted">Everything runs in your browser; no server does any work.</footer>
      <RewardApprovalModal />
      <RestartDialog />
      <CostDialog />
      {galleryOpen && <GalleryDialog onClose={() => setGalleryOpen(false)} />}
    </div>
  );
}
