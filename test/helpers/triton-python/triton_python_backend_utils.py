"""Stand-in for Triton's triton_python_backend_utils (the Python backend's stub module), with the few
parts a model uses: Tensor, get_input_tensor_by_name, InferenceRequest, InferenceResponse, TritonError,
Logger. Tensors hold numpy arrays (the real numpy when installed, else numpy-stand-in/)."""


class TritonError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self._message = message

    def message(self):
        return self._message


class Tensor:
    def __init__(self, name, array):
        self._name = name
        self._array = array

    def name(self):
        return self._name

    def as_numpy(self):
        return self._array


class InferenceRequest:
    def __init__(self, inputs):
        self._inputs = {t.name(): t for t in inputs}

    def inputs(self):
        return list(self._inputs.values())


def get_input_tensor_by_name(request, name):
    return request._inputs.get(name)


class InferenceResponse:
    def __init__(self, output_tensors=None, error=None):
        self._outputs = output_tensors or []
        self._error = error

    def output_tensors(self):
        return self._outputs

    def has_error(self):
        return self._error is not None

    def error(self):
        return self._error


class Logger:
    lines = []

    @staticmethod
    def log_info(message):
        Logger.lines.append(("info", message))

    @staticmethod
    def log_warn(message):
        Logger.lines.append(("warn", message))

    @staticmethod
    def log_error(message):
        Logger.lines.append(("error", message))
