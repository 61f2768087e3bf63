// Finding the tbls binary, apart from 'vscode' so it can be tested.

import { execFile } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';

import { Binary } from './config';

/** Where a binary was found. */
export type Source = 'setting' | 'PATH' | 'GOBIN' | 'GOPATH';

/** Found is a binary that exists and is executable. */
export interface Found {
	path: string;
	source: Source;
}

/** NotFound says why no binary was found and where it was looked for. */
export interface NotFound {
	path: undefined;
	/** The candidate paths, in the order they were tried. */
	tried: string[];
	/** Set when tbls.path names a file that is missing or not executable. */
	badSetting?: string;
}

/** GoEnv holds the values of `go env GOBIN GOPATH`. */
export interface GoEnv {
	GOBIN: string;
	GOPATH: string;
}

/** LookupOptions is everything findBinary depends on, so tests can fake it. */
export interface LookupOptions {
	/** The tbls.path setting; '' when unset. */
	configured: string;
	/** The first workspace folder, to resolve a relative tbls.path. */
	workspaceFolder?: string;
	env: NodeJS.ProcessEnv;
	platform: NodeJS.Platform;
	homedir: string;
	isExecutable(file: string): Promise<boolean>;
	/** goEnv runs `go env`; undefined when go is not installed. Called only
	 * when GOBIN or GOPATH is missing from env, since it starts a process. */
	goEnv(): Promise<GoEnv | undefined>;
}

/**
 * findBinary looks for tbls: the tbls.path setting when set (and nowhere
 * else, so a typo there is reported rather than hidden by another binary),
 * else each PATH directory, else GOBIN, else GOPATH/bin (the first GOPATH
 * entry, ~/go by default) — where `go install` puts it.
 */
export async function findBinary(o: LookupOptions): Promise<Found | NotFound> {
	const p = o.platform === 'win32' ? path.win32 : path.posix;
	const exe = o.platform === 'win32' ? `${Binary}.exe` : Binary;

	if (o.configured.trim() !== '') {
		let file = o.configured.trim();
		if (file === '~' || file.startsWith('~/') || file.startsWith('~\\')) {
			file = p.join(o.homedir, file.slice(1));
		}
		if (!p.isAbsolute(file) && o.workspaceFolder !== undefined) {
			file = p.resolve(o.workspaceFolder, file);
		}
		if (await o.isExecutable(file)) {
			return { path: file, source: 'setting' };
		}
		return { path: undefined, tried: [file], badSetting: file };
	}

	const tried: string[] = [];
	const attempt = async (dir: string, source: Source): Promise<Found | undefined> => {
		if (dir === '') {
			return undefined;
		}
		const file = p.join(dir, exe);
		if (tried.includes(file)) {
			return undefined;
		}
		tried.push(file);
		return (await o.isExecutable(file)) ? { path: file, source } : undefined;
	};

	const pathVar = o.env.PATH ?? o.env.Path ?? '';
	for (const dir of pathVar.split(p.delimiter)) {
		const found = await attempt(dir, 'PATH');
		if (found) {
			return found;
		}
	}

	let goEnv: GoEnv | undefined;
	let goEnvAsked = false;
	const fromGo = async (key: keyof GoEnv): Promise<string> => {
		if (!goEnvAsked) {
			goEnvAsked = true;
			goEnv = await o.goEnv();
		}
		return goEnv?.[key] ?? '';
	};

	const gobin = o.env.GOBIN || (await fromGo('GOBIN'));
	const inGobin = await attempt(gobin, 'GOBIN');
	if (inGobin) {
		return inGobin;
	}

	const gopath = o.env.GOPATH || (await fromGo('GOPATH')) || p.join(o.homedir, 'go');
	const first = gopath.split(p.delimiter).find((d) => d !== '') ?? '';
	const inGopath = first === '' ? undefined : await attempt(p.join(first, 'bin'), 'GOPATH');
	if (inGopath) {
		return inGopath;
	}
	return { path: undefined, tried };
}

/** isExecutable reports whether file is a regular file the user may run. */
export async function isExecutable(file: string): Promise<boolean> {
	try {
		const st = await fs.stat(file);
		if (!st.isFile()) {
			return false;
		}
		await fs.access(file, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

/**
 * goEnv runs `go env -json GOBIN GOPATH`, which also sees values set with
 * `go env -w`. It resolves to undefined when go is missing or fails, since
 * the lookup then falls back to the defaults.
 */
export function goEnv(env: NodeJS.ProcessEnv = process.env): Promise<GoEnv | undefined> {
	return new Promise((resolve) => {
		execFile('go', ['env', '-json', 'GOBIN', 'GOPATH'], { env, timeout: 10_000 }, (err, stdout) => {
			if (err) {
				resolve(undefined);
				return;
			}
			try {
				const v = JSON.parse(stdout) as Partial<GoEnv>;
				resolve({ GOBIN: v.GOBIN ?? '', GOPATH: v.GOPATH ?? '' });
			} catch {
				resolve(undefined);
			}
		});
	});
}
