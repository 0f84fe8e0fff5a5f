import { startServer } from './dist/src/server/server.js';
