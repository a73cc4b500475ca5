// Entry: take the admin token (or the one-time code it is traded for) out of the address bar
// first, then start the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { takeTokenFromUrl } from './token.ts';
import './styles.css';

function start(): void {
  const root = document.getElementById('root');
  if (root) {
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  }
}

void takeTokenFromUrl().then(start);
