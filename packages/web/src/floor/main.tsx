import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { FloorApp } from './FloorApp';
import './floor.css';

// The queue on this tablet holds work not yet sent: ask the browser not to evict it (Safari
// deletes script storage after 7 days without a visit unless the app is installed).
void navigator.storage?.persist?.();

// The service worker caches the app shell so the floor app opens without a network.
if ('serviceWorker' in navigator) {
  void navigator.serviceWorker.register('/floor-sw.js', { scope: '/floor' }).catch(() => undefined);
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <FloorApp />
    </StrictMode>,
  );
}
