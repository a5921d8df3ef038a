import { expect, it } from 'vitest';
import { WakeTimer } from '../../../src/sim/wake-timer.ts';

// The engine's one timer. An overdue wake-up (its time already past when armed, as when a decode
// step ran long) fires at once, without Node's TimeoutNegativeWarning reaching the simulator's users.

it('an overdue wake-up fires at once, without a negative-timeout warning', async () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.name);
  process.on('warning', onWarning);
  try {
    const timer = new WakeTimer(() => performance.now());
    const fired = await new Promise<number>((resolve) => {
      const armedAt = performance.now();
      timer.arm(armedAt - 50, () => resolve(performance.now() - armedAt), false);
    });
    expect(fired).toBeLessThan(50);
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).not.toContain('TimeoutNegativeWarning');
  } finally {
    process.off('warning', onWarning);
  }
});

it('an earlier wake-up replaces a later one; a later one leaves the earlier in place', async () => {
  const timer = new WakeTimer(() => performance.now());
  const order: string[] = [];
  const now = performance.now();
  timer.arm(now + 40, () => order.push('late'), false);
  await new Promise<void>((resolve) => {
    timer.arm(
      now + 5,
      () => {
        order.push('early');
        resolve();
      },
      false,
    );
    timer.arm(now + 30, () => order.push('ignored'), false);
  });
  await new Promise((resolve) => setTimeout(resolve, 60));
  expect(order).toEqual(['early']);
});
