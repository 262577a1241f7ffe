// The admin token, asked for only when the API refuses a run without it (401), kept for this tab only.

const STORAGE_KEY = 'autoconnect.admin-token';

export function savedToken() {
  return sessionStorage.getItem(STORAGE_KEY);
}

export function saveToken(token) {
  sessionStorage.setItem(STORAGE_KEY, token);
}

export function forgetToken() {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** Shows the token dialog with `message`; resolves to the token typed, or null when cancelled. */
export function askToken(dialog, message) {
  const input = dialog.querySelector('#token-input');
  dialog.querySelector('#token-message').textContent = message;
  input.value = '';
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => resolve(dialog.returnValue === 'ok' && input.value.trim() !== '' ? input.value.trim() : null),
      { once: true },
    );
    dialog.returnValue = '';
    dialog.showModal();
    input.focus();
  });
}
