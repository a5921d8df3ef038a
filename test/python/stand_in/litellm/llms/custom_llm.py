"""Stand-in for litellm.llms.custom_llm: the base class a custom provider extends, and its error."""


class CustomLLMError(Exception):
    def __init__(self, status_code, message):
        self.status_code = status_code
        self.message = message
        super().__init__(message)


class CustomLLM:
    """LiteLLM's base: each method raises until the provider overrides it."""

    def completion(self, *args, **kwargs):
        raise CustomLLMError(status_code=500, message="Not implemented yet!")

    def streaming(self, *args, **kwargs):
        raise CustomLLMError(status_code=500, message="Not implemented yet!")

    async def acompletion(self, *args, **kwargs):
        raise CustomLLMError(status_code=500, message="Not implemented yet!")

    async def astreaming(self, *args, **kwargs):
        raise CustomLLMError(status_code=500, message="Not implemented yet!")
