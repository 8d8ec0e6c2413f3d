/*
 * bench/gen_xlsx.c — writes the benchmark workbook: one sheet, 100,000 rows x
 * 10 columns = 1,000,000 non-empty cells (a header row + 99,999 data rows),
 * shaped like a province report:
 *   A STT (integer)           B Họ và tên (shared string, ~5,000 distinct)
 *   C Tỉnh/thành (20 distinct) D Ngày tiếp nhận (date, custom "dd/mm/yyyy")
 *   E Số lượng (integer)       F Số tiền (decimal, "#,##0.00")
 *   G Đơn vị (12 distinct, with & < > to escape)
 *   H Tỉ lệ (decimal, "0.00%") I Thời điểm cập nhật (date+time, built-in 22)
 *   J Ghi chú (half unique, some with a newline)
 * libxlsxwriter in its normal mode, so every text is a shared string.
 * Deterministic (fixed seed): the same bytes of cell data on every run.
 *
 *   cc -O2 bench/gen_xlsx.c $(pkg-config --cflags --libs xlsxwriter) -o gen_xlsx
 *   gen_xlsx OUT.xlsx [ROWS]      ROWS counts the header (default 100000)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <xlsxwriter.h>

static uint64_t rng_state = 0x2024113000000001ULL;

static uint32_t rnd(uint32_t n)   /* 0 .. n-1 (xorshift64*) */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)(((rng_state * 0x2545F4914F6CDD1DULL) >> 32) % n);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const HO[] = {
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ",
    "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"};
static const char *const DEM[] = {
    "Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Thu"};
static const char *const TEN[] = {
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh",
    "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam",
    "Nga", "Phúc", "Phương", "Quang", "Quyên", "Sơn", "Tâm", "Thảo",
    "Thắng", "Thủy", "Trang", "Trung", "Tuấn", "Việt", "Yến", "Đạt"};
static const char *const TINH[] = {
    "Thành phố Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ",
    "Thừa Thiên Huế", "Quảng Nam", "Quảng Ngãi", "Bình Định", "Khánh Hòa",
    "Lâm Đồng", "Đắk Lắk", "Nghệ An", "Hà Tĩnh", "Thanh Hóa",
    "Bắc Ninh", "Quảng Ninh", "Lào Cai", "Điện Biên", "Cà Mau"};
static const char *const DONVI[] = {
    "Phòng Nội vụ", "Phòng Tài chính – Kế hoạch", "Phòng Giáo dục và Đào tạo",
    "Phòng Y tế", "Văn phòng HĐND & UBND", "Phòng Tư pháp",
    "Phòng Lao động – Thương binh và Xã hội", "Phòng Văn hóa và Thông tin",
    "Phòng Tài nguyên và Môi trường", "Phòng Kinh tế <hạ tầng>",
    "Thanh tra huyện", "Ban Chỉ huy Quân sự \"huyện\""};
static const char *const GHICHU[] = {
    "Đúng hạn", "Trễ hạn", "Đang xử lý", "Chờ bổ sung hồ sơ",
    "Đã trả kết quả", "Ghi chú:\nđã liên hệ qua điện thoại", "Hủy theo đề nghị"};
static const char *const HEADER[] = {
    "STT", "Họ và tên", "Tỉnh/thành", "Ngày tiếp nhận", "Số lượng",
    "Số tiền (đồng)", "Đơn vị", "Tỉ lệ", "Thời điểm cập nhật", "Ghi chú"};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s OUT.xlsx [ROWS]\n", argv[0]);
        return 2;
    }
    long rows = argc > 2 ? strtol(argv[2], NULL, 10) : 100000;
    if (rows < 2 || rows > 1048576) {
        fprintf(stderr, "ROWS must be 2..1048576\n");
        return 2;
    }

    lxw_workbook *wb = workbook_new(argv[1]);
    if (!wb) {
        fprintf(stderr, "cannot create %s\n", argv[1]);
        return 1;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Báo cáo tổng hợp");
    lxw_format *f_date = workbook_add_format(wb);
    format_set_num_format(f_date, "dd/mm/yyyy");
    lxw_format *f_money = workbook_add_format(wb);
    format_set_num_format(f_money, "#,##0.00");
    lxw_format *f_pct = workbook_add_format(wb);
    format_set_num_format_index(f_pct, 10);      /* 0.00% */
    lxw_format *f_dt = workbook_add_format(wb);
    format_set_num_format_index(f_dt, 22);       /* m/d/yy h:mm */
    lxw_format *f_head = workbook_add_format(wb);
    format_set_bold(f_head);

    for (lxw_col_t c = 0; c < N(HEADER); c++)
        worksheet_write_string(ws, 0, c, HEADER[c], f_head);

    char name[128], note[160];
    for (lxw_row_t r = 1; r < (lxw_row_t)rows; r++) {
        worksheet_write_number(ws, r, 0, r, NULL);
        snprintf(name, sizeof name, "%s %s %s", HO[rnd(N(HO))], DEM[rnd(N(DEM))],
                 TEN[rnd(N(TEN))]);
        worksheet_write_string(ws, r, 1, name, NULL);
        worksheet_write_string(ws, r, 2, TINH[rnd(N(TINH))], NULL);
        /* 2023-01-01 is serial 44927; two years of days. */
        worksheet_write_number(ws, r, 3, 44927 + rnd(730), f_date);
        worksheet_write_number(ws, r, 4, (double)rnd(5000) - (rnd(50) == 0 ? 5000 : 0), NULL);
        worksheet_write_number(ws, r, 5, (double)rnd(2000000000) / 100.0, f_money);
        worksheet_write_string(ws, r, 6, DONVI[rnd(N(DONVI))], NULL);
        worksheet_write_number(ws, r, 7, (double)rnd(10001) / 10000.0, f_pct);
        /* A date and a whole minute of that day. */
        worksheet_write_number(ws, r, 8, 44927 + rnd(730) + (double)rnd(1440) / 1440.0, f_dt);
        if (rnd(2) == 0) {
            snprintf(note, sizeof note, "Hồ sơ số %06u/QĐ-UBND ngày %02u/%02u/2024 — %s",
                     (unsigned)r, 1 + rnd(28), 1 + rnd(12), TINH[rnd(N(TINH))]);
            worksheet_write_string(ws, r, 9, note, NULL);
        } else {
            worksheet_write_string(ws, r, 9, GHICHU[rnd(N(GHICHU))], NULL);
        }
    }
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        fprintf(stderr, "writing %s: %s\n", argv[1], lxw_strerror(e));
        return 1;
    }
    return 0;
}
