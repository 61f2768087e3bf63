import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import { CrashCounter } from '../src/crash';

describe('CrashCounter', () => {
	it('allows max restarts within the window, then refuses', () => {
		const c = new CrashCounter(3, 1000);
		assert.deepEqual([0, 10, 20, 30].map((t) => c.crashed(t)), [true, true, true, false]);
		assert.equal(c.count, 4);
	});

	it('forgets crashes older than the window', () => {
		const c = new CrashCounter(2, 1000);
		assert.equal(c.crashed(0), true);
		assert.equal(c.crashed(500), true);
		assert.equal(c.crashed(1000), true, 'the crash at 0 left the window');
		assert.equal(c.crashed(1200), false, 'crashes at 500, 1000 and 1200 are three within 1000 ms');
	});

	it('starts over after reset', () => {
		const c = new CrashCounter(1, 1000);
		assert.equal(c.crashed(0), true);
		assert.equal(c.crashed(1), false);
		c.reset();
		assert.equal(c.count, 0);
		assert.equal(c.crashed(2), true);
	});
});
