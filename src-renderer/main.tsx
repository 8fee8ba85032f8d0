import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import i18n from './i18n';
import { applyFontScale } from './state/layout';
import { initTransport } from './transport/pos';
import './styles/base.css';
import './styles/screens.css';

document.documentElement.lang = i18n.language;
applyFontScale(1);
initTransport();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
