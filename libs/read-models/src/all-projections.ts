import { Projection } from '@jalon/projections';
import { createCandidatePathProjection } from './candidate-path/candidate-path.projection';

/** Every read model the service keeps, in the order they are fed. */
export const createAllProjections = (): Projection[] => [createCandidatePathProjection()];
