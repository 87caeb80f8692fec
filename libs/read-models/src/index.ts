export * from './candidate-path/candidate-path.projection';
export * from './all-projections';
export * from './candidate-path/present-path';
