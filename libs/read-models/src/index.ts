export * from './candidate-path/candidate-path.projection';
export * from './all-projections';
