/* cli/walk.c — the files a run reads (see walk.h). */
#include "cli/walk.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "cli/outdir.h"

/* ---- private ---------------------------------------------------------------------- */

/* Append a file (copies of path and label); past the limit only counted. */
static void add_file(walk_list *l, const char *path, const char *label)
{
    if (l->n >= l->limit) {
        l->unlisted++;
        return;
    }
    if (!buf_grow_array((void **)&l->files, &l->cap, l->n + 1, sizeof *l->files)) {
        l->oom = true;
        return;
    }
    walk_file *f = &l->files[l->n];
    f->path = strdup(path);
    f->label = strdup(label);
    if (!f->path || !f->label) {
        free(f->path);
        free(f->label);
        l->oom = true;
        return;
    }
    l->n++;
}

/* Append a note (copies of label and target, which may be NULL). */
static void add_note(walk_list *l, walk_note_kind kind, const char *label, const char *target)
{
    if (!buf_grow_array((void **)&l->notes, &l->capnotes, l->nnotes + 1, sizeof *l->notes)) {
        l->oom = true;
        return;
    }
    walk_note *w = &l->notes[l->nnotes];
    w->kind = kind;
    w->label = strdup(label);
    w->target = target ? strdup(target) : NULL;
    if (!w->label || (target && !w->target)) {
        free(w->label);
        free(w->target);
        l->oom = true;
        return;
    }
    l->nnotes++;
}

/* True (and remembered) the first time a folder is seen. */
static bool first_visit(walk_list *l, const struct stat *st)
{
    for (size_t i = 0; i < l->ndirs; i++)
        if (l->dir_dev[i] == st->st_dev && l->dir_ino[i] == st->st_ino) return false;
    size_t cap = l->capdirs;
    if (!buf_grow_array((void **)&l->dir_dev, &cap, l->ndirs + 1, sizeof *l->dir_dev) ||
        !buf_grow_array((void **)&l->dir_ino, &l->capdirs, l->ndirs + 1, sizeof *l->dir_ino)) {
        l->oom = true;
        return false;
    }
    l->dir_dev[l->ndirs] = st->st_dev;
    l->dir_ino[l->ndirs] = st->st_ino;
    l->ndirs++;
    return true;
}

/* True when the real path real lies in one of the INPUT folders. */
static bool inside_inputs(const walk_list *l, const char *real)
{
    for (size_t i = 0; i < l->nroots; i++) {
        const char *root = l->roots[i];
        size_t n = strlen(root);
        if (strcmp(root, "/") == 0) return true;
        if (strncmp(real, root, n) == 0 && (real[n] == '\0' || real[n] == '/')) return true;
    }
    return false;
}

/* A symlink found in a folder: true when it may be followed (its target is
 * inside an INPUT folder, or it dangles and reading it is the finding);
 * otherwise noted, and false. */
static bool link_allowed(walk_list *l, const char *path, const char *label)
{
    char *real = realpath(path, NULL);
    if (!real) return true;                    /* dangling: listed, unreadable */
    bool ok = inside_inputs(l, real);
    if (!ok) {
        char target[PATH_MAX];
        ssize_t k = readlink(path, target, sizeof target - 1);
        if (k >= 0) target[k] = '\0';
        add_note(l, WALK_LINK_OUTSIDE, label, k >= 0 ? target : real);
    }
    free(real);
    return ok;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in folder path, sorted; NULL (and *n = 0) when it cannot be read. */
static char **folder_names(walk_list *l, const char *path, size_t *n)
{
    *n = 0;
    DIR *d = opendir(path);
    if (!d) return NULL;
    char **names = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char *copy = strdup(e->d_name);
        if (!copy || !buf_grow_array((void **)&names, &cap, *n + 1, sizeof *names)) {
            free(copy);
            l->oom = true;
            break;
        }
        names[(*n)++] = copy;
    }
    closedir(d);
    if (!names) names = calloc(1, sizeof *names);     /* empty, but readable */
    if (!names) l->oom = true;
    else qsort(names, *n, sizeof *names, cmp_str);
    return names;
}

/* a + "/" + b (no doubled slash), malloc'd; NULL on OOM. */
static char *join(const char *a, const char *b)
{
    size_t n = strlen(a);
    buf out = BUF_INIT;
    buf_printf(&out, "%s%s%s", a, n && a[n - 1] == '/' ? "" : "/", b);
    if (out.oom) { buf_free(&out); return NULL; }
    return buf_detach(&out);
}

static void walk_path(walk_list *l, const char *path, const char *label, int depth);

/* Walk the entries of folder path; own: this folder is the run's OUTDIR and
 * an INPUT itself, so dtbd's own entries in it are left out. */
static void walk_entries(walk_list *l, const char *path, const char *label, int depth, bool own)
{
    size_t n;
    char **names = folder_names(l, path, &n);
    if (!names) {
        add_file(l, path, label);        /* an unreadable folder becomes a finding */
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (own && outdir_is_own_entry(names[i])) {
            free(names[i]);
            continue;
        }
        char *child = join(path, names[i]), *clabel = join(label, names[i]);
        struct stat lst;
        if (!child || !clabel) l->oom = true;
        else if (lstat(child, &lst) == 0 && S_ISLNK(lst.st_mode) && !link_allowed(l, child, clabel)) {
            /* noted: a link out of the inbox is not read */
        } else {
            walk_path(l, child, clabel, depth + 1);
        }
        free(child);
        free(clabel);
        free(names[i]);
    }
    free(names);
}

/* Walk path (shown as label): a file is listed; a folder is walked in name
 * order, each once, unless it is dtbd's output or nested too deep. */
static void walk_path(walk_list *l, const char *path, const char *label, int depth)
{
    struct stat st;
    if (l->oom) return;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        add_file(l, path, label);
        return;
    }
    if (depth > WALK_MAX_DEPTH) {
        add_note(l, WALK_TOO_DEEP, label, NULL);
        return;
    }
    if (!first_visit(l, &st)) {
        add_note(l, WALK_LOOP, label, NULL);
        return;
    }
    bool is_out = l->out_known && st.st_dev == l->out_dev && st.st_ino == l->out_ino;
    bool is_old = !is_out && outdir_is_output(path);
    if (depth > 0 && (is_out || is_old)) {
        add_note(l, is_out ? WALK_OUTPUT : WALK_OLD_OUTPUT, label, NULL);
        return;
    }
    /* an INPUT that is an output folder itself: read, but not dtbd's files */
    if (is_out || is_old) add_note(l, WALK_OUTPUT_FILES, label, NULL);
    walk_entries(l, path, label, depth, is_out || is_old);
}

/* The label of an INPUT argument: as typed when relative, else relative to
 * its parent folder (the INPUT's own name first; "/" stays "/"). */
static const char *input_label(const char *input)
{
    if (input[0] != '/') return input;
    size_t n = strlen(input);
    while (n > 1 && input[n - 1] == '/') n--;        /* "/a/inbox/" → "/a/inbox" */
    size_t k = n;
    while (k > 0 && input[k - 1] != '/') k--;
    return k < n ? input + k : input;
}

/* ---- public ----------------------------------------------------------------------- */

void walk_inputs(walk_list *l, char *const *inputs, size_t n, const char *outdir, size_t limit)
{
    memset(l, 0, sizeof *l);
    l->limit = limit;
    struct stat st;
    if (outdir && stat(outdir, &st) == 0 && S_ISDIR(st.st_mode)) {
        l->out_known = true;
        l->out_dev = st.st_dev;
        l->out_ino = st.st_ino;
    }
    l->roots = calloc(n ? n : 1, sizeof *l->roots);
    if (!l->roots) { l->oom = true; return; }
    for (size_t i = 0; i < n; i++) {
        char *real = realpath(inputs[i], NULL);
        if (real && stat(real, &st) == 0 && S_ISDIR(st.st_mode)) l->roots[l->nroots++] = real;
        else free(real);
    }
    for (size_t i = 0; i < n && !l->oom; i++) {
        /* "/a/inbox/" → label "inbox/": join() then adds no second slash */
        char *label = strdup(input_label(inputs[i]));
        if (!label) { l->oom = true; break; }
        walk_path(l, inputs[i], label, 0);
        free(label);
    }
}

void walk_free(walk_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->files[i].path);
        free(l->files[i].label);
    }
    free(l->files);
    for (size_t i = 0; i < l->nnotes; i++) {
        free(l->notes[i].label);
        free(l->notes[i].target);
    }
    free(l->notes);
    free(l->dir_dev);
    free(l->dir_ino);
    for (size_t i = 0; i < l->nroots; i++) free(l->roots[i]);
    free(l->roots);
    memset(l, 0, sizeof *l);
}
