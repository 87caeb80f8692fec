import { Logger } from '@nestjs/common';

/**
 * Runs `act`, which provokes an error the service logs for its operators, and returns the error
 * lines it logged instead of printing them: a green run prints nothing that looks like a failure,
 * and the test can assert that the operator was told.
 */
export async function capturingLoggedErrors<T>(act: () => Promise<T>): Promise<{ result: T; errors: string[] }> {
  const errors: string[] = [];
  const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => void errors.push(String(message)));
  try {
    return { result: await act(), errors };
  } finally {
    spy.mockRestore();
  }
}
