export * from './candidate-path/candidate-path.projection';
