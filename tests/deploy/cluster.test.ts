import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, it } from '@jest/globals';
import { canRead, imageUser, mountedFile, processIdentity, type ProcessIdentity } from '../support/kubelet.js';
import { ROOT, renderCluster, type Json, type RenderedCluster } from '../support/kustomize.js';
import { parseLabelledKeys } from '../../common/audit/proofs/key-set.js';

/**
 * The cluster's files where they live: `deploy/k8s` rendered as an operator renders it (after
 * `npm run k8s:secrets`), every object checked against the Kubernetes schemas, and every file a part reads
 * worked out with the kubelet's rules (owner, group, mode) and checked readable by the part's process.
 */
const podSpecs = (objects: Json[]) =>
  objects.flatMap((m) =>
    ['Deployment', 'StatefulSet', 'Job'].includes(m.kind as string)
      ? [{ object: m, pod: m.spec.template.spec as Json }]
      : m.kind === 'CronJob'
        ? [{ object: m, pod: m.spec.jobTemplate.spec.template.spec as Json }]
        : [],
  );
/**
 * kustomize writes a Secret's long base64 values as YAML block scalars with line breaks; the API server's
 * base64 decoder (Go's encoding/base64) skips them, the schema's `byte` format does not.
 */
function asTheApiServerReadsIt(object: Json): Json {
  if (object.kind !== 'Secret' || !object.data) return object;
  const data = Object.fromEntries(
    Object.entries(object.data as Record<string, string>).map(([key, value]) => [key, value.replace(/[\r\n]/g, '')]),
  );
  return { ...object, data };
}
/** An IPv4 address as a number. */
const ipv4 = (address: string) => address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
/** Whether `address` lies in `cidr` (IPv4). */
function inCidr(address: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(address) / size) === Math.floor(ipv4(base) / size);
}
/**
 * Whether the network policies let a pod with `labels` open a connection to `address:port` outside the cluster,
 * as the NetworkPolicy API defines it: some policy of type Egress selects the pod and one of its rules names
 * the port (or none) and an ipBlock holding the address outside its `except`.
 */
function egressAllowed(objects: Json[], labels: Record<string, string>, address: string, port: number): boolean {
  return objects
    .filter((o) => o.kind === 'NetworkPolicy' && (o.spec.policyTypes as string[]).includes('Egress'))
    .filter((o) =>
      Object.entries((o.spec.podSelector?.matchLabels ?? {}) as Record<string, string>).every(
        ([key, value]) => labels[key] === value,
      ),
    )
    .some((o) =>
      ((o.spec.egress ?? []) as Json[]).some(
        (rule) =>
          (!rule.ports || (rule.ports as Json[]).some((p) => p.port === port)) &&
          (!rule.to ||
            (rule.to as Json[]).some(
              (peer) =>
                peer.ipBlock &&
                inCidr(address, peer.ipBlock.cidr as string) &&
                !((peer.ipBlock.except ?? []) as string[]).some((except) => inCidr(address, except)),
            )),
      ),
    );
}
/** Whether a pod selector's matchLabels select a pod with `labels`. */
const selects = (selector: Json | undefined, labels: Record<string, string>) =>
  Object.entries((selector?.matchLabels ?? {}) as Record<string, string>).every(
    ([key, value]) => labels[key] === value,
  );
/**
 * Whether the network policies let a pod with `from` labels open a connection to a pod with `to` labels on `port`
 * in the same namespace: an Egress rule of a policy selecting the one names the other (podSelector) and the port,
 * and an Ingress rule of a policy selecting the other names the one and the port (default deny holds both ways).
 */
function podReaches(objects: Json[], from: Record<string, string>, to: Record<string, string>, port: number): boolean {
  const allows = (type: 'Ingress' | 'Egress', own: Record<string, string>, peer: Record<string, string>) =>
    objects
      .filter((o) => o.kind === 'NetworkPolicy' && (o.spec.policyTypes as string[]).includes(type))
      .filter((o) => selects(o.spec.podSelector as Json, own))
      .some((o) =>
        ((o.spec[type === 'Ingress' ? 'ingress' : 'egress'] ?? []) as Json[]).some(
          (rule) =>
            (!rule.ports || (rule.ports as Json[]).some((p) => p.port === port)) &&
            ((rule[type === 'Ingress' ? 'from' : 'to'] ?? []) as Json[]).some(
              (p) => p.podSelector && !p.namespaceSelector && selects(p.podSelector as Json, peer),
            ),
        ),
      );
  return allows('Egress', from, to) && allows('Ingress', to, from);
}
/** PostgreSQL's `max_connections` as a server container sets it (`-c max_connections=N`), else its default. */
function maxConnections(container: Json): number {
  const args = [...((container.command ?? []) as string[]), ...((container.args ?? []) as string[])].join(' ');
  return Number(/max_connections=(\d+)/.exec(args)?.[1] ?? 100);
}
/** PostgreSQL keeps this many of max_connections for superusers (superuser_reserved_connections' default). */
const RESERVED_CONNECTIONS = 3;
const DATA_SUBGRAPHS = ['county', 'municipality', 'jobcenter', 'socialcare'];
const isVerbundImage = (image: unknown) => typeof image === 'string' && /(^|\/)verbund(:|@|$)/.test(image);

describe('the rendered cluster', () => {
  let rendered: RenderedCluster;
  let image: { uid: number; gid: number };

  beforeAll(async () => {
    rendered = await renderCluster();
    image = imageUser(await readFile(path.join(ROOT, 'Dockerfile'), 'utf8'));
  });

  it('the kubelet file model agrees with the kernel (files as root with a mode and group, read by another uid)', () => {
    if (process.getuid?.() !== 0) {
      // Only root can hand files to root and switch to another user; the model's cases below still run.
      console.warn('[cluster] not root: the kernel cross-check is skipped');
    }
    const cases: [mode: number, gid: number, who: ProcessIdentity, readable: boolean][] = [
      // The crash-loop of issue #24: root:root 0440, the process uid/gid 1000 without fsGroup.
      [0o440, 0, { uid: 1000, gid: 1000, groups: [] }, false],
      [0o444, 0, { uid: 1000, gid: 1000, groups: [] }, true],
      // fsGroup 1000: the file is root:1000 and the process has 1000 as a supplementary group.
      [0o440, 1000, { uid: 1000, gid: 1000, groups: [1000] }, true],
      [0o440, 2000, { uid: 1000, gid: 1000, groups: [2000] }, true],
      [0o400, 1000, { uid: 1000, gid: 1000, groups: [1000] }, false],
      [0o404, 0, { uid: 1000, gid: 1000, groups: [] }, true],
    ];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-kubelet-'));
    try {
      chmodSync(dir, 0o755);
      cases.forEach(([mode, gid, who, readable], i) => {
        assert.equal(canRead({ uid: 0, gid, mode }, who), readable, `model: case ${i}`);
        if (process.getuid?.() !== 0) return;
        const file = path.join(dir, `f${i}`);
        writeFileSync(file, 'x');
        chownSync(file, 0, gid);
        chmodSync(file, mode);
        const run = spawnSync(
          'setpriv',
          [
            `--reuid=${who.uid}`,
            `--regid=${who.gid}`,
            who.groups.length ? `--groups=${who.groups.join(',')}` : '--clear-groups',
            process.execPath,
            '-e',
            `require('fs').readFileSync(${JSON.stringify(file)})`,
          ],
          { encoding: 'utf8' },
        );
        assert.equal(run.status === 0, readable, `kernel: case ${i} (${run.stderr.split('\n')[0]})`);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("every file a Verbund container reads (AGENCIES_FILE; TLS and key files of the serving parts) is mounted and readable by the container's user", () => {
    const configMaps = new Map(
      rendered.objects.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name as string, o]),
    );
    let checked = 0;
    for (const { object, pod } of podSpecs(rendered.objects)) {
      for (const container of (pod.containers as Json[]).filter((c) => isVerbundImage(c.image))) {
        const env: Record<string, string> = {};
        for (const from of (container.envFrom ?? []) as Json[])
          Object.assign(env, configMaps.get(from.configMapRef?.name as string)?.data ?? {});
        for (const entry of (container.env ?? []) as Json[])
          if (typeof entry.value === 'string') env[entry.name as string] = entry.value;
        const who = processIdentity(pod, container, image);
        // Every command reads AGENCIES_FILE with its configuration; the serving parts (gateway, subgraph) also read
        // their certificate files and signing keys at start (tlsOrExit, keyRingOrExit), the one-shot commands do not.
        const serving = ['gateway', 'subgraph'].includes((container.args as string[])[0]);
        // Retention signs its RETENTION record with the subgraph's log key (scripts/audit-retention.ts).
        const signs = (container.args as string[])[0] === 'audit-retention';
        const reads = ([name, value]: [string, string]) =>
          value !== '' &&
          (name === 'AGENCIES_FILE' ||
            (serving && name.endsWith('_FILE')) ||
            (signs && name.endsWith('_LOG_KEY_FILE')));
        for (const [name, file] of Object.entries(env).filter(reads)) {
          const label = `${object.kind as string} ${object.metadata.name as string}: ${name}=${file}`;
          const mounted = mountedFile(file, pod, container, rendered.objects);
          assert.ok(mounted, `${label} is not mounted (the image has no such file)`);
          assert.ok(
            canRead(mounted, who),
            `${label}: ${mounted.source} is written ${mounted.uid}:${mounted.gid} ${mounted.mode.toString(8)}, ` +
              `the process runs as ${who.uid}:${who.gid} (groups ${who.groups.join(',') || 'none'})`,
          );
          checked += 1;
        }
      }
    }
    // Gateway: TLS ×3 and agencies; each subgraph: TLS ×3, agencies, its key; migrations: agencies; retention
    // jobs: agencies and the log key.
    assert.ok(checked >= 6 * 4 + 4 + 5 + 4 * 2, `${checked} files checked`);
  });

  it('every rendered object is valid against the Kubernetes schemas (kubernetes-models)', async () => {
    const problems: string[] = [];
    for (const object of rendered.objects) {
      const label = `${object.kind as string} ${object.metadata?.name as string}`;
      const models = (await import(`kubernetes-models/${object.apiVersion as string}`)) as Record<
        string,
        new (data: Json) => { validate(): void }
      >;
      const Model = models[object.kind as string];
      if (!Model) {
        problems.push(`${label}: no schema for ${object.apiVersion as string}`);
        continue;
      }
      try {
        new Model(asTheApiServerReadsIt(object)).validate();
      } catch (error) {
        problems.push(`${label}: ${(error as Error).message}`);
      }
    }
    assert.deepEqual(problems, []);
    // The validation does reject: a Deployment without its selector, a port as text where a number belongs.
    const { Deployment } = await import('kubernetes-models/apps/v1');
    const broken = structuredClone(rendered.objects.find((o) => o.kind === 'Deployment')!);
    delete broken.spec.selector;
    assert.throws(() => new Deployment(broken).validate());
  });

  it("the rendered Secrets hold the operator's values: no placeholder, every key present, each signing key an Ed25519 key", () => {
    assert.doesNotMatch(rendered.yaml, /CHANGE-ME|placeholder/i);
    const secrets = rendered.objects.filter((o) => o.kind === 'Secret');
    // Per subgraph: its database's administrator and role, its signing key; the scraper's token; per part its certificate.
    // (The log keys: the four data subgraphs' and the consent registry's own, beside the witness keys of the registry
    // and of the jobcenter, which witnesses the registry's own log, and the registry's grant key.)
    assert.equal(secrets.length, 5 * 3 + 1 + 1 + 1 + 1 + 6);
    for (const secret of secrets) {
      const values = Object.entries((secret.data ?? {}) as Record<string, string>);
      assert.ok(values.length > 0, `${secret.metadata.name as string} has values`);
      for (const [key, encoded] of values) {
        const value = Buffer.from(encoded, 'base64').toString('utf8');
        assert.ok(value.trim().length >= 16, `${secret.metadata.name as string}.${key} is set`);
        if (key === 'key.pem') assert.equal(createPublicKey(value).asymmetricKeyType, 'ed25519');
      }
    }
    // Every Secret a pod names is one the kustomization makes (the generator's hashed names included).
    const names = new Set(secrets.map((s) => s.metadata.name as string));
    for (const { object, pod } of podSpecs(rendered.objects)) {
      const referenced = [
        ...((pod.volumes ?? []) as Json[]).flatMap((v) => (v.secret ? [v.secret.secretName as string] : [])),
        ...(pod.containers as Json[]).flatMap((c) =>
          ((c.env ?? []) as Json[]).flatMap((e) =>
            e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name as string] : [],
          ),
        ),
      ];
      for (const name of referenced) assert.ok(names.has(name), `${object.metadata.name as string} names ${name}`);
    }
  });

  it("the registry's own log is witnessed by the jobcenter in the cluster: each pins the other's key from the rendered file", () => {
    const pinned = rendered.objects.find(
      (o) => o.kind === 'ConfigMap' && (o.metadata.name as string).startsWith('verbund-pinned-log-keys'),
    )!;
    const { logs, witnesses } = parseLabelledKeys(JSON.parse(pinned.data['pinned-log-keys.json'] as string));
    assert.ok(logs['verbund:consent']?.length, "the registry's log key, for the jobcenter's witness");
    assert.ok(witnesses.jobcenter?.length, "the jobcenter's witness key, for the registry");
    const keyIds = new Set(Object.values(logs).flatMap((keys) => keys.map((k) => k.keyId)));
    assert.ok(!witnesses.jobcenter.some((k) => keyIds.has(k.keyId)), 'a witness key is never a log key');
    for (const name of ['consent', 'jobcenter']) {
      const deployment = rendered.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!;
      const container = (deployment.spec.template.spec.containers as Json[])[0];
      const env = new Map(((container.env ?? []) as Json[]).map((e) => [e.name as string, e.value as string]));
      assert.equal(env.get('PINNED_LOG_KEYS_FILE'), '/etc/verbund-pinned/pinned-log-keys.json', name);
      const volume = ((deployment.spec.template.spec.volumes ?? []) as Json[]).find(
        (v) => v.name === 'pinned-log-keys',
      );
      assert.equal(volume?.configMap?.name, pinned.metadata.name, `${name} mounts the rendered file`);
      if (name === 'jobcenter') assert.equal(env.get('JOBCENTER_WITNESS_KEY_FILE'), '/etc/verbund-witness-key/key.pem');
    }
  });

  it("egress: every part reaches a district's identity provider on private addresses (443) and the trace collector (4318), nothing else", () => {
    const parts = rendered.objects.filter((o) => o.kind === 'Deployment');
    assert.equal(parts.length, 6);
    for (const part of parts) {
      const labels = part.spec.template.metadata.labels as Record<string, string>;
      const name = part.metadata.name as string;
      for (const address of ['10.20.30.40', '172.20.0.9', '192.168.1.10'])
        assert.ok(egressAllowed(rendered.objects, labels, address, 443), `${name} → identity provider ${address}:443`);
      assert.ok(egressAllowed(rendered.objects, labels, '10.0.5.5', 4318), `${name} → collector 10.0.5.5:4318`);
      assert.ok(!egressAllowed(rendered.objects, labels, '10.20.30.40', 5432), `${name} → 10.20.30.40:5432 is closed`);
    }
    // The database servers reach nothing outside.
    const database = rendered.objects.find((o) => o.kind === 'StatefulSet')!;
    const labels = database.spec.template.metadata.labels as Record<string, string>;
    assert.ok(!egressAllowed(rendered.objects, labels, '10.20.30.40', 443), 'a database server has no egress');
  });

  it("every Deployment pauses before SIGTERM (preStop) and its part's grace ends within terminationGracePeriodSeconds", () => {
    const config = rendered.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'verbund-config')!;
    const grace = Number((config.data as Record<string, string>).SHUTDOWN_GRACE_SECONDS);
    assert.ok(grace > 0, 'SHUTDOWN_GRACE_SECONDS is set');
    for (const deployment of rendered.objects.filter((o) => o.kind === 'Deployment')) {
      const pod = deployment.spec.template.spec as Json;
      const [container] = pod.containers as Json[];
      const command = container.lifecycle?.preStop?.exec?.command as string[] | undefined;
      assert.ok(command, `${deployment.metadata.name as string}: preStop`);
      assert.equal(command[0], 'sleep');
      const pause = Number(command[1]);
      assert.ok(pause >= 2, 'long enough for endpoints to drop the pod');
      assert.ok(
        pause + grace + 1 < (pod.terminationGracePeriodSeconds as number),
        `${deployment.metadata.name as string}: ${pause} s + ${grace} s fit in terminationGracePeriodSeconds`,
      );
    }
  });
  it('every Deployment is scaled by a HorizontalPodAutoscaler (autoscaling/v2) within sound bounds, and its disruption budget lets a drain go on', () => {
    const deployments = rendered.objects.filter((o) => o.kind === 'Deployment');
    const autoscalers = rendered.objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
    assert.deepEqual(
      autoscalers.map((h) => h.apiVersion as string),
      autoscalers.map(() => 'autoscaling/v2'),
    );
    assert.deepEqual(
      autoscalers.map((h) => h.spec.scaleTargetRef.name as string).sort(),
      deployments.map((d) => d.metadata.name as string).sort(),
      'one autoscaler per Deployment: the gateway and every subgraph',
    );
    for (const deployment of deployments) {
      const name = deployment.metadata.name as string;
      const hpa = autoscalers.find((h) => h.spec.scaleTargetRef.name === name)!;
      assert.deepEqual(
        { apiVersion: hpa.spec.scaleTargetRef.apiVersion, kind: hpa.spec.scaleTargetRef.kind },
        { apiVersion: 'apps/v1', kind: 'Deployment' },
        `${name}: the target is the Deployment`,
      );
      const { minReplicas, maxReplicas } = hpa.spec as { minReplicas: number; maxReplicas: number };
      assert.ok(minReplicas >= 2, `${name}: at least two replicas (${minReplicas}), so that one may be lost`);
      assert.ok(minReplicas <= maxReplicas, `${name}: minReplicas ${minReplicas} ≤ maxReplicas ${maxReplicas}`);
      // With the autoscaler owning the count, a replicas field would scale the part back at every `kubectl apply`.
      assert.equal(deployment.spec.replicas, undefined, `${name}: no replicas field beside its autoscaler`);
      // A Utilization target is a share of the request: every container needs one for what the autoscaler measures.
      for (const metric of hpa.spec.metrics as Json[]) {
        assert.equal(metric.type, 'Resource', `${name}: resource metrics (metrics-server), nothing custom`);
        const resource = metric.resource.name as string;
        assert.ok(metric.resource.target.averageUtilization > 0 && metric.resource.target.averageUtilization <= 100);
        for (const container of deployment.spec.template.spec.containers as Json[])
          assert.ok(
            container.resources?.requests?.[resource],
            `${name}: ${container.name as string} requests ${resource}`,
          );
      }
      // The disruption budget keeps at least one replica and still lets a drain evict one at minReplicas.
      const labels = deployment.spec.template.metadata.labels as Record<string, string>;
      const budgets = rendered.objects.filter(
        (o) => o.kind === 'PodDisruptionBudget' && selects(o.spec.selector as Json, labels),
      );
      assert.equal(budgets.length, 1, `${name}: one disruption budget`);
      const { minAvailable, maxUnavailable } = budgets[0].spec as { minAvailable?: number; maxUnavailable?: number };
      const kept = minAvailable ?? minReplicas - (maxUnavailable ?? 0);
      assert.ok(kept >= 1, `${name}: the budget keeps a replica serving`);
      assert.ok(kept < minReplicas, `${name}: a drain may evict one of ${minReplicas} (budget keeps ${kept})`);
    }
  });

  it("each subgraph's replicas at the autoscaler's maximum, its migration and its retention job fit in its server's max_connections", () => {
    const config = rendered.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'verbund-config')!;
    const pool = Number((config.data as Record<string, string>).DB_POOL_SIZE);
    assert.ok(pool > 0, 'DB_POOL_SIZE is set');
    for (const deployment of rendered.objects.filter((o) => o.kind === 'Deployment' && o.metadata.name !== 'gateway')) {
      const name = deployment.metadata.name as string;
      const hpa = rendered.objects.find(
        (o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === name,
      )!;
      const server = rendered.objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === `${name}-db`)!;
      const limit = maxConnections((server.spec.template.spec.containers as Json[])[0]) - RESERVED_CONNECTIONS;
      // One pool per replica (subgraphs/main.ts); the one-shot jobs hold one connection each; during a rollout
      // maxSurge adds replicas beyond the autoscaler's count.
      const surge = Number(deployment.spec.strategy.rollingUpdate.maxSurge);
      const jobs = rendered.objects.filter(
        (o) =>
          ['Job', 'CronJob'].includes(o.kind as string) &&
          [`${name}-migrate`, `${name}-retention`].includes(o.metadata.name as string),
      ).length;
      const needed = ((hpa.spec.maxReplicas as number) + surge) * pool + jobs;
      assert.ok(needed <= limit, `${name}: ${needed} connections at most, ${limit} available on ${name}-db`);
    }
  });

  it('every Deployment spreads its own replicas over nodes (and zones where there are any) without stranding a replica in a drain', () => {
    for (const deployment of rendered.objects.filter((o) => o.kind === 'Deployment')) {
      const name = deployment.metadata.name as string;
      const pod = deployment.spec.template.spec as Json;
      const labels = deployment.spec.template.metadata.labels as Record<string, string>;
      const constraints = (pod.topologySpreadConstraints ?? []) as Json[];
      const byKey = new Map(constraints.map((c) => [c.topologyKey as string, c]));
      const nodes = byKey.get('kubernetes.io/hostname');
      assert.ok(nodes, `${name}: spread over nodes`);
      assert.ok(byKey.get('topology.kubernetes.io/zone'), `${name}: spread over zones`);
      for (const constraint of constraints) {
        const label = `${name} ${constraint.topologyKey as string}`;
        assert.equal(constraint.maxSkew, 1, `${label}: maxSkew 1`);
        // Counts this Deployment's pods only: its selector, no other part's.
        assert.deepEqual(constraint.labelSelector.matchLabels, deployment.spec.selector.matchLabels, label);
        assert.ok(selects(constraint.labelSelector as Json, labels), `${label}: selects the Deployment's own pods`);
        // Old and new revision counted apart, so that a rollout's surge pod is not held back by the old ones.
        assert.deepEqual(constraint.matchLabelKeys, ['pod-template-hash'], label);
        // A hard rule must not count cordoned (tainted) nodes, or a drain leaves the evicted replica Pending.
        if (constraint.whenUnsatisfiable === 'DoNotSchedule')
          assert.equal(constraint.nodeTaintsPolicy, 'Honor', `${label}: cordoned nodes do not count`);
      }
      // Zones: a preference only (nodes without zone labels, single-zone clusters must still schedule).
      assert.equal(byKey.get('topology.kubernetes.io/zone')!.whenUnsatisfiable, 'ScheduleAnyway', name);
    }
  });

  it("a nightly retention CronJob per data subgraph runs the image's audit-retention with the subgraph's own image, security context, configuration, log key and database", () => {
    const cronJobs = rendered.objects.filter((o) => o.kind === 'CronJob');
    assert.deepEqual(
      cronJobs.map((c) => c.metadata.name as string).sort(),
      DATA_SUBGRAPHS.map((n) => `${n}-retention`).sort(),
    );
    const entrypoint = readFileSync(path.join(ROOT, 'deploy/entrypoint.sh'), 'utf8');
    for (const name of DATA_SUBGRAPHS) {
      const cron = cronJobs.find((c) => c.metadata.name === `${name}-retention`)!;
      const deployment = rendered.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!;
      const migration = rendered.objects.find((o) => o.kind === 'Job' && o.metadata.name === `${name}-migrate`)!;
      const pod = cron.spec.jobTemplate.spec.template.spec as Json;
      const servingPod = deployment.spec.template.spec as Json;
      const [container] = pod.containers as Json[];
      const [serving] = servingPod.containers as Json[];
      // When and how often: a valid five-field schedule on the district's clock, never two runs at once.
      assert.match(cron.spec.schedule as string, /^(\S+\s+){4}\S+$/, `${name}: five-field schedule`);
      assert.equal(cron.spec.timeZone, 'Europe/Berlin', `${name}: on the district's clock`);
      assert.equal(cron.spec.concurrencyPolicy, 'Forbid', `${name}: one run at a time`);
      assert.ok(['OnFailure', 'Never'].includes(pod.restartPolicy as string));
      // What: the image's entry point for retention, for this subgraph.
      assert.deepEqual(container.args, ['audit-retention', '--subgraph', name]);
      assert.match(entrypoint, /^\s*audit-retention\)\s+exec node dist\/scripts\/audit-retention\.js "\$@"/m);
      // As whom and with what: the serving pods' image and security context, the migration's admin connection.
      assert.equal(container.image, serving.image, `${name}: the same image as the subgraph`);
      assert.deepEqual(pod.securityContext, servingPod.securityContext, `${name}: the pods' security context`);
      assert.deepEqual(container.securityContext, serving.securityContext, `${name}: the containers' security context`);
      assert.equal(pod.automountServiceAccountToken, false);
      assert.deepEqual(container.envFrom, serving.envFrom, `${name}: the same configuration`);
      const env = new Map(((container.env ?? []) as Json[]).map((e) => [e.name as string, e]));
      const migrationEnv = new Map(
        ((migration.spec.template.spec.containers[0].env ?? []) as Json[]).map((e) => [e.name as string, e]),
      );
      assert.deepEqual(env.get('DATABASE_URL'), migrationEnv.get('DATABASE_URL'), `${name}: the administrator's URL`);
      const keyFile = `${name.toUpperCase()}_LOG_KEY_FILE`;
      assert.equal(env.get(keyFile)?.value, ((serving.env ?? []) as Json[]).find((e) => e.name === keyFile)?.value);
      const secretOf = (p: Json, mountPath: string, c: Json) => {
        const mount = ((c.volumeMounts ?? []) as Json[]).find((m) => m.mountPath === mountPath)!;
        return ((p.volumes ?? []) as Json[]).find((v) => v.name === mount.name)?.secret;
      };
      assert.deepEqual(
        secretOf(pod, '/etc/verbund-keys', container),
        secretOf(servingPod, '/etc/verbund-keys', serving),
        `${name}: the subgraph's own log key Secret, mounted alike`,
      );
      // Where it may connect: its own database server, no other.
      const labels = cron.spec.jobTemplate.spec.template.metadata.labels as Record<string, string>;
      const database = (n: string) =>
        rendered.objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === `${n}-db`)!.spec.template.metadata
          .labels as Record<string, string>;
      assert.ok(podReaches(rendered.objects, labels, database(name), 5432), `${name}-retention → ${name}-db`);
      for (const other of [...DATA_SUBGRAPHS, 'consent'].filter((n) => n !== name))
        assert.ok(!podReaches(rendered.objects, labels, database(other), 5432), `${name}-retention ↛ ${other}-db`);
    }
  });
});
