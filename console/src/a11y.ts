import { useEffect } from 'react';
import { t } from './i18n';

/** Names the screen in the browser's tab and history: "Zeitleiste · Kravets, Olena – Verbund". */
export function useDocumentTitle(...parts: (string | undefined | null | false)[]): void {
  const title = [...parts.filter(Boolean), t('Verbund consent console')].join(' – ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}

/**
 * Moves the keyboard focus to a heading once it is in the page (`selector` inside <main>), so that a screen
 * reader announces the new screen and Tab starts from there. Headings get tabindex=-1, focusable by script only.
 */
export function focusHeading(selector: string): void {
  let tries = 0;
  const attempt = () => {
    const heading = document.querySelector<HTMLElement>(`main ${selector}`);
    if (heading) {
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus();
    } else if (tries++ < 20) setTimeout(attempt, 50);
  };
  requestAnimationFrame(attempt);
}
