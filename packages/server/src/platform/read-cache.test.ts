import { describe, expect, it } from 'vitest';
import { testDatabase } from '../test/harness.js';
import { ReadCache } from './read-cache.js';

describe('read cache keyed by table generations', () => {
  it('serves a cached page until any write to a table it reads, whoever writes', async () => {
    const database = await testDatabase();
    try {
      const cache = new ReadCache(database);
      let loads = 0;
      const read = () =>
        cache.get(['departments'], 'all', async () => {
          loads++;
          return database.query<{ id: string }>('SELECT id FROM departments ORDER BY id');
        });
      expect(await read()).toEqual([]);
      expect(await read()).toEqual([]);
      expect(loads).toBe(1);
      // a write that bypasses every service still invalidates (the trigger bumps the generation)
      await database.exec("INSERT INTO departments (id, name) VALUES ('laser', 'Laser')");
      expect(await read()).toEqual([{ id: 'laser' }]);
      expect(loads).toBe(2);
      await database.exec("UPDATE departments SET name = 'Lasers'");
      await read();
      expect(loads).toBe(3);
      await database.exec('DELETE FROM work_centers'); // another table: no effect
      await read();
      expect(loads).toBe(3);
      expect(cache.hits).toBe(2);
    } finally {
      await database.drop();
    }
  });
});
