import { Projection } from '@jalon/projections';
import { createCandidatePathProjection } from './candidate-path/candidate-path.projection';
import { createHoldersToDeclareProjection } from './holders-to-declare/holders-to-declare.projection';

/** Every read model the service keeps, in the order they are fed. */
export const createAllProjections = (): Projection[] => [createCandidatePathProjection(), createHoldersToDeclareProjection()];
