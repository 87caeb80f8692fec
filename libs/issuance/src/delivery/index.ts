export * from './delivery-message';
export * from './delivery-queue';
export * from './document-delivery.projection';
export * from './document-delivery.service';
export * from './mailer';
