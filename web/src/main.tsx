import { render } from 'preact';
import { App } from './app';
import { followLink } from './router';
import { session } from './session/session';

document.addEventListener('click', followLink);
const root = document.getElementById('root')!;
root.textContent = '';
render(<App />, root);
void session.start();
