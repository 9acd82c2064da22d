#!/usr/bin/env bash
# One-time set-up of a fresh machine: npm packages, then a build.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
npm run build
