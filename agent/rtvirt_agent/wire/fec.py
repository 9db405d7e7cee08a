"""Forward error correction for frames on a noisy line: Reed-Solomon over GF(2^8).

A protected frame is cut into chunks of up to ``DATA_PER_CODEWORD`` bytes, each followed by
``PARITY`` parity bytes (a shortened RS(255, 239) code), which correct up to ``PARITY // 2``
damaged bytes per chunk. The frame's own CRC-32 still decides whether a frame is accepted, so
a miscorrection is caught like any other damage. Written for this project from the textbook
algorithms: Berlekamp-Massey for the error locator, Chien search, Forney for the values.
"""

PARITY = 16
CODEWORD = 255
DATA_PER_CODEWORD = CODEWORD - PARITY
_PRIMITIVE = 0x11D

_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _power in range(255):
    _EXP[_power] = _value
    _LOG[_value] = _power
    _value <<= 1
    if _value & 0x100:
        _value ^= _PRIMITIVE
for _power in range(255, 512):
    _EXP[_power] = _EXP[_power - 255]


def _mul(a: int, b: int) -> int:
    return _EXP[_LOG[a] + _LOG[b]] if a and b else 0


def _div(a: int, b: int) -> int:
    return _EXP[_LOG[a] - _LOG[b] + 255] if a else 0


def _generator() -> list[int]:
    """Coefficients of prod (x - a^i), i < PARITY, highest degree first (monic)."""
    poly = [1]
    for i in range(PARITY):
        root = _EXP[i]
        poly = [a ^ _mul(b, root) for a, b in zip([*poly, 0], [0, *poly], strict=True)]
    return poly


_GENERATOR = _generator()
_FEEDBACK = [int.from_bytes(bytes(_mul(f, g) for g in _GENERATOR[1:]), "big") for f in range(256)]
_TOP_SHIFT = 8 * (PARITY - 1)
_MASK = (1 << 8 * PARITY) - 1


def parity(data: bytes) -> bytes:
    """The PARITY bytes of the systematic codeword for ``data`` (remainder of data·x^PARITY)."""
    register = 0
    for byte in data:
        register = ((register << 8) & _MASK) ^ _FEEDBACK[byte ^ (register >> _TOP_SHIFT)]
    return register.to_bytes(PARITY, "big")


def protect(raw: bytes) -> bytes:
    """``raw`` with parity after every chunk of up to DATA_PER_CODEWORD bytes."""
    out = bytearray()
    for start in range(0, len(raw), DATA_PER_CODEWORD):
        chunk = raw[start:start + DATA_PER_CODEWORD]
        out += chunk + parity(chunk)
    return bytes(out)


def chunks(coded: bytes) -> list[tuple[bytes, bytes]] | None:
    """(data, parity) of each codeword of ``coded``, or None if no protect() gives its length."""
    if len(coded) % CODEWORD and len(coded) % CODEWORD <= PARITY:
        return None
    words = [coded[i:i + CODEWORD] for i in range(0, len(coded), CODEWORD)]
    return [(word[:-PARITY], word[-PARITY:]) for word in words]


def strip(coded: bytes) -> bytes | None:
    """The data of a protected block without checking or correcting it."""
    split = chunks(coded)
    return b"".join(data for data, _ in split) if split else None


def unprotect(coded: bytes) -> bytes | None:
    """The data of a protected block, corrected where needed; None when beyond repair."""
    split = chunks(coded)
    if not split:
        return None
    out = bytearray()
    for data, received in split:
        remainder = bytes(a ^ b for a, b in zip(parity(data), received, strict=True))
        if any(remainder):
            data = _correct(data + received, remainder)
            if data is None:
                return None
        out += data
    return bytes(out)


def _correct(word: bytes, remainder: bytes) -> bytes | None:
    """The data of ``word`` with its errors corrected; ``remainder`` = word mod generator."""
    syndromes = [_evaluate(remainder, _EXP[j]) for j in range(PARITY)]
    locator = _berlekamp_massey(syndromes)
    errors = len(locator) - 1
    positions = [p for p in range(len(word)) if _evaluate_low(locator, _EXP[255 - p]) == 0]
    if len(positions) != errors or not 0 < errors <= PARITY // 2:
        return None
    omega = _poly_mul_low(syndromes, locator)[:PARITY]
    derivative = [locator[i] if i % 2 else 0 for i in range(1, len(locator))]
    fixed = bytearray(word)
    for position in positions:
        inverse = _EXP[255 - position]
        value = _mul(_EXP[position],
                     _div(_evaluate_low(omega, inverse), _evaluate_low(derivative, inverse)))
        fixed[len(word) - 1 - position] ^= value
    return bytes(fixed[:-PARITY])


def _evaluate(poly: bytes, x: int) -> int:
    """Value of ``poly`` (highest degree first) at ``x`` (Horner)."""
    value = 0
    for coefficient in poly:
        value = _mul(value, x) ^ coefficient
    return value


def _evaluate_low(poly: list[int], x: int) -> int:
    """Value of ``poly`` (lowest degree first) at ``x``."""
    value = 0
    for coefficient in reversed(poly):
        value = _mul(value, x) ^ coefficient
    return value


def _poly_mul_low(a: list[int], b: list[int]) -> list[int]:
    product = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            product[i + j] ^= _mul(x, y)
    return product


def _berlekamp_massey(syndromes: list[int]) -> list[int]:
    """Error locator polynomial (lowest degree first, constant 1) for the syndromes."""
    current, previous = [1], [1]
    length, shift, last_discrepancy = 0, 1, 1
    for n, syndrome in enumerate(syndromes):
        discrepancy = syndrome
        for i in range(1, length + 1):
            discrepancy ^= _mul(current[i], syndromes[n - i])
        if discrepancy == 0:
            shift += 1
            continue
        scale = _div(discrepancy, last_discrepancy)
        adjusted = current + [0] * max(0, len(previous) + shift - len(current))
        for i, coefficient in enumerate(previous):
            adjusted[i + shift] ^= _mul(scale, coefficient)
        if 2 * length <= n:
            previous, length, last_discrepancy, shift = current, n + 1 - length, discrepancy, 1
        else:
            shift += 1
        current = adjusted
    return current[:length + 1]
