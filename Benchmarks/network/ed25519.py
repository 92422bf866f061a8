"""Ed25519 signing (RFC 8032) in pure Python, standard library only, for the network benchmark's driver.

Only signing and public keys: the node verifies. Deterministic, so a signature can be checked byte for byte
against `tokenscript attest sign` over the same bytes (the driver does, once, before it measures). A fixed-base
table with 4-bit windows makes a signature about a millisecond; every signature is made before a clock starts.
"""

import hashlib

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _recover_x(y, sign):
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P)
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if x & 1 != sign:
        x = P - x
    return x


_BY = 4 * pow(5, P - 2, P) % P
_BX = _recover_x(_BY, 0)
BASE = (_BX, _BY, 1, _BX * _BY % P)
IDENTITY = (0, 1, 1, 0)


def _add(a, b):
    """Extended twisted Edwards coordinates (X, Y, Z, T), a = -1 (add-2008-hwcd-3)."""
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa = (y1 - x1) * (y2 - x2) % P
    bb = (y1 + x1) * (y2 + x2) % P
    cc = 2 * t1 * t2 * D % P
    dd = 2 * z1 * z2 % P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _table():
    """table[i][j] = j * 16^i * B, for the 64 four-bit windows of a scalar."""
    rows = []
    point = BASE
    for _ in range(64):
        row = [IDENTITY]
        for _ in range(15):
            row.append(_add(row[-1], point))
        rows.append(row)
        for _ in range(4):
            point = _add(point, point)
    return rows


_TABLE = _table()


def _base_multiply(scalar):
    result = IDENTITY
    for window in range(64):
        digit = (scalar >> (4 * window)) & 15
        if digit:
            result = _add(result, _TABLE[window][digit])
    return result


def _encode(point):
    x, y, z, _ = point
    inverse = pow(z, P - 2, P)
    x, y = x * inverse % P, y * inverse % P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def _sha512_int(*parts):
    digest = hashlib.sha512(b"".join(parts)).digest()
    return int.from_bytes(digest, "little")


class SigningKey:
    def __init__(self, seed: bytes):
        if len(seed) != 32:
            raise ValueError("an ed25519 seed is 32 bytes")
        digest = hashlib.sha512(seed).digest()
        scalar = int.from_bytes(digest[:32], "little")
        scalar &= (1 << 254) - 8
        scalar |= 1 << 254
        self.seed = seed
        self._scalar = scalar
        self._prefix = digest[32:]
        self.public_key = _encode(_base_multiply(scalar))

    def sign(self, message: bytes) -> bytes:
        r = _sha512_int(self._prefix, message) % L
        encoded_r = _encode(_base_multiply(r))
        k = _sha512_int(encoded_r, self.public_key, message) % L
        s = (r + k * self._scalar) % L
        return encoded_r + s.to_bytes(32, "little")


if __name__ == "__main__":
    # RFC 8032, section 7.1, test 2 (one-byte message).
    key = SigningKey(bytes.fromhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"))
    assert key.public_key.hex() == "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
    assert key.sign(b"\x72").hex() == (
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
        "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
    )
    print("ed25519: RFC 8032 test vector 2 ok")
