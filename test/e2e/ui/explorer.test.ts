// A user opening the sample workspace sees its datasets in the Explorer.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useWorkbench } from '../harness/useWorkbench';

describe('explorer', () => {
  const workbench = useWorkbench();

  test('shows the sample workspace\'s data folder at the top level', async () => {
    const items = await workbench().explorerItems();
    const topLevel = items.filter((item) => item.depth === 1).map((item) => item.name);
    assert.ok(topLevel.includes('data'), `top-level explorer entries: ${topLevel.join(', ')}`);
  });
});
