import { Module } from '@nestjs/common';

/**
 * The worker process: it will host the store subscriptions (projections, process managers) and the
 * BullMQ processors (certificate issuance). In production it runs apart from the api and scales on
 * its own; `npm start` runs the api alone on the embedded default until those subscriptions exist.
 */
@Module({})
export class WorkerModule {}
