#!/usr/bin/env bash
# Starts `vllm serve` on port 8080 from the environment compose sets (the old launch.sh names).
set -euo pipefail
args=(--host 0.0.0.0 --port 8080
  --tensor-parallel-size "${TENSOR_PARALLEL_SIZE:-1}"
  --max-num-seqs "${MAX_NUM_SEQS:-2}"
  --max-model-len "${MAX_MODEL_LEN:-2048}"
  --served-model-name "${MODEL_ID}")
if [ "${TRUST_REMOTE_CODE:-false}" = "true" ]; then args+=(--trust-remote-code); fi
# NeuronCores come from NEURON_RT_VISIBLE_CORES; compiled graphs are cached in NEURON_COMPILED_ARTIFACTS.
args+=(--device neuron --block-size "${BLOCK_SIZE:-32}")
exec vllm serve "${MODEL_ID:?set MODEL_ID}" "${args[@]}" "$@"
