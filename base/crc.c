/* base/crc.c — CRC-32 with the carry-less multiply (see crc.h). */
#include "base/crc.h"

#include <zlib.h>

/* ---- private: folding with PCLMULQDQ ------------------------------------------ */

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

#define CRC_TARGET __attribute__((target("pclmul,sse4.1")))

/* The bit-reflected constants of the paper for the polynomial 0x04C11DB7:
 * x^(4*128+32) mod P and x^(4*128-32) mod P (fold by four lanes), the same
 * for one lane, x^64 mod P, and P with its Barrett constant μ. */
static const uint64_t K1K2[2] = {0x0154442bd4, 0x01c6e41596};
static const uint64_t K3K4[2] = {0x01751997d0, 0x00ccaa009e};
static const uint64_t K5K0[2] = {0x0163cd6124, 0};
static const uint64_t POLY[2] = {0x01db710641, 0x01f7011641};

static inline __m128i load(const unsigned char *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

CRC_TARGET static inline __m128i fold(__m128i x, __m128i k, __m128i next)
{
    __m128i lo = _mm_clmulepi64_si128(x, k, 0x00), hi = _mm_clmulepi64_si128(x, k, 0x11);
    return _mm_xor_si128(_mm_xor_si128(hi, lo), next);
}

/* The CRC register (inverted, as inside zlib) after n bytes of p; n >= 64
 * and a multiple of 16. */
CRC_TARGET static uint32_t fold_pclmul(uint32_t reg, const unsigned char *p, size_t n)
{
    __m128i x1 = load(p), x2 = load(p + 16), x3 = load(p + 32), x4 = load(p + 48);
    x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)reg));
    __m128i k = _mm_loadu_si128((const __m128i *)(const void *)K1K2);
    p += 64;
    n -= 64;
    for (; n >= 64; p += 64, n -= 64) {
        x1 = fold(x1, k, load(p));
        x2 = fold(x2, k, load(p + 16));
        x3 = fold(x3, k, load(p + 32));
        x4 = fold(x4, k, load(p + 48));
    }
    k = _mm_loadu_si128((const __m128i *)(const void *)K3K4);
    x1 = fold(x1, k, x2);
    x1 = fold(x1, k, x3);
    x1 = fold(x1, k, x4);
    for (; n >= 16; p += 16, n -= 16) x1 = fold(x1, k, load(p));
    /* 128 bits to 64 */
    __m128i x2b = _mm_clmulepi64_si128(x1, k, 0x10);
    const __m128i mask32 = _mm_setr_epi32(~0, 0, ~0, 0);
    x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2b);
    k = _mm_loadl_epi64((const __m128i *)(const void *)K5K0);
    x2b = _mm_srli_si128(x1, 4);
    x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, mask32), k, 0x00), x2b);
    /* Barrett reduction to 32 bits */
    k = _mm_loadu_si128((const __m128i *)(const void *)POLY);
    x2b = _mm_clmulepi64_si128(_mm_and_si128(x1, mask32), k, 0x10);
    x2b = _mm_clmulepi64_si128(_mm_and_si128(x2b, mask32), k, 0x00);
    x1 = _mm_xor_si128(x1, x2b);
    return (uint32_t)_mm_extract_epi32(x1, 1);
}

static bool has_pclmul(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    return (c & bit_PCLMUL) && (c & bit_SSE4_1);
}
#endif

/* Which way this CPU goes (decided once; read by every thread, written with
 * the same value by any); 0 forced by crc_portable. */
static int use_pclmul = -1;

/* ---- public ----------------------------------------------------------------- */

void crc_portable(bool on)
{
    __atomic_store_n(&use_pclmul, on ? 0 : -1, __ATOMIC_RELAXED);
}

uint32_t crc_update(uint32_t crc, const void *data, size_t n)
{
    const unsigned char *p = data;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (n >= 64) {
        int u = __atomic_load_n(&use_pclmul, __ATOMIC_RELAXED);
        if (u < 0) {
            u = has_pclmul();
            __atomic_store_n(&use_pclmul, u, __ATOMIC_RELAXED);
        }
        if (u) {
            size_t body = n & ~(size_t)15;
            crc = ~fold_pclmul(~crc, p, body);
            p += body;
            n -= body;
        }
    }
#endif
    /* zlib takes at most UINT_MAX bytes at a time */
    while (n > 0) {
        uInt k = n > 0x40000000u ? 0x40000000u : (uInt)n;
        crc = (uint32_t)crc32(crc, p, k);
        p += k;
        n -= k;
    }
    return crc;
}
