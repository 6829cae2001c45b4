import { requireRegistered } from '../../common/access/write-scopes.js';
import { consentMigrations } from '../../migrations/consent/index.js';
import type { SubgraphDefinition } from '../../common/subgraph/definition.js';
import { Consent, PersonConsents } from './entities/consent.entity.js';
import { createConsentLoaders, type ConsentLoaders } from './loaders/consent.loaders.js';
import { ConsentResolver, PersonConsentsResolver } from './resolvers/consent.resolver.js';
import { ConsentedPersonsResolver } from './resolvers/consented-persons.resolver.js';
import { BasisResolver, DisclosureResolver } from './resolvers/disclosure.resolver.js';
import { consentSeeder } from './seed.js';
import { consentGrantsLookup } from './services/consent-grants.js';
import { resolvePersonStub } from '../../common/subgraph/person-reference.js';

/**
 * The consent registry, operated by the county. Consent officers record, change and withdraw consents;
 * every data subgraph asks it, per request and in one batch, which consents name the caller.
 */
export const consentSubgraph: SubgraphDefinition<ConsentLoaders> = {
  name: 'consent',
  resolvers: [ConsentResolver, PersonConsentsResolver, DisclosureResolver, BasisResolver, ConsentedPersonsResolver],
  orphanedTypes: [PersonConsents],
  entities: [Consent],
  migrations: consentMigrations,
  // Consent officers are audited too: every look at the disclosure logs is on record here.
  officerAuditLog: true,
  references: {
    Person: resolvePersonStub,
  },
  createLoaders: (db) => createConsentLoaders(db),
  // The data subgraphs' consent lookup on every request, without GraphQL around it (same token, purpose and rule).
  lookups: { consentGrants: consentGrantsLookup },
  writeScopes: {
    // A new consent must be about a person the county registered; changes name a consent, which the service finds.
    CONSENT_REGISTRY: async (ctx, target) => {
      if (target.personId) await requireRegistered(ctx, target.personId);
    },
  },
  seed: consentSeeder,
};
