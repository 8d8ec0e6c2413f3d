/* base/status.c — the words of each status (see status.h). */
#include "base/status.h"

const char *dtbd_strerror(dtbd_status st)
{
    switch (st) {
    case DTBD_OK: return "thành công";
    case DTBD_ERR_IO: return "không mở hoặc không đọc được tệp";
    case DTBD_ERR_FORMAT: return "không phải bảng tính được hỗ trợ (.xlsx, .xls, .csv)";
    case DTBD_ERR_ENCRYPTED: return "bảng tính có mật khẩu, không đọc được";
    case DTBD_ERR_CORRUPT: return "tệp bị hỏng hoặc không đầy đủ";
    case DTBD_ERR_LIMIT: return "tệp vượt giới hạn an toàn";
    case DTBD_ERR_NOMEM: return "không đủ bộ nhớ";
    case DTBD_ERR_ABORTED: return "dừng đọc theo yêu cầu";
    case DTBD_ERR_CHANGED: return "tệp thay đổi trong khi đang đọc";
    case DTBD_ERR_GNUPLOT_NOT_FOUND: return "không tìm thấy chương trình gnuplot (cài gói gnuplot-nox)";
    case DTBD_ERR_GNUPLOT_START: return "không khởi động được gnuplot";
    case DTBD_ERR_GNUPLOT_DIED: return "gnuplot dừng giữa chừng (không nhận thêm lệnh)";
    case DTBD_ERR_GNUPLOT_TIMEOUT: return "gnuplot không phản hồi quá thời gian chờ, đã bị dừng";
    case DTBD_ERR_GNUPLOT_EXIT: return "gnuplot kết thúc với lỗi";
    case DTBD_ERR_WRITE: return "không ghi được kết quả";
    case DTBD_ERR_CONFIG: return "cấu hình không hợp lệ";
    case DTBD_STATUS_COUNT: break;
    }
    return "lỗi không xác định";
}
