import { Events } from './registry';
import { deadLetterRetentionMs, deadLetterTopic, isTopic, Topics } from './topics';

describe('the topics of the contract', () => {
  const topics = Object.values(Topics);

  it('name no topic as the end of another, so a wire name behind any prefix is one topic only', () => {
    for (const a of topics) {
      for (const b of topics) if (a !== b) expect(isTopic(`prefix.${a.name}`, b)).toBe(false);
    }
  });

  it('have one owner each, and every event type sits on one of them', () => {
    expect(new Set(topics.map((t) => t.owner)).size).toBe(topics.length);
    for (const event of Events) expect(topics).toContain(event.topic);
  });

  it('give dead-letter topics a bounded retention, deleted rather than compacted', () => {
    expect(deadLetterTopic('auth.user.v1', 'group-management')).toEqual({
      name: 'auth.user.v1.group-management.dlq',
      key: 'as the original record',
      config: { 'cleanup.policy': 'delete', 'retention.ms': String(deadLetterRetentionMs), 'segment.ms': '86400000' },
    });
    expect(deadLetterRetentionMs).toBe(14 * 24 * 60 * 60 * 1000);
  });
});
