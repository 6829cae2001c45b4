import type { EntityManager } from 'typeorm';
import { requirePersonId } from '../../../common/validation.js';
import {
  accessChanges,
  effectiveAccess,
  type AccessCell as PolicyCell,
} from '../../../common/policy/effective-access.js';
import type { ConsentGrant } from '../../../common/policy/policy.js';
import type { StatuteCatalogue } from '../../../common/policy/statutes.js';
import type { DistrictSettings } from '../../../common/subgraph/definition.js';
import { Consent } from '../entities/consent.entity.js';
import { AccessBasis, type AccessCell, type AccessChange } from '../entities/effective-access.type.js';

/**
 * A person's effective access, and what a withdrawal, void or change would make of it: the district's agencies
 * and purposes decided by `decide`, the function the subgraphs decide with, over the person's current consents.
 */
export class EffectiveAccessService {
  constructor(
    private readonly db: EntityManager,
    private readonly district: DistrictSettings,
    private readonly catalogue: StatuteCatalogue,
  ) {}

  /** The current versions of the person's consents, whatever their state: the policy tells which are in force. */
  private consentsOf(personId: string): Promise<Consent[]> {
    return this.db.getRepository(Consent).find({ where: { personId: requirePersonId(personId), isCurrent: true } });
  }

  private input(consents: ConsentGrant[], now: Date) {
    return {
      agencies: this.district.agencies.ids,
      consents,
      catalogue: this.catalogue,
      now,
      timeZone: this.district.timeZone,
    };
  }

  async of(personId: string, now = new Date()): Promise<AccessCell[]> {
    const consents = await this.consentsOf(personId);
    return effectiveAccess(this.input(consents, now)).map((cell) => this.describe(cell, consents));
  }

  /** What changes when `consent` (the current version) is replaced by `replacement`, or taken away (null). */
  async preview(consent: Consent, replacement: ConsentGrant | null, now = new Date()): Promise<AccessChange[]> {
    const consents = await this.consentsOf(consent.personId);
    const known = replacement ? [...consents, replacement] : consents;
    return accessChanges(this.input(consents, now), consent.id, replacement).map((change) => ({
      agency: change.agency,
      purpose: change.purpose,
      category: change.category,
      before: this.describe(change.before, consents),
      after: this.describe(change.after, known),
    }));
  }

  private describe(cell: PolicyCell, consents: ConsentGrant[]): AccessCell {
    const { decision } = cell;
    const base: AccessCell = {
      agency: cell.agency,
      purpose: cell.purpose,
      category: cell.category,
      allowed: decision.allowed,
      basis: AccessBasis.NONE,
      basisCode: null,
      refusal: decision.allowed ? null : decision.refusal,
      reason: decision.allowed ? null : decision.reason,
      statuteId: null,
      statuteReference: null,
      consentId: null,
      consentVersion: null,
      consentValidUntil: null,
      ownTaskForOwnRecords: cell.ownTaskForOwnRecords,
    };
    if (!decision.allowed) return base;
    base.basisCode = decision.basis;
    if (decision.basis === 'OWN_TASK') return { ...base, basis: AccessBasis.OWN_TASK };
    const [kind, rest] = [
      decision.basis.slice(0, decision.basis.indexOf(':')),
      decision.basis.slice(decision.basis.indexOf(':') + 1),
    ];
    if (kind === 'STATUTE') {
      const entry = this.catalogue.entries.find((e) => e.id === rest);
      return { ...base, basis: AccessBasis.STATUTE, statuteId: rest, statuteReference: entry?.reference ?? null };
    }
    const [id, version] = rest.split('@');
    const consent = consents.find((c) => c.id === id && c.version === Number(version));
    return {
      ...base,
      basis: AccessBasis.CONSENT,
      consentId: id,
      consentVersion: Number(version),
      consentValidUntil: consent?.validUntil ?? null,
    };
  }
}
