// Bundled for the browser by scripts/install-node-deps.sh (esbuild, pinned
// in package.json) into node_modules/.ferry/uppy.js: the Uppy 6 core, its
// tus plugin and its reader of dropped folders as globals, for the
// cross-origin browser test (server/e2e/uppy_test.go).
import Uppy from '@uppy/core';
import { getDroppedFiles } from '@uppy/core/utils';
import Tus from '@uppy/tus';

window.Uppy = Uppy;
window.UppyTus = Tus;
window.UppyGetDroppedFiles = getDroppedFiles;
