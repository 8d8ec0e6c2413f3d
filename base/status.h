/*
 * base/status.h — the one status type of dtbd and its words (as
 * libxlsxwriter's lxw_error + lxw_strerror): every stage that can fail
 * returns a dtbd_status, and dtbd_strerror() says it in Vietnamese, the
 * analyst's language. Where a failure has a place (file, sheet, cell; a
 * configuration's line and column), the module's error record carries it
 * beside the status (input/reader.h's wb_error, config/config.h's
 * config_error); the status itself is always one of these.
 *
 * Ownership: dtbd_strerror returns a static string.
 */
#ifndef DTBD_BASE_STATUS_H
#define DTBD_BASE_STATUS_H

typedef enum {
    DTBD_OK = 0,
    /* reading an input (input/) */
    DTBD_ERR_IO,               /* cannot open or read the file                      */
    DTBD_ERR_FORMAT,           /* not a supported workbook                          */
    DTBD_ERR_ENCRYPTED,        /* workbook is password protected                    */
    DTBD_ERR_CORRUPT,          /* damaged or truncated file                         */
    DTBD_ERR_LIMIT,            /* a safety limit was hit (zip bomb, huge sheet …)   */
    DTBD_ERR_NOMEM,            /* out of memory                                     */
    DTBD_ERR_ABORTED,          /* the consumer asked to stop                        */
    DTBD_ERR_CHANGED,          /* the file changed while it was read                */
    /* drawing the charts (charts/gnuplot.h) */
    DTBD_ERR_GNUPLOT_NOT_FOUND, /* no executable gnuplot on PATH                    */
    DTBD_ERR_GNUPLOT_START,     /* pipe, fork, chdir or exec failed                 */
    DTBD_ERR_GNUPLOT_DIED,      /* it stopped reading its commands (write failed)   */
    DTBD_ERR_GNUPLOT_TIMEOUT,   /* no progress for too long: killed                 */
    DTBD_ERR_GNUPLOT_EXIT,      /* exited non-zero or was killed by a signal        */
    /* writing outputs, loading the configuration */
    DTBD_ERR_WRITE,            /* an output could not be written                    */
    DTBD_ERR_CONFIG,           /* the configuration is invalid                      */
    DTBD_STATUS_COUNT
} dtbd_status;

/* One line, Vietnamese, without a place: "tệp bị hỏng hoặc không đầy đủ".
 * An unknown value is "lỗi không xác định". */
const char *dtbd_strerror(dtbd_status st);

#endif
