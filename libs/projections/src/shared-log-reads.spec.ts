import { GlobalPosition, RecordedEvent, START } from '@jalon/event-store';
import { SharedLogReads } from './shared-log-reads';

const at = (n: number): GlobalPosition => ({ commit: BigInt(n), prepare: BigInt(n) });
const event = (n: number) => ({ id: `e${n}`, type: 'Happened', position: at(n) }) as unknown as RecordedEvent;

/** A log of `length` events, read as the store reads it, counting the reads. */
function log(length: number) {
  const events = Array.from({ length }, (_, i) => event(i + 1));
  const reads: string[] = [];
  const read = async (after: GlobalPosition, maxCount: number) => {
    reads.push(`${after.commit}/${maxCount}`);
    await new Promise((resolve) => setImmediate(resolve));
    return events.filter((e) => e.position.commit > after.commit).slice(0, maxCount);
  };
  return { events, reads, read, append: () => events.push(event(events.length + 1)) };
}

describe('SharedLogReads', () => {
  it('answers the projections asking for the same stretch at once with one read', async () => {
    const source = log(5);
    const reads = new SharedLogReads(source.read);
    const answers = await Promise.all([reads.after(START, 500), reads.after(START, 500), reads.after(START, 500)]);
    expect(source.reads).toEqual(['-1/500']);
    expect(answers.map((a) => a.map((e) => e.id))).toEqual([0, 1, 2].map(() => ['e1', 'e2', 'e3', 'e4', 'e5']));
  });

  it('keeps a stretch read for a projection that asks a moment later, cut to what it asks', async () => {
    const source = log(5);
    const reads = new SharedLogReads(source.read);
    await reads.after(at(2), 500);
    expect((await reads.after(at(2), 2)).map((e) => e.id)).toEqual(['e3', 'e4']);
    expect(source.reads).toEqual(['2/500']);
  });

  it('never keeps an empty read: the next append is seen', async () => {
    const source = log(2);
    const reads = new SharedLogReads(source.read);
    expect(await reads.after(at(2), 500)).toEqual([]);
    source.append();
    expect((await reads.after(at(2), 500)).map((e) => e.id)).toEqual(['e3']);
    expect(source.reads).toEqual(['2/500', '2/500']);
  });

  it('forgets the oldest stretches beyond what it may keep', async () => {
    const source = log(10);
    const reads = new SharedLogReads(source.read, 4);
    await reads.after(at(0), 3);
    await reads.after(at(3), 3);
    await reads.after(at(0), 3);
    expect(source.reads).toEqual(['0/3', '3/3', '0/3']);
  });

  it('shares a failed read as a failure and keeps nothing of it', async () => {
    let fail = true;
    const source = log(3);
    const reads = new SharedLogReads(async (after, maxCount) => {
      if (fail) throw new Error('connection lost');
      return source.read(after, maxCount);
    });
    await expect(Promise.all([reads.after(START, 10), reads.after(START, 10)])).rejects.toThrow('connection lost');
    fail = false;
    expect(await reads.after(START, 10)).toHaveLength(3);
  });
});
