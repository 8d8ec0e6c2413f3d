/*
 * cli/walk.h — the files a run reads: the INPUT arguments walked
 * recursively (DESIGN §2, §7), in name order, with what was not walked and why.
 *
 *   - Each file has two names: `path`, to open it, and `label`, the name every
 *     output shows (DESIGN §7: relative to the INPUT folder given). A relative
 *     INPUT is kept as typed ("tests/corpus/inbox/2024/a.xlsx"); an absolute
 *     one is made relative to its parent, so the INPUT folder's own name stays
 *     the first component ("/home/x/inbox/a.xlsx" → "inbox/a.xlsx"). Labels
 *     are raw bytes here: results_add_source() makes them valid UTF-8.
 *   - A folder is walked once (device + inode), so symlink loops end; one
 *     reached again is a WALK_LOOP note, one nested deeper than WALK_MAX_DEPTH
 *     a WALK_TOO_DEEP note.
 *   - A symbolic link (to a folder or a file) is followed only when its target
 *     (realpath) lies inside one of the INPUT folders; any other is a
 *     WALK_LINK_OUTSIDE note naming the link and its target, and is not read
 *     (`ln -s / inbox/x` must not read /etc). A dangling link is listed as a
 *     file: reading it is the finding.
 *   - dtbd's own outputs are never read back: the run's OUTDIR when it lies
 *     inside an INPUT (same device + inode, whatever its name), and any folder
 *     that is a dtbd output folder (cli/outdir.h: it holds the marker),
 *     are WALK_OUTPUT / WALK_OLD_OUTPUT notes and not walked. When an INPUT
 *     folder is itself an output folder (`-o .` inside the inbox), it is
 *     walked but dtbd's own entries in it are left out (one WALK_OUTPUT_FILES
 *     note).
 *   - Files past `limit` are only counted (`unlisted`); unreadable folders are
 *     listed as files, so reading them is the finding.
 *
 * Ownership: a walk_list owns every string in it; walk_free() releases all.
 * An allocation failure sets `oom` (the run reports it).
 */
#ifndef DTBD_CLI_WALK_H
#define DTBD_CLI_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WALK_MAX_DEPTH 32

typedef enum {
    WALK_LOOP,            /* a folder reached again (symlink loop)           */
    WALK_TOO_DEEP,        /* a folder nested deeper than WALK_MAX_DEPTH      */
    WALK_LINK_OUTSIDE,    /* a symlink whose target is outside every INPUT   */
    WALK_OUTPUT,          /* the run's OUTDIR inside an INPUT                */
    WALK_OLD_OUTPUT,      /* a folder holding dtbd's output marker           */
    WALK_OUTPUT_FILES     /* an INPUT folder that is an output folder: dtbd's
                             own files in it are left out                    */
} walk_note_kind;

typedef struct {
    walk_note_kind kind;
    char *label;          /* the folder or link, as outputs show it          */
    char *target;         /* WALK_LINK_OUTSIDE: what the link points to      */
} walk_note;

typedef struct {
    char *path;           /* to open                                         */
    char *label;          /* as every output shows it                        */
} walk_file;

typedef struct {
    walk_file *files;
    size_t n, cap;
    walk_note *notes;
    size_t nnotes, capnotes;
    size_t limit;         /* files kept; further ones are only counted       */
    uint64_t unlisted;    /* files found beyond the limit                    */
    bool oom;
    /* private to the walk */
    dev_t *dir_dev;       /* folders already walked                          */
    ino_t *dir_ino;
    size_t ndirs, capdirs;
    char **roots;         /* realpath of each INPUT folder                   */
    size_t nroots;
    bool out_known;       /* OUTDIR exists: its device and inode             */
    dev_t out_dev;
    ino_t out_ino;
} walk_list;

/* Walk inputs[0..n) into l (zeroed by the call), keeping at most limit files;
 * outdir is the run's output folder (NULL for `dtbd check`). */
void walk_inputs(walk_list *l, char *const *inputs, size_t n, const char *outdir, size_t limit);

void walk_free(walk_list *l);

#endif
