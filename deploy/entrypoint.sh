#!/bin/sh
# The image's entry point: one image for every part, the part chosen by the first argument.
#   docker run verbund gateway | subgraph <name> | migrate | migrate-subgraph <name> | database-url <name>
#                      | seed [--persons N] | token --agency … | audit-verify | audit-retention | witness --log …
#                      | check-receipt <receipt.json> | health <url>
set -eu
# The image's application folder; VERBUND_APP_DIR only for a runtime tree assembled elsewhere (tests/deploy/image.test.ts).
cd "${VERBUND_APP_DIR:-/app}"
command="${1:-help}"
[ "$#" -gt 0 ] && shift
case "$command" in
  gateway)          exec node dist/gateway/main.js "$@" ;;
  subgraph)         exec node dist/subgraphs/main.js "$@" ;;
  migrate)          exec node dist/scripts/migrate.js "$@" ;;
  migrate-subgraph) exec node dist/scripts/migrate-subgraph.js "$@" ;;
  database-url)     exec node dist/scripts/database-url.js "$@" ;;
  seed)             exec node dist/scripts/seed.js "$@" ;;
  token)            exec node dist/scripts/token.js "$@" ;;
  audit-verify)     exec node dist/scripts/audit-verify.js "$@" ;;
  audit-retention)  exec node dist/scripts/audit-retention.js "$@" ;;
  witness)          exec node dist/scripts/witness.js "$@" ;;
  check-receipt)    exec node dist/scripts/check-receipt.js "$@" ;;
  # For container health checks: the image has no curl. Exit 0 when the URL answers 2xx within 4 s.
  health)
    exec node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "${1:?health <url>}" ;;
  help|--help|-h)
    echo "Usage: verbund gateway | subgraph <county|municipality|jobcenter|socialcare|consent> | migrate | migrate-subgraph <name>"
    echo "               | database-url <name> [--host h:p] | seed [--persons N] | token --agency … --officer … --role …"
    echo "               | audit-verify [--url …] [--token …] | audit-retention [--older-than-days N] [--subgraph name]"
    echo "               | witness --log <url> … --pinned <keys.json> [--once] | check-receipt <receipt.json> [--keys …] | health <url>"
    echo "Configuration: environment variables, see README (\"Running against an external PostgreSQL\", \"Operating Verbund\")."
    ;;
  *) echo "verbund: unknown command '$command' (try: verbund help)" >&2; exit 64 ;;
esac
