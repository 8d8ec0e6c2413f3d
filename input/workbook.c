/* input/workbook.c — format sniffing and dispatch to the readers (see workbook.h). */
#include "input/workbook.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "input/csvfile.h"
#include "input/xls.h"
#include "base/text.h"
#include "input/xlsx.h"
#include "base/syserr.h"

static const unsigned char OLE2_MAGIC[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/* Text unless it holds NUL bytes or many C0 controls (a UTF-16 file with a BOM
 * is text too: the CSV reader converts it). */
static wb_format sniff_text(const unsigned char *p, size_t n)
{
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
        return WB_FMT_CSV;
    size_t controls = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = p[i];
        if (c == 0) return WB_FMT_UNKNOWN;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') controls++;
    }
    if (controls * 100 > n) return WB_FMT_UNKNOWN; /* >1 % control bytes: binary */
    return WB_FMT_CSV;
}

wb_format wb_sniff(const char *path, wb_error *err)
{
    wb_error dummy;
    if (!err) err = &dummy;
    memset(err, 0, sizeof *err);
    struct stat st;
    int fd = wb_open_regular(path, UINT64_MAX, &st, err);
    if (fd < 0) return WB_FMT_UNKNOWN;
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        wb_error_set(err, DTBD_ERR_IO, "%m");
        close(fd);
        return WB_FMT_UNKNOWN;
    }
    unsigned char head[65536];
    size_t n = fread(head, 1, sizeof head, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        wb_error_set(err, DTBD_ERR_IO, "lỗi đọc tệp");
        return WB_FMT_UNKNOWN;
    }
    wb_format fmt;
    /* a file that holds nothing but a byte-order mark is as empty as 0 bytes */
    bool bom_only = (n == 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) ||
                    (n == 2 && (memcmp(head, "\xFF\xFE", 2) == 0 || memcmp(head, "\xFE\xFF", 2) == 0));
    if (n == 0 || bom_only) fmt = WB_FMT_EMPTY;
    else if (n >= 8 && memcmp(head, OLE2_MAGIC, 8) == 0) fmt = xls_sniff(path, err);
    else if (n >= 4 && head[0] == 'P' && head[1] == 'K' &&
             ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)))
        fmt = xlsx_sniff(path, err);
    else fmt = sniff_text(head, n);
    err->format = fmt;
    return fmt;
}

/* ---- reading ------------------------------------------------------------------- */

dtbd_status wb_read(const char *path, const wb_limits *lim, const wb_sink *sink,
                  wb_error *err)
{
    return wb_read_named(path, path, lim, sink, err);
}

/* The sink every reader writes to: the caller's, behind a count of the
 * workbook's non-empty cells (max_cells_per_workbook, for every format in
 * one place). Over the cap the reader is stopped (DTBD_ERR_ABORTED), and
 * wb_read_named turns that into DTBD_ERR_LIMIT naming the cell. */
typedef struct {
    const wb_sink *inner;
    uint64_t max, n;
    bool over;
    uint32_t row, col;
    char sheet[96];
} cell_budget;

static int budget_begin(void *ctx, const wb_sheet_info *s)
{
    cell_budget *b = ctx;
    text_copy_cut(b->sheet, sizeof b->sheet, s->name);
    return b->inner->sheet_begin ? b->inner->sheet_begin(b->inner->ctx, s) : 0;
}

static int budget_cell(void *ctx, const wb_cell *c)
{
    cell_budget *b = ctx;
    if (c->type != WB_EMPTY && !(c->type == WB_TEXT && c->len == 0) && ++b->n > b->max) {
        b->over = true;
        b->row = c->row;
        b->col = c->col;
        return 1;
    }
    return b->inner->cell ? b->inner->cell(b->inner->ctx, c) : 0;
}

static int budget_merge(void *ctx, const wb_range *r)
{
    cell_budget *b = ctx;
    return b->inner->merge ? b->inner->merge(b->inner->ctx, r) : 0;
}

static int budget_end(void *ctx, const wb_sheet_info *s)
{
    cell_budget *b = ctx;
    return b->inner->sheet_end ? b->inner->sheet_end(b->inner->ctx, s) : 0;
}

static dtbd_status read_format(wb_format fmt, const char *path, const char *name, off_t size,
                             const wb_limits *lim, const wb_sink *sink, wb_error *err);

dtbd_status wb_read_named(const char *path, const char *name, const wb_limits *lim,
                        const wb_sink *sink, wb_error *err)
{
    return wb_read_sniffed(path, name, WB_FMT_UNKNOWN, lim, sink, err);
}

dtbd_status wb_read_sniffed(const char *path, const char *name, wb_format known, const wb_limits *lim,
                            const wb_sink *sink, wb_error *err)
{
    wb_error dummy;
    if (!err) err = &dummy;
    wb_limits defaults = wb_limits_default();
    if (!lim) lim = &defaults;
    wb_sink none = {0};
    if (!sink) sink = &none;

    memset(err, 0, sizeof *err);
    struct stat st;
    int fd = wb_open_regular(path, lim->max_file_bytes, &st, err);
    if (fd < 0) return err->status;
    close(fd);

    wb_format fmt = known;
    if (fmt == WB_FMT_UNKNOWN) {
        fmt = wb_sniff(path, err);
        if (err->status != DTBD_OK) return err->status;
    }
    err->format = fmt;
    cell_budget b = {.inner = sink, .max = lim->max_cells_per_workbook};
    wb_sink counted = {&b, budget_begin, budget_cell, budget_merge, budget_end};
    dtbd_status rc = read_format(fmt, path, name, st.st_size, lim, &counted, err);
    if (b.over) {
        text_copy_cut(err->sheet, sizeof err->sheet, b.sheet);
        wb_cell_ref(b.row, b.col, err->cell);
        wb_error_set(err, DTBD_ERR_LIMIT, "bảng tính có hơn %llu ô có dữ liệu (giới hạn "
                     "cells_per_workbook)", (unsigned long long)lim->max_cells_per_workbook);
        rc = DTBD_ERR_LIMIT;
    }
    err->format = fmt;
    err->status = rc;
    return rc;
}

/* Read the sniffed format fmt (wb_read_named's dispatch); size: the file's
 * bytes (an "empty" file of more than 0 holds only a byte-order mark). */
static dtbd_status read_format(wb_format fmt, const char *path, const char *name, off_t size,
                             const wb_limits *lim, const wb_sink *sink, wb_error *err)
{
    dtbd_status rc;
    switch (fmt) {
    case WB_FMT_XLSX: rc = xlsx_read(path, lim, sink, err); break;
    case WB_FMT_XLS: rc = xls_read(path, lim, sink, err); break;
    case WB_FMT_CSV: rc = csvfile_read_named(path, name, lim, sink, err); break;
    case WB_FMT_ENCRYPTED:
        wb_error_set(err, DTBD_ERR_ENCRYPTED, "gỡ mật khẩu rồi gửi lại");
        rc = err->status;
        break;
    case WB_FMT_XLSB:
        wb_error_set(err, DTBD_ERR_FORMAT, "bảng tính nhị phân .xlsb: lưu lại dạng .xlsx");
        rc = err->status;
        break;
    case WB_FMT_ODS:
        wb_error_set(err, DTBD_ERR_FORMAT, "bảng tính OpenDocument .ods: lưu lại dạng .xlsx");
        rc = err->status;
        break;
    case WB_FMT_EMPTY:
        wb_error_set(err, DTBD_ERR_FORMAT, size == 0 ? "tệp rỗng (0 byte)"
                                                          : "tệp rỗng (chỉ có dấu BOM, không có nội dung)");
        rc = err->status;
        break;
    case WB_FMT_OLE_OTHER:
        wb_error_set(err, DTBD_ERR_FORMAT, "tệp Office nhưng không chứa bảng tính");
        rc = err->status;
        break;
    case WB_FMT_ZIP_OTHER:
        wb_error_set(err, DTBD_ERR_FORMAT, "tệp nén zip nhưng không phải bảng tính .xlsx");
        rc = err->status;
        break;
    case WB_FMT_ARCHIVE:
        wb_error_set(err, DTBD_ERR_FORMAT,
                     "tệp nén .zip chứa các tệp khác: dtbd run và dtbd check đọc từng tệp trong đó");
        rc = err->status;
        break;
    case WB_FMT_UNKNOWN:
    default:
        wb_error_set(err, DTBD_ERR_FORMAT, "nội dung không nhận ra được");
        rc = err->status;
        break;
    }
    return rc;
}

