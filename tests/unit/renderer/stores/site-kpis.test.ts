import { beforeEach, describe, expect, it } from 'vitest';
import { getInitialState, useSiteKpisStore } from '@renderer/stores/site-kpis';
import { kpisFixture } from '../fixtures/kpis';

describe('site KPIs store', () => {
  beforeEach(() => useSiteKpisStore.setState(getInitialState()));

  it('keeps the figures up to the latest `to` and ignores an overtaken answer', () => {
    const store = useSiteKpisStore.getState();
    store.kpisReceived(kpisFixture({ to: '2026-11-23T01:00:15.000Z', offered: 12 }));
    store.kpisReceived(kpisFixture({ to: '2026-11-23T01:00:00.000Z', offered: 10 }));
    expect(useSiteKpisStore.getState().kpis?.offered).toBe(12);
    store.kpisReceived(kpisFixture({ to: '2026-11-23T01:00:30.000Z', offered: 13 }));
    expect(useSiteKpisStore.getState().kpis?.offered).toBe(13);
  });

  it('records a failure, clears it on success, and resets', () => {
    const store = useSiteKpisStore.getState();
    store.loadFailed({ code: 'FORBIDDEN', message: 'no' });
    expect(useSiteKpisStore.getState().error?.code).toBe('FORBIDDEN');
    store.kpisReceived(kpisFixture());
    expect(useSiteKpisStore.getState().error).toBeNull();
    store.reset();
    expect(useSiteKpisStore.getState()).toMatchObject(getInitialState());
  });
});
