// Paths shared by the tests. Compiled tests live in out/test/.

import * as path from 'node:path';

/** extensionRoot is editors/vscode. */
export const extensionRoot = path.resolve(__dirname, '..', '..');

/** repoRoot is the root of the tbls repository (the Go module). */
export const repoRoot = path.resolve(extensionRoot, '..', '..');
