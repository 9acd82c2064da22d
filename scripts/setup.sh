#!/usr/bin/env bash
# One-time set-up of a fresh machine: npm packages, a build, and the sample workspace's datasets.
# code-server (for `npm run open` without a desktop VS Code, and for the e2e tests) is installed on
# first use by scripts/provision-code-server.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
npm run build
node scripts/make-sample-workspace.mjs
