"""A stand-in for the parts of LiteLLM the custom endpoint handler uses (LiteLLM itself cannot be
installed on the test hosts: no Python package index). Same names and constructor keywords as
litellm 1.77 (litellm.ModelResponse, Choices, Message, Usage; litellm.llms.custom_llm.CustomLLM and
CustomLLMError; litellm.types.utils.GenericStreamingChunk), keeping only what the tests read."""


class Message:
    def __init__(self, content=None, role="assistant", **extra):
        self.content = content
        self.role = role


class Choices:
    def __init__(self, index=0, finish_reason=None, message=None, **extra):
        self.index = index
        self.finish_reason = finish_reason
        self.message = message


class Usage:
    def __init__(self, prompt_tokens=0, completion_tokens=0, total_tokens=0, **extra):
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens
        self.total_tokens = total_tokens


class ModelResponse:
    def __init__(self, id=None, choices=None, created=None, model=None, usage=None, **extra):
        self.id = id
        self.choices = choices or []
        self.created = created
        self.model = model
        self.usage = usage
