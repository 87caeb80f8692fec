/**
 * given(events).when(command).then(events) | thenThrows(ErrorClass, code): the decider spec form
 * of Emmett and EventSourcing.NodeJS, for any pure decide/evolve pair.
 */
import { DomainError } from '../shared/errors';

type ErrorClass = abstract new (...args: never[]) => DomainError;

export interface DeciderSpec<C, E> {
  given(events: readonly E[]): {
    when(command: C): {
      then(expected: readonly E[]): void;
      thenThrows(errorClass: ErrorClass, code: string): DomainError;
      /** The events decided, for assertions on part of them. */
      events(): E[];
    };
  };
}

export function deciderSpec<C, E, S>(decide: (command: C, state: S) => E[], evolve: (state: S, event: E) => S, initial: () => S): DeciderSpec<C, E> {
  return {
    given: (events) => ({
      when: (command) => {
        const run = () => decide(command, events.reduce(evolve, initial()));
        return {
          then: (expected) => expect(run()).toEqual(expected),
          events: run,
          thenThrows: (errorClass, code) => {
            let caught: unknown;
            try {
              run();
            } catch (error) {
              caught = error;
            }
            expect(caught).toBeInstanceOf(errorClass);
            expect((caught as DomainError).code).toBe(code);
            return caught as DomainError;
          },
        };
      },
    }),
  };
}
