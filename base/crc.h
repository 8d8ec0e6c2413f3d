/*
 * base/crc.h — CRC-32 as zip and gzip use it (the value zlib's crc32()
 * gives), at the speed of the CPU's carry-less multiply where CPUID reports
 * PCLMULQDQ and SSE4.1 (folding four 16-byte lanes at a time, then a Barrett
 * reduction: Gopal et al., "Fast CRC Computation for Generic Polynomials
 * Using PCLMULQDQ Instruction", Intel 2009); zlib's crc32() otherwise and
 * for the last bytes. Every .xlsx part read is checked with it
 * (input/xlsx_part.c), where zlib's own took a tenth of reading, and the
 * streamed rows of tong-hop.xlsx are summed with it (output/xlsxpatch_pre.c).
 * No ownership: the caller provides every buffer.
 */
#ifndef DTBD_BASE_CRC_H
#define DTBD_BASE_CRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The CRC of data[0..n) continued from crc (0 to start), as
 * crc32(crc, data, n) computes it. */
uint32_t crc_update(uint32_t crc, const void *data, size_t n);

/* zlib's crc32() alone even where the CPU has the instructions (on), or
 * back to the CPU's choice (off): for tests that compare the two. */
void crc_portable(bool on);

#endif
