/**
 * The board webview: lanes of cards drawn from the state the extension sends
 * (which the language server computed: nothing is parsed here). Long lanes
 * draw only the cards in view. Drops, keys and menu choices become messages;
 * the extension makes every edit.
 */
import type { BoardCard, BoardLane } from '../../shared/board';
import { STATUS_LABELS as CONTRACT_STATUS_LABELS, transitionsFrom } from '../../shared/lifecycle';
import type { BoardState, CardAction, FromWebview, ToWebview, WebviewSnapshot } from '../src/board/messages';

declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void };
const vscode = acquireVsCodeApi();
const post = (message: FromWebview) => vscode.postMessage(message);

/** Every card has this height (gap included), so a lane knows which cards are in view without measuring. */
const CARD_HEIGHT = 104;
/** Cards drawn above and below the visible ones, so scrolling never shows a gap. */
const OVERSCAN = 4;

const STATUS_LABELS: Record<string, string> = CONTRACT_STATUS_LABELS;

interface Filter {
  text: string;
  assignee: string;
  priority: string;
  status: string;
}

let state: BoardState | undefined;
const filter: Filter = { text: '', assignee: '', priority: '', status: '' };
let focusedId: string | undefined;
let dragging: string | undefined;
/** The lane whose "+" form is open, and what is typed in it. */
let adding: { column: string; title: string; withContract: boolean } | undefined;
const scrollTops = new Map<string, number>();

// ---- the page's fixed parts ---------------------------------------------------

const root = document.getElementById('board')!;
const header = el('header', 'board-header');
const titleEl = el('h1', 'board-title');
const banner = el('div', 'banner');
banner.setAttribute('role', 'alert');
const filters = el('div', 'filters');
filters.setAttribute('role', 'search');
const textFilter = document.createElement('input');
textFilter.type = 'search';
textFilter.placeholder = 'Filter cards';
textFilter.setAttribute('aria-label', 'Filter cards by text');
const assigneeFilter = select('Assignee');
const priorityFilter = select('Priority');
const statusFilter = select('Status');
filters.append(icon('filter'), textFilter, assigneeFilter, priorityFilter, statusFilter);
header.append(titleEl, filters);
const lanesEl = el('div', 'lanes');
const statusEl = el('div', 'status-line');
statusEl.setAttribute('role', 'status');
statusEl.setAttribute('aria-live', 'polite');
const menuEl = el('div', 'menu');
menuEl.setAttribute('role', 'menu');
menuEl.hidden = true;
root.append(header, banner, lanesEl, statusEl, menuEl);

textFilter.addEventListener('input', () => {
  filter.text = textFilter.value.trim().toLowerCase();
  renderLanes();
});
for (const [control, key] of [
  [assigneeFilter, 'assignee'],
  [priorityFilter, 'priority'],
  [statusFilter, 'status'],
] as const) {
  control.addEventListener('change', () => {
    filter[key] = control.value;
    renderLanes();
  });
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => receive(event.data));
post({ type: 'ready' });

function receive(message: ToWebview): void {
  switch (message.type) {
    case 'board': {
      const started = performance.now();
      state = message.state;
      render();
      // Force layout, so the figure includes it.
      void lanesEl.offsetHeight;
      const cards = state.board.lanes.reduce((n, l) => n + l.cards.length, 0);
      post({ type: 'rendered', ms: performance.now() - started, cards, domCards: lanesEl.querySelectorAll('.card').length });
      return;
    }
    case 'result':
      statusEl.textContent = message.message;
      statusEl.className = `status-line ${message.ok ? 'ok' : 'refused'}`;
      return;
    case 'focus':
      focusCard(message.taskId);
      return;
    case 'test':
      return runTest(message);
  }
}

// ---- rendering ------------------------------------------------------------------

function render(): void {
  if (!state) return;
  const { board } = state;
  titleEl.textContent = board.found ? board.title : 'No board';
  document.title = board.title;
  banner.hidden = !state.syntaxError && board.found;
  banner.textContent = !board.found
    ? (board.reason ?? 'This file is not a Brainfile board.')
    : state.syntaxError
      ? `The front matter has a syntax error (${state.syntaxError}). ${state.stale ? 'Showing the last good board; moves are off until it is fixed.' : ''}`
      : '';
  root.classList.toggle('stale', state.stale);
  const cards = allCards();
  fillSelect(assigneeFilter, 'Any assignee', cards.map((c) => c.assignee));
  fillSelect(priorityFilter, 'Any priority', cards.map((c) => c.priority));
  fillSelect(statusFilter, 'Any status', cards.map((c) => c.status ?? (c.invalidStatus ? 'invalid' : 'none')), (s) => STATUS_LABELS[s] ?? (s === 'none' ? 'No contract' : 'Invalid status'));
  filter.assignee = assigneeFilter.value;
  filter.priority = priorityFilter.value;
  filter.status = statusFilter.value;
  renderLanes();
}

function renderLanes(): void {
  if (!state) return;
  for (const laneEl of lanesEl.querySelectorAll<HTMLElement>('.lane-body')) scrollTops.set(laneEl.dataset.column!, laneEl.scrollTop);
  const hadFocus = lanesEl.contains(document.activeElement);
  const activeInput = document.activeElement instanceof HTMLInputElement && lanesEl.contains(document.activeElement) ? document.activeElement : undefined;
  lanesEl.replaceChildren(...state.board.lanes.map((lane) => laneElement(lane)));
  if (state.board.unplaced.length) lanesEl.append(laneElement({ id: '', title: 'No such column', cards: state.board.unplaced }, true));
  for (const body of lanesEl.querySelectorAll<HTMLElement>('.lane-body')) {
    body.scrollTop = scrollTops.get(body.dataset.column!) ?? 0;
    drawWindow(body);
  }
  if (activeInput && adding) lanesEl.querySelector<HTMLInputElement>('.add-form input[type=text]')?.focus();
  else if (hadFocus && focusedId) focusCard(focusedId, false);
  updateTabStops();
}

function visibleCards(lane: BoardLane): BoardCard[] {
  return lane.cards.filter(matchesFilter);
}

function matchesFilter(card: BoardCard): boolean {
  if (filter.assignee && card.assignee !== filter.assignee) return false;
  if (filter.priority && card.priority !== filter.priority) return false;
  if (filter.status && (card.status ?? (card.invalidStatus ? 'invalid' : 'none')) !== filter.status) return false;
  if (!filter.text) return true;
  return [card.id, card.title, card.assignee ?? '', ...card.tags].some((s) => s.toLowerCase().includes(filter.text));
}

function laneElement(lane: BoardLane, unplaced = false): HTMLElement {
  const cards = visibleCards(lane);
  const section = el('section', 'lane');
  const headingId = `lane-${lane.id || 'unplaced'}`;
  section.setAttribute('aria-labelledby', headingId);
  const heading = el('h2', 'lane-header');
  heading.id = headingId;
  const count = cards.length === lane.cards.length ? `${lane.cards.length}` : `${cards.length} of ${lane.cards.length}`;
  heading.append(text('span', 'lane-title', lane.title), text('span', 'lane-count', count));
  heading.setAttribute('aria-label', `${lane.title}, ${count} task${lane.cards.length === 1 ? '' : 's'}`);
  const body = el('div', 'lane-body');
  body.dataset.column = lane.id;
  body.setAttribute('role', 'list');
  body.setAttribute('aria-label', `${lane.title}, ${count} task${lane.cards.length === 1 ? '' : 's'}`);
  const spacer = el('div', 'lane-spacer');
  spacer.style.height = `${cards.length * CARD_HEIGHT}px`;
  body.append(spacer);
  body.addEventListener('scroll', () => requestAnimationFrame(() => drawWindow(body)));
  if (!unplaced) wireDrop(body, lane.id);
  section.append(heading, body);
  if (!unplaced) section.append(addControl(lane));
  return section;
}

/** Draws the cards of a lane that are in view (and a few around them), and removes the others. */
function drawWindow(body: HTMLElement): void {
  const lane = laneOf(body.dataset.column!);
  if (!lane) return;
  const cards = visibleCards(lane);
  const first = Math.max(0, Math.floor(body.scrollTop / CARD_HEIGHT) - OVERSCAN);
  const last = Math.min(cards.length, Math.ceil((body.scrollTop + (body.clientHeight || 800)) / CARD_HEIGHT) + OVERSCAN);
  // The focused card stays drawn, so focus is never lost by scrolling.
  const keep = new Set(cards.slice(first, last).map((c) => c.id));
  const focusIndex = cards.findIndex((c) => c.id === focusedId);
  if (focusIndex >= 0) keep.add(focusedId!);
  const spacer = body.firstElementChild as HTMLElement;
  for (const node of [...spacer.children] as HTMLElement[]) if (!keep.has(node.dataset.id!)) node.remove();
  const drawn = new Set([...spacer.children].map((n) => (n as HTMLElement).dataset.id));
  cards.forEach((card, index) => {
    if (keep.has(card.id) && !drawn.has(card.id)) spacer.append(cardElement(card, lane, index, cards.length));
  });
  updateTabStops();
}

function cardElement(card: BoardCard, lane: BoardLane, index: number, total: number): HTMLElement {
  const node = el('div', 'card');
  node.dataset.id = card.id;
  node.style.top = `${index * CARD_HEIGHT}px`;
  node.setAttribute('role', 'listitem');
  node.setAttribute('aria-posinset', String(index + 1));
  node.setAttribute('aria-setsize', String(total));
  node.setAttribute('aria-label', cardLabel(card, lane));
  node.setAttribute('aria-keyshortcuts', 'Enter M Alt+ArrowUp Alt+ArrowDown Alt+ArrowLeft Alt+ArrowRight');
  node.tabIndex = -1;
  node.draggable = !state?.stale;
  if (card.problem) node.classList.add('invalid');

  const top = el('div', 'card-top');
  top.append(text('span', 'card-id', card.id));
  if (card.priority) top.append(text('span', `priority priority-${card.priority}`, card.priority));
  const validation = state?.validation[card.id];
  if (validation) {
    const mark = icon(validation.state === 'passed' ? 'pass' : validation.state === 'running' ? 'sync' : validation.state === 'failed' ? 'error' : 'circle-slash', `validation validation-${validation.state}`);
    mark.title = `Last validation: ${validation.state} · ${validation.detail}`;
    mark.setAttribute('aria-hidden', 'false');
    mark.setAttribute('aria-label', mark.title);
    top.append(mark);
  }
  if (card.problem) {
    const mark = icon('warning', 'problem');
    mark.title = card.problem;
    mark.setAttribute('aria-hidden', 'false');
    mark.setAttribute('aria-label', `Invalid: ${card.problem}`);
    top.append(mark);
  }
  const more = document.createElement('button');
  more.className = 'card-more';
  more.tabIndex = -1;
  more.title = 'Actions (M)';
  more.setAttribute('aria-label', `Actions for ${card.id}`);
  more.append(icon('kebab-vertical'));
  more.addEventListener('click', (event) => {
    event.stopPropagation();
    openMenu(card.id, more);
  });
  top.append(more);

  const title = text('div', 'card-title', card.title || '(no title)');
  title.title = card.title;

  const meta = el('div', 'card-meta');
  meta.append(statusChip(card));
  if (card.assignee) meta.append(withIcon('person', card.assignee, 'assignee'));
  if (card.deliverables) meta.append(withIcon('package', String(card.deliverables), 'count', `${card.deliverables} deliverable${card.deliverables === 1 ? '' : 's'}`));
  if (card.commands) meta.append(withIcon('terminal', String(card.commands), 'count', `${card.commands} validation command${card.commands === 1 ? '' : 's'}`));
  for (const tag of card.tags.slice(0, 3)) meta.append(text('span', 'tag', tag));

  node.append(top, title, meta);
  node.addEventListener('focus', () => {
    focusedId = card.id;
    updateTabStops();
  });
  node.addEventListener('click', () => node.focus());
  node.addEventListener('dblclick', () => post({ type: 'action', action: 'open', taskId: card.id }));
  node.addEventListener('keydown', (event) => onCardKey(event, card.id));
  node.addEventListener('contextmenu', (event) => {
    event.preventDefault();
    openMenu(card.id, node);
  });
  node.addEventListener('dragstart', (event) => {
    dragging = card.id;
    event.dataTransfer?.setData('text/plain', card.id);
    if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
    node.classList.add('dragging');
  });
  node.addEventListener('dragend', () => {
    dragging = undefined;
    node.classList.remove('dragging');
    clearDropMarkers();
  });
  return node;
}

function cardLabel(card: BoardCard, lane: BoardLane): string {
  const parts = [`${card.id}: ${card.title}`, statusText(card)];
  if (card.priority) parts.push(`priority ${card.priority}`);
  if (card.assignee) parts.push(`assigned to ${card.assignee}`);
  if (card.deliverables) parts.push(`${card.deliverables} deliverables`);
  if (card.commands) parts.push(`${card.commands} validation commands`);
  if (card.problem) parts.push(`invalid: ${card.problem}`);
  parts.push(`in ${lane.title}`);
  return parts.join(', ');
}

function statusText(card: BoardCard): string {
  if (card.status) return STATUS_LABELS[card.status] ?? card.status;
  if (card.invalidStatus) return `invalid status ${card.invalidStatus}`;
  return card.hasContract ? 'contract without a status' : 'no contract';
}

function statusChip(card: BoardCard): HTMLElement {
  const key = card.status ?? (card.invalidStatus ? 'invalid' : 'none');
  const chip = text('span', `chip status-${key}`, card.status ? (STATUS_LABELS[card.status] ?? card.status) : card.invalidStatus ? card.invalidStatus : 'No contract');
  chip.title = `Contract status: ${statusText(card)}`;
  return chip;
}

// ---- adding a task ----------------------------------------------------------------

function addControl(lane: BoardLane): HTMLElement {
  const foot = el('div', 'lane-foot');
  if (adding?.column !== lane.id) {
    const button = document.createElement('button');
    button.className = 'add-button';
    button.append(icon('add'), document.createTextNode(' Add task'));
    button.setAttribute('aria-label', `Add a task to ${lane.title}`);
    button.disabled = !!state?.stale;
    button.addEventListener('click', () => {
      adding = { column: lane.id, title: '', withContract: true };
      renderLanes();
      foot.ownerDocument.querySelector<HTMLInputElement>('.add-form input[type=text]')?.focus();
    });
    foot.append(button);
    return foot;
  }
  const form = document.createElement('form');
  form.className = 'add-form';
  const input = document.createElement('input');
  input.type = 'text';
  input.placeholder = 'Title of the new task';
  input.setAttribute('aria-label', `Title of the new task in ${lane.title}`);
  input.value = adding.title;
  input.addEventListener('input', () => adding && (adding.title = input.value));
  const label = document.createElement('label');
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = adding.withContract;
  box.addEventListener('change', () => adding && (adding.withContract = box.checked));
  label.append(box, document.createTextNode(' with a contract'));
  form.append(input, label);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!adding || !input.value.trim()) return;
    post({ type: 'add', column: lane.id, title: input.value.trim(), withContract: adding.withContract });
    adding = undefined;
    renderLanes();
  });
  form.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    adding = undefined;
    renderLanes();
  });
  foot.append(form);
  return foot;
}

// ---- drag and drop ----------------------------------------------------------------

function wireDrop(body: HTMLElement, column: string): void {
  body.addEventListener('dragover', (event) => {
    if (!dragging || state?.stale) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
    clearDropMarkers();
    body.classList.add('drop-target');
    const index = dropIndex(body, event.clientY);
    const marker = el('div', 'drop-marker');
    marker.style.top = `${index * CARD_HEIGHT - 3}px`;
    body.firstElementChild!.append(marker);
  });
  body.addEventListener('dragleave', (event) => {
    if (!body.contains(event.relatedTarget as Node | null)) clearDropMarkers();
  });
  body.addEventListener('drop', (event) => {
    event.preventDefault();
    const taskId = dragging ?? event.dataTransfer?.getData('text/plain');
    clearDropMarkers();
    if (!taskId) return;
    const lane = laneOf(column)!;
    const cards = visibleCards(lane);
    const index = dropIndex(body, event.clientY);
    dropCard(taskId, column, beforeAt(cards, index, taskId));
  });
}

function dropIndex(body: HTMLElement, clientY: number): number {
  const y = clientY - body.getBoundingClientRect().top + body.scrollTop;
  const lane = laneOf(body.dataset.column!);
  return Math.max(0, Math.min(lane ? visibleCards(lane).length : 0, Math.round(y / CARD_HEIGHT)));
}

/** The card a drop at `index` lands before (skipping the dragged card itself), or none: the end. */
function beforeAt(cards: BoardCard[], index: number, taskId: string): string | undefined {
  for (let i = index; i < cards.length; i++) if (cards[i].id !== taskId) return cards[i].id;
  return undefined;
}

function dropCard(taskId: string, toColumn: string, beforeTaskId?: string): void {
  const card = allCards().find((c) => c.id === taskId);
  if (!card) return;
  focusedId = taskId;
  statusEl.textContent = `Moving ${taskId}…`;
  statusEl.className = 'status-line';
  post({ type: 'move', taskId, fromColumn: card.column, toColumn, beforeTaskId });
}

function clearDropMarkers(): void {
  lanesEl.querySelectorAll('.drop-marker').forEach((m) => m.remove());
  lanesEl.querySelectorAll('.drop-target').forEach((m) => m.classList.remove('drop-target'));
}

// ---- keyboard ---------------------------------------------------------------------

function position(taskId: string): { laneIndex: number; cards: BoardCard[]; index: number } | undefined {
  const lanes = state?.board.lanes ?? [];
  for (let laneIndex = 0; laneIndex < lanes.length; laneIndex++) {
    const cards = visibleCards(lanes[laneIndex]);
    const index = cards.findIndex((c) => c.id === taskId);
    if (index >= 0) return { laneIndex, cards, index };
  }
  return undefined;
}

function onCardKey(event: KeyboardEvent, taskId: string): void {
  const at = position(taskId);
  if (!at || !state) return;
  const lanes = state.board.lanes;
  const { laneIndex, cards, index } = at;
  const handled = () => {
    event.preventDefault();
    event.stopPropagation();
  };
  if (event.altKey) {
    if (event.key === 'ArrowUp' && index > 0) dropCard(taskId, lanes[laneIndex].id, cards[index - 1].id);
    else if (event.key === 'ArrowDown' && index < cards.length - 1) dropCard(taskId, lanes[laneIndex].id, cards[index + 2]?.id);
    else if (event.key === 'ArrowLeft' && laneIndex > 0) dropCard(taskId, lanes[laneIndex - 1].id);
    else if (event.key === 'ArrowRight' && laneIndex < lanes.length - 1) dropCard(taskId, lanes[laneIndex + 1].id);
    else return;
    return handled();
  }
  switch (event.key) {
    case 'ArrowUp':
      if (index > 0) focusCard(cards[index - 1].id);
      return handled();
    case 'ArrowDown':
      if (index < cards.length - 1) focusCard(cards[index + 1].id);
      return handled();
    case 'Home':
      focusCard(cards[0].id);
      return handled();
    case 'End':
      focusCard(cards[cards.length - 1].id);
      return handled();
    case 'ArrowLeft':
    case 'ArrowRight': {
      const step = event.key === 'ArrowLeft' ? -1 : 1;
      for (let l = laneIndex + step; l >= 0 && l < lanes.length; l += step) {
        const other = visibleCards(lanes[l]);
        if (!other.length) continue;
        focusCard(other[Math.min(index, other.length - 1)].id);
        break;
      }
      return handled();
    }
    case 'Enter':
      post({ type: 'action', action: 'open', taskId });
      return handled();
    case 'm':
    case 'M':
    case 'ContextMenu':
      openMenu(taskId, event.target as HTMLElement);
      return handled();
    case 'F10':
      if (!event.shiftKey) return;
      openMenu(taskId, event.target as HTMLElement);
      return handled();
  }
}

/** Focuses a card, drawing it first when its lane has scrolled it out of view. */
function focusCard(taskId: string, scroll = true): void {
  const at = position(taskId);
  if (!at || !state) return;
  focusedId = taskId;
  const body = lanesEl.querySelector<HTMLElement>(`.lane-body[data-column="${CSS.escape(state.board.lanes[at.laneIndex].id)}"]`);
  if (!body) return;
  if (scroll) {
    const top = at.index * CARD_HEIGHT;
    if (top < body.scrollTop) body.scrollTop = top;
    else if (top + CARD_HEIGHT > body.scrollTop + body.clientHeight) body.scrollTop = top + CARD_HEIGHT - body.clientHeight;
  }
  drawWindow(body);
  body.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(taskId)}"]`)?.focus({ preventScroll: !scroll });
}

/** One card is in the Tab order: the focused one, else the first. */
function updateTabStops(): void {
  const cards = [...lanesEl.querySelectorAll<HTMLElement>('.card')];
  const current = cards.find((c) => c.dataset.id === focusedId) ?? cards[0];
  for (const card of cards) card.tabIndex = card === current ? 0 : -1;
}

// ---- the card menu: move to… and actions --------------------------------------------

interface MenuItem {
  label: string;
  icon: string;
  run: () => void;
}

function menuItems(card: BoardCard): MenuItem[] {
  const items: MenuItem[] = [];
  const action = (name: CardAction) => () => post({ type: 'action', action: name, taskId: card.id });
  const stale = !!state?.stale;
  if (!stale) {
    for (const lane of state?.board.lanes ?? []) {
      if (lane.id !== card.column) items.push({ label: `Move to ${lane.title}`, icon: 'arrow-right', run: () => dropCard(card.id, lane.id) });
    }
  }
  items.push({ label: 'Open in Text Editor', icon: 'go-to-file', run: action('open') });
  if (!stale) {
    for (const move of transitionsFrom(card.status, state?.board.version ?? 1)) items.push({ label: move.title, icon: 'arrow-circle-right', run: action(move.name as CardAction) });
    if (!card.hasContract) items.push({ label: 'Add Contract', icon: 'add', run: action('addContract') });
  }
  if (card.status === 'delivered' || card.status === 'in_progress') items.push({ label: 'Run Validation', icon: 'play', run: action('runValidation') });
  if (state?.canCopyBrief) items.push({ label: 'Copy Brief', icon: 'copy', run: action('copyBrief') });
  return items;
}

function openMenu(taskId: string, anchor: HTMLElement): void {
  const card = allCards().find((c) => c.id === taskId);
  if (!card) return;
  const returnFocus = () => focusCard(taskId, false);
  const close = () => {
    menuEl.hidden = true;
    menuEl.replaceChildren();
  };
  const buttons = menuItems(card).map((item) => {
    const button = document.createElement('button');
    button.setAttribute('role', 'menuitem');
    button.tabIndex = -1;
    button.append(icon(item.icon), document.createTextNode(` ${item.label}`));
    button.addEventListener('click', () => {
      close();
      returnFocus();
      item.run();
    });
    return button;
  });
  menuEl.replaceChildren(...buttons);
  menuEl.setAttribute('aria-label', `${taskId}: move to… and actions`);
  const rect = anchor.getBoundingClientRect();
  menuEl.style.left = `${Math.max(4, Math.min(rect.left, window.innerWidth - 240))}px`;
  menuEl.style.top = `${Math.min(rect.bottom, window.innerHeight - buttons.length * 26 - 8)}px`;
  menuEl.hidden = false;
  buttons[0]?.focus();
  menuEl.onkeydown = (event) => {
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'ArrowDown') buttons[(index + 1) % buttons.length].focus();
    else if (event.key === 'ArrowUp') buttons[(index - 1 + buttons.length) % buttons.length].focus();
    else if (event.key === 'Home') buttons[0].focus();
    else if (event.key === 'End') buttons[buttons.length - 1].focus();
    else if (event.key === 'Escape' || event.key === 'Tab') {
      close();
      returnFocus();
    } else return;
    event.preventDefault();
  };
}

menuEl.addEventListener('focusout', (event) => {
  if (menuEl.contains(event.relatedTarget as Node | null)) return;
  menuEl.hidden = true;
  menuEl.replaceChildren();
});

// ---- tests --------------------------------------------------------------------------

function runTest(message: Extract<ToWebview, { type: 'test' }>): void {
  if (message.op === 'state') {
    post({ type: 'state', snapshot: snapshot() });
    return;
  }
  if (message.op === 'drag') {
    dropCard(message.taskId, message.toColumn, message.beforeTaskId);
    return;
  }
  focusCard(message.taskId);
  const target = (document.activeElement as HTMLElement | null) ?? document.body;
  target.dispatchEvent(new KeyboardEvent('keydown', { key: message.key, altKey: !!message.altKey, shiftKey: !!message.shiftKey, bubbles: true, cancelable: true }));
  post({ type: 'state', snapshot: snapshot() });
}

function snapshot(): WebviewSnapshot {
  return {
    lanes: [...lanesEl.querySelectorAll<HTMLElement>('.lane-body')].map((body) => ({
      id: body.dataset.column!,
      count: laneOf(body.dataset.column!)?.cards.length ?? 0,
      rendered: [...body.querySelectorAll<HTMLElement>('.card')].map((c) => c.dataset.id!),
    })),
    focused: (document.activeElement as HTMLElement | null)?.dataset?.id,
    status: statusEl.textContent ?? '',
    stale: root.classList.contains('stale'),
    banner: banner.hidden ? '' : (banner.textContent ?? ''),
  };
}

// ---- helpers ------------------------------------------------------------------------

function allCards(): BoardCard[] {
  return state ? [...state.board.lanes.flatMap((l) => l.cards), ...state.board.unplaced] : [];
}

function laneOf(id: string): BoardLane | undefined {
  if (!state) return undefined;
  return id === '' ? { id: '', title: 'No such column', cards: state.board.unplaced } : state.board.lanes.find((l) => l.id === id);
}

function el(tag: string, className: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

function text(tag: string, className: string, content: string): HTMLElement {
  const node = el(tag, className);
  node.textContent = content;
  return node;
}

function icon(name: string, extra = ''): HTMLElement {
  const node = el('span', `codicon codicon-${name} ${extra}`.trim());
  node.setAttribute('aria-hidden', 'true');
  return node;
}

function withIcon(name: string, content: string, className: string, label?: string): HTMLElement {
  const node = el('span', className);
  node.append(icon(name), document.createTextNode(content));
  if (label) node.title = label;
  return node;
}

function select(label: string): HTMLSelectElement {
  const node = document.createElement('select');
  node.setAttribute('aria-label', `Filter by ${label.toLowerCase()}`);
  return node;
}

/** Keeps the chosen value when the options change. */
function fillSelect(node: HTMLSelectElement, anyLabel: string, values: Array<string | undefined>, labelOf: (v: string) => string = (v) => v): void {
  const unique = [...new Set(values.filter((v): v is string => !!v))].sort();
  const current = node.value;
  const options = [new Option(anyLabel, ''), ...unique.map((v) => new Option(labelOf(v), v))];
  node.replaceChildren(...options);
  node.value = unique.includes(current) ? current : '';
}
