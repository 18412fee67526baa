// Fetching a shipped recording (a gallery replay or a self-play replay) by its lazy URL, with the one
// message the page shows when it cannot be loaded.

export type FetchedRecording = { ok: true; text: string } | { ok: false; message: string };

/** The recording's text, or a message naming `name` and why it could not be loaded. */
export async function fetchRecording(url: () => Promise<string>, name: string): Promise<FetchedRecording> {
  try {
    const response = await fetch(await url());
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return { ok: true, text: await response.text() };
  } catch (e) {
    return { ok: false, message: `The recording of ${name} could not be loaded (${e instanceof Error ? e.message : String(e)}).` };
  }
}
