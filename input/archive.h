/*
 * input/archive.h — the members of a .zip attachment that is not a workbook
 * (wb_sniff() says WB_FMT_ARCHIVE), so that each member can be read like a
 * file of the inbox (DESIGN §4.1: provenance "a.zip!/member.xlsx").
 *
 * Contract
 *  - arc_open() lists the members, sorted by label (byte order of the UTF-8).
 *    Directory entries and macOS metadata (anything under "__MACOSX/") are no
 *    members: they are only counted (arc_archive.skipped). Lock files ("~$…")
 *    and hidden files (".DS_Store") ARE listed: the caller skips them with a
 *    note, as it does in folders.
 *  - A member's label is its name as valid UTF-8 in NFC: UTF-8 when the zip's
 *    UTF-8 flag says so or the bytes are valid UTF-8, else Windows-1258 (the
 *    code page Vietnamese Windows writes names in); invalid bytes become
 *    U+FFFD, control characters U+FFFD, '\' '/'. A label is only a label: it
 *    is never used as a path on disk, so an absolute or "../" name is harmless
 *    (arc_member.unsafe_name tells the caller to say so).
 *  - arc_extract() inflates one member into a private in-memory copy
 *    (input/snapshot.h: a snap_file with the member's own SHA-256 and the
 *    member's modification time from the zip) under the readers' caps:
 *    max_file_bytes per member, max_inflated_total for the whole tree of
 *    nested archives from one inbox file, max_inflate_ratio once a member
 *    passes ratio_floor_bytes, and a member never inflating beyond the size
 *    its header declares. The declared sizes are checked before a byte is
 *    inflated.
 *  - Nesting: arc_open() of a member's copy takes the archive it came from
 *    as parent; a depth beyond max_archive_depth is DTBD_ERR_LIMIT. More than
 *    max_archive_members members is DTBD_ERR_LIMIT for the whole archive.
 *
 * Errors (wb_error, Vietnamese details): DTBD_ERR_CORRUPT (not a readable zip,
 * damaged member data), DTBD_ERR_LIMIT (the caps above), DTBD_ERR_ENCRYPTED (a
 * member with a password), DTBD_ERR_NOMEM, DTBD_ERR_IO.
 *
 * Ownership: an arc_archive owns the open zip and the member list (one
 * arena); arc_close() releases them. A nested archive must be closed before
 * its parent. The snap_file of arc_extract() belongs to the caller
 * (snap_release()).
 */
#ifndef DTBD_INPUT_ARCHIVE_H
#define DTBD_INPUT_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "input/snapshot.h"
#include "input/workbook.h"

typedef struct {
    const char *label;      /* UTF-8 NFC name, a label only (see top)           */
    uint64_t index;         /* position in the zip's directory                  */
    uint64_t size;          /* declared uncompressed size                       */
    uint64_t comp_size;     /* compressed size                                  */
    int64_t mtime;          /* the member's modification time in the zip        */
    bool encrypted;         /* has a password: never inflated                   */
    bool unsafe_name;       /* absolute, "..", or a drive letter                */
    bool name_repaired;     /* not UTF-8: decoded as Windows-1258 / U+FFFD      */
} arc_member;

typedef struct arc_archive {
    struct zip *za;
    arena mem;
    arc_member *members;    /* sorted by label                                  */
    size_t n;
    size_t skipped;         /* directory entries and __MACOSX/ metadata         */
    unsigned depth;         /* 1 for an inbox's zip, its parent's + 1 inside    */
    uint64_t inflated;      /* bytes inflated in the whole tree (root's count)  */
    struct arc_archive *root;
} arc_archive;

/* List the members of the zip at path (a private copy, input/snapshot.h).
 * parent: the archive the zip is a member of, NULL for an inbox file. */
dtbd_status arc_open(const char *path, const wb_limits *lim, arc_archive *parent, arc_archive *a,
                   wb_error *err);

/* Inflate member i into *out (see the caps at the top). */
dtbd_status arc_extract(arc_archive *a, size_t i, const wb_limits *lim, snap_file *out,
                      wb_error *err);

/* True once the tree's max_inflated_total is spent: every further member
 * would fail too. */
bool arc_exhausted(const arc_archive *a, const wb_limits *lim);

/* Release the zip and the list (safe on a failed open). */
void arc_close(arc_archive *a);

#endif
