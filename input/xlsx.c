/* input/xlsx.c — placeholder until the streaming reader lands. */
#include "xlsx.h"

wb_format xlsx_sniff(const char *path, wb_error *err)
{
    (void)path; (void)err;
    return WB_FMT_XLSX;
}

wb_status xlsx_read(const char *path, const wb_limits *lim, const wb_sink *sink, wb_error *err)
{
    (void)path; (void)lim; (void)sink;
    wb_error_set(err, WB_ERR_FORMAT, "chưa hỗ trợ .xlsx");
    return err->status;
}
