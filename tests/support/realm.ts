/**
 * jest runs each test file in a VM context of its own, but Node's `fetch` stays in the outer one, so
 * `response.json()` builds objects whose prototypes are not the test's: `assert.deepStrictEqual` then fails
 * on equal values ("Compared values have no visual difference"). This set-up file (jest.config.js) gives the
 * context a `fetch` whose responses parse JSON with the context's own `JSON`.
 */
const outerFetch = globalThis.fetch;

globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
  const response = await outerFetch(...args);
  Object.defineProperty(response, 'json', { value: async () => JSON.parse(await response.text()) });
  return response;
};
