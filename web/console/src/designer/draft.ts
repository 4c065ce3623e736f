// Unsaved diagrams are kept in the browser (localStorage) as they change, so a reload or a closed
// tab loses nothing; deploying clears the draft.
export interface Draft { xml: string; savedAt: string; version: number | null }

const key = (journey: string) => `siyu.draft.${journey}`;

export function readDraft(journey: string): Draft | null {
  try {
    const raw = localStorage.getItem(key(journey));
    return raw ? (JSON.parse(raw) as Draft) : null;
  } catch {
    return null;
  }
}

export function saveDraft(journey: string, xml: string, version: number | null): void {
  try {
    localStorage.setItem(key(journey), JSON.stringify({ xml, savedAt: new Date().toISOString(), version }));
  } catch {
    // storage full or off: the leave warning still guards the changes
  }
}

export function dropDraft(journey: string): void {
  localStorage.removeItem(key(journey));
}
