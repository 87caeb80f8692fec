export * from './document-model';
export * from './document-number';
export * from './document-storage';
export * from './issuance.service';
export * from './render';
export * from './issuance-queue';
export * from './issuance-process.projection';
