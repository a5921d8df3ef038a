#!/usr/bin/env bash
# Maps MODEL_ID / TENSOR_PARALLEL_SIZE / MAX_NUM_SEQS / MAX_MODEL_LEN to LMI's options and starts DJL.
set -euo pipefail
export HF_MODEL_ID="${MODEL_ID:?set MODEL_ID}"
export OPTION_ROLLING_BATCH=vllm
export OPTION_TENSOR_PARALLEL_DEGREE="${TENSOR_PARALLEL_SIZE:-1}"
export OPTION_MAX_ROLLING_BATCH_SIZE="${MAX_NUM_SEQS:-8}"
export OPTION_MAX_MODEL_LEN="${MAX_MODEL_LEN:-8192}"
export OPTION_TRUST_REMOTE_CODE="${TRUST_REMOTE_CODE:-false}"
export SERVING_OPTS="${SERVING_OPTS:-} -Dai.djl.http.port=8080"
exec /usr/local/bin/dockerd-entrypoint.sh serve "$@"
