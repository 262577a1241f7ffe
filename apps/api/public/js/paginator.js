// Pages of a long table: "Previous / Next" under it and which rows are shown, so every row can be reached
// without a scroll box inside the page. Hidden when everything fits on one page.
import { el } from './dom.js';
import { formatInteger } from './format.js';

export class Paginator {
  /** `nav` is an empty element placed under the table; `onChange()` redraws the table. */
  constructor(nav, pageSize, onChange) {
    this.nav = nav;
    this.pageSize = pageSize;
    this.page = 0;
    this.total = 0;
    this.onChange = onChange;
    this.previous = el('button', { type: 'button', className: 'button button-light button-small' }, '‹ Previous');
    this.next = el('button', { type: 'button', className: 'button button-light button-small' }, 'Next ›');
    this.label = el('span', { className: 'pager-label' });
    this.previous.addEventListener('click', () => this.go(this.page - 1));
    this.next.addEventListener('click', () => this.go(this.page + 1));
    nav.classList.add('pager');
    nav.replaceChildren(this.previous, this.label, this.next);
    nav.hidden = true;
  }

  go(page) {
    this.page = page;
    this.onChange();
  }

  /** Back to the first page (new data). */
  reset() {
    this.page = 0;
  }

  /** The items of the current page (the page kept within range), with the controls brought up to date. */
  slice(items) {
    this.total = items.length;
    const pages = Math.max(1, Math.ceil(items.length / this.pageSize));
    this.page = Math.min(Math.max(0, this.page), pages - 1);
    const start = this.page * this.pageSize;
    const shown = items.slice(start, start + this.pageSize);
    this.nav.hidden = pages <= 1;
    this.previous.disabled = this.page === 0;
    this.next.disabled = this.page >= pages - 1;
    this.label.textContent = `${formatInteger(start + 1)}–${formatInteger(start + shown.length)} of ${formatInteger(items.length)}`;
    this.nav.dataset.page = String(this.page + 1);
    this.nav.dataset.pages = String(pages);
    return shown;
  }
}
