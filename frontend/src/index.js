// The student page's front end (docs/decisions/lean-student-front-end.md). Voilà renders the
// notebook and runs the kernel on the server; this connects to that kernel, restores the
// widgets the notebook made and shows them where Voilà left their outputs.
import { KernelConnection } from '@jupyterlab/services/lib/kernel/default';
import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';
import { StudentWidgetManager } from './manager.js';
import { renderOutput, takeOutputs } from './outputs.js';
import './style.css';

function pageConfig() {
  const element = document.getElementById('jupyter-config-data');
  return element ? JSON.parse(element.textContent) : {};
}

/** The template's `display_cells` shows the cells once the cells are in and the "theme" is
 * loaded: our stylesheet is a <link> in <head>, so it is loaded before this script runs. */
function showCells() {
  window.themeLoaded = true;
  if (window.cellLoaded) {
    window.voila_finish();
  }
}

/** Closing or reloading the page stops its kernel at once (Voilà's own front end does this). */
function stopKernelOnLeave(baseUrl, kernel) {
  window.addEventListener('beforeunload', () => {
    const data = new FormData();
    const xsrf = document.cookie.match('\\b_xsrf=([^;]*)\\b');
    data.append('_xsrf', (xsrf && xsrf[1]) || '');
    navigator.sendBeacon(`${baseUrl}voila/api/shutdown/${kernel.id}`, data);
    kernel.dispose();
  });
}

async function main() {
  const config = pageConfig();
  // what the page says while a widget comes and when it cannot: texts.py, by the server
  const texts = config.beeldwijsTexts || { loading: '', failed: '' };
  const outputs = takeOutputs(document);
  outputs.forEach(({ place }) => {
    place.textContent = texts.loading;
  });
  showCells();
  if (!config.kernelId) {
    return; // a page without a kernel (nothing to connect to)
  }
  const baseUrl = config.baseUrl || '/';
  // the page's own WebSocket: the template wraps it to show "Verbinding verbroken"
  const serverSettings = ServerConnection.makeSettings({
    baseUrl,
    wsUrl: config.wsUrl || undefined,
    token: config.token || '',
    WebSocket: window.WebSocket,
  });
  const kernel = new KernelConnection({
    model: { id: config.kernelId, name: config.kernelName || 'python3' },
    serverSettings,
  });
  stopKernelOnLeave(baseUrl, kernel);
  const manager = new StudentWidgetManager(kernel);
  try {
    await manager._loadFromKernel();
  } catch (error) {
    console.error('Beeldwijs student page: the widgets could not be restored', error);
  }
  await Promise.all(outputs.map((output) => renderOutput(output, manager, texts)));
}

main();
