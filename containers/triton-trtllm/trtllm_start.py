"""Runs the TensorRT-LLM plan `launch up` passes in TRTLLM_PLAN (built and tested in
src/compose/trtllm-build.ts): checks the installed TensorRT-LLM is the version the cache key names,
converts and builds the engine unless the cache already holds it (one builder at a time, under a lock;
built into a temporary folder and renamed, so a crash never leaves a half engine), fills the Triton
model templates, renames the ensemble to "model" and execs tritonserver. Standard library only."""
import fcntl
import json
import os
import shutil
import subprocess
import sys
from importlib import metadata

SOURCE = os.environ.get("TRTLLM_SOURCE", "/opt/tensorrt_llm")  # the image's TensorRT-LLM checkout
TEMPLATES = os.path.join(SOURCE, "triton_backend/all_models/inflight_batcher_llm")
FILL = os.path.join(SOURCE, "triton_backend/tools/fill_template.py")
# Folder in the repository for each template; the ensemble answers as "model".
FOLDERS = {"preprocessing": "preprocessing", "postprocessing": "postprocessing",
           "tensorrt_llm": "tensorrt_llm", "ensemble": "model"}


def fail(message):
    print(f"trtllm_start: {message}", file=sys.stderr)
    sys.exit(2)


def model_dir(model_id):
    if os.path.isdir(model_id):
        return model_id
    from huggingface_hub import snapshot_download  # in the image; reads HF_HOME (the snapshot volume)
    return snapshot_download(model_id, token=os.environ.get("HF_TOKEN") or None)


def substitute(argv, values):
    out = []
    for arg in argv:
        for key, value in values.items():
            arg = arg.replace("{" + key + "}", value)
        out.append(arg)
    return out


def run(argv):
    print("trtllm_start: " + " ".join(argv), flush=True)
    subprocess.run(argv, check=True)


def build_engine(plan, values):
    engine = plan["engineDir"]
    if os.path.isfile(os.path.join(engine, "config.json")):
        print(f"trtllm_start: engine cached at {engine}", flush=True)
        return
    root = os.path.dirname(engine)
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.isfile(os.path.join(engine, "config.json")):
            return
        partial = engine + ".partial"
        shutil.rmtree(partial, ignore_errors=True)
        shutil.rmtree(plan["checkpointDir"], ignore_errors=True)
        run(substitute(plan["convert"], values))
        run([partial if a == engine else a for a in substitute(plan["build"], values)])
        os.rename(partial, engine)
        shutil.rmtree(plan["checkpointDir"], ignore_errors=True)


def repository(plan):
    """The model repository folder tritonserver is told to serve (from the plan's serve command)."""
    for arg in plan["serve"]:
        if arg.startswith("--model-repository="):
            return arg.split("=", 1)[1]
    fail("the plan's serve command has no --model-repository")


def write_repository(plan, values):
    root = repository(plan)
    shutil.rmtree(root, ignore_errors=True)
    for template, folder in FOLDERS.items():
        target = os.path.join(root, folder)
        shutil.copytree(os.path.join(TEMPLATES, template), target)
        config = os.path.join(target, "config.pbtxt")
        run([sys.executable, FILL, "-i", config, substitute([plan["templates"][template]], values)[0]])
        if template == "ensemble":
            with open(config) as f:
                text = f.read()
            with open(config, "w") as f:
                f.write(text.replace('name: "ensemble"', 'name: "model"', 1))


def main():
    raw = os.environ.get("TRTLLM_PLAN")
    if not raw:
        fail("TRTLLM_PLAN is not set; start this image with `launch up` (INFERENCE_ENGINE=trtllm)")
    plan = json.loads(raw)
    installed = metadata.version("tensorrt_llm")
    if installed.split("+")[0] != plan["version"]:
        fail(f"the image has TensorRT-LLM {installed} but the engine cache key says {plan['version']}; "
             "rebuild the image (build-containers triton-trtllm) or fix VERSIONS.trtllm in src/containers/catalog.ts")
    values = {"model_dir": model_dir(os.environ["MODEL_ID"])}
    build_engine(plan, values)
    write_repository(plan, values)
    argv = plan["serve"]
    print("trtllm_start: " + " ".join(argv), flush=True)
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main()
