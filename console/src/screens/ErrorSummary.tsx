import { useEffect, useRef } from 'react';
import { errorLine, type ApiError } from '../errors';
import { t } from '../i18n';

/** One problem of a form: the field's id (the link target), its label, and what is wrong. */
export interface SummaryProblem {
  target: string;
  label: string;
  message: string;
}

/**
 * The problems of a form above it, each a link to its field, in a live region (role=alert) and focused when it
 * appears, so that a screen reader announces them and a keyboard user reaches each field in one step.
 */
export function ErrorSummary({ problems, id = 'error-summary' }: { problems: SummaryProblem[]; id?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const key = problems.map((p) => `${p.target}:${p.message}`).join('|');
  useEffect(() => {
    if (key) box.current?.focus();
  }, [key]);
  return (
    <div
      ref={box}
      id={id}
      className={problems.length ? 'error-summary' : undefined}
      role="alert"
      tabIndex={-1}
      aria-labelledby={problems.length ? `${id}-heading` : undefined}
    >
      {problems.length > 0 && (
        <>
          <h2 id={`${id}-heading`}>{t('Please correct:')}</h2>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>
                <a
                  href={`#${p.target}`}
                  onClick={(e) => {
                    e.preventDefault();
                    const field = document.getElementById(p.target);
                    field?.focus();
                    field?.scrollIntoView({ block: 'center' });
                  }}
                >
                  {p.label}: {p.message}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/**
 * Errors of the hub that belong to no field, each as a line in the console's language with its code for
 * support, in a live region so that a screen reader announces them.
 */
export function ErrorList({ errors }: { errors: ApiError[] }) {
  return (
    <div role="alert" className={errors.length ? 'error-summary' : undefined}>
      {errors.length > 0 && (
        <>
          <h2>{t('The hub answered with an error:')}</h2>
          <ul>
            {errors.map((e, i) => (
              <li key={i} data-code={e.code}>
                {errorLine(e)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
