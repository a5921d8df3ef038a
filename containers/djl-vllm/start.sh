#!/usr/bin/env bash
# Maps MODEL_ID / TENSOR_PARALLEL_SIZE / MAX_NUM_SEQS / MAX_MODEL_LEN to LMI's options and starts DJL.
set -euo pipefail
export HF_MODEL_ID="${MODEL_ID:?set MODEL_ID}"
export OPTION_ROLLING_BATCH=vllm
export OPTION_TENSOR_PARALLEL_DEGREE="${TENSOR_PARALLEL_SIZE:-1}"
export OPTION_MAX_ROLLING_BATCH_SIZE="${MAX_NUM_SEQS:-8}"
export OPTION_MAX_MODEL_LEN="${MAX_MODEL_LEN:-8192}"
export OPTION_TRUST_REMOTE_CODE="${TRUST_REMOTE_CODE:-false}"
# vLLM engine settings compose passes through (unset = LMI's default).
if [ -n "${GPU_MEMORY_UTILIZATION:-}" ]; then export OPTION_GPU_MEMORY_UTILIZATION="$GPU_MEMORY_UTILIZATION"; fi
if [ -n "${BLOCK_SIZE:-}" ]; then export OPTION_BLOCK_SIZE="$BLOCK_SIZE"; fi
if [ -n "${ENABLE_PREFIX_CACHING:-}" ]; then export OPTION_ENABLE_PREFIX_CACHING="$ENABLE_PREFIX_CACHING"; fi
if [ -n "${LIMIT_MM_PER_PROMPT_IMAGE:-}" ]; then export OPTION_LIMIT_MM_PER_PROMPT="{\"image\": $LIMIT_MM_PER_PROMPT_IMAGE}"; fi
export SERVING_OPTS="${SERVING_OPTS:-} -Dai.djl.http.port=8080"
exec "${LMI_ENTRYPOINT:-/usr/local/bin/dockerd-entrypoint.sh}" serve "$@"
