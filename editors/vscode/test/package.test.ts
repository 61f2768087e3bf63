// What `vsce package` would put in the .vsix (vsce ls lists exactly that):
// the compiled extension, the grammar and the runtime dependencies, and no
// sources, tests, maps or development dependencies.

import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { extensionRoot } from './paths';

function vsceLs(): Promise<string[]> {
	const vsce = path.join(extensionRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
	return new Promise((resolve, reject) => {
		execFile(process.execPath, [vsce, 'ls'], { cwd: extensionRoot, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
			if (err) {
				reject(new Error(`vsce ls failed: ${err.message}\n${stderr}`));
				return;
			}
			resolve(stdout.split('\n').map((l) => l.trim()).filter((l) => l !== ''));
		});
	});
}

describe('vsix contents', () => {
	it('holds what the extension needs at run time and nothing of the build', async () => {
		const files = await vsceLs();
		for (const f of [
			'package.json',
			'README.md',
			'LICENSE',
			'language-configuration.json',
			'syntaxes/tinybird.tmLanguage.json',
			'out/src/extension.js',
			'out/src/config.js',
			'out/src/binary.js',
			'out/src/crash.js',
			// The file `import 'vscode-languageclient/node'` loads.
			path.relative(extensionRoot, require.resolve('vscode-languageclient/node')).split(path.sep).join('/'),
			'node_modules/vscode-languageclient/package.json',
		]) {
			assert.ok(files.includes(f), `${f} is missing from the .vsix`);
		}
		// Every runtime dependency of the client must come along, or
		// require() fails when VS Code loads the extension.
		for (const dep of ['vscode-languageserver-protocol', 'vscode-jsonrpc', 'vscode-languageserver-types', 'minimatch', 'semver']) {
			assert.ok(files.some((f) => f.startsWith(`node_modules/${dep}/`)), `${dep} is missing from the .vsix`);
		}
		const unwanted = files.filter(
			(f) =>
				/^(src|test|out\/test)\//.test(f) ||
				f.endsWith('.map') ||
				(f.endsWith('.ts') && !f.startsWith('node_modules/')) ||
				/^node_modules\/(typescript|@vscode\/vsce|vscode-textmate|vscode-oniguruma|@types)\//.test(f) ||
				f === 'tsconfig.json',
		);
		assert.deepEqual(unwanted, []);
	});
});
