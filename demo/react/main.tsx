import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('demo/react/index.html has no #root');

// StrictMode runs every effect twice in development (mount, clean up, mount again). The kit
// must still make one code exchange and open one websocket; the journey counts them.
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
