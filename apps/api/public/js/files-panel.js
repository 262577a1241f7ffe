// The Files card: the CSV files of the data folder (GET /api/files), each with a Process button, and an upload
// (PUT /api/files/:name) with its progress bar. Names and sizes are checked here first, with the API's rules,
// so a person learns at once what to change; the API checks them again.
import { ApiError, getJson, putFile } from './api-client.js';
import { cell, el } from './dom.js';
import { formatBytes, formatDateTime } from './format.js';
import { Paginator } from './paginator.js';

/** What an upload may be called: the API's rule (letters, digits, '.', '_', '-', ending in .csv). */
const NAME_RULE = /^(?!\.)(?!.*\.\.)[A-Za-z0-9._-]{1,196}\.csv$/;
const NAME_HINT = "letters, digits, '.', '_' or '-' only, ending in .csv (e.g. ventes-2024-01.csv)";
const PAGE_SIZE = 10;

export class FilesPanel {
  /**
   * `elements`: table, empty note, pager, file input, replace checkbox, upload button, upload progress block;
   * `withToken(action, purpose)` runs an authenticated call (asking for the token when needed);
   * `onProcess(name)` starts a run on a file; `canProcess()` says whether Process buttons are enabled now.
   */
  constructor(elements, { withToken, onProcess, canProcess }) {
    Object.assign(this, elements);
    this.withToken = withToken;
    this.onProcess = onProcess;
    this.canProcess = canProcess;
    this.files = [];
    this.highlighted = null;
    this.maxUploadBytes = null;
    this.paginator = new Paginator(elements.pager, PAGE_SIZE, () => this.render());
    this.uploadButton.addEventListener('click', () => void this.upload());
    this.input.addEventListener('change', () => this.say(this.input.files?.[0] ? `Ready to upload ${this.input.files[0].name}.` : '', 'idle'));
  }

  async load() {
    const { body } = await getJson('/api/files');
    this.files = body.files;
    this.render();
  }

  render() {
    const rows = this.paginator.slice(this.files).map((file) => {
      const button = el('button', { type: 'button', className: 'button button-small', disabled: !this.canProcess() }, 'Process');
      button.dataset.source = file.name;
      button.addEventListener('click', () => this.onProcess(file.name));
      return el(
        'tr',
        { className: file.name === this.highlighted ? 'current-row' : '', dataset: { name: file.name } },
        cell('Name', { className: 'break' }, file.name),
        cell('Size', { className: 'num' }, formatBytes(file.size)),
        cell('Modified', { className: 'nowrap' }, formatDateTime(file.modified)),
        cell('', { className: 'actions' }, button),
      );
    });
    this.table.tBodies[0].replaceChildren(...rows);
    this.table.hidden = this.files.length === 0;
    this.empty.hidden = this.files.length > 0;
  }

  /** Enables or disables every Process button (a run is active, or not). */
  refreshButtons() {
    for (const button of this.table.querySelectorAll('button[data-source]')) button.disabled = !this.canProcess();
  }

  /** The upload's progress line: `state` is idle, uploading, done or failed. */
  say(message, state, fraction) {
    const block = this.progress;
    block.hidden = message === '';
    block.dataset.state = state;
    block.querySelector('.upload-text').textContent = message;
    const track = block.querySelector('.progress-track');
    track.hidden = fraction === undefined;
    if (fraction !== undefined) {
      const percent = Math.round(fraction * 100);
      const bar = block.querySelector('.progress-bar');
      bar.style.width = `${percent}%`;
      bar.setAttribute('aria-valuenow', String(percent));
    }
  }

  async upload() {
    const file = this.input.files?.[0];
    if (!file) {
      this.say('Choose a .csv file first.', 'failed');
      return;
    }
    if (!NAME_RULE.test(file.name)) {
      this.say(`“${file.name}” cannot be uploaded under that name: rename it with ${NAME_HINT}.`, 'failed');
      return;
    }
    if (this.maxUploadBytes !== null && file.size > this.maxUploadBytes) {
      this.say(`${file.name} is ${formatBytes(file.size)}, more than this service accepts (${formatBytes(this.maxUploadBytes)}, MAX_UPLOAD_MB).`, 'failed');
      return;
    }
    const overwrite = this.replace.checked;
    if (!overwrite && this.files.some((f) => f.name === file.name)) {
      this.say(`${file.name} already exists. Tick “Replace an existing file” to overwrite it.`, 'failed');
      return;
    }
    const path = `/api/files/${encodeURIComponent(file.name)}${overwrite ? '?overwrite=true' : ''}`;
    this.uploadButton.disabled = true;
    try {
      this.say(`Uploading ${file.name}…`, 'uploading', 0);
      const answer = await this.withToken(
        (token) =>
          putFile(path, file, {
            token,
            onProgress: (sent, total) =>
              this.say(`Uploading ${file.name}: ${formatBytes(sent)} of ${formatBytes(total)}`, 'uploading', total > 0 ? sent / total : 0),
          }),
        'upload a file',
      );
      if (answer === null) {
        this.say('Upload cancelled: no admin token given.', 'failed');
        return;
      }
      this.say(`Uploaded ${answer.body.name} (${formatBytes(answer.body.size)}). Press its Process button to analyse it.`, 'done', 1);
      this.highlighted = answer.body.name;
      this.input.value = '';
      this.paginator.reset();
      await this.load();
      const index = this.files.findIndex((f) => f.name === this.highlighted);
      if (index >= PAGE_SIZE) this.paginator.go(Math.floor(index / PAGE_SIZE));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && !overwrite && !/being processed/.test(err.message)) {
        this.say(`${file.name} already exists. Tick “Replace an existing file” to overwrite it.`, 'failed');
      } else {
        this.say(`Upload failed: ${err instanceof ApiError ? `the API answered ${err.status}: ${err.message}` : err.message}.`, 'failed');
      }
    } finally {
      this.uploadButton.disabled = false;
    }
  }
}
