/* base/sha256.c — SHA-256 (FIPS 180-4) (see sha256.h). */
#include "base/sha256.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- private ---------------------------------------------------------------- */

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t ror(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

/* Process one 64-byte block. */
static void compress(sha256_ctx *c, const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
    uint32_t e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t s1 = ror(e, 6) ^ ror(e, 11) ^ ror(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = h + s1 + ch + K[i] + w[i];
        uint32_t s0 = ror(a, 2) ^ ror(a, 13) ^ ror(a, 22);
        uint32_t maj = (a & b) ^ (a & cc) ^ (b & cc);
        uint32_t t2 = s0 + maj;
        h = g; g = f; f = e; e = d + t1;
        d = cc; cc = b; b = a; a = t1 + t2;
    }
    c->h[0] += a; c->h[1] += b; c->h[2] += cc; c->h[3] += d;
    c->h[4] += e; c->h[5] += f; c->h[6] += g; c->h[7] += h;
}

/* ---- the SHA extensions of x86 (most CPUs since 2017) ------------------------
 * The same compression with the CPU's own SHA-256 rounds: about 7× faster, so
 * hashing every input as it is copied (input/snapshot.h) stays cheap. Used when
 * CPUID says the CPU has them; the portable compress() otherwise. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

#define SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

SHA_TARGET static void compress_shani(sha256_ctx *c, const unsigned char *p)
{
    const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)(const void *)&c->h[0]);
    __m128i s1 = _mm_loadu_si128((const __m128i *)(const void *)&c->h[4]);
    tmp = _mm_shuffle_epi32(tmp, 0xB1);             /* CDAB */
    s1 = _mm_shuffle_epi32(s1, 0x1B);               /* EFGH */
    __m128i s0 = _mm_alignr_epi8(tmp, s1, 8);       /* ABEF */
    s1 = _mm_blend_epi16(s1, tmp, 0xF0);            /* CDGH */
    const __m128i abef = s0, cdgh = s1;
    __m128i m[4];
    for (int j = 0; j < 16; j++) {
        __m128i x;
        if (j < 4) {
            x = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * j)), mask);
        } else {
            /* W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], four at a time */
            x = _mm_sha256msg1_epu32(m[(j - 4) & 3], m[(j - 3) & 3]);
            x = _mm_add_epi32(x, _mm_alignr_epi8(m[(j - 1) & 3], m[(j - 2) & 3], 4));
            x = _mm_sha256msg2_epu32(x, m[(j - 1) & 3]);
        }
        m[j & 3] = x;
        __m128i k = _mm_add_epi32(x, _mm_loadu_si128((const __m128i *)(const void *)&K[4 * j]));
        s1 = _mm_sha256rnds2_epu32(s1, s0, k);
        k = _mm_shuffle_epi32(k, 0x0E);
        s0 = _mm_sha256rnds2_epu32(s0, s1, k);
    }
    s0 = _mm_add_epi32(s0, abef);
    s1 = _mm_add_epi32(s1, cdgh);
    tmp = _mm_shuffle_epi32(s0, 0x1B);              /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);               /* DCHG */
    s0 = _mm_blend_epi16(tmp, s1, 0xF0);            /* DCBA */
    s1 = _mm_alignr_epi8(s1, tmp, 8);               /* HGFE */
    _mm_storeu_si128((__m128i *)(void *)&c->h[0], s0);
    _mm_storeu_si128((__m128i *)(void *)&c->h[4], s1);
}

static bool has_shani(void)
{
    unsigned a, b, cx, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &cx, &d)) return false;
    bool sha = (b >> 29) & 1;
    if (!__get_cpuid(1, &a, &b, &cx, &d)) return false;
    return sha && (cx & bit_SSE4_1) && (cx & bit_SSSE3);
}
#endif

/* The compression this CPU runs (decided once; read by every thread,
 * written with the same value by any); 0 forced by sha256_portable. */
static int use_shani = -1;

/* See sha256.h. */
void sha256_portable(bool on)
{
    __atomic_store_n(&use_shani, on ? 0 : -1, __ATOMIC_RELAXED);
}

static void compress_any(sha256_ctx *c, const unsigned char *p)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    int u = __atomic_load_n(&use_shani, __ATOMIC_RELAXED);
    if (u < 0) {
        u = has_shani();
        __atomic_store_n(&use_shani, u, __ATOMIC_RELAXED);
    }
    if (u) {
        compress_shani(c, p);
        return;
    }
#endif
    compress(c, p);
}

/* ---- public ----------------------------------------------------------------- */

void sha256_init(sha256_ctx *c)
{
    static const uint32_t H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, H0, sizeof H0);
    c->bytes = 0;
    c->fill = 0;
}

void sha256_update(sha256_ctx *c, const void *data, size_t n)
{
    const unsigned char *p = data;
    c->bytes += n;
    while (n > 0) {
        if (c->fill == 0 && n >= 64) {   /* whole blocks straight from the data */
            compress_any(c, p);
            p += 64;
            n -= 64;
            continue;
        }
        size_t take = 64 - c->fill < n ? 64 - c->fill : n;
        memcpy(c->block + c->fill, p, take);
        c->fill += take;
        p += take;
        n -= take;
        if (c->fill == 64) {
            compress_any(c, c->block);
            c->fill = 0;
        }
    }
}

void sha256_final(sha256_ctx *c, unsigned char digest[32])
{
    uint64_t bits = c->bytes * 8;
    unsigned char pad = 0x80;
    sha256_update(c, &pad, 1);
    unsigned char zero = 0;
    while (c->fill != 56) sha256_update(c, &zero, 1);
    unsigned char len[8];
    for (int i = 0; i < 8; i++) len[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(c, len, 8);
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (unsigned char)(c->h[i] >> 24);
        digest[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        digest[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        digest[4 * i + 3] = (unsigned char)c->h[i];
    }
}

/* Digest → lower-case hex. */
static void to_hex(const unsigned char d[32], char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = '\0';
}

void sha256_hex(const void *data, size_t n, char hex[65])
{
    sha256_ctx c;
    unsigned char d[32];
    sha256_init(&c);
    sha256_update(&c, data, n);
    sha256_final(&c, d);
    to_hex(d, hex);
}

int sha256_file(const char *path, char hex[65])
{
    /* Only a regular file, opened without blocking: a FIFO must not hang. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat st;
    FILE *f = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !(f = fdopen(fd, "rb"))) {
        close(fd);
        return -1;
    }
    sha256_ctx c;
    sha256_init(&c);
    unsigned char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) sha256_update(&c, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad) return -1;
    unsigned char d[32];
    sha256_final(&c, d);
    to_hex(d, hex);
    return 0;
}
