/* cli/dump.c — `dtbd dump` (see dump.h). */
#include "cli/dump.h"

#include <stdlib.h>
#include <string.h>

/* ---- private ------------------------------------------------------------------ */

typedef struct {
    const dump_options *opt;
    FILE *out;
    bool selected;       /* the current sheet is printed                          */
    bool any_sheet;      /* a sheet matched --sheet                               */
    unsigned sheets;     /* sheets printed (JSON commas)                          */
    bool first_item;     /* first cell / merge of the current JSON array          */
    bool in_merges;      /* JSON: the cells array was closed, merges opened       */
} dump_state;

/* Text escapes of the line format. Runs without a character to escape (the
 * common case) are written in one piece. */
static void put_escaped(FILE *out, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc;
        switch (s[i]) {
        case '\t': esc = "\\t"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\\': esc = "\\\\"; break;
        default: continue;
        }
        fwrite_unlocked(s + start, 1, i - start, out);
        fwrite_unlocked(esc, 1, 2, out);
        start = i + 1;
    }
    fwrite_unlocked(s + start, 1, n - start, out);
}

/* A JSON string literal (input is valid UTF-8: only escapes are needed). */
static void put_json_string(FILE *out, const char *s, size_t n)
{
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (c < 0x20) fprintf(out, "\\u%04x", c);
            else fputc((int)c, out);
        }
    }
    fputc('"', out);
}

static const char *type_name(wb_type t)
{
    switch (t) {
    case WB_NUMBER: return "number";
    case WB_TEXT: return "text";
    case WB_BOOL: return "bool";
    case WB_DATE: return "date";
    case WB_ERROR: return "error";
    case WB_EMPTY: break;
    }
    return "empty";
}

static bool sheet_matches(const char *want, const wb_sheet_info *s)
{
    if (!want) return true;
    char *end;
    long n = strtol(want, &end, 10);
    if (*want && *end == '\0' && n >= 1) return (unsigned long)n == (unsigned long)s->index + 1;
    return strcmp(want, s->name) == 0;
}

static int on_sheet_begin(void *ctx, const wb_sheet_info *s)
{
    dump_state *st = ctx;
    st->selected = sheet_matches(st->opt->sheet, s);
    if (!st->selected) return 1;
    st->any_sheet = true;
    if (st->opt->json) {
        fputs(st->sheets ? ",\n  {\"name\":" : "\n  {\"name\":", st->out);
        put_json_string(st->out, s->name, strlen(s->name));
        fprintf(st->out, ",\"index\":%u,\"hidden\":%s,\n   \"cells\":[", s->index,
                s->hidden ? "true" : "false");
        st->first_item = true;
        st->in_merges = false;
    } else {
        fputs("# sheet ", st->out);
        put_escaped(st->out, s->name, strlen(s->name));
        fputs(s->hidden ? " hidden\n" : "\n", st->out);
    }
    st->sheets++;
    return 0;
}

static void value_str(const wb_cell *c, char tmp[32], const char **s, size_t *n)
{
    switch (c->type) {
    case WB_NUMBER: wb_number_str(c->num, tmp); *s = tmp; *n = strlen(tmp); return;
    case WB_BOOL: *s = c->num != 0 ? "TRUE" : "FALSE"; *n = strlen(*s); return;
    case WB_DATE: wb_date_iso(c->num, tmp); *s = tmp; *n = strlen(tmp); return;
    case WB_TEXT:
    case WB_ERROR: *s = c->text ? c->text : ""; *n = c->text ? c->len : 0; return;
    case WB_EMPTY: break;
    }
    *s = "";
    *n = 0;
}

static int on_cell(void *ctx, const wb_cell *c)
{
    dump_state *st = ctx;
    if (!st->selected || c->type == WB_EMPTY) return 0;
    if (c->type == WB_TEXT && c->len == 0) return 0;   /* an empty string is empty */
    char ref[16], tmp[32];
    wb_cell_ref(c->row, c->col, ref);
    const char *v;
    size_t n;
    value_str(c, tmp, &v, &n);
    if (st->opt->json) {
        fprintf(st->out, "%s\n    {\"ref\":\"%s\",\"row\":%u,\"col\":%u,\"type\":\"%s\",\"value\":",
                st->first_item ? "" : ",", ref, c->row, c->col, type_name(c->type));
        if (c->type == WB_NUMBER && strchr(tmp, 'n') == NULL && strchr(tmp, 'I') == NULL)
            fputs(tmp, st->out);
        else if (c->type == WB_BOOL) fputs(c->num != 0 ? "true" : "false", st->out);
        else put_json_string(st->out, v, n);
        if (c->font) {
            fputs(",\"font\":", st->out);
            put_json_string(st->out, c->font, strlen(c->font));
        }
        fputc('}', st->out);
        st->first_item = false;
    } else {
        /* "A1<TAB>type<TAB>" built in one buffer: this line is dump's hot path */
        char head[48];
        size_t rl = strlen(ref), tl = strlen(type_name(c->type));
        memcpy(head, ref, rl);
        head[rl] = '\t';
        memcpy(head + rl + 1, type_name(c->type), tl);
        head[rl + 1 + tl] = '\t';
        fwrite_unlocked(head, 1, rl + tl + 2, st->out);
        put_escaped(st->out, v, n);
        putc_unlocked('\n', st->out);
    }
    return 0;
}

static void json_open_merges(dump_state *st)
{
    if (st->in_merges) return;
    fputs("],\n   \"merges\":[", st->out);
    st->in_merges = true;
    st->first_item = true;
}

static int on_merge(void *ctx, const wb_range *r)
{
    dump_state *st = ctx;
    if (!st->selected) return 0;
    char a[16], b[16];
    wb_cell_ref(r->r1, r->c1, a);
    wb_cell_ref(r->r2, r->c2, b);
    if (st->opt->json) {
        json_open_merges(st);
        fprintf(st->out, "%s\"%s:%s\"", st->first_item ? "" : ",", a, b);
        st->first_item = false;
    } else {
        fprintf(st->out, "# merge %s:%s\n", a, b);
    }
    return 0;
}

static int on_sheet_end(void *ctx, const wb_sheet_info *s)
{
    (void)s;
    dump_state *st = ctx;
    if (!st->selected) return 0;
    if (st->opt->json) {
        json_open_merges(st);
        fputs("]}", st->out);
    }
    return ferror(st->out) ? -1 : 0;
}

/* ---- public ------------------------------------------------------------------- */

dtbd_status dump_file(const char *path, const dump_options *opt, FILE *out, wb_error *err)
{
    dump_state st = {.opt = opt, .out = out};
    wb_sink sink = {&st, on_sheet_begin, on_cell, on_merge, on_sheet_end};
    if (opt->json) {
        fputs("{\"file\":", out);
        put_json_string(out, path, strlen(path));
        fputs(",\"sheets\":[", out);
    }
    flockfile(out);   /* one lock for the whole dump: the writes below are unlocked */
    dtbd_status rc = wb_read(path, NULL, &sink, err);
    funlockfile(out);
    if (opt->json) {
        fprintf(out, "\n ],\"format\":\"%s\"}\n", wb_format_name(err->format));
    }
    if (rc == DTBD_OK && opt->sheet && !st.any_sheet) {
        wb_error_set(err, DTBD_ERR_FORMAT, "không có trang tính \"%s\"", opt->sheet);
        rc = err->status;
    }
    if (rc == DTBD_OK && (fflush(out) != 0 || ferror(out))) {
        wb_error_set(err, DTBD_ERR_IO, "không ghi được kết quả");
        rc = err->status;
    }
    return rc;
}
