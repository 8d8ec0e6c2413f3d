/* tests/unit/test_ident.c — which unit and year a workbook is (pipeline/ident.h),
 * on the default Kiên Giang configuration. */
#define _XOPEN_SOURCE 700   /* nftw, to remove the scratch folder */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <xlsxwriter.h>

#include "config/config.h"
#include "input/grid.h"
#include "pipeline/ident.h"

/* A scratch folder for this process: /tmp/dtbd-ident-PID/SUB (the PID in 8
 * digits, so it never reads as a year). */
static void tmp_path(char *out, size_t n, const char *sub)
{
    snprintf(out, n, "/tmp/dtbd-ident-%08d/%s", (int)getpid(), sub);
}

static int remove_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

/* ---- fixtures --------------------------------------------------------------------- */

typedef struct {
    struct config *cfg;
    ident_index *ix;
} fixture;

static int setup(void **state)
{
    struct config_error err;
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    f->cfg = config_load_default(&err);
    if (!f->cfg) { free(f); return -1; }
    f->ix = ident_index_new(f->cfg);
    if (!f->ix) { config_free(f->cfg); free(f); return -1; }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char root[256];
    tmp_path(root, sizeof root, "");
    nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    ident_index_free(f->ix);
    config_free(f->cfg);
    free(f);
    return 0;
}

/* The text must name exactly the unit `code`. */
static void check_unit(const fixture *f, const char *text, const char *code)
{
    ident_result r;
    memset(&r, 0xAB, sizeof r);
    const struct config_unit *u = ident_match_unit_ix(f->ix, text, strlen(text), &r);
    if (!u || strcmp(u->code, code) != 0)
        fail_msg("\"%s\" → %s (ambiguous %d, %zu candidates), want %s", text,
                 u ? u->code : "NULL", r.ambiguous, r.n_candidates, code);
    assert_ptr_equal(r.unit, u);
    assert_false(r.ambiguous);
    assert_string_equal(r.unit_text, text);
    assert_null(r.unit_sheet);
}

/* The text must name no unit and not be ambiguous. */
static void check_no_unit(const fixture *f, const char *text, ident_result *r)
{
    const struct config_unit *u = ident_match_unit_ix(f->ix, text, strlen(text), r);
    if (u) fail_msg("\"%s\" → %s, want no unit", text, u->code);
}

/* True when the code is among the result's candidates. */
static bool has_candidate(const ident_result *r, const char *code)
{
    for (size_t i = 0; i < r->n_candidates; i++)
        if (r->candidates[i] && strcmp(r->candidates[i]->code, code) == 0) return true;
    return false;
}

static void check_year(const char *text, int want)
{
    int y = ident_year_in_text(text, strlen(text));
    if (y != want) fail_msg("ident_year_in_text(\"%s\") = %d, want %d", text, y, want);
}

static void check_date(const char *text, int want)
{
    int d = ident_footer_date(text, strlen(text));
    if (d != want) fail_msg("ident_footer_date(\"%s\") = %d, want %d", text, d, want);
}

/* Write a CSV file at path (folders created) and read it into book. */
static void read_csv(const char *path, const char *text, grid_book *book)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + 1; *p; p++)
        if (*p == '/') { *p = '\0'; mkdir(dir, 0700); *p = '/'; }
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    wb_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(grid_read(path, NULL, book, &err), DTBD_OK);
}

/* ---- unit: the forms units write ---------------------------------------------------- */

static void test_ident_unit_district_forms(void **state)
{
    const fixture *f = *state;
    check_unit(f, "UBND HUYỆN GIỒNG RIỀNG", "h-giong-rieng");
    check_unit(f, "ỦY BAN NHÂN DÂN HUYỆN GIỒNG RIỀNG", "h-giong-rieng");
    check_unit(f, "Đơn vị báo cáo: Phòng Nội vụ huyện Giồng Riềng", "h-giong-rieng");
    check_unit(f, "Phòng Nội vụ H. Giồng Riềng", "h-giong-rieng");
    check_unit(f, "Thành phố Phú Quốc", "tp-phu-quoc");
    check_unit(f, "huyện Phú Quốc", "tp-phu-quoc");
    check_unit(f, "UBND huyện Phú Quốc", "tp-phu-quoc");
    check_unit(f, "TP. Rạch Giá", "tp-rach-gia");
    check_unit(f, "UBND TP Hà Tiên", "tp-ha-tien");
    check_unit(f, "huyện U Minh Thượng", "h-u-minh-thuong");
    /* A district's own Văn phòng is the district, not the province's Văn phòng. */
    check_unit(f, "Văn phòng UBND huyện Kiên Lương", "h-kien-luong");
}

static void test_ident_unit_agency_forms(void **state)
{
    const fixture *f = *state;
    check_unit(f, "SỞ Y TẾ", "so-y-te");
    check_unit(f, "Sở Y tế tỉnh Kiên Giang", "so-y-te");
    check_unit(f, "Sở LĐ-TB&XH", "so-lao-dong-tbxh");
    check_unit(f, "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "so-lao-dong-tbxh");
    check_unit(f, "Sở NN&PTNT", "so-nong-nghiep-ptnt");
    check_unit(f, "Sở Nông nghiệp và Môi trường", "so-nong-nghiep-moi-truong");
    check_unit(f, "Trường Chính trị tỉnh Kiên Giang", "truong-chinh-tri");
    check_unit(f, "Văn phòng UBND tỉnh", "van-phong-ubnd");
    check_unit(f, "VP Đoàn ĐBQH & HĐND tỉnh", "van-phong-doan-dbqh-hdnd");
    check_unit(f, "Sở Văn hoá và Thể thao", "so-van-hoa-the-thao");
    /* Decomposed Unicode folds the same. */
    check_unit(f, "So\xCC\x9B\xCC\x89 Tu\xCC\x9B pha\xCC\x81p", "so-tu-phap");
}

static void test_ident_unit_province_header_in_the_same_text_does_not_interfere(void **state)
{
    const fixture *f = *state;
    check_unit(f, "UBND TỈNH KIÊN GIANG\nSỞ Y TẾ", "so-y-te");
    check_unit(f, "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG SỞ TƯ PHÁP", "so-tu-phap");
}

static void test_ident_unit_file_names(void **state)
{
    const fixture *f = *state;
    check_unit(f, "so-y-te-2023.xlsx", "so-y-te");
    check_unit(f, "giong_rieng_2024.xls", "h-giong-rieng");
    check_unit(f, "BC DTBD Sở Tư pháp 2022.xlsx", "so-tu-phap");
    check_unit(f, "so-lao-dong-tbxh-2023.csv", "so-lao-dong-tbxh");   /* the unit's code */
    check_unit(f, "tp-rach-gia_bieu01.csv", "tp-rach-gia");
    check_unit(f, "h-kien-luong.xls", "h-kien-luong");
    check_unit(f, "BC_2023_SoYTe.xlsx", "so-y-te");                   /* camelCase */
    check_unit(f, "DTBD_HonDat2023.xls", "h-hon-dat");
    check_unit(f, "BaoCaoSoTuPhap2022", "so-tu-phap");
}

static void test_ident_unit_province_line_matches_nothing_and_is_not_ambiguous(void **state)
{
    const fixture *f = *state;
    const char *lines[] = { "UBND TỈNH KIÊN GIANG", "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG",
                            "Tỉnh Kiên Giang", "KIÊN GIANG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                            "Độc lập - Tự do - Hạnh phúc", "", "  ---  " };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        ident_result r;
        check_no_unit(f, lines[i], &r);
        if (r.ambiguous) fail_msg("\"%s\" is ambiguous", lines[i]);
    }
    ident_result r;
    check_no_unit(f, "UBND TỈNH KIÊN GIANG", &r);
    assert_int_equal(r.n_candidates, 0);
}

static void test_ident_unit_ambiguous_when_a_part_or_two_units(void **state)
{
    const fixture *f = *state;
    ident_result r;
    check_no_unit(f, "Sở", &r);
    assert_true(r.ambiguous);
    assert_int_equal(r.n_candidates, 3);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(r.candidates[i]->kind, CONFIG_AGENCY);

    check_no_unit(f, "Sở Y tế và Sở Tư pháp", &r);
    assert_true(r.ambiguous);
    assert_int_equal(r.n_candidates, 2);
    assert_true(has_candidate(&r, "so-y-te"));
    assert_true(has_candidate(&r, "so-tu-phap"));

    /* After the 2025 merger "Sở Nông nghiệp" alone names either. */
    check_no_unit(f, "Sở Nông nghiệp", &r);
    assert_true(r.ambiguous);
    assert_true(has_candidate(&r, "so-nong-nghiep-ptnt"));
    assert_true(has_candidate(&r, "so-nong-nghiep-moi-truong"));

    check_no_unit(f, "Phòng Nội vụ", &r);
    assert_true(r.ambiguous);
    assert_int_equal(r.candidates[0]->kind, CONFIG_DISTRICT);
}

static void test_ident_unit_unknown_has_three_closest_candidates(void **state)
{
    const fixture *f = *state;
    ident_result r;
    check_no_unit(f, "Sở Ngoại giao", &r);
    assert_false(r.ambiguous);
    assert_int_equal(r.n_candidates, 3);
    assert_string_equal(r.candidates[0]->code, "so-ngoai-vu");
    assert_ptr_not_equal(r.candidates[0], r.candidates[1]);
    assert_ptr_not_equal(r.candidates[1], r.candidates[2]);
    assert_string_equal(r.unit_text, "Sở Ngoại giao");

    check_no_unit(f, "Huyện Kiên Lươn", &r);                /* a typo */
    assert_false(r.ambiguous);
    assert_string_equal(r.candidates[0]->code, "h-kien-luong");
}

static void test_ident_unit_cfg_entry_point_and_long_text(void **state)
{
    const fixture *f = *state;
    ident_result r;
    const char *t = "Phòng Nội vụ huyện Giồng Riềng";
    const struct config_unit *u = ident_match_unit(f->cfg, t, strlen(t), &r);
    assert_non_null(u);
    assert_string_equal(u->code, "h-giong-rieng");
    /* unit_text is cut at 255 bytes on a character boundary. */
    char big[600];
    const char *w = "Sở ";
    size_t n = 0, wl = strlen(w);
    while (n + wl < sizeof big) { memcpy(big + n, w, wl); n += wl; }
    big[n] = '\0';
    ident_match_unit(f->cfg, big, n, &r);
    assert_true(strlen(r.unit_text) <= 255);
    assert_true(strlen(r.unit_text) >= 252);
}

/* ---- years ------------------------------------------------------------------------------ */

static void test_ident_year_in_titles_and_file_names(void **state)
{
    (void)state;
    check_year("BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC NĂM 2023", 2023);
    check_year("năm 2023", 2023);
    check_year("Năm báo cáo: 2023", 2023);
    check_year("Kỳ báo cáo: năm 2022", 2022);
    check_year("2023", 2023);
    check_year("bc-dtbd-2023", 2023);
    check_year("BC_2023_SoYTe", 2023);
    check_year("DTBD2024", 2024);
    check_year("so-y-te-2023.xlsx", 2023);
    check_year("NĂM 2019", 2019);                 /* outside the plan: still returned */
}

static void test_ident_year_skips_dates_ranges_and_document_numbers(void **state)
{
    (void)state;
    check_year("Kiên Giang, ngày 15 tháng 01 năm 2024", 0);
    check_year("Rạch Giá, ngày … tháng … năm 2024", 0);
    check_year("ngày 15/01/2024", 0);
    check_year("2024-01-15", 0);
    check_year("15.01.2024", 0);
    check_year("giai đoạn 2021-2025", 0);
    check_year("nhiệm kỳ 2021 – 2026", 0);
    check_year("Quyết định số 2023/QĐ-UBND", 0);
    check_year("BÁO CÁO NĂM 2023 (Kế hoạch 45/KH-UBND ngày 08/3/2021, giai đoạn 2021 - 2025)", 2023);
    check_year("Số liệu tính đến 31/12/2023, báo cáo năm 2023", 2023);
    check_year("không có năm", 0);
    check_year("Biểu số 01, 1234 người", 0);
}

static void test_ident_year_several_years_give_zero(void **state)
{
    (void)state;
    check_year("năm 2022 và năm 2023", 0);
    check_year("2022 2023", 0);
    check_year("NĂM 2023, năm 2023", 2023);              /* the same year twice is fine */
    check_year("bc 2022 năm 2023", 2023);                /* strong beats bare */
}

static void test_ident_cutoff_and_title_years(void **state)
{
    (void)state;
    assert_int_equal(ident_cutoff_year("(Số liệu tính đến ngày 31/12/2023)", strlen("(Số liệu tính đến ngày 31/12/2023)")), 2023);
    assert_int_equal(ident_cutoff_year("Số liệu đến 31/12/2024", strlen("Số liệu đến 31/12/2024")), 2024);
    assert_int_equal(ident_cutoff_year("đến ngày 30/6/2024", strlen("đến ngày 30/6/2024")), 0);
    assert_int_equal(ident_cutoff_year("Hà Tiên, ngày 31/12/2024", strlen("Hà Tiên, ngày 31/12/2024")), 0);
    assert_int_equal(ident_title_year("BÁO CÁO KẾT QUẢ NĂM 2023", strlen("BÁO CÁO KẾT QUẢ NĂM 2023")), 2023);
    assert_int_equal(ident_title_year("Kế hoạch 2021-2025", strlen("Kế hoạch 2021-2025")), 0);
    assert_int_equal(ident_title_year("Biểu 01 (2023)", strlen("Biểu 01 (2023)")), 0);   /* bare: weak */
}

static void test_ident_footer_dates(void **state)
{
    (void)state;
    check_date("Kiên Giang, ngày 15 tháng 01 năm 2025", 20250115);
    check_date("Rạch Giá, ngày 5 tháng 3 năm 2024", 20240305);
    check_date("ngày 15/01/2025", 20250115);
    check_date("Hà Tiên, ngày 31-12-2023", 20231231);
    check_date("NGÀY 29 THÁNG 02 NĂM 2024", 20240229);   /* a leap day */
    check_date("ngày 29 tháng 02 năm 2023", 0);          /* no such day */
    check_date("ngày 32 tháng 01 năm 2024", 0);
    check_date("ngày … tháng … năm 2024", 0);            /* the template's blanks */
    check_date("ngày 15/01/24", 0);
    check_date("15/01/2025", 0);                          /* no "ngày": not a footer */
    check_date("Số liệu tính đến ngày 31/12/2023", 0);
    check_date("Gửi về Sở Nội vụ trước ngày 15/01/2024", 0);
    check_date("từ ngày 01/01/2023 đến ngày 31/12/2023", 0);
    check_date("Kế hoạch số 45/KH-UBND ngày 08/3/2021 của UBND tỉnh", 0);
    check_date("Theo Kế hoạch 45/KH-UBND ngày 08/3/2021. Kiên Giang, ngày 10 tháng 1 năm 2024",
               20240110);
    check_date("", 0);
}

/* ---- workbooks -------------------------------------------------------------------------------- */

static void test_ident_workbook_title_block_csv(void **state)
{
    const fixture *f = *state;
    char path[256];
    tmp_path(path, sizeof path, "a/bao-cao.csv");
    grid_book book;
    read_csv(path,
             "UBND TỈNH KIÊN GIANG,,,CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
             "SỞ Y TẾ,,,Độc lập - Tự do - Hạnh phúc\n"
             ",,,\"Rạch Giá, ngày 20 tháng 01 năm 2024\"\n"
             "\"BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG CBCCVC NĂM 2023\"\n"
             "Đơn vị tính: người\n"
             "Đối tượng,Tổng số,Nữ\n"
             "I. Cán bộ công chức cấp tỉnh,120,45\n"
             ",,,THỦ TRƯỞNG ĐƠN VỊ\n",
             &book);
    const uint32_t title_rows[1] = { 5 };
    ident_result r;
    ident_workbook(f->cfg, &book, path, title_rows, &r);
    assert_non_null(r.unit);
    assert_string_equal(r.unit->code, "so-y-te");
    assert_false(r.ambiguous);
    assert_string_equal(r.unit_text, "SỞ Y TẾ");
    assert_non_null(r.unit_sheet);
    assert_int_equal(r.unit_row, 1);
    assert_int_equal(r.unit_col, 0);
    assert_int_equal(r.year, 2023);
    assert_int_equal(r.year_title, 2023);
    assert_int_equal(r.year_file, 0);
    assert_int_equal(r.year_folder, 0);
    assert_non_null(r.year_sheet);
    assert_int_equal(r.year_row, 3);
    assert_int_equal(r.year_col, 0);
    assert_int_equal(r.report_date, 20240120);
    grid_free(&book);
}

static void test_ident_workbook_label_beside_value_and_year_field(void **state)
{
    const fixture *f = *state;
    char path[256];
    tmp_path(path, sizeof path, "b/x.csv");
    grid_book book;
    read_csv(path,
             "Kính gửi: Sở Nội vụ tỉnh Kiên Giang\n"
             "Đơn vị báo cáo:,Phòng Nội vụ huyện Tân Hiệp\n"
             "Năm báo cáo:,2022\n"
             "Đối tượng,Tổng số\n",
             &book);
    ident_result r;
    ident_workbook(f->cfg, &book, path, NULL, &r);
    assert_non_null(r.unit);
    assert_string_equal(r.unit->code, "h-tan-hiep");       /* not the addressee */
    assert_int_equal(r.unit_row, 1);
    assert_int_equal(r.unit_col, 1);
    assert_string_equal(r.unit_text, "Phòng Nội vụ huyện Tân Hiệp");
    assert_int_equal(r.year_title, 2022);
    assert_int_equal(r.year_row, 2);
    assert_int_equal(r.year_col, 1);
    assert_int_equal(r.report_date, 0);
    grid_free(&book);
}

/* The receiving unit is never the reporting one: neither "Đơn vị nhận báo
 * cáo: Sở Nội vụ" (which starts with the bare label "Đơn vị"), nor the name
 * beside a bare receiver label, nor the statistical box that puts both side
 * by side. The heading line names the unit. */
static void test_ident_workbook_receiving_unit_is_not_the_reporter(void **state)
{
    const fixture *f = *state;
    char path[256];
    grid_book book;
    ident_result r;
    tmp_path(path, sizeof path, "b/bao-cao.csv");
    read_csv(path,
             "UBND TỈNH KIÊN GIANG\n"
             "VĂN PHÒNG ĐOÀN ĐẠI BIỂU QUỐC HỘI VÀ HỘI ĐỒNG NHÂN DÂN TỈNH\n"
             "BÁO CÁO SỐ LƯỢNG CBCCVC NĂM 2021\n"
             "Đơn vị nhận báo cáo: Sở Nội vụ tỉnh Kiên Giang\n",
             &book);
    ident_workbook(f->cfg, &book, path, NULL, &r);
    assert_non_null(r.unit);
    assert_string_equal(r.unit->code, "van-phong-doan-dbqh-hdnd");
    grid_free(&book);

    read_csv(path,
             "Đơn vị báo cáo:,Sở Y tế,Đơn vị nhận báo cáo:,Sở Nội vụ\n"
             "BÁO CÁO NĂM 2021\n",
             &book);
    ident_workbook(f->cfg, &book, path, NULL, &r);
    assert_non_null(r.unit);
    assert_string_equal(r.unit->code, "so-y-te");
    grid_free(&book);

    read_csv(path,
             "SỞ TƯ PHÁP,,Đơn vị nhận:,Sở Nội vụ tỉnh Kiên Giang\n"
             "BÁO CÁO NĂM 2021\n",
             &book);
    ident_workbook(f->cfg, &book, path, NULL, &r);
    assert_non_null(r.unit);
    assert_string_equal(r.unit->code, "so-tu-phap");
    grid_free(&book);
}

static void test_ident_workbook_unit_and_year_from_file_then_folder(void **state)
{
    const fixture *f = *state;
    char path[256];
    grid_book book;
    ident_result r;

    /* No title at all: unit and year from the file name. */
    tmp_path(path, sizeof path, "2021/so-tu-phap-2022.csv");
    read_csv(path, "Đối tượng,Tổng số\nI. Cán bộ,10\n", &book);
    ident_workbook(f->cfg, &book, path, NULL, &r);
    assert_non_null(r.unit);
    assert_string_equal(r.unit->code, "so-tu-phap");
    assert_null(r.unit_sheet);
    assert_string_equal(r.unit_text, "so-tu-phap-2022.csv");
    assert_int_equal(r.year_title, 0);
    assert_int_equal(r.year_file, 2022);
    assert_int_equal(r.year_folder, 2021);
    assert_int_equal(r.year, 2022);                        /* file before folder */
    assert_null(r.year_sheet);
    grid_free(&book);

    /* Only the folder holds the year (the nearest one). */
    tmp_path(path, sizeof path, "nam-2020/Bao cao 2023/SoYTe.csv");
    read_csv(path, "Đối tượng,Tổng số\n", &book);
    ident_workbook(f->cfg, &book, path, NULL, &r);
    assert_non_null(r.unit);
    assert_string_equal(r.unit->code, "so-y-te");
    assert_int_equal(r.year_file, 0);
    assert_int_equal(r.year_folder, 2023);
    assert_int_equal(r.year, 2023);
    grid_free(&book);
}

static void test_ident_workbook_title_year_wins_and_sources_are_kept(void **state)
{
    const fixture *f = *state;
    char path[256];
    tmp_path(path, sizeof path, "2021/tan-hiep-2022.csv");
    grid_book book;
    read_csv(path, "UBND HUYỆN GIỒNG RIỀNG\nBÁO CÁO NĂM 2023\nĐối tượng,Tổng số\n", &book);
    ident_result r;
    ident_workbook(f->cfg, &book, path, NULL, &r);
    assert_non_null(r.unit);
    assert_string_equal(r.unit->code, "h-giong-rieng");    /* the title beats the file name */
    assert_int_equal(r.year_title, 2023);
    assert_int_equal(r.year_file, 2022);
    assert_int_equal(r.year_folder, 2021);
    assert_int_equal(r.year, 2023);
    grid_free(&book);
}

static void test_ident_workbook_unknown_and_ambiguous_units(void **state)
{
    const fixture *f = *state;
    char path[256];
    grid_book book;
    ident_result r;

    tmp_path(path, sizeof path, "c/bao-cao-2023.csv");
    read_csv(path, "UBND TỈNH KIÊN GIANG\nSỞ NGOẠI GIAO\nBÁO CÁO NĂM 2023\n", &book);
    ident_workbook(f->cfg, &book, path, NULL, &r);
    assert_null(r.unit);
    assert_false(r.ambiguous);
    assert_int_equal(r.n_candidates, 3);
    assert_string_equal(r.candidates[0]->code, "so-ngoai-vu");
    assert_string_equal(r.unit_text, "SỞ NGOẠI GIAO");
    assert_int_equal(r.unit_row, 1);
    grid_free(&book);

    /* Two different units named in full in the title, and a file name that
     * does not settle it. */
    tmp_path(path, sizeof path, "c/bc.csv");
    read_csv(path, "SỞ TƯ PHÁP,,SỞ Y TẾ\n", &book);
    ident_workbook(f->cfg, &book, path, NULL, &r);
    assert_null(r.unit);
    assert_true(r.ambiguous);
    assert_true(has_candidate(&r, "so-tu-phap"));
    assert_true(has_candidate(&r, "so-y-te"));
    grid_free(&book);

    /* … which the file name does settle. */
    tmp_path(path, sizeof path, "c/so-y-te.csv");
    read_csv(path, "SỞ TƯ PHÁP,,SỞ Y TẾ\n", &book);
    ident_workbook(f->cfg, &book, path, NULL, &r);
    assert_non_null(r.unit);
    assert_string_equal(r.unit->code, "so-y-te");
    grid_free(&book);
}

static void test_ident_workbook_title_rows_limit_and_skip(void **state)
{
    const fixture *f = *state;
    char path[256];
    tmp_path(path, sizeof path, "d/x.csv");
    grid_book book;
    read_csv(path, "Biểu 01\nĐối tượng,Tổng số\nSỞ Y TẾ\n", &book);
    ident_result r;
    const uint32_t two[1] = { 2 };
    ident_workbook(f->cfg, &book, path, two, &r);
    assert_null(r.unit);                                  /* row 3 is below the title */
    grid_free(&book);
    const uint32_t skip[1] = { IDENT_SKIP_SHEET };
    read_csv(path, "SỞ Y TẾ NĂM 2023\n", &book);
    ident_workbook(f->cfg, &book, path, skip, &r);
    assert_null(r.unit);
    assert_int_equal(r.year_title, 0);
    grid_free(&book);

    /* A sheet without a title block still has its footer read. */
    read_csv(path, "Đối tượng,Tổng số\nI. Cán bộ,10\n,\"Kiên Giang, ngày 3 tháng 2 năm 2024\"\n",
             &book);
    ident_workbook(f->cfg, &book, path, skip, &r);
    assert_int_equal(r.report_date, 20240203);
    grid_free(&book);
}

/* An .xlsx with the tables on two sheets, a hidden instruction sheet naming
 * another unit and year, and the footer date on the second sheet. */
static void test_ident_workbook_xlsx_two_sheets_and_hidden_sheet(void **state)
{
    const fixture *f = *state;
    char path[256];
    tmp_path(path, sizeof path, "e/bieu-2024.xlsx");
    char dir[256];
    tmp_path(dir, sizeof dir, "");
    mkdir(dir, 0700);
    tmp_path(dir, sizeof dir, "e");
    mkdir(dir, 0700);

    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    lxw_worksheet *s1 = workbook_add_worksheet(wb, "Biểu 01");
    lxw_worksheet *s2 = workbook_add_worksheet(wb, "Biểu 02");
    lxw_worksheet *hid = workbook_add_worksheet(wb, "Hướng dẫn");
    worksheet_write_string(s1, 0, 0, "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG", NULL);
    worksheet_write_string(s1, 1, 0, "SỞ LĐ-TB&XH", NULL);
    worksheet_write_string(s1, 3, 0, "BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG CBCCVC NĂM 2023", NULL);
    worksheet_write_string(s1, 5, 0, "Đối tượng", NULL);
    worksheet_write_string(s1, 5, 1, "Tổng số", NULL);
    worksheet_write_number(s1, 6, 1, 120, NULL);
    worksheet_write_string(s2, 0, 0, "Năm", NULL);
    worksheet_write_number(s2, 0, 1, 2023, NULL);
    worksheet_write_string(s2, 20, 3, "Kiên Giang, ngày 12 tháng 02 năm 2024", NULL);
    worksheet_write_string(hid, 0, 0, "Sở Y tế — hướng dẫn năm 2020", NULL);
    worksheet_write_string(hid, 30, 0, "Hà Tiên, ngày 1 tháng 6 năm 2024", NULL);
    worksheet_hide(hid);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    grid_book book;
    wb_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(grid_read(path, NULL, &book, &err), DTBD_OK);
    assert_int_equal(book.nsheets, 3);
    ident_result r;
    ident_workbook(f->cfg, &book, path, NULL, &r);
    assert_non_null(r.unit);
    assert_string_equal(r.unit->code, "so-lao-dong-tbxh");
    assert_string_equal(r.unit_sheet, "Biểu 01");
    assert_int_equal(r.unit_row, 1);
    assert_int_equal(r.year_title, 2023);                 /* two sheets agree; hidden skipped */
    assert_string_equal(r.year_sheet, "Biểu 01");
    assert_int_equal(r.year_file, 2024);
    assert_int_equal(r.year, 2023);
    assert_int_equal(r.report_date, 20240212);       /* not the hidden sheet's 2024-06-01 */

    /* With title rows from recognition, the hidden sheet is read too: its
     * "Sở Y tế" is a shorter name than "Sở Lao động – Thương binh và Xã hội"
     * (the longest wins), and its 2020 is outvoted by the two 2023s. */
    const uint32_t rows[3] = { 5, 0, 0 };
    ident_workbook(f->cfg, &book, path, rows, &r);
    assert_non_null(r.unit);
    assert_string_equal(r.unit->code, "so-lao-dong-tbxh");
    assert_int_equal(r.year_title, 2023);
    assert_int_equal(r.report_date, 20240601);       /* the hidden sheet is read now */
    grid_free(&book);
}

/* Title sheets that disagree on the year: the most frequent wins, a tie none. */
static void test_ident_workbook_year_majority_and_tie(void **state)
{
    const fixture *f = *state;
    char path[256];
    tmp_path(path, sizeof path, "f/so-y-te.csv");
    grid_book book;
    read_csv(path, "NĂM 2023,,Năm 2022\nSỞ Y TẾ\n", &book);
    ident_result r;
    ident_workbook(f->cfg, &book, path, NULL, &r);
    assert_int_equal(r.year_title, 0);
    assert_int_equal(r.year, 0);
    grid_free(&book);
    read_csv(path, "NĂM 2023,,Năm 2022\nnăm 2023\n", &book);
    ident_workbook(f->cfg, &book, path, NULL, &r);
    assert_int_equal(r.year_title, 2023);
    assert_int_equal(r.year_row, 0);
    assert_int_equal(r.year_col, 0);
    grid_free(&book);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ident_unit_district_forms),
        cmocka_unit_test(test_ident_unit_agency_forms),
        cmocka_unit_test(test_ident_unit_province_header_in_the_same_text_does_not_interfere),
        cmocka_unit_test(test_ident_unit_file_names),
        cmocka_unit_test(test_ident_unit_province_line_matches_nothing_and_is_not_ambiguous),
        cmocka_unit_test(test_ident_unit_ambiguous_when_a_part_or_two_units),
        cmocka_unit_test(test_ident_unit_unknown_has_three_closest_candidates),
        cmocka_unit_test(test_ident_unit_cfg_entry_point_and_long_text),
        cmocka_unit_test(test_ident_year_in_titles_and_file_names),
        cmocka_unit_test(test_ident_year_skips_dates_ranges_and_document_numbers),
        cmocka_unit_test(test_ident_year_several_years_give_zero),
        cmocka_unit_test(test_ident_cutoff_and_title_years),
        cmocka_unit_test(test_ident_footer_dates),
        cmocka_unit_test(test_ident_workbook_title_block_csv),
        cmocka_unit_test(test_ident_workbook_label_beside_value_and_year_field),
        cmocka_unit_test(test_ident_workbook_receiving_unit_is_not_the_reporter),
        cmocka_unit_test(test_ident_workbook_unit_and_year_from_file_then_folder),
        cmocka_unit_test(test_ident_workbook_title_year_wins_and_sources_are_kept),
        cmocka_unit_test(test_ident_workbook_unknown_and_ambiguous_units),
        cmocka_unit_test(test_ident_workbook_title_rows_limit_and_skip),
        cmocka_unit_test(test_ident_workbook_xlsx_two_sheets_and_hidden_sheet),
        cmocka_unit_test(test_ident_workbook_year_majority_and_tie),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
