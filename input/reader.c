/* input/reader.c — statuses, errors, limits and opening an input (see reader.h). */
#include "input/reader.h"

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

#include "base/syserr.h"
#include "base/text.h"

/* Make s valid UTF-8 in place: a byte that starts no well-formed sequence
 * becomes '?' (a name cut by "%.80s" or by the detail's size inside a
 * character, a part name whose %XX escapes decode to stray bytes). */
static void fix_utf8(char *s)
{
    size_t n = strlen(s);
    if (text_utf8_valid(s, n)) return;
    for (size_t i = 0; i < n;) {
        size_t k = 1;
        while (k <= 4 && i + k <= n && !text_utf8_valid(s + i, k)) k++;
        if (k <= 4 && i + k <= n) {
            i += k;
        } else {
            s[i++] = '?';
        }
    }
}

void wb_error_set(wb_error *err, dtbd_status st, const char *fmt, ...)
{
    if (!err) return;
    err->status = st;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->detail, sizeof err->detail, fmt, ap);
        va_end(ap);
        fix_utf8(err->detail); /* details quote names read from the file */
    } else {
        err->detail[0] = '\0';
    }
}

void wb_error_format(const wb_error *err, const char *path, char *out, size_t n)
{
    if (!n) return;
    const char *sep = err->detail[0] ? " (" : "";
    const char *end = err->detail[0] ? ")" : "";
    if (err->sheet[0] || err->cell[0])
        snprintf(out, n, "%s: %s%s%s: %s%s%s%s", path, err->sheet,
                 err->sheet[0] && err->cell[0] ? "!" : "", err->cell,
                 dtbd_strerror(err->status), sep, err->detail, end);
    else
        snprintf(out, n, "%s: %s%s%s%s", path, dtbd_strerror(err->status), sep, err->detail,
                 end);
    /* one line, whatever the detail held */
    for (char *p = out; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
}

wb_limits wb_limits_default(void)
{
    wb_limits l = {
        .max_file_bytes = 256ull << 20,      /* e-mail attachments are far smaller */
        .max_inflated_total = 1024ull << 20, /* 1 GiB of XML: ~10M cells          */
        .max_inflate_ratio = 200,            /* bombs are 1000:1 and more         */
        .ratio_floor_bytes = 16ull << 20,    /* small parts may compress well     */
        .max_xml_depth = 64,                 /* spreadsheet XML nests < 10 deep   */
        .max_string_bytes = 1u << 20,        /* Excel cells hold 32767 chars      */
        .max_cells_per_sheet = 20000000,     /* Excel's grid is 17e9; 20M is huge */
        .max_cells_per_workbook = 2000000,   /* a report has thousands; ~0.5 GB
                                                held and recognized at most  */
        .max_grid_bytes = 256ull << 20,
        .max_sheets = 1024,
        .max_shared_strings = 20000000,
        .max_archive_members = 1000,         /* a cycle's reports from one sender */
        .max_archive_depth = 2,              /* a zip of the units' zips          */
    };
    return l;
}

/* ---- sniffing ----------------------------------------------------------------- */

int wb_open_regular(const char *path, uint64_t max_bytes, struct stat *stp, wb_error *err)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        wb_error_set(err, DTBD_ERR_IO, "%s", syserr_text(errno, SYSERR_READ));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        wb_error_set(err, DTBD_ERR_IO, "%s", syserr_text(errno, SYSERR_READ));
    } else if (S_ISDIR(st.st_mode)) {
        wb_error_set(err, DTBD_ERR_IO, "là thư mục, không phải tệp");
    } else if (!S_ISREG(st.st_mode)) {
        wb_error_set(err, DTBD_ERR_IO, "không phải tệp thường (FIFO, thiết bị hoặc socket)");
    } else if ((uint64_t)st.st_size > max_bytes) {
        wb_error_set(err, DTBD_ERR_LIMIT, "tệp %llu byte, giới hạn %llu byte",
                     (unsigned long long)st.st_size, (unsigned long long)max_bytes);
    } else {
        int flags = fcntl(fd, F_GETFL);
        if (flags >= 0) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
        *stp = st;
        return fd;
    }
    close(fd);
    return -1;
}
