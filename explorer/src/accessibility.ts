/**
 * What GraphiQL's CodeMirror editors lack for assistive technology, added as they appear: a name for each
 * editor's input, and keyboard access to their scroll areas (CodeMirror takes them out of the tab order).
 */
function label(root: ParentNode): void {
  for (const textarea of root.querySelectorAll<HTMLTextAreaElement>('.CodeMirror textarea:not([aria-label])')) {
    const tool = textarea.closest('.graphiql-editor-tool');
    const editor = textarea.closest('.graphiql-editor');
    const name = textarea.closest('.graphiql-query-editor')
      ? 'GraphQL operation'
      : textarea.closest('.graphiql-response')
        ? 'Response'
        : tool && editor && [...tool.querySelectorAll('.graphiql-editor')].indexOf(editor) === 0
          ? 'Variables'
          : 'Headers';
    textarea.setAttribute('aria-label', name);
  }
  for (const scroll of root.querySelectorAll<HTMLElement>('.CodeMirror-scroll:not([tabindex="0"])')) {
    scroll.tabIndex = 0;
  }
}

/** Keeps labelling GraphiQL's editors inside `root` as they are created. */
export function labelEditors(root: HTMLElement): () => void {
  label(root);
  const observer = new MutationObserver(() => label(root));
  observer.observe(root, { childList: true, subtree: true });
  return () => observer.disconnect();
}
