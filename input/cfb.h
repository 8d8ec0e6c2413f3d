/*
 * input/cfb.h — a small reader of OLE2 compound files (CFB, [MS-CFB]): the
 * container of .xls workbooks (and .doc, .msg, encrypted OOXML packages);
 * and the writer of the one-stream file FreeXL is given (cfb_single_head).
 *
 * Contract
 *  - cfb_open() checks the header and loads the FAT, the mini FAT and the
 *    directory of a file image held in memory (the caller's, e.g. mmap'ed).
 *    Every sector number, chain and size read from the file is checked: chains
 *    that leave the file, loop (a sector visited twice) or end early, and
 *    stream sizes larger than the file, make cfb_open()/cfb_read() fail with a
 *    Vietnamese reason in cf->why.
 *  - Only the streams directly under the root storage are looked up (a .doc
 *    that embeds a spreadsheet keeps its "Workbook" inside a sub-storage, and
 *    that is not an .xls).
 *
 * Ownership
 *  The image is borrowed and must outlive the cfb_file. cfb_read() returns a
 *  malloc'ed copy of the stream that the caller frees. cfb_close() frees what
 *  cfb_open() allocated (safe on a zeroed or failed cfb_file). The head
 *  cfb_single_head() returns is the caller's to free.
 */
#ifndef DTBD_INPUT_CFB_H
#define DTBD_INPUT_CFB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"


typedef struct {
    char name[64];      /* ASCII of the UTF-16 name; other characters are '?'  */
    uint8_t type;       /* 1 storage, 2 stream, 5 root                          */
    uint32_t left, right, child, start;
    uint64_t size;
} cfb_entry;

typedef struct {
    const unsigned char *img;   /* the file image (borrowed)                    */
    size_t img_size;
    uint32_t sector_size;       /* 512 or 4096                                  */
    uint32_t mini_cutoff;       /* streams smaller than this live in mini stream */
    uint32_t nsectors;          /* sectors present in the image (last may be short) */
    uint32_t *fat;
    uint32_t nfat;              /* entries in fat                               */
    uint32_t *minifat;
    uint32_t nminifat;
    cfb_entry *dir;
    uint32_t ndir;
    unsigned char *ministream;  /* the root entry's stream, loaded on demand    */
    size_t ministream_size;
    bool ministream_loaded;
    char why[160];              /* reason of the last failure, Vietnamese       */
} cfb_file;

/* True when the image starts with the OLE2 signature. */
bool cfb_is_ole2(const unsigned char *img, size_t size);

/* Parse header, FAT, mini FAT and directory of img[0..size). */
dtbd_status cfb_open(cfb_file *cf, const unsigned char *img, size_t size);

/* Release what cfb_open allocated. */
void cfb_close(cfb_file *cf);

/* Index of the stream named name (ASCII, case-insensitive) directly under the
 * root storage, or -1. */
int cfb_find(const cfb_file *cf, const char *name);

/* Copy the stream of directory entry idx into a malloc'ed buffer (*out, *len);
 * DTBD_ERR_LIMIT when it is larger than max bytes. */
dtbd_status cfb_read(cfb_file *cf, int idx, uint64_t max, unsigned char **out, size_t *len);

/* ---- writing: a compound file of one stream ---------------------------------
 * The plainest container there is for len bytes of a stream named name
 * (ASCII, at most 31 characters) under the root: version 3, 512-byte
 * sectors, FAT sectors first (their numbers in the header, then in DIFAT
 * sectors past 109 of them), the directory (root and stream), then the
 * stream in consecutive sectors. No mini stream: a stream shorter than the
 * 4096-byte cutoff is padded with zeros to it and declared 4096 bytes long.
 * cfb_single_head() returns what goes before the stream's bytes, malloc'ed
 * (*head_len bytes); the file is that head, the len bytes, then zeros up to
 * *total bytes. NULL when out of memory or len is past 2 GiB.
 * (The .xls reader hands FreeXL the stream it surveyed in such a file, so
 * FreeXL never parses a container dtbd did not make: input/xls.h.) */
unsigned char *cfb_single_head(const char *name, size_t len, size_t *head_len, size_t *total);

#endif
