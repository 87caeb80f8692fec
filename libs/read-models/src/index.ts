export * from './candidate-path/candidate-path.projection';
export * from './all-projections';
export * from './candidate-path/present-path';
export * from './candidate-path/visible-paths';
export * from './candidate-path/path-row';
export * from './candidate-path/list-enrollments/list-enrollments';
export * from './candidate-path/cohort-statistics/cohort-statistics';
export * from './candidate-path/accommodation-findings/accommodation-findings';
