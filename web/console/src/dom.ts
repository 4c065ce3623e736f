// A few helpers to build the DOM without HTML strings: every text from the API goes in as text,
// never as markup, so nothing a contact or an operator typed can run in the console.

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/** An element with attributes (`on…` keys add listeners; false/null/undefined leave one out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value as EventListener);
    } else if (name === 'value' && 'value' in el) {
      (el as HTMLInputElement).value = String(value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces what {@code parent} holds. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A time from the API (an instant) in the browser's zone; `—` for none. */
export function time(value: string | null | undefined, zone?: string): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  // dateStyle cannot be combined with timeZoneName: a time in another zone names its fields
  return date.toLocaleString(document.documentElement.lang || undefined, zone
    ? { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: zone, timeZoneName: 'short' }
    : { dateStyle: 'medium', timeStyle: 'short' });
}

/** A `<time>` element: the browser's zone, with the contact's own zone as a tooltip where it differs. */
export function timeEl(value: string | null | undefined, contactZone?: string | null): HTMLElement {
  const el = h('time', value ? { datetime: value } : {}, time(value));
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (value && contactZone && contactZone !== browserZone) {
    el.title = time(value, contactZone);
  }
  return el;
}

/** A label and its control, tied by id (every control has a visible label). */
let ids = 0;
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || `f${++ids}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('small', {}, hint) : null);
}

/** A table from rows; `cells` gives each row's cells. */
export function table<T>(testid: string, headers: string[], rows: T[], cells: (row: T) => Child[], empty: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty', 'data-testid': `${testid}-empty` }, empty);
  return h('table', { 'data-testid': testid },
    h('thead', {}, h('tr', {}, headers.map(t => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map(r => h('tr', {}, cells(r).map(c => h('td', {}, c))))));
}

/** A status line that screen readers announce. */
export function status(testid: string): HTMLElement {
  return h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-testid': testid });
}

export function say(el: HTMLElement, text: string, kind: 'ok' | 'error' | '' = ''): void {
  el.textContent = text;
  el.className = `status ${kind}`;
}
