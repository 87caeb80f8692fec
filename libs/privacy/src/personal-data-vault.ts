import { ConflictError, ERASED, isWithheld, SEALED, SENSITIVE_FIELDS } from '@jalon/domain';
import { DataKey, DataKeys } from './data-keys';
import { Ciphertext, decrypt, encrypt } from './sealed-box';

/** An event as stored or decided: its type and data. */
export interface EventLike {
  readonly type: string;
  readonly data: unknown;
}

/** What a sealed event carries besides its clear fields: whose key, and the ciphertext of the values. */
export interface SealedPart extends Ciphertext {
  readonly v: 1;
  readonly key: string;
}

/**
 * Seals the personal data of events before they are stored and opens it for the code entitled to
 * it (R14, DESIGN.md decision 7). The fields are those of SENSITIVE_FIELDS: their values are
 * encrypted together with the candidate's data key and replaced in place by the `sealed` marker,
 * so readers that never open (projections, exports) fold the same shape with nothing readable.
 * Once the candidate's key is destroyed, opening yields the `erased` marker where the data was.
 */
export class PersonalDataVault {
  constructor(
    private readonly keys: DataKeys,
    private readonly fields: Readonly<Record<string, readonly string[]>> = SENSITIVE_FIELDS,
  ) {}

  /**
   * The events as they will be stored: every sensitive value of `candidateId` encrypted with their
   * key. `fresh`: the events register the candidate (their key most likely does not exist yet).
   */
  async seal<E extends EventLike>(events: readonly E[], candidateId: string, options: { readonly fresh?: boolean } = {}): Promise<E[]> {
    const slotsOf = events.map((event) => {
      const slots = this.slots(event);
      // A `sealed` marker has no box of its own: storing one would lose the value for good.
      if (slots.some((slot) => isWithheld(slot.value) && slot.value.withheld === 'sealed')) {
        throw new Error(`a ${event.type} would store a sealed value without its ciphertext: the decision copied a fact it did not open`);
      }
      return slots.filter((slot) => slot.value !== undefined && !isWithheld(slot.value));
    });
    if (slotsOf.every((slots) => slots.length === 0)) return [...events];
    const key = await this.keys.obtain(candidateId, options);
    if (key.state === 'erased')
      throw new ConflictError('PERSONAL_DATA.ERASED', 'this candidate’s personal data was erased: no new personal data can be recorded for them');
    return events.map((event, i) => {
      const slots = slotsOf[i];
      if (slots.length === 0) return event;
      const box = encrypt(key.key, context(event.type, candidateId), Buffer.from(JSON.stringify(slots.map((s) => s.value)), 'utf8'));
      for (const slot of slots) slot.set(SEALED);
      return { ...event, data: { ...(slots[0].root as object), sealed: { v: 1, key: candidateId, ...box } satisfies SealedPart } };
    });
  }

  /** The events with their sealed values back in place, or `erased` where the key is gone. */
  async open<E extends EventLike>(events: readonly E[]): Promise<E[]> {
    const owners = [...new Set(events.map((e) => sealedPartOf(e)?.key).filter((k): k is string => k !== undefined))];
    if (owners.length === 0) return [...events];
    const keys = await this.keys.find(owners);
    return events.map((event) => this.openOne(event, keys));
  }

  private openOne<E extends EventLike>(event: E, keys: Map<string, DataKey>): E {
    const part = sealedPartOf(event);
    if (!part) return event;
    const key = keys.get(part.key);
    if (!key) throw new Error(`an event of type ${event.type} is sealed with a key that does not exist (candidate ${part.key})`);
    const { sealed: _sealed, ...clear } = event.data as Record<string, unknown>;
    const slots = this.slots({ type: event.type, data: clear }).filter(
      (slot) => isWithheld(slot.value) && (slot.value as { withheld: string }).withheld === 'sealed',
    );
    const values: unknown[] =
      key.state === 'erased' ? slots.map(() => ERASED) : JSON.parse(decrypt(key.key, context(event.type, part.key), part).toString('utf8'));
    if (values.length !== slots.length) throw new Error(`a sealed ${event.type} holds ${values.length} values for ${slots.length} fields`);
    slots.forEach((slot, i) => slot.set(values[i]));
    return { ...event, data: slots.length > 0 ? slots[0].root : clear };
  }

  /** Every place of the event's sensitive fields, on a copy of its data that `set` writes into. */
  private slots(event: EventLike): Slot[] {
    const paths = this.fields[event.type];
    if (!paths || typeof event.data !== 'object' || event.data === null) return [];
    const root = structuredClone(event.data) as Record<string, unknown>;
    return paths.flatMap((path) => walk(root, root, path.split('.')));
  }
}

interface Slot {
  readonly root: unknown;
  readonly value: unknown;
  set(value: unknown): void;
}

/** `a[].b` walks field `a`, every item of it, then field `b`; a missing field yields no slot. */
function walk(root: unknown, container: unknown, segments: readonly string[]): Slot[] {
  if (typeof container !== 'object' || container === null) return [];
  const [head, ...rest] = segments;
  const each = head.endsWith('[]');
  const name = each ? head.slice(0, -2) : head;
  const record = container as Record<string, unknown>;
  if (!(name in record)) return [];
  if (each) {
    const items = record[name];
    return Array.isArray(items) ? items.flatMap((item) => walk(root, item, rest)) : [];
  }
  if (rest.length > 0) return walk(root, record[name], rest);
  return [{ root, value: record[name], set: (value) => void (record[name] = value) }];
}

function sealedPartOf(event: EventLike): SealedPart | undefined {
  const data = event.data as { sealed?: SealedPart } | null;
  return data && typeof data === 'object' && data.sealed && data.sealed.v === 1 ? data.sealed : undefined;
}

/** A box opens only as the event type and for the candidate it was sealed for. */
const context = (eventType: string, candidateId: string) => `jalon:sealed-fields:v1:${eventType}:${candidateId}`;
