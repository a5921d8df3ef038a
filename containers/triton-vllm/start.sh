#!/usr/bin/env bash
# Writes a one-model repository ("model", vLLM backend) from the environment and starts Triton's HTTP
# endpoint on 8080: POST /v2/models/model/generate, health at /v2/health/ready. The engine arguments
# are the ones the vLLM images take (GPU_MEMORY_UTILIZATION, BLOCK_SIZE, LIMIT_MM_PER_PROMPT_IMAGE,
# ENABLE_PREFIX_CACHING: unset = vLLM's default).
set -euo pipefail
root="$(mktemp -d /tmp/model_repository.XXXXXX)"
repo="$root/model"
mkdir -p "$repo/1"
cat > "$repo/config.pbtxt" <<PBTXT
backend: "vllm"
instance_group [{ count: 1, kind: KIND_MODEL }]
PBTXT
python3 - "$repo/1/model.json" <<'PY'
import json, os, sys
env = os.environ.get
args = {
    "model": env("MODEL_ID"),
    "served_model_name": [env("MODEL_ID")],
    "tensor_parallel_size": int(env("TENSOR_PARALLEL_SIZE", "1")),
    "max_num_seqs": int(env("MAX_NUM_SEQS", "8")),
    "max_model_len": int(env("MAX_MODEL_LEN", "8192")),
    "trust_remote_code": env("TRUST_REMOTE_CODE", "false") == "true",
    "gpu_memory_utilization": float(env("GPU_MEMORY_UTILIZATION") or "0.9"),
}
if env("BLOCK_SIZE"):
    args["block_size"] = int(env("BLOCK_SIZE"))
if env("LIMIT_MM_PER_PROMPT_IMAGE"):
    args["limit_mm_per_prompt"] = {"image": int(env("LIMIT_MM_PER_PROMPT_IMAGE"))}
if env("ENABLE_PREFIX_CACHING") in ("true", "false"):
    args["enable_prefix_caching"] = env("ENABLE_PREFIX_CACHING") == "true"
if not args["model"]:
    sys.exit("set MODEL_ID")
json.dump(args, open(sys.argv[1], "w"))
PY
exec tritonserver --model-repository="$root" --http-port=8080 --grpc-port=8001 --metrics-port=8002 "$@"
