"""The LiteLLM custom endpoint handler (containers/litellm) against a stand-in for LiteLLM's
CustomLLM base and a loopback target: OpenAI chat, Triton generate / generate_stream / infer and
DJL LMI invocations, each streamed and not, through the async methods the proxy calls and the sync
ones the SDK calls."""
import asyncio
import json

import pytest

import custom_endpoint_handler as handler_module
from litellm.llms.custom_llm import CustomLLM, CustomLLMError

HANDLER = handler_module.custom_endpoint_llm
MESSAGES = [{"role": "user", "content": "Say hello"}]


def call(kind, **kwargs):
    """Calls the handler as LiteLLM does (keyword arguments), sync or async; streams become lists."""
    params = {"model": "custom-model", "messages": MESSAGES, "api_base": None, "optional_params": {}, "timeout": 10}
    params.update(kwargs)
    method = getattr(HANDLER, kind)
    if kind == "astreaming":
        async def collect():
            return [chunk async for chunk in method(**params)]
        return asyncio.run(collect())
    if kind == "acompletion":
        return asyncio.run(method(**params))
    result = method(**params)
    return list(result) if kind == "streaming" else result


def text_of(kind, result):
    if kind.endswith("streaming"):
        return "".join(chunk["text"] for chunk in result)
    return result.choices[0].message.content


def last_request(target):
    return target.requests[-1]


WHOLE = ["completion", "acompletion"]
STREAMED = ["streaming", "astreaming"]


def test_is_a_custom_llm():
    assert isinstance(HANDLER, CustomLLM)


@pytest.mark.parametrize("kind", WHOLE + STREAMED)
def test_openai_target_passes_the_chat_through(target, env, kind):
    env.setenv("ENDPOINT_URL", f"{target.url}/v1/chat/completions")
    env.setenv("MODEL", "Qwen/Qwen3-0.6B")
    env.setenv("CUSTOM_HEADERS", json.dumps({"Authorization": "Bearer target-key", "X-Tenant": "a"}))
    result = call(kind, optional_params={"max_tokens": 16, "temperature": 0.5})
    request = last_request(target)
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer target-key"
    assert request["headers"]["X-Tenant"] == "a"
    body = request["body"]
    assert body["model"] == "Qwen/Qwen3-0.6B" and body["messages"] == MESSAGES
    assert body["max_tokens"] == 16 and body["temperature"] == 0.5
    streamed = kind in STREAMED
    assert body["stream"] is streamed
    assert ("stream_options" in body) is streamed
    assert text_of(kind, result) == "Hello wide world"
    if streamed:
        assert [c["text"] for c in result[:-1]] == ["Hello", " wide", " world"]
        final = result[-1]
        assert final["is_finished"] and final["finish_reason"] == "stop"
        assert final["usage"] == {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}
    else:
        assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (7, 3)


TRITON_GENERATE = {"text_input": "", "sampling_parameters": "{ \"top_k\": 50, \"max_tokens\": 2048 }"}


@pytest.mark.parametrize("kind", WHOLE + STREAMED)
def test_triton_generate_template(target, env, kind):
    env.setenv("ENDPOINT_URL", f"{target.url}/v2/models/model/generate")
    env.setenv("TEMPLATE", json.dumps(TRITON_GENERATE))
    env.setenv("TEMPLATE_KEYS", '["text_input"]')
    result = call(kind, optional_params={"max_tokens": 32})
    request = last_request(target)
    streamed = kind in STREAMED
    assert request["path"] == ("/v2/models/model/generate_stream" if streamed else "/v2/models/model/generate")
    assert request["body"]["text_input"] == "Say hello"
    assert json.loads(request["body"]["sampling_parameters"]) == {"top_k": 50, "max_tokens": 32}
    assert request["body"].get("stream", False) is streamed
    assert text_of(kind, result) == "Hello wide world"
    if streamed:
        assert len(result) == 4 and result[-1]["is_finished"]


@pytest.mark.parametrize("kind", WHOLE)
def test_triton_infer_template_with_a_response_path(target, env, kind):
    env.setenv("ENDPOINT_URL", f"{target.url}/v2/models/model/infer")
    env.setenv("TEMPLATE", json.dumps({"inputs": [{"name": "text_input", "shape": [1, 1], "datatype": "BYTES", "data": []}]}))
    env.setenv("TEMPLATE_KEYS", '["inputs.[0].data"]')
    env.setenv("RESPONSE_TEXT_PATH", "outputs.[0].data.[0]")
    result = call(kind)
    assert last_request(target)["body"]["inputs"][0]["data"] == ["Say hello"]
    assert text_of(kind, result) == "Hello wide world"
    env.delenv("RESPONSE_TEXT_PATH")
    assert text_of(kind, call(kind)) == "Hello wide world"  # the known Triton infer shape


LMI = {"inputs": "", "parameters": {"max_new_tokens": 2048, "top_k": 50}}
DJL_CHAT = {"model": "lmi", "max_tokens": 2048, "top_k": 50, "messages": [{"role": "user", "content": ""}]}


@pytest.mark.parametrize("kind", WHOLE + STREAMED)
def test_djl_invocations_lmi_schema(target, env, kind):
    env.setenv("ENDPOINT_URL", f"{target.url}/invocations")
    env.setenv("TEMPLATE", json.dumps(LMI))
    env.setenv("TEMPLATE_KEYS", '["inputs"]')
    result = call(kind, optional_params={"max_tokens": 8})
    body = last_request(target)["body"]
    assert body["inputs"] == "Say hello" and body["parameters"]["max_new_tokens"] == 8
    assert body.get("stream", False) is (kind in STREAMED)
    assert text_of(kind, result) == "Hello wide world"  # the special token is not text
    if kind in STREAMED:
        assert result[-1]["finish_reason"] == "length"
        assert result[-1]["usage"]["completion_tokens"] == 3
    else:
        assert result.usage.completion_tokens == 3


@pytest.mark.parametrize("kind", WHOLE + STREAMED)
def test_djl_invocations_chat_schema_with_the_model_key(target, env, kind):
    env.setenv("ENDPOINT_URL", f"{target.url}/invocations")
    env.setenv("MODEL", "served-id")
    env.setenv("TEMPLATE", json.dumps(DJL_CHAT))
    env.setenv("TEMPLATE_KEYS", '["model", "messages.[0].content"]')
    result = call(kind, messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}])
    body = last_request(target)["body"]
    assert body["model"] == "served-id"
    assert body["messages"][0]["content"] == "system: Be brief.\nuser: Hi"
    assert text_of(kind, result) == "Hello wide world"


@pytest.mark.parametrize("kind", WHOLE + STREAMED)
def test_target_errors_and_bad_settings_are_custom_llm_errors(target, env, kind):
    env.setenv("ENDPOINT_URL", f"{target.url}/fail")
    with pytest.raises(CustomLLMError) as failed:
        call(kind)
    assert failed.value.status_code == 503 and "overloaded" in failed.value.message
    env.setenv("ENDPOINT_URL", f"{target.url}/v1/chat/completions")
    env.setenv("TEMPLATE", "{not json")
    with pytest.raises(CustomLLMError) as bad:
        call(kind)
    assert bad.value.status_code == 400 and "TEMPLATE is not valid JSON" in bad.value.message
    env.setenv("TEMPLATE", json.dumps(LMI))
    env.setenv("TEMPLATE_KEYS", '["parameters.missing.deeper"]')
    with pytest.raises(CustomLLMError, match="not a path in TEMPLATE"):
        call(kind)
