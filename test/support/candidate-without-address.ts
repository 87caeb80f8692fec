import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { decideCandidate } from '@jalon/domain';
import { StreamCommandHandlers } from '@jalon/runtime';

/**
 * A candidate of `organisationId` registered as schools did before an e-mail address was asked (the
 * api requires one now): straight through the candidate stream's handler, with none. Its id.
 */
export async function registerCandidateWithoutAddress(app: INestApplication, organisationId: string, birthName: string): Promise<string> {
  const candidateId = randomUUID();
  await app.get(StreamCommandHandlers).candidates.handle(
    candidateId,
    (state) =>
      decideCandidate(
        {
          type: 'RegisterCandidate',
          data: {
            candidateId,
            organisationId,
            identity: { birthName, firstNames: ['Noé'], birthDate: '2000-01-01', sex: 'M', birthPlace: 'Paris (75)', email: '' },
            by: { id: 'admin-1', role: 'admin' },
            now: new Date().toISOString(),
          },
        },
        state,
      ),
    { organisationId },
  );
  return candidateId;
}
