#!/usr/bin/env bash
# Starts `vllm serve` on port 8080 from the environment compose sets (containers/common/vllm-args.sh).
set -euo pipefail
source "$(dirname "$0")/vllm-args.sh"
vllm_serve_args 8192 8
exec vllm serve "${MODEL_ID:?set MODEL_ID}" "${VLLM_ARGS[@]}" "$@"
