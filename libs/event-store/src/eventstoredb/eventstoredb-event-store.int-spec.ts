import { eventStoreContract } from '../testing/event-store-contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

/** No EventStoreDB server can run on these machines: the suite runs when one is configured. */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

(connectionString ? describe : describe.skip)('event store contract: EventStoreDB (set EVENTSTORE_CONNECTION_STRING to run)', () => {
  eventStoreContract(async () => {
    const store = EventStoreDbEventStore.connect(connectionString!);
    return { store, dispose: () => store.close() };
  });
});
