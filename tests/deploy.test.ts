import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import path from 'node:path';
import { beforeAll, describe, it } from '@jest/globals';
import { loadConfig } from '../common/config.js';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { answerHealth } from '../common/http.js';
import { renderCluster } from './support/kustomize.js';

/**
 * The deployment files (compose.yaml, deploy/k8s/) cannot be run here without a container engine or a cluster;
 * this checks what can be checked: the manifests render, every Deployment probes the real health paths on the
 * port its process listens on, every environment variable they set is one the configuration reads, and the
 * network policies open only the paths the design has.
 */
const root = path.resolve(import.meta.dirname, '..');
const KUBECTL_MISSING =
  'kubectl is needed to render deploy/k8s (kubectl kustomize) and to read YAML: install it, e.g. ' +
  '`apt-get install -y kubectl` from the Kubernetes apt repository (https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/), ' +
  'or put a kubectl binary on PATH';

/** A parsed manifest: shapes are checked by the assertions that read it. */
type Json = Record<string, any>;

function kubectl(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', args, { cwd: root });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error(KUBECTL_MISSING) : error),
    );
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString('utf8'))
        : reject(new Error(`kubectl ${args.join(' ')}: ${Buffer.concat(err).toString('utf8')}`)),
    );
    child.stdin.end(input ?? '');
  });
}

/** One YAML document as JSON, by kubectl itself (offline: a local no-op patch), so the test needs no YAML library. */
async function yamlToJson(document: string): Promise<Json> {
  return JSON.parse(
    await kubectl(['patch', '--local', '-f', '-', '--type', 'merge', '-p', '{}', '-o', 'json'], document),
  ) as Json;
}

/**
 * The environment variables the configuration reads, asked of `loadConfig` itself: it runs over environments
 * that record every name looked up (with and without an identity provider, which reads the OIDC names).
 */
function variablesTheConfigurationReads(): Set<string> {
  const read = new Set<string>();
  const recording = (values: Record<string, string>) =>
    new Proxy(values, {
      get(target, key) {
        if (typeof key === 'string') read.add(key);
        return typeof key === 'string' ? target[key] : undefined;
      },
    });
  loadConfig(recording({}));
  loadConfig(
    recording({
      JWKS_URL: 'https://idp.example/certs',
      JWT_ISSUER: 'https://idp.example',
      OIDC_CLIENT_ID: 'verbund-console',
    }),
  );
  return read;
}

function unknownVariables(names: Iterable<string>, known: Set<string>): string[] {
  return [...names].filter((name) => !known.has(name));
}

/** The environment as loadConfig can read it here: Compose's defaults filled in, the mounted agency list from the repository. */
function configurable(env: Record<string, string>): Record<string, string> {
  const filled = interpolated(env);
  if (filled.AGENCIES_FILE === MOUNTED_AGENCIES) filled.AGENCIES_FILE = path.join(root, 'deploy/k8s/agencies.json');
  return filled;
}

const isVerbundImage = (image: unknown) => typeof image === 'string' && /(^|\/)verbund(:|@|$)/.test(image);

/** Compose's `${NAME:-default}` as Compose fills it in without a .env file. */
function interpolated(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([name, value]) => [name, String(value).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]),
  );
}

/** Where the Kubernetes Deployments mount the agency list (ConfigMap verbund-agencies from deploy/k8s/agencies.json). */
const MOUNTED_AGENCIES = '/etc/verbund/agencies.json';

/** The port a part's process listens on, from the environment the file gives it, as common/config.ts works it out. */
function listeningPort(args: string[], env: Record<string, string>): number {
  const config = loadConfig(configurable(env));
  if (args[0] === 'gateway') return config.port;
  assert.equal(args[0], 'subgraph', `unexpected command ${args.join(' ')}`);
  const name = args[1] as SubgraphName;
  assert.ok(SUBGRAPHS.includes(name), `unknown subgraph ${name}`);
  return Number(new URL(config.subgraphUrls[name]).port);
}

/** GETs a path from a server that answers health as every part does (common/http.ts). */
async function realHealthAnswer(pathname: string): Promise<number> {
  const server = createServer((req, res) => {
    void answerHealth(new URL(req.url ?? '/', 'http://x').pathname, res).then((answered) => {
      if (!answered) {
        res.statusCode = 404;
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${pathname}`);
    await response.text();
    return response.status;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('deployment files', () => {
  const known = variablesTheConfigurationReads();
  let manifests: Json[];
  let compose: Json;

  beforeAll(async () => {
    const found = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
    if (found.error) throw new Error(KUBECTL_MISSING);
    // As an operator renders it, after `npm run k8s:secrets` (tests/support/kustomize.ts).
    manifests = (await renderCluster()).objects;
    const composeYaml = await readFile(path.join(root, 'compose.yaml'), 'utf8');
    // compose.yaml is not a Kubernetes object: wrap it in one so that kubectl reads it.
    const wrapped = `apiVersion: verbund.test/v1\nkind: Compose\nmetadata:\n  name: compose\nspec:\n${composeYaml.replace(/^/gm, '  ')}`;
    compose = (await yamlToJson(wrapped)).spec as Json;
  });

  it('the environment-name check knows the configuration and catches a typo', () => {
    for (const name of [
      'NODE_ENV',
      'PORT',
      'COUNTY_URL',
      'CONSENT_DATABASE_URL',
      'JWKS_URL',
      'OIDC_SCOPE',
      'AGENCIES_FILE',
      'SUBGRAPH_HOST',
    ]) {
      assert.ok(known.has(name), `${name} should be read by common/config.ts`);
    }
    assert.deepEqual(unknownVariables(['COUNTY_DATABSE_URL', 'PORT'], known), ['COUNTY_DATABSE_URL']);
  });

  it('kubectl kustomize deploy/k8s renders Deployments for the gateway and every subgraph, with Services', () => {
    const deployments = manifests.filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name as string);
    assert.deepEqual(deployments.sort(), ['gateway', ...SUBGRAPHS].sort());
    const services = new Set(manifests.filter((m) => m.kind === 'Service').map((m) => m.metadata.name as string));
    for (const name of ['gateway', ...SUBGRAPHS]) assert.ok(services.has(name), `Service ${name}`);
    assert.ok(
      manifests.every((m) => m.kind === 'Namespace' || m.metadata.namespace === 'verbund'),
      'everything in namespace verbund',
    );
  });

  describe('Kubernetes', () => {
    const configMap = (name: string): Json | undefined =>
      manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === name);
    /** A container's environment as far as the manifests fix it (ConfigMaps resolved, Secrets by name only). */
    const environment = (container: Json) => {
      const env: Record<string, string> = {};
      for (const from of (container.envFrom ?? []) as Json[]) {
        assert.ok(from.configMapRef, 'envFrom only from ConfigMaps (Secrets by key, each named)');
        const data = configMap(from.configMapRef.name)?.data as Record<string, string> | undefined;
        assert.ok(data, `ConfigMap ${from.configMapRef.name} exists`);
        Object.assign(env, data);
      }
      for (const entry of (container.env ?? []) as Json[]) env[entry.name] = entry.value ?? 'postgres://secret@db/x';
      return env;
    };
    const podSpecs = () =>
      manifests.flatMap((m) => {
        const spec =
          m.kind === 'Deployment' || m.kind === 'StatefulSet'
            ? m.spec.template.spec
            : m.kind === 'Job'
              ? m.spec.template.spec
              : m.kind === 'CronJob'
                ? m.spec.jobTemplate.spec.template.spec
                : undefined;
        return spec ? [{ manifest: m, spec: spec as Json }] : [];
      });

    it('every Deployment probes /health/live and /health/ready on the port its process listens on, and those paths answer', async () => {
      const paths = new Set<string>();
      for (const deployment of manifests.filter((m) => m.kind === 'Deployment')) {
        const [container] = deployment.spec.template.spec.containers as Json[];
        const name = deployment.metadata.name as string;
        const port = listeningPort(container.args as string[], environment(container));
        const portOf = (ref: string | number) =>
          typeof ref === 'number'
            ? ref
            : ((container.ports as Json[]).find((p) => p.name === ref)?.containerPort as number);
        for (const [probe, expected] of [
          ['livenessProbe', '/health/live'],
          ['readinessProbe', '/health/ready'],
          ['startupProbe', '/health/live'],
        ] as const) {
          const get = container[probe]?.httpGet as Json | undefined;
          if (probe === 'startupProbe' && !get) continue;
          assert.ok(get, `${name}: ${probe} over HTTP`);
          assert.equal(get.path, expected, `${name}: ${probe} path`);
          assert.equal(portOf(get.port), port, `${name}: ${probe} on the port the ${name} process listens on`);
          paths.add(get.path);
        }
        const service = manifests.find((m) => m.kind === 'Service' && m.metadata.name === name)!;
        const [servicePort] = service.spec.ports as Json[];
        assert.equal(portOf(servicePort.targetPort), port, `${name}: Service targets the listening port`);
        if (name !== 'gateway') {
          const url = new URL(loadConfig(configurable(environment(container))).subgraphUrls[name as SubgraphName]);
          assert.equal(url.hostname, name, `${name}: <NAME>_URL names its Service`);
          assert.equal(Number(url.port), servicePort.port, `${name}: <NAME>_URL uses the Service's port`);
          assert.ok(
            environment(container)[`${name.toUpperCase()}_DATABASE_URL`],
            `${name}: its database URL from its Secret`,
          );
        }
      }
      for (const pathname of paths) assert.equal(await realHealthAnswer(pathname), 200, `${pathname} answers`);
    });

    it('every environment variable given to a Verbund container is one the configuration reads', () => {
      let checked = 0;
      for (const { manifest, spec } of podSpecs()) {
        for (const container of (spec.containers as Json[]).filter((c) => isVerbundImage(c.image))) {
          const names = Object.keys(environment(container));
          checked += names.length;
          assert.deepEqual(
            unknownVariables(names, known),
            [],
            `${manifest.kind} ${manifest.metadata.name}: variables no configuration reads`,
          );
        }
      }
      assert.ok(checked > 20);
    });

    it('pods run as non-root with a read-only root file system, no capabilities and resource limits', () => {
      for (const { manifest, spec } of podSpecs()) {
        const label = `${manifest.kind} ${manifest.metadata.name}`;
        assert.equal(spec.securityContext?.runAsNonRoot, true, `${label}: runAsNonRoot`);
        assert.equal(spec.automountServiceAccountToken, false, `${label}: no service account token`);
        for (const container of spec.containers as Json[]) {
          assert.equal(container.securityContext?.readOnlyRootFilesystem, true, `${label}: readOnlyRootFilesystem`);
          assert.equal(
            container.securityContext?.allowPrivilegeEscalation,
            false,
            `${label}: allowPrivilegeEscalation`,
          );
          assert.deepEqual(container.securityContext?.capabilities?.drop, ['ALL'], `${label}: drop ALL capabilities`);
          assert.ok(
            container.resources?.requests?.memory && container.resources?.limits?.memory,
            `${label}: memory request and limit`,
          );
          assert.ok(container.resources?.requests?.cpu, `${label}: cpu request`);
        }
      }
    });

    it("network policies deny by default; only the gateway and the design's own calls reach a subgraph; only a subgraph, its migration and its retention job reach its database", () => {
      const policies = manifests.filter((m) => m.kind === 'NetworkPolicy');
      const byName = new Map(policies.map((p) => [p.metadata.name as string, p]));
      const deny = byName.get('default-deny')!;
      assert.deepEqual(deny.spec.podSelector, {});
      assert.deepEqual(deny.spec.policyTypes, ['Ingress', 'Egress']);
      // Calls between subgraphs that the design makes: consent lookups, the county's register, the registry reading logs,
      // the county's candidate search asking the municipalities where candidates live.
      const designCalls: Record<SubgraphName, string[]> = {
        county: ['municipality', 'jobcenter', 'socialcare', 'consent'],
        municipality: ['consent', 'county'],
        jobcenter: ['consent'],
        socialcare: ['consent'],
        consent: ['county', 'municipality', 'jobcenter', 'socialcare'],
      };
      const components = (rules: Json[] | undefined, key: 'from' | 'to') =>
        (rules ?? []).flatMap((rule) =>
          ((rule[key] ?? []) as Json[]).map(
            (peer) => peer.podSelector?.matchLabels?.['app.kubernetes.io/component'] as string | undefined,
          ),
        );
      for (const name of SUBGRAPHS) {
        const selected = policies.filter(
          (p) => p.spec.podSelector?.matchLabels?.['app.kubernetes.io/component'] === name,
        );
        const from = selected.flatMap((p) => components(p.spec.ingress as Json[], 'from'));
        assert.ok(from.includes('gateway'), `${name}: the gateway reaches it`);
        assert.deepEqual(
          from.filter((c) => c !== 'gateway').sort(),
          [...designCalls[name]].sort(),
          `${name}: who else reaches it`,
        );
        assert.ok(
          from.every((c) => c !== undefined),
          `${name}: every ingress names its peers`,
        );
        const database = policies.filter(
          (p) => p.spec.podSelector?.matchLabels?.['app.kubernetes.io/component'] === `${name}-db`,
        );
        assert.equal(database.length, 1, `${name}-db has a policy`);
        // The data subgraphs' retention jobs remove expired disclosure records (deploy/k8s/retention.yaml).
        const own = [name, `${name}-migrate`, ...(name === 'consent' ? [] : [`${name}-retention`])];
        assert.deepEqual(
          components(database[0].spec.ingress as Json[], 'from').sort(),
          [...own].sort(),
          `${name}-db: who reaches it`,
        );
        // No other part's egress names this database.
        for (const policy of policies) {
          const to = components(policy.spec.egress as Json[], 'to');
          if (to.includes(`${name}-db`)) {
            assert.ok(
              own.includes(policy.spec.podSelector.matchLabels['app.kubernetes.io/component'] as string),
              `${policy.metadata.name} reaches ${name}-db`,
            );
          }
        }
      }
    });
  });

  describe('compose.yaml', () => {
    const services = () => Object.entries(compose.services as Record<string, Json>);
    const verbund = () => services().filter(([, service]) => isVerbundImage(service.image));

    it('has PostgreSQL, a migration and every part, each subgraph with its own database', () => {
      const names = services().map(([name]) => name);
      for (const name of ['postgres', 'migrate', 'gateway', ...SUBGRAPHS]) assert.ok(names.includes(name), name);
      for (const name of SUBGRAPHS) {
        const service = compose.services[name] as Json;
        assert.deepEqual(service.command, ['subgraph', name]);
        assert.match(
          service.environment[`${name.toUpperCase()}_DATABASE_URL`] as string,
          new RegExp(`/verbund_${name}}?$`),
        );
        assert.deepEqual(service.depends_on.migrate, { condition: 'service_completed_successfully' });
      }
      assert.ok(
        !(compose.services.gateway.networks as string[]).includes('data'),
        'the gateway is not on the database network',
      );
    });

    it('every part checks /health/ready on the port it listens on', () => {
      for (const [name, service] of verbund().filter(([n]) => n !== 'migrate')) {
        const test = service.healthcheck?.test as string[];
        assert.ok(test, `${name}: health check`);
        const url = new URL(test[test.length - 1]);
        assert.equal(url.pathname, '/health/ready', `${name}: health path`);
        assert.equal(
          Number(url.port),
          listeningPort(service.command as string[], service.environment as Record<string, string>),
          `${name}: health port`,
        );
      }
    });

    it('every environment variable given to a Verbund container is one the configuration reads', () => {
      for (const [name, service] of verbund()) {
        assert.deepEqual(
          unknownVariables(Object.keys(service.environment as Json), known),
          [],
          `${name}: variables no configuration reads`,
        );
      }
    });
  });
});
