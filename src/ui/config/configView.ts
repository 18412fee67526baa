// Basic or Advanced view of the config column (issue 19, progressive disclosure). A link can choose it
// (`?view=basic` / `?view=advanced`, beside the hash that carries the experiment); otherwise the last
// choice on this browser (localStorage); otherwise Advanced — today's page, which the e2e suites and
// existing links expect; a classroom or lesson link asks for Basic with `?view=basic`.
export type ConfigView = 'basic' | 'advanced';

export const CONFIG_VIEW_KEY = 'rlvr-lab.configView';

function asView(value: string | null | undefined): ConfigView | null {
  return value === 'basic' || value === 'advanced' ? value : null;
}

/** The view a page opens with: the link's option wins over the remembered choice. */
export function initialConfigView(search: string, stored: string | null): ConfigView {
  return asView(new URLSearchParams(search).get('view')) ?? asView(stored) ?? 'advanced';
}

/** localStorage can throw (storage disabled, an opaque origin in a sandboxed iframe). */
export function readStoredView(): string | null {
  try {
    return localStorage.getItem(CONFIG_VIEW_KEY);
  } catch {
    return null;
  }
}

export function storeView(view: ConfigView): void {
  try {
    localStorage.setItem(CONFIG_VIEW_KEY, view);
  } catch {
    // Not remembered: the choice still holds for this page.
  }
}

/** The algorithm fields the Basic view shows, in this order (the rest are Advanced). */
export const BASIC_ALGORITHM_FIELDS = ['estimator', 'lr', 'samplesPerPrompt', 'klCoef'] as const;
