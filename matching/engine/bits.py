"""Bit counting for the kernels, inlined (SWAR): set bits of a word, high bits of its bytes."""

import numpy as np
from numba import njit

_L8 = np.uint64(0x0101010101010101)
_M1 = np.uint64(0x5555555555555555)
_M2 = np.uint64(0x3333333333333333)
_M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_S1, _S2, _S4, _S7, _S56 = (np.uint64(k) for k in (1, 2, 4, 7, 56))


@njit(inline="always")
def _popcount(x):
    # SWAR popcount; LLVM recognises the idiom and emits vpopcntq where available.
    x = x - ((x >> _S1) & _M1)
    x = (x & _M2) + ((x >> _S2) & _M2)
    x = (x + (x >> _S4)) & _M4
    return (x * _L8) >> _S56


@njit(inline="always")
def _count_high_bits(x):
    # x has at most bit 7 of each byte set: move them to bit 0 and add the bytes.
    return ((x >> _S7) * _L8) >> _S56
