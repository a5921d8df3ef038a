#!/usr/bin/env bash
# Starts `vllm serve` on NeuronCores (NEURON_RT_VISIBLE_CORES) on port 8080. Compiled graphs are read
# from and written to NEURON_COMPILED_ARTIFACTS, a folder keyed by model, TP and Neuron SDK version
# on the cache volume; NEURON_COMPILE_CACHE_URL keeps the compiler's own cache beside it.
set -euo pipefail
source "$(dirname "$0")/vllm-args.sh"
mkdir -p "${NEURON_COMPILED_ARTIFACTS:?set NEURON_COMPILED_ARTIFACTS}" "${NEURON_COMPILE_CACHE_URL:-/tmp/neuron-cc-cache}"
export NEURON_CC_FLAGS="${NEURON_CC_FLAGS:---model-type=transformer --enable-fast-loading-neuron-binaries}"
export FI_EFA_FORK_SAFE=1
vllm_serve_args 2048 2
exec vllm serve "${MODEL_ID:?set MODEL_ID}" "${VLLM_ARGS[@]}" "$@"
