/*
 * fuzz/fuzz_archive.c — a .zip attachment (input/archive.h): list its
 * members, inflate each under the caps, open a member that is itself a zip
 * (nesting), and read every member's copy through wb_read() as the run does.
 * The input is a whole zip file, written as it is. Small caps (members,
 * sizes, depth 2) so a mutated directory cannot make an iteration slow.
 * Property: no crash, leak, hang or undefined behaviour; labels are valid
 * UTF-8; a member's copy is never larger than the per-file cap.
 */
#include "fuzz/fuzz_common.h"
#include "fuzz/fuzz_inputs.h"

#include "input/archive.h"
#include "base/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const char *path, const wb_limits *lim, arc_archive *parent);

/* Read one member's copy like an inbox file; recurse into a nested zip. */
static void member(arc_archive *a, size_t i, const wb_limits *lim)
{
    snap_file copy;
    wb_error err;
    memset(&err, 0, sizeof err);
    if (arc_extract(a, i, lim, &copy, &err) != DTBD_OK) return;
    if (copy.size > lim->max_file_bytes) abort();
    if (wb_sniff(copy.path, &err) == WB_FMT_ARCHIVE) walk(copy.path, lim, a);
    else fuzz_read_file(copy.path);
    snap_release(&copy);
}

static void walk(const char *path, const wb_limits *lim, arc_archive *parent)
{
    arc_archive a;
    wb_error err;
    memset(&err, 0, sizeof err);
    if (arc_open(path, lim, parent, &a, &err) == DTBD_OK) {
        for (size_t i = 0; i < a.n; i++) {
            const char *l = a.members[i].label;
            if (!text_utf8_valid(l, strlen(l))) abort();
            member(&a, i, lim);
        }
    }
    arc_close(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wb_limits lim = wb_limits_default();
    lim.max_file_bytes = 1u << 20;
    lim.max_inflated_total = 4u << 20;
    lim.max_archive_members = 64;
    lim.max_archive_depth = 2;
    lim.max_cells_per_sheet = 20000;
    const char *path = fuzz_tmp_write(data, size, ".zip");
    walk(path, &lim, NULL);
    return 0;
}
