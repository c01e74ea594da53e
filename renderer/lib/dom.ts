// The one way pages build DOM. Feed text is untrusted, so this helper only ever sets
// textContent, attributes and listeners — never HTML — and refuses non-http(s) links.

type Child = Node | string | null | undefined | false;
type Listener = (event: Event) => void;

export interface Props {
  class?: string;
  text?: string;
  /** Attributes set with setAttribute; `false`/`null`/`undefined` leave them out. */
  attrs?: Record<string, string | number | boolean | null | undefined>;
  on?: Record<string, Listener>;
  dataset?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  applyProps(el, props);
  append(el, children);
  return el;
}

function applyProps(el: Element, props: Props): void {
  if (props.class) el.setAttribute('class', props.class);
  if (props.attrs) {
    for (const [name, value] of Object.entries(props.attrs)) {
      if (value === false || value === null || value === undefined) continue;
      if (/^on/i.test(name) || name.toLowerCase() === 'style') throw new Error(`refusing attribute ${name}`);
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  if (props.dataset && el instanceof HTMLElement) Object.assign(el.dataset, props.dataset);
  if (props.on) for (const [type, fn] of Object.entries(props.on)) el.addEventListener(type, fn);
  if (props.text !== undefined) el.textContent = props.text;
}

function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

/** The URL itself when it is absolute http(s), else null: `javascript:` and friends never become links. */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** An external link that opens outside the app and leaks neither opener nor referrer; null for unsafe URLs. */
export function externalLink(url: string | null | undefined, label: string, props: Props = {}): HTMLAnchorElement | null {
  const href = safeHttpUrl(url);
  if (!href) return null;
  return h('a', { ...props, text: label, attrs: { ...props.attrs, href, target: '_blank', rel: 'noopener noreferrer' } });
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A small stroke icon from path data (24×24 grid); decorative, so hidden from assistive tech. */
export function icon(paths: string[], className = 'icon'): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of paths) {
    const p = document.createElementNS(SVG_NS, 'path');
    p.setAttribute('d', d);
    svg.append(p);
  }
  return svg;
}

/** A <button type=button>; Enter and Space come with the element. */
export function button(label: string, onClick: (event: Event) => void, props: Props = {}): HTMLButtonElement {
  const b = h('button', { ...props, text: label, attrs: { type: 'button', ...props.attrs } });
  b.addEventListener('click', onClick);
  return b;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}
