export * from './sealed-box';
export * from './data-keys';
export * from './personal-data-vault';
export * from './personal-data-reads';
export * from './stream-codecs';
