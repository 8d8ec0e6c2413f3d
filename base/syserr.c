/* base/syserr.c — errno → Vietnamese (see syserr.h). */
#include "base/syserr.h"

#include <errno.h>
#include <stdio.h>

const char *syserr_text(int e, syserr_op op)
{
    int w = op == SYSERR_WRITE;
    switch (e) {
    case ENOSPC: return "ổ đĩa đã đầy";
    case EDQUOT: return "hết hạn mức dung lượng (quota) trên ổ đĩa";
    case EFBIG: return w ? "tệp vượt giới hạn cỡ tệp của hệ thống" : "tệp quá lớn";
    case EACCES:
    case EPERM: return w ? "không có quyền ghi vào thư mục" : "không có quyền đọc";
    case EROFS: return "ổ đĩa chỉ cho đọc";
    case ENOTDIR: return "một phần của đường dẫn không phải là thư mục";
    case ENOENT: return w ? "thư mục không tồn tại" : "không có tệp hoặc thư mục này";
    case EISDIR: return w ? "đã có một thư mục trùng tên tệp kết quả" : "là thư mục, không phải tệp";
    case ENAMETOOLONG: return "đường dẫn quá dài";
    case ELOOP: return "đường dẫn có vòng lặp liên kết tượng trưng";
    case EMFILE:
    case ENFILE: return "mở quá nhiều tệp cùng lúc";
    case ENOMEM: return "không đủ bộ nhớ";
    case EIO: return "lỗi vào/ra trên thiết bị (ổ đĩa hỏng hoặc bị tháo ra)";
    case EINTR: return "bị ngắt";
    case ENXIO:
    case ENODEV: return "thiết bị không tồn tại";
    case ETXTBSY:
    case EBUSY: return "tệp đang bận";
    case EOVERFLOW: return "tệp quá lớn";
    case EAGAIN: return "tài nguyên tạm thời không sẵn sàng";
    default: break;
    }
    static _Thread_local char other[2][64];   /* readers run on several threads */
    snprintf(other[w], sizeof other[w], "lỗi hệ thống khi %s (mã %d)", w ? "ghi" : "đọc", e);
    return other[w];
}
