import { Module } from '@nestjs/common';
import { AppConfig, resolveMasterKeys } from '@jalon/config';
import { Storage } from '@jalon/event-store';
import { DataKeys, PersonalDataReadLog, PersonalDataVault } from '@jalon/privacy';
import { APP_CONFIG, STORAGE } from './runtime.tokens';

/** Personal data (R14): each candidate's data key under the master keys, the vault that seals and opens with them, the read log. */
@Module({
  providers: [
    {
      provide: DataKeys,
      inject: [APP_CONFIG, STORAGE],
      useFactory: (config: AppConfig, storage: Storage) => new DataKeys(storage.sql.db, resolveMasterKeys(config)),
    },
    { provide: PersonalDataVault, inject: [DataKeys], useFactory: (keys: DataKeys) => new PersonalDataVault(keys) },
    { provide: PersonalDataReadLog, inject: [STORAGE], useFactory: (storage: Storage) => new PersonalDataReadLog(storage.sql.db) },
  ],
  exports: [DataKeys, PersonalDataVault, PersonalDataReadLog],
})
export class PrivacyModule {}
