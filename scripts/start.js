// `npm start`: compile what changed in src/ (scripts/dist.js) and build the web app if web/ changed
// (scripts/web-build.js), then run dist/server.js in this process. Heroku builds with `npm run build` and
// its Procfile runs `node dist/server.js` directly: this file is for local starts only.
const path = require('node:path');
const { ensureDist, DIST } = require('./dist');
const { ensureWebBuild } = require('./web-build');

ensureDist();
ensureWebBuild();
require(path.join(DIST, 'server.js'));
