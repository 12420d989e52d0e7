import { Parser } from '@asyncapi/parser';
import { asyncApiDocument } from './asyncapi';
import { Events } from './registry';

describe('the AsyncAPI document', () => {
  it('is valid AsyncAPI 3 and lists every event of the contract', async () => {
    const document = asyncApiDocument();
    const { diagnostics } = await new Parser().parse(JSON.stringify(document));
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors).toEqual([]);
    const titles = Object.values((document.components as { messages: Record<string, { name: string }> }).messages).map(
      (m) => m.name,
    );
    expect(titles.sort()).toEqual(Events.map((e) => e.type).sort());
  });
});
