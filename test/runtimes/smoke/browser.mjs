// Chromium: window.runSmoke() on the page, and the same in a module Web Worker on message.
import { smoke } from './smoke.mjs';

if (typeof window !== 'undefined') {
  window.runSmoke = () => smoke('chromium page');
  window.runSmokeInWorker = () => new Promise((resolve) => {
    const w = new Worker('/bundle.js', { type: 'module' });
    w.onmessage = (e) => resolve(e.data);
    w.postMessage('go');
  });
} else {
  self.onmessage = async () => self.postMessage(await smoke('chromium worker'));
}
