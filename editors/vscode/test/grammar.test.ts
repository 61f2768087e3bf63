// The TextMate grammar, tokenised by vscode-textmate with the Oniguruma
// engine, the same libraries VS Code uses.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';

import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

import { GrammarScope } from '../src/config';
import { extensionRoot } from './paths';

const grammarPath = path.join(extensionRoot, 'syntaxes', 'tinybird.tmLanguage.json');
let grammar: textmate.IGrammar;

/** Token is a piece of a line with the scopes VS Code would give it. */
interface Token {
	text: string;
	scopes: string[];
}

function tokenize(text: string): Token[][] {
	let state = textmate.INITIAL;
	return text.split('\n').map((line) => {
		const r = grammar.tokenizeLine(line, state);
		state = r.ruleStack;
		return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
	});
}

/** scopeOf returns the innermost scope of the first token equal to text. */
function scopeOf(line: Token[], text: string): string {
	const t = line.find((x) => x.text === text);
	assert.ok(t, `no token ${JSON.stringify(text)} in ${JSON.stringify(line.map((x) => x.text))}`);
	return t.scopes[t.scopes.length - 1];
}

function has(line: Token[], text: string, scope: string): boolean {
	return line.some((x) => x.text === text && x.scopes.includes(scope));
}

before(async () => {
	const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
	await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
	const registry = new textmate.Registry({
		onigLib: Promise.resolve({
			createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
			createOnigString: (s: string) => new oniguruma.OnigString(s),
		}),
		loadGrammar: async (scopeName: string) => {
			if (scopeName !== GrammarScope) {
				return null; // source.sql is VS Code's; bodies still get the embedded scope
			}
			return textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath);
		},
	});
	const g = await registry.loadGrammar(GrammarScope);
	assert.ok(g, 'grammar did not load');
	grammar = g;
});

describe('grammar', () => {
	it('highlights TOKEN lines: keyword, name, scope', () => {
		const [l1, l2, l3, l4] = tokenize('TOKEN app_read READ\nTOKEN "read api" APPEND # why\ntoken x read\nTOKEN x WRITE');
		assert.equal(scopeOf(l1, 'TOKEN'), 'keyword.other.token.tinybird');
		assert.equal(scopeOf(l1, 'app_read'), 'entity.name.token.tinybird');
		assert.equal(scopeOf(l1, 'READ'), 'constant.language.scope.tinybird');
		assert.equal(scopeOf(l2, '"read api"'), 'entity.name.token.tinybird');
		assert.equal(scopeOf(l2, 'APPEND'), 'constant.language.scope.tinybird');
		assert.equal(scopeOf(l2, '#'), 'punctuation.definition.comment.tinybird');
		assert.equal(scopeOf(l2, ' why'), 'comment.line.number-sign.tinybird');
		assert.equal(scopeOf(l3, 'read'), 'constant.language.scope.tinybird', 'the CLI accepts lower case');
		assert.equal(scopeOf(l4, 'WRITE'), 'invalid.illegal.scope.tinybird');
	});

	it('treats an indented TOKEN in an SQL body as SQL, and ends the body at a column-0 keyword', () => {
		const lines = tokenize([
			'NODE endpoint',
			'SQL >',
			'    SELECT * FROM events WHERE x = {{ String(x, "a") }}',
			'    TOKEN x APPEND',
			'',
			'FROM events',
			'TYPE endpoint',
			'TOKEN app_read READ',
		].join('\n'));
		assert.equal(scopeOf(lines[0], 'NODE'), 'keyword.other.node.tinybird');
		assert.equal(scopeOf(lines[0], 'endpoint'), 'entity.name.function.node.tinybird');
		assert.equal(scopeOf(lines[1], 'SQL'), 'keyword.control.block.tinybird');
		assert.equal(scopeOf(lines[1], '>'), 'punctuation.definition.block.tinybird');
		assert.ok(lines[2].every((t) => t.scopes.includes('meta.embedded.block.sql.tinybird')), 'SQL body is embedded SQL');
		assert.equal(scopeOf(lines[2], '{{'), 'punctuation.section.embedded.begin.tinybird');
		assert.equal(scopeOf(lines[2], 'String'), 'entity.name.function.template.tinybird');
		assert.ok(!lines[3].some((t) => t.scopes.includes('keyword.other.token.tinybird')), 'TOKEN inside SQL is not a directive');
		assert.ok(lines[5].every((t) => t.scopes.includes('meta.embedded.block.sql.tinybird')), 'a column-0 FROM stays in the body, as the CLI reads it');
		assert.equal(scopeOf(lines[6], 'TYPE'), 'keyword.other.type.tinybird');
		assert.ok(!lines[6].some((t) => t.scopes.includes('meta.embedded.block.sql.tinybird')), 'TYPE ends the SQL body');
		assert.equal(scopeOf(lines[7], 'READ'), 'constant.language.scope.tinybird');
	});

	it('highlights SCHEMA columns, types, JSON paths and defaults', () => {
		const lines = tokenize([
			'SCHEMA >',
			'    `timestamp` DateTime `json:$.timestamp`,',
			"    payload LowCardinality(String) `json:$.payload` DEFAULT '{}',",
			'',
			'ENGINE "MergeTree"',
			'ENGINE_SORTING_KEY "user_id, timestamp"',
		].join('\n'));
		assert.equal(scopeOf(lines[0], 'SCHEMA'), 'keyword.control.block.tinybird');
		assert.equal(scopeOf(lines[1], '`timestamp`'), 'variable.other.column.tinybird');
		assert.equal(scopeOf(lines[1], 'DateTime'), 'storage.type.column.tinybird');
		assert.equal(scopeOf(lines[1], '`json:$.timestamp`'), 'string.other.jsonpath.tinybird');
		assert.equal(scopeOf(lines[2], 'LowCardinality(String)'), 'storage.type.column.tinybird');
		assert.equal(scopeOf(lines[2], 'DEFAULT'), 'keyword.other.column.tinybird');
		assert.equal(scopeOf(lines[2], "'{}'"), 'string.quoted.single.tinybird');
		assert.equal(scopeOf(lines[4], 'ENGINE'), 'keyword.other.directive.tinybird');
		assert.equal(scopeOf(lines[4], '"MergeTree"'), 'string.quoted.double.tinybird');
		assert.equal(scopeOf(lines[5], 'ENGINE_SORTING_KEY'), 'keyword.other.directive.tinybird');
		assert.ok(!lines[4].some((t) => t.scopes.includes('meta.block.schema.tinybird')), 'ENGINE ends the SCHEMA body');
	});

	it('highlights comments, DESCRIPTION bodies and other blocks', () => {
		const lines = tokenize(['# a comment', 'DESCRIPTION >', '    Events from the web app', 'INDEXES >', '    idx event TYPE bloom_filter(0.01) GRANULARITY 4', 'VERSION 2'].join('\n'));
		assert.equal(scopeOf(lines[0], ' a comment'), 'comment.line.number-sign.tinybird');
		assert.equal(scopeOf(lines[1], 'DESCRIPTION'), 'keyword.control.block.tinybird');
		assert.ok(has(lines[2], 'Events from the web app', 'string.unquoted.description.tinybird'));
		assert.equal(scopeOf(lines[3], 'INDEXES'), 'keyword.control.block.tinybird');
		assert.ok(lines[4].every((t) => t.scopes.includes('meta.block.other.tinybird')), 'an indented TYPE stays in the INDEXES body');
		assert.equal(scopeOf(lines[5], 'VERSION'), 'keyword.other.directive.tinybird');
		assert.equal(scopeOf(lines[5], '2'), 'constant.numeric.tinybird');
	});
});
