"""A few lines of numpy for hosts without it (the test Python is Debian's, which lacks numpy): arrays
with a shape and a dtype, array()/asarray(), reshape() and tolist(). Used only when `import numpy`
fails; the real numpy is preferred."""

float32 = "float32"
int32 = "int32"
object_ = "object"


def _shape(data):
    shape = []
    while isinstance(data, (list, tuple)):
        shape.append(len(data))
        data = data[0] if data else None
    return shape


def _flat(data):
    if isinstance(data, (list, tuple)):
        out = []
        for item in data:
            out.extend(_flat(item))
        return out
    return [data]


def _cast(value, dtype):
    if dtype == float32:
        return float(value)
    if dtype == int32:
        if int(value) != value:
            raise TypeError(f"{value!r} is not an integer")
        return int(value)
    return value


class ndarray:
    def __init__(self, flat_values, shape, dtype):
        self._flat = flat_values
        self.shape = tuple(shape)
        self.dtype = dtype
        size = 1
        for n in shape:
            size *= n
        if size != len(flat_values):
            raise ValueError(f"cannot shape {len(flat_values)} values as {tuple(shape)}")

    def reshape(self, *shape):
        dims = list(shape[0]) if len(shape) == 1 and isinstance(shape[0], (list, tuple)) else list(shape)
        if -1 in dims:
            known = 1
            for n in dims:
                if n != -1:
                    known *= n
            dims[dims.index(-1)] = len(self._flat) // known if known else 0
        return ndarray(self._flat, dims, self.dtype)

    def tolist(self):
        def build(values, dims):
            if not dims:
                return values[0]
            step = len(values) // dims[0] if dims[0] else 0
            return [build(values[i * step:(i + 1) * step], dims[1:]) for i in range(dims[0])]
        return build(self._flat, list(self.shape)) if self.shape else self._flat[0]


def array(data, dtype=None):
    if isinstance(data, ndarray):
        return ndarray([_cast(v, dtype or data.dtype) for v in data._flat], data.shape, dtype or data.dtype)
    shape = _shape(data)
    values = _flat(data)
    if dtype is None:
        dtype = object_ if any(isinstance(v, (bytes, str)) for v in values) else float32
    return ndarray([_cast(v, dtype) for v in values], shape, dtype)


asarray = array
