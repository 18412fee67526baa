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
import { ArmQueueStatus } from './gallery/ArmQueueStatus';
import { GalleryDialog } from './gallery/GalleryDialog';
import { SampleInspector } from './inspector/SampleInspector';
import PlotsPanel from './plots/PlotsPanel';
import { RunsPanel } from './runs/RunsPanel';
import { appModeFromSearch } from './teaching/appMode';
import { ClassroomBanner } from './teaching/ClassroomBanner';
import { IntroHeader } from './teaching/IntroHeader';
import { useProjectorShortcuts } from './teaching/useProjectorShortcuts';
import './teaching/teaching.css';
import { PresetDescription, TopBar } from './TopBar';
import { LessonPanel, LessonPicker, useLessonLocation } from './lessons/LessonPanel';

export function App() {
  const [galleryOpen, setGalleryOpen] = useState(false);
  const [lessonAt, goLesson] = useLessonLocation();
  // Chosen by the link (?mode=projector | embed) when the page opens; the hash stays the experiment's.
  const [mode] = useState(() => appModeFromSearch(location.search));
  const embed = mode === 'embed';
  useProjectorShortcuts(mode === 'projector');
  useEffect(() => {
    // On <html> too, so the projector's light theme reaches the page behind the app (body, scrollbars).
    document.documentElement.dataset.mode = mode;
  }, [mode]);
  useEffect(() => {
    startHashMirror();
    useSessionStore.getState().init();
    void useRunsStore.getState().loadPersisted();
    installFlushOnHide();
  }, []);
  return (
    <div className={`app mode-${mode}`} data-testid="app-root" data-mode={mode}>
      <TopBar onOpenGallery={() => setGalleryOpen(true)} embed={embed} lessonPicker={embed ? undefined : <LessonPicker onOpen={(lessonId) => goLesson({ lessonId, step: 0 })} />} />
      {!embed && (
        <>
          <IntroHeader />
          <NotesBanner />
          <ClassroomBanner />
          <ArmQueueStatus />
          <PresetDescription />
        </>
      )}
      <div className="app-body">
        {/* Embed: minimal chrome for an iframe — the charts, the run controls and the backend chip. */}
        {!embed && (
          <aside className="config-column">
            <ConfigPanels />
          </aside>
        )}
        <main className="main-area">
          {lessonAt && <LessonPanel at={lessonAt} go={goLesson} />}
          <PlotsPanel />
          {!embed && <RunsPanel />}
          <SampleInspector />
        </main>
      </div>
      {!embed && <footer className="app-footer muted">Everything runs in your browser; no server does any work.</footer>}
      <RewardApprovalModal />
      <RestartDialog />
      <CostDialog />
      {galleryOpen && <GalleryDialog onClose={() => setGalleryOpen(false)} />}
    </div>
  );
}
