#!/usr/bin/env bash
# Runs the plan in TRTLLM_PLAN: build the engine when the cache has none, write the model repository,
# exec tritonserver (see trtllm_start.py).
set -euo pipefail
exec python3 /opt/gait/trtllm_start.py
