/**
 * Loaded into every process the benchmark starts (`node --expose-gc --import …/heap-probe.js`): on the
 * launcher's message `{ heap: id }` it collects garbage fully and answers with the heap then in use, so that
 * the soak run judges live memory, not what V8 keeps committed. Nothing of the part itself changes.
 */
interface HeapQuestion {
  heap?: number;
}

process.on('message', (message: HeapQuestion) => {
  if (typeof message?.heap !== 'number') return;
  (globalThis as { gc?: () => void }).gc?.();
  process.send?.({ heap: message.heap, heapUsed: process.memoryUsage().heapUsed });
});
