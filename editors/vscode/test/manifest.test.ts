// package.json against src/config.ts and src/extension.ts: every setting and
// command declared is read or registered by the extension, and every one the
// extension uses is declared.

import { strict as assert } from 'node:assert';
import { readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { Command, DatafilePatterns, GrammarScope, Language, Section, Setting, TraceValues } from '../src/config';
import { extensionRoot } from './paths';

const manifest = JSON.parse(readFileSync(path.join(extensionRoot, 'package.json'), 'utf8'));
const source = readFileSync(path.join(extensionRoot, 'src', 'extension.ts'), 'utf8');
// Comments would let a test pass on a usage that is only mentioned.
const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

function keyOf<T extends Record<string, string>>(obj: T, value: string): string | undefined {
	return Object.keys(obj).find((k) => obj[k] === value);
}

describe('settings', () => {
	const declared = Object.keys(manifest.contributes.configuration.properties).sort();

	it('package.json declares exactly the settings of config.ts', () => {
		const expected = Object.values(Setting).map((s) => `${Section}.${s}`).sort();
		assert.deepEqual(declared, expected);
	});

	it('every declared setting is read by extension.ts', () => {
		for (const name of declared) {
			const key = keyOf(Setting, name.slice(Section.length + 1));
			assert.ok(key, `${name} has no constant in config.ts`);
			assert.match(code, new RegExp(`\\.get<[^>]*>\\(Setting\\.${key}\\b`), `extension.ts never reads ${name} (settings().get<…>(Setting.${key}, …))`);
		}
	});

	it('extension.ts reads settings only through config.ts names', () => {
		assert.doesNotMatch(code, /['"`]tbls\./, 'a literal "tbls.…" in extension.ts bypasses config.ts');
		const sections = [...code.matchAll(/getConfiguration\(([^)]*)\)/g)].map((m) => m[1]);
		assert.ok(sections.length > 0, 'extension.ts never calls getConfiguration');
		for (const s of sections) {
			assert.equal(s, 'Section', `getConfiguration(${s}) reads another section than config.Section`);
		}
		for (const m of code.matchAll(/\.get<[^>]*>\(([^,)]*)/g)) {
			assert.match(m[1], /^Setting\.\w+$/, `setting read by a name not from config.ts: ${m[1]}`);
		}
		for (const m of code.matchAll(/affectsConfiguration\(([^)]*)\)/g)) {
			assert.match(m[1], /^`\$\{Section\}\.\$\{Setting\.\w+\}`$/, `affectsConfiguration(${m[1]}) does not use config.ts names`);
		}
	});

	it('the language client id is the section, so the client reads tbls.trace.server', () => {
		assert.match(code, /new LanguageClient\(Section,/);
		assert.deepEqual(manifest.contributes.configuration.properties[`${Section}.${Setting.traceServer}`].enum, [...TraceValues]);
	});

	it('every declared setting has a description, a type and a default', () => {
		for (const [name, p] of Object.entries<Record<string, unknown>>(manifest.contributes.configuration.properties)) {
			assert.equal(typeof p.description, 'string', `${name} has no description`);
			assert.equal(typeof p.type, 'string', `${name} has no type`);
			assert.ok('default' in p, `${name} has no default`);
		}
	});
});

describe('commands', () => {
	const declared: string[] = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();

	it('package.json declares exactly the commands of config.ts', () => {
		assert.deepEqual(declared, Object.values(Command).sort());
	});

	it('every declared command is registered by extension.ts', () => {
		for (const id of declared) {
			const key = keyOf(Command, id);
			assert.match(code, new RegExp(`registerCommand\\(Command\\.${key}\\b`), `extension.ts never registers ${id}`);
		}
	});

	it('extension.ts registers only declared commands', () => {
		const registered = [...code.matchAll(/registerCommand\(([^,]*),/g)].map((m) => m[1]);
		assert.ok(registered.length > 0);
		for (const r of registered) {
			const m = /^Command\.(\w+)$/.exec(r);
			assert.ok(m, `registerCommand(${r}) does not use a config.ts name`);
			assert.ok(declared.includes((Command as Record<string, string>)[m[1]]), `${r} is registered but not declared`);
		}
	});
});

describe('languages and activation', () => {
	it('package.json contributes exactly the languages of config.ts, with grammar and configuration', () => {
		const ids = manifest.contributes.languages.map((l: { id: string }) => l.id).sort();
		assert.deepEqual(ids, Object.values(Language).sort());
		for (const l of manifest.contributes.languages) {
			assert.ok(existsSync(path.join(extensionRoot, l.configuration)), `${l.id}: ${l.configuration} is missing`);
			JSON.parse(readFileSync(path.join(extensionRoot, l.configuration), 'utf8'));
		}
		const exts = manifest.contributes.languages.flatMap((l: { extensions: string[] }) => l.extensions).sort();
		assert.deepEqual(exts, DatafilePatterns.map((p) => p.replace('**/*', '')).sort());
		for (const g of manifest.contributes.grammars) {
			assert.ok(ids.includes(g.language), `grammar for unknown language ${g.language}`);
			const grammar = JSON.parse(readFileSync(path.join(extensionRoot, g.path), 'utf8'));
			assert.equal(grammar.scopeName, g.scopeName);
			// Tinybird's own extension registers source.tinybird: sharing a
			// scope name makes the two grammars collide.
			assert.equal(g.scopeName, GrammarScope);
			assert.notEqual(g.scopeName, 'source.tinybird');
		}
		assert.deepEqual(manifest.contributes.grammars.map((g: { language: string }) => g.language).sort(), ids);
	});

	it('the document selector covers go, both languages and both patterns', () => {
		assert.match(code, /\{ scheme: 'file', language: 'go' \}/);
		for (const key of Object.keys(Language)) {
			assert.match(code, new RegExp(`language: Language\\.${key}\\b`), `Language.${key} is not in the document selector`);
		}
		assert.match(code, /DatafilePatterns\.map\(\(pattern\) => \(\{ scheme: 'file', pattern \}\)\)/);
	});

	it('activation events cover go, the languages and the datafile patterns', () => {
		const events: string[] = manifest.activationEvents;
		const expected = [
			'onLanguage:go',
			...Object.values(Language).map((l) => `onLanguage:${l}`),
			...DatafilePatterns.map((p) => `workspaceContains:${p}`),
		];
		assert.deepEqual([...events].sort(), expected.sort());
	});
});

describe('manifest', () => {
	it('main is the bundled extension, exporting activate and deactivate', () => {
		const main = path.join(extensionRoot, manifest.main);
		assert.equal(manifest.main, './dist/extension.js');
		assert.ok(existsSync(main), `${manifest.main} is missing: run npm run bundle`);
		assert.match(code, /export function activate\(/);
		assert.match(code, /export function deactivate\(/);
	});

	it('engines.vscode and @types/vscode agree, as vsce requires', () => {
		assert.equal(manifest.engines.vscode, '^1.91.0');
		const types = manifest.devDependencies['@types/vscode'];
		assert.match(types, /^1\.91\.\d+$/, '@types/vscode must not be newer than engines.vscode');
	});

	it('pins every dependency to an exact version', () => {
		for (const deps of [manifest.dependencies ?? {}, manifest.devDependencies]) {
			for (const [name, v] of Object.entries<string>(deps)) {
				assert.match(v, /^\d+\.\d+\.\d+$/, `${name}@${v} is not pinned`);
			}
		}
		// vscode-languageclient is bundled into dist/extension.js: the
		// extension has no runtime dependency for vsce to collect.
		assert.equal(manifest.dependencies, undefined);
		assert.ok(manifest.devDependencies['vscode-languageclient']);
		assert.ok(manifest.devDependencies.esbuild);
	});

	it('vsce package builds the bundle itself (vscode:prepublish)', () => {
		assert.match(manifest.scripts['vscode:prepublish'], /npm run bundle/);
		assert.match(manifest.scripts.bundle, /^esbuild src\/extension\.ts --bundle --outfile=dist\/extension\.js --external:vscode /);
		assert.equal(manifest.scripts.package, 'vsce package --out tbls.vsix');
	});
});
