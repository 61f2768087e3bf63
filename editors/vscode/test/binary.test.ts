// findBinary with a fake file system and go env, and goEnv against real go.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

import { findBinary, goEnv, isExecutable, LookupOptions } from '../src/binary';

function options(files: string[], over: Partial<LookupOptions> = {}): LookupOptions & { goEnvCalls: number } {
	const o = {
		configured: '',
		env: { PATH: '/usr/bin:/bin' },
		platform: 'linux' as NodeJS.Platform,
		homedir: '/home/u',
		isExecutable: async (f: string) => files.includes(f),
		goEnvCalls: 0,
		goEnv: async () => {
			o.goEnvCalls++;
			return { GOBIN: '', GOPATH: '/home/u/go' };
		},
		...over,
	};
	return o;
}

describe('findBinary', () => {
	it('uses tbls.path when set, expanding ~', async () => {
		const r = await findBinary(options(['/home/u/bin/tbls', '/usr/bin/tbls'], { configured: '~/bin/tbls' }));
		assert.deepEqual(r, { path: '/home/u/bin/tbls', source: 'setting' });
	});

	it('resolves a relative tbls.path against the workspace folder', async () => {
		const r = await findBinary(options(['/ws/tools/tbls'], { configured: 'tools/tbls', workspaceFolder: '/ws' }));
		assert.deepEqual(r, { path: '/ws/tools/tbls', source: 'setting' });
	});

	it('reports a bad tbls.path instead of falling back to PATH', async () => {
		const r = await findBinary(options(['/usr/bin/tbls'], { configured: '/opt/tbls' }));
		assert.deepEqual(r, { path: undefined, tried: ['/opt/tbls'], badSetting: '/opt/tbls' });
	});

	it('searches PATH in order, without running go', async () => {
		const o = options(['/bin/tbls', '/home/u/go/bin/tbls']);
		assert.deepEqual(await findBinary(o), { path: '/bin/tbls', source: 'PATH' });
		assert.equal(o.goEnvCalls, 0);
	});

	it('falls back to GOBIN from the environment', async () => {
		const o = options(['/gobin/tbls', '/home/u/go/bin/tbls'], { env: { PATH: '/usr/bin', GOBIN: '/gobin', GOPATH: '/gp' } });
		assert.deepEqual(await findBinary(o), { path: '/gobin/tbls', source: 'GOBIN' });
		assert.equal(o.goEnvCalls, 0);
	});

	it('asks go env for GOBIN when the environment has none', async () => {
		const o = options(['/from-go-env/tbls'], {
			goEnv: async () => ({ GOBIN: '/from-go-env', GOPATH: '/home/u/go' }),
		});
		assert.deepEqual(await findBinary(o), { path: '/from-go-env/tbls', source: 'GOBIN' });
	});

	it('falls back to the first GOPATH entry', async () => {
		const o = options(['/gp1/bin/tbls', '/gp2/bin/tbls'], { env: { PATH: '', GOPATH: '/gp1:/gp2' } });
		assert.deepEqual(await findBinary(o), { path: '/gp1/bin/tbls', source: 'GOPATH' });
	});

	it('defaults GOPATH to ~/go when go is not installed', async () => {
		const o = options(['/home/u/go/bin/tbls'], { goEnv: async () => undefined });
		assert.deepEqual(await findBinary(o), { path: '/home/u/go/bin/tbls', source: 'GOPATH' });
	});

	it('lists every place it looked when nothing is found', async () => {
		const o = options([], { env: { PATH: '/usr/bin:/bin', GOBIN: '/gobin' } });
		assert.deepEqual(await findBinary(o), {
			path: undefined,
			tried: ['/usr/bin/tbls', '/bin/tbls', '/gobin/tbls', '/home/u/go/bin/tbls'],
		});
	});

	it('looks for tbls.exe with Windows separators on Windows', async () => {
		const o = options(['C:\\Users\\u\\go\\bin\\tbls.exe'], {
			platform: 'win32',
			homedir: 'C:\\Users\\u',
			env: { Path: 'C:\\Windows;C:\\tools' },
			goEnv: async () => undefined,
		});
		assert.deepEqual(await findBinary(o), { path: 'C:\\Users\\u\\go\\bin\\tbls.exe', source: 'GOPATH' });
	});
});

describe('isExecutable', () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'tbls-bin-'));
	after(() => rmSync(dir, { recursive: true, force: true }));

	it('accepts an executable file and refuses others', async () => {
		const exe = path.join(dir, 'tbls');
		writeFileSync(exe, '#!/bin/sh\n');
		chmodSync(exe, 0o755);
		const plain = path.join(dir, 'plain');
		writeFileSync(plain, '');
		chmodSync(plain, 0o644);
		mkdirSync(path.join(dir, 'sub'));
		assert.equal(await isExecutable(exe), true);
		// Even root needs an execute bit for access(X_OK).
		assert.equal(await isExecutable(plain), false);
		assert.equal(await isExecutable(path.join(dir, 'sub')), false);
		assert.equal(await isExecutable(path.join(dir, 'missing')), false);
	});
});

describe('goEnv', () => {
	it('reads GOPATH and GOBIN from go env', async () => {
		const want = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim();
		const got = await goEnv();
		assert.ok(got, 'go env failed');
		assert.equal(got.GOPATH, want);
	});

	it('resolves undefined when go cannot run', async () => {
		assert.equal(await goEnv({ PATH: '/nonexistent' }), undefined);
	});
});
