import { Kind, parse } from 'graphql';
import { postGraphQL } from './graphql.js';
import { drive, type LoadResult } from './load.js';
import { CALLERS, TIMELINE } from './queries.js';
import { measure, personViewRequest, type MeasuredRun, type ScenarioContext } from './scenarios.js';

/** Scenario 4's outcome: measured, or why not. */
export type TimelineResult =
  | { status: 'measured'; personId: string; generated: LoadResult; load: MeasuredRun; steady: MeasuredRun }
  | { status: 'pending' | 'failed'; note: string };

/** The message of a scenario that waits for the disclosure log. */
export const TIMELINE_PENDING = 'pending: disclosure log (#4) not merged';

/** True when the supergraph offers `Query.disclosureTimeline`, which the disclosure log (#4) adds. */
export function hasDisclosureTimeline(supergraphSdl: string): boolean {
  return parse(supergraphSdl).definitions.some(
    (d) =>
      (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      d.name.value === 'Query' &&
      (d.fields ?? []).some((f) => f.name.value === 'disclosureTimeline'),
  );
}

/**
 * Scenario 4, the consent officer's timeline of one person with `--timeline-records` disclosure records,
 * first page, p95. PLACEHOLDER until the disclosure log (#4) is merged: without `Query.disclosureTimeline`
 * in the supergraph it reports "pending". With it, it writes the records through the real code path: person
 * views of that person, each of which leaves one record in each of the four data subgraphs (released or
 * refused fields), then measures the timeline query.
 */
export async function timeline(ctx: ScenarioContext, supergraphSdl: string): Promise<TimelineResult> {
  if (!hasDisclosureTimeline(supergraphSdl)) return { status: 'pending', note: TIMELINE_PENDING };
  const personId = ctx.consented[0];
  ctx.log(`timeline: generating ${ctx.options.timelineRecords} disclosure records for person ${personId}`);
  const views = Math.ceil(ctx.options.timelineRecords / 4);
  const generated = await drive(
    { url: ctx.hub.gatewayUrl, connections: ctx.options.connections, duration: 0, amount: views },
    personViewRequest(ctx, [personId]),
  );
  const headers = { authorization: `Bearer ${ctx.tokens.officer}`, 'x-purpose': CALLERS.consentOfficer.purpose };
  const probe = await postGraphQL<{ disclosureTimeline?: { records?: unknown[] } }>(ctx.hub.gatewayUrl, {
    token: ctx.tokens.officer,
    purpose: CALLERS.consentOfficer.purpose,
    query: TIMELINE,
    variables: { id: personId },
  });
  if (probe.errors?.length || !probe.data?.disclosureTimeline?.records?.length) {
    return { status: 'failed', note: `the timeline query answered ${JSON.stringify(probe.errors ?? probe.data)}` };
  }
  const body = `{"query":${JSON.stringify(TIMELINE)},"variables":{"id":"${personId}"}}`;
  const request = { headers, body: () => body, verify: (text: string) => text.includes('"records":[{') };
  // The target is judged as one consent officer sees it: one client, each request after the last answer.
  // (autocannon's fixed rate starts every connection's timer together, so 16 connections at a low rate
  // arrive in bursts of 16.) The run at full load (16 connections) shows the capacity.
  const steady = await measure(ctx, 'disclosure timeline, one consent officer, hub', ctx.hub, request, undefined, 1);
  const load = await measure(ctx, 'disclosure timeline, hub', ctx.hub, request);
  return { status: 'measured', personId, generated, load, steady };
}
