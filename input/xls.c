/* input/xls.c — placeholder until the FreeXL reader lands. */
#include "xls.h"

wb_format xls_sniff(const char *path, wb_error *err)
{
    (void)path; (void)err;
    return WB_FMT_XLS;
}

wb_status xls_read(const char *path, const wb_limits *lim, const wb_sink *sink, wb_error *err)
{
    (void)path; (void)lim; (void)sink;
    wb_error_set(err, WB_ERR_FORMAT, "chưa hỗ trợ .xls");
    return err->status;
}
