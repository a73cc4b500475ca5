// The agent's version, from the package.json above this file (source or compiled layout).
export { VERSION } from './app-root.js';
