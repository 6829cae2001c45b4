/**
 * One subgraph of the bare federation baseline as its own process, as `npm run bench` starts it:
 * `tsx bench/baseline/subgraph.main.ts <name> <persons> <seed>`. It listens where the configuration puts
 * that subgraph (`SUBGRAPH_PORT_BASE`) and stops with its launcher.
 */
import { loadConfigOrExit } from '../../common/config.js';
import { SUBGRAPHS, type SubgraphName } from '../../common/domain.js';
import { listen } from '../../common/http.js';
import { staticData } from './static-data.js';
import { buildStaticSubgraph } from './static-subgraph.js';
import { stopOnSignals } from '../../common/shutdown.js';

const [name, persons, seed] = [process.argv[2] as SubgraphName, Number(process.argv[3]), Number(process.argv[4])];
if (!SUBGRAPHS.includes(name) || !Number.isInteger(persons) || !Number.isInteger(seed)) {
  console.error(`Usage: subgraph.main.ts <${SUBGRAPHS.join('|')}> <persons> <seed>`);
  process.exit(64);
}
const config = loadConfigOrExit();
const built = await buildStaticSubgraph(name, staticData(name, seed, persons));
const listening = await listen(built.handler, Number(new URL(config.subgraphUrls[name]).port));
process.send?.({ ready: name, url: listening.url });

// The benchmark's processes stop at once (no grace): nothing is in flight when the benchmark ends.
stopOnSignals(name, listening, 0, [['the Apollo server', () => built.stop()]], { whenLauncherLeaves: true });
