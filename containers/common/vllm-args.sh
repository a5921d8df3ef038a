#!/usr/bin/env bash
# The `vllm serve` arguments both vLLM images build from the environment compose sets (the old
# launch.sh names). Sourced by containers/vllm-*/start.sh; `vllm_serve_args <max_model_len>
# <max_num_seqs>` (the image's defaults) fills the array VLLM_ARGS. An unset or empty variable adds
# nothing, so vLLM's own default applies.
vllm_serve_args() {
  local default_len=$1 default_seqs=$2
  VLLM_ARGS=(--host 0.0.0.0 --port 8080
    --served-model-name "${MODEL_ID:?set MODEL_ID}"
    --tensor-parallel-size "${TENSOR_PARALLEL_SIZE:-1}"
    --max-num-seqs "${MAX_NUM_SEQS:-$default_seqs}"
    --max-model-len "${MAX_MODEL_LEN:-$default_len}")
  if [ "${TRUST_REMOTE_CODE:-false}" = "true" ]; then VLLM_ARGS+=(--trust-remote-code); fi
  if [ -n "${GPU_MEMORY_UTILIZATION:-}" ]; then VLLM_ARGS+=(--gpu-memory-utilization "$GPU_MEMORY_UTILIZATION"); fi
  if [ -n "${BLOCK_SIZE:-}" ]; then VLLM_ARGS+=(--block-size "$BLOCK_SIZE"); fi
  if [ -n "${MAX_NUM_BATCHED_TOKENS:-}" ]; then VLLM_ARGS+=(--max-num-batched-tokens "$MAX_NUM_BATCHED_TOKENS"); fi
  if [ -n "${LIMIT_MM_PER_PROMPT_IMAGE:-}" ]; then
    VLLM_ARGS+=(--limit-mm-per-prompt "{\"image\": $LIMIT_MM_PER_PROMPT_IMAGE}")
  fi
  case "${ENABLE_PREFIX_CACHING:-}" in
    true) VLLM_ARGS+=(--enable-prefix-caching) ;;
    false) VLLM_ARGS+=(--no-enable-prefix-caching) ;;
    '') ;;
    *) echo "ENABLE_PREFIX_CACHING must be true or false, got '$ENABLE_PREFIX_CACHING'" >&2; return 2 ;;
  esac
  # Encoders (ENCODER_TYPE): the pooling runner, converted to the task's head.
  if [ -n "${VLLM_CONVERT:-}" ]; then VLLM_ARGS+=(--runner pooling --convert "$VLLM_CONVERT"); fi
  return 0
}
