// What `vsce package` puts in the .vsix (vsce ls lists exactly that): the
// bundled extension and the grammar, and no sources, tests, maps or
// node_modules; and that plain `vsce package` builds the bundle itself.

import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
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
	it('holds the bundle and the grammar, and nothing of the build', async () => {
		const files = await vsceLs();
		for (const f of [
			'package.json',
			'README.md',
			'LICENSE',
			'language-configuration.json',
			'syntaxes/tinybird.tmLanguage.json',
			'dist/extension.js',
		]) {
			assert.ok(files.includes(f), `${f} is missing from the .vsix`);
		}
		// vscode-languageclient is inside the bundle: no node_modules, no
		// sources, tests, maps or compiled-but-unbundled files.
		const unwanted = files.filter(
			(f) => /^(src|test|out|node_modules)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts') || f === 'tsconfig.json',
		);
		assert.deepEqual(unwanted, []);
	});
});

describe('plain vsce package', () => {
	it('builds the bundle itself and packages it, from a tree that has no dist/', async () => {
		// A copy of the extension without dist/ and out/, sharing node_modules.
		const tmp = mkdtempSync(path.join(os.tmpdir(), 'tbls-vsce-'));
		try {
			for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', '.vscodeignore', 'README.md', 'LICENSE', 'language-configuration.json']) {
				cpSync(path.join(extensionRoot, f), path.join(tmp, f));
			}
			for (const d of ['src', 'test', 'syntaxes']) {
				cpSync(path.join(extensionRoot, d), path.join(tmp, d), { recursive: true });
			}
			symlinkSync(path.join(extensionRoot, 'node_modules'), path.join(tmp, 'node_modules'));
			const vsce = path.join(extensionRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
			await new Promise<void>((resolve, reject) => {
				execFile(process.execPath, [vsce, 'package', '--out', 'out.vsix'], { cwd: tmp, maxBuffer: 16 << 20 }, (err, _stdout, stderr) =>
					err ? reject(new Error(`vsce package failed: ${err.message}\n${stderr}`)) : resolve(),
				);
			});
			assert.ok(existsSync(path.join(tmp, 'dist', 'extension.js')), 'vscode:prepublish did not bundle');
			const entries = await zipEntries(path.join(tmp, 'out.vsix'));
			assert.ok(entries.includes('extension/dist/extension.js'), `the .vsix lacks the bundle: ${entries.join(', ')}`);
			assert.ok(!entries.some((e) => e.startsWith('extension/node_modules/')), 'the .vsix carries node_modules');
		} finally {
			rmSync(tmp, { recursive: true, force: true });
		}
	});
});

/** zipEntries lists a zip file's entries, with the zip reader vsce itself uses. */
function zipEntries(file: string): Promise<string[]> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const yauzl = require(require.resolve('yauzl', { paths: [path.join(extensionRoot, 'node_modules', '@vscode', 'vsce')] }));
	return new Promise((resolve, reject) => {
		yauzl.open(file, { lazyEntries: true }, (err: Error | null, zip: any) => {
			if (err) {
				reject(err);
				return;
			}
			const names: string[] = [];
			zip.on('entry', (e: { fileName: string }) => {
				names.push(e.fileName);
				zip.readEntry();
			});
			zip.on('end', () => resolve(names));
			zip.on('error', reject);
			zip.readEntry();
		});
	});
}
