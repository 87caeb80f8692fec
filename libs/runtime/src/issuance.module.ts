import { Module } from '@nestjs/common';
import { AppConfig, resolveMasterKeys } from '@jalon/config';
import { EventStore, Storage } from '@jalon/event-store';
import {
  ConfiguredIssuers,
  DocumentStorage,
  FolderDocumentStorage,
  Issuance,
  IssuerKeyRing,
  issuerKeySigner,
  StatusListPublisher,
  StatusLists,
  StatusListSigner,
} from '@jalon/issuance';
import { PersonalDataVault } from '@jalon/privacy';
import { PrivacyModule } from './privacy.module';
import { EventSourcingModule } from './event-sourcing.module';
import { ReferentialResolver } from './referential-resolver.service';
import { APP_CONFIG, DOCUMENT_STORAGE, EVENT_STORE, ISSUERS, STATUS_LIST_SIGNER, STORAGE } from './runtime.tokens';
import { StreamCommandHandlers } from './stream-command-handlers';

/**
 * The documents and their issuers: the stored files, each issuer's signing keys, the revocation
 * status lists (each document's entry, the lists signed as their issuer), and Issuance, which
 * issues, reissues and revokes the attestations and certificates.
 */
@Module({
  imports: [EventSourcingModule, PrivacyModule],
  providers: [
    { provide: DOCUMENT_STORAGE, inject: [APP_CONFIG], useFactory: (config: AppConfig): DocumentStorage => new FolderDocumentStorage(config.documentsDir) },
    {
      // Each issuer's signing keys, shared by every instance through the database; the first is made on first use.
      provide: IssuerKeyRing,
      inject: [APP_CONFIG, STORAGE, ISSUERS],
      useFactory: (config: AppConfig, storage: Storage, issuers: ConfiguredIssuers) =>
        new IssuerKeyRing(storage.sql.db, resolveMasterKeys(config), {
          publicBaseUrl: config.publicBaseUrl,
          issuers: issuers.all.map((issuer) => issuer.identity),
        }),
    },
    // The revocation status lists, each issuer's own: each document's entry, given at issue; the lists, signed as their issuer.
    {
      provide: StatusLists,
      inject: [APP_CONFIG, STORAGE, ISSUERS],
      useFactory: (config: AppConfig, storage: Storage, issuers: ConfiguredIssuers) =>
        new StatusLists(storage.sql.db, {
          issuerSlug: config.issuerSlug,
          publicBaseUrl: config.publicBaseUrl,
          issuers: issuers.all.map((issuer) => issuer.identity.slug),
        }),
    },
    {
      // Each issuer's lists signed with its current key, asked at each signing: a rotation made elsewhere is followed.
      provide: STATUS_LIST_SIGNER,
      inject: [IssuerKeyRing],
      useFactory:
        (ring: IssuerKeyRing) =>
        (slug: string): StatusListSigner | undefined => {
          const identity = ring.identity(slug);
          if (!identity) return undefined;
          return {
            issuer: { id: ring.issuerId(slug), name: identity.name },
            sign: async (credential) => issuerKeySigner(await ring.signingKey(slug)).sign(credential),
          };
        },
    },
    {
      provide: StatusListPublisher,
      inject: [StatusLists, STATUS_LIST_SIGNER],
      useFactory: (lists: StatusLists, signerOf: (slug: string) => StatusListSigner | undefined) => new StatusListPublisher(lists, signerOf),
    },
    {
      provide: Issuance,
      inject: [APP_CONFIG, EVENT_STORE, ISSUERS, DOCUMENT_STORAGE, ReferentialResolver, IssuerKeyRing, PersonalDataVault, StreamCommandHandlers, StatusLists],
      useFactory: (
        config: AppConfig,
        store: EventStore,
        issuers: ConfiguredIssuers,
        documents: DocumentStorage,
        referentials: ReferentialResolver,
        keys: IssuerKeyRing,
        vault: PersonalDataVault,
        handlers: StreamCommandHandlers,
        statusList: StatusLists,
      ) =>
        new Issuance({
          store,
          enrollments: handlers.enrollments,
          documents,
          referential: (id, version) => referentials.resolve(id, version),
          key: keys.signer(config.issuerSlug),
          publicBaseUrl: config.publicBaseUrl,
          vault,
          statusList,
          ...(issuers.default.signatory ? { signatory: issuers.default.signatory } : {}),
          // Each référentiel's documents issued by its certifier where one issues as itself, else by the default issuer.
          issuerOf: (referentialId) => {
            const issuer = issuers.of(referentialId);
            return {
              key: keys.signer(issuer.identity.slug),
              statusList: statusList.forIssuer(issuer.identity.slug),
              ...(issuer.signatory ? { signatory: issuer.signatory } : {}),
              ...(issuer.certifier ? { certifier: issuer.certifier } : {}),
            };
          },
        }),
    },
  ],
  exports: [DOCUMENT_STORAGE, IssuerKeyRing, StatusLists, STATUS_LIST_SIGNER, StatusListPublisher, Issuance],
})
export class IssuanceModule {}
