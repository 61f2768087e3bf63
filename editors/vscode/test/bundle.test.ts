// dist/extension.js, the bundle esbuild makes, loads with nothing but the
// 'vscode' module VS Code provides: vscode-languageclient and the rest are
// inside it. A stub stands in for 'vscode'.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import Module = require('node:module');
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { extensionRoot } from './paths';

const bundle = path.join(extensionRoot, 'dist', 'extension.js');

/** stub is an object any property of which is a stub too (callable, constructible). */
function stub(): unknown {
	const f = function () {
		return stub();
	};
	return new Proxy(f, {
		get: (_t, p) => (p === Symbol.toPrimitive ? () => '' : p === 'then' ? undefined : stub()),
		construct: () => stub() as object,
	});
}

describe('bundle', () => {
	it('requires nothing but vscode and Node built-ins', () => {
		const text = readFileSync(bundle, 'utf8');
		const required = new Set([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
		const builtins = new Set(Module.builtinModules.flatMap((m) => [m, `node:${m}`]));
		const foreign = [...required].filter((r) => r !== 'vscode' && !builtins.has(r));
		assert.deepEqual(foreign, [], 'the bundle requires packages it should contain');
		assert.ok(required.has('vscode'));
	});

	it('loads and exports activate and deactivate', () => {
		const load = (Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown })._load;
		const requested: string[] = [];
		(Module as unknown as { _load: unknown })._load = function (req: string, ...rest: unknown[]) {
			requested.push(req);
			return req === 'vscode' ? stub() : load.call(this, req, ...rest);
		};
		try {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const ext = require(bundle);
			assert.equal(typeof ext.activate, 'function');
			assert.equal(typeof ext.deactivate, 'function');
		} finally {
			(Module as unknown as { _load: unknown })._load = load;
		}
		assert.ok(!requested.some((r) => r.startsWith('vscode-languageclient')), 'the bundle loaded vscode-languageclient from node_modules');
	});
});
