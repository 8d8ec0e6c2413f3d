/*
 * base/syserr.h — why a system call failed, in Vietnamese: the one errno
 * table of dtbd. Every message a user reads says it in Vietnamese, never the
 * C library's English strerror() text ("No such file or directory" inside a
 * Vietnamese sentence). Reading and writing word some causes differently
 * ("không có quyền đọc" / "không có quyền ghi vào thư mục");
 * output/atomic.h's atomic_error_text is the writing column of this table.
 */
#ifndef DTBD_BASE_SYSERR_H
#define DTBD_BASE_SYSERR_H

typedef enum { SYSERR_READ, SYSERR_WRITE } syserr_op;

/* A static Vietnamese text for errno e met while reading or writing; an
 * errno the table does not know gets a generic text with its number
 * appended ("lỗi hệ thống khi đọc (mã 42)", in a static buffer per op). */
const char *syserr_text(int e, syserr_op op);

#endif
