/* input/csvfile.c — placeholder until the libcsv reader lands. */
#include "csvfile.h"

wb_status csvfile_read(const char *path, const wb_limits *lim, const wb_sink *sink, wb_error *err)
{
    (void)path; (void)lim; (void)sink;
    wb_error_set(err, WB_ERR_FORMAT, "chưa hỗ trợ .csv");
    return err->status;
}
