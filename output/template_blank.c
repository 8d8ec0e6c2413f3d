/*
 * output/template_blank.c — the blank form a unit fills in (`dtbd template`):
 * the instructions sheet, one sheet per table its kind reports, and the
 * letterhead every form and feedback workbook starts with. See template.h for
 * the contract.
 */
#include "output/template.h"
#include "output/template_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Form words that are not in the config (see template.c). */
#define WORD_REPORT     "BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC"
#define WORD_UBND       "UBND"
#define WORD_DISTRICT_DEPT "PHÒNG NỘI VỤ"

/* ==== public: the blank form ======================================================= */

/* The instructions sheet: how to fill the form in, and what is computed from it. */
static lxw_error write_instructions(lxw_workbook *wb, const template_styles *st, const struct config *cfg,
                                    const struct config_unit *unit, int year)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Hướng dẫn");
    if (!ws) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error err = LXW_NO_ERROR;
    keep(&err, worksheet_set_column(ws, 0, 0, 4, NULL));
    keep(&err, worksheet_set_column(ws, 1, 1, 95, st->text_wrap));
    char line[2048];
    lxw_row_t r = 0;
    keep(&err, template_write_text(ws, r++, 1, "HƯỚNG DẪN GHI BIỂU", st->heading1));
    snprintf(line, sizeof line, "Đơn vị: %s — số liệu năm %d", unit->name, year);
    keep(&err, template_write_text(ws, r++, 1, line, st->text_bold));
    r++;
    /* the items, numbered in order; the tables' lines only for the tables of
     * the unit's kind */
    char items[12][640];
    size_t n = 0;
    snprintf(items[n++], sizeof items[0], "Chỉ nhập số vào các ô nền trắng ngà (ô không khóa). Các ô tiêu đề, tên "
             "dòng và các ô tổng (nền xám) đã khóa và tự tính; trang tính được bảo vệ không có mật khẩu.");
    snprintf(items[n++], sizeof items[0], "Ô gạch chéo màu xám là chỉ tiêu không áp dụng cho nhóm đối tượng của "
             "dòng đó: để trống.");
    snprintf(items[n++], sizeof items[0], "Ô chuyển sang nền đỏ khi số liệu chưa hợp lệ: số nữ hoặc người dân tộc "
             "thiểu số lớn hơn tổng số; số của một cột \"Trong đó\" lớn hơn cột chứa nó; tổng các cột trình độ "
             "chuyên môn khác cột Tổng số (dòng số cột ghi các tổng này, ví dụ \"3=6+7+8+9+10\"). Sửa cho đến khi "
             "hết ô đỏ.");
    snprintf(items[n++], sizeof items[0], "Ô để trống được hiểu là 0. Không đổi tên, thêm hoặc xóa cột, dòng; "
             "không đổi thứ tự các biểu.");
    for (size_t i = 0; i < cfg->n_tables && n + 3 < sizeof items / sizeof *items; i++) {
        const struct config_table *t = &cfg->tables[i];
        if (!config_table_reported_by(t, unit->kind)) continue;
        char tn[16];
        template_table_name(t, tn);
        if (strcmp(t->code, "bieu01") == 0)
            snprintf(items[n++], sizeof items[0], "%s: số lượng, chất lượng đội ngũ tính đến hết ngày 31/12 của "
                     "năm báo cáo; đơn vị tính: người.", tn);
        else if (strcmp(t->code, "bieu02") == 0)
            snprintf(items[n++], sizeof items[0], "%s: số người được đào tạo, bồi dưỡng trong năm theo từng nội "
                     "dung (tổng số, trong đó nữ, người dân tộc thiểu số); ở cột \"Số người được đào tạo, bồi "
                     "dưỡng\" mỗi người chỉ tính một lần.", tn);
        else if (t->rows == CONFIG_ROWS_METRICS)
            snprintf(items[n++], sizeof items[0], "%s: %s theo từng nguồn; đơn vị tính: %s (được nhập số lẻ, ví "
                     "dụ 125,5); cột Tổng tự cộng các nguồn.", tn, t->title, t->unit_of_measure ? t->unit_of_measure : "");
        else
            snprintf(items[n++], sizeof items[0], "%s: %s.", tn, t->title);
    }
    snprintf(items[n++], sizeof items[0], "Dòng \"Trong đó\" là một phần của dòng ngay trên, không cộng thêm vào "
             "tổng. Các dòng có số thứ tự 1, 2 là các thành phần của dòng La Mã phía trên; dòng La Mã tự cộng các "
             "thành phần. Số La Mã theo biểu của tỉnh, nên có thể không liên tục.");
    /* no date written out here: every date in the workbook counts as a
     * report date (pipeline/ident.c), an example would be taken for one */
    snprintf(items[n++], sizeof items[0], "Ở cuối mỗi biểu, thay các dấu … trong ô \"%s\" bằng địa danh và ngày, "
             "tháng, năm báo cáo (bằng số), ghi chức danh người ký và họ tên; ký và đóng dấu. Ngày báo cáo quyết "
             "định bản nào được dùng khi đơn vị gửi lại: bản ghi ngày sau thay bản ghi ngày trước.",
             TEMPLATE_FOOTER_DATE);
    snprintf(items[n++], sizeof items[0], "Gửi tệp Excel này (không chụp ảnh, không đổi sang PDF) về Sở Nội vụ.");
    for (size_t i = 0; i < n; i++) {
        const char *item = items[i];
        snprintf(line, sizeof line, "%zu.", i + 1);
        keep(&err, template_write_text(ws, r, 0, line, st->text_wrap));
        keep(&err, template_write_text(ws, r, 1, item, st->text_wrap));
        keep(&err, worksheet_set_row(ws, r, 15.0 * template_lines_for(item, 95, 1.0) + 3, NULL));
        r++;
    }
    r++;
    snprintf(line, sizeof line, "Các chỉ tiêu của Kế hoạch %s được tính từ số liệu của biểu:", cfg->plan.id);
    keep(&err, template_write_text(ws, r++, 1, line, st->text_bold));
    for (size_t i = 0; i < cfg->n_indicators; i++) {
        const struct config_indicator *ind = &cfg->indicators[i];
        snprintf(line, sizeof line, "%s (mục %s): %s", ind->id, ind->clause ? ind->clause : "",
                 ind->wording ? ind->wording : ind->label);
        keep(&err, template_write_text(ws, r, 1, line, st->text_wrap));
        keep(&err, worksheet_set_row(ws, r, 15.0 * template_lines_for(line, 95, 1.0) + 3, NULL));
        r++;
    }
    worksheet_set_portrait(ws);
    worksheet_set_paper(ws, 9);
    worksheet_fit_to_pages(ws, 1, 0);
    return err;
}

/* See template.h. */
int template_letterhead(const struct config *cfg, const struct config_unit *unit, char **line1, char **line2)
{
    char tmp[512];
    *line1 = *line2 = NULL;
    const char *province = cfg->plan.province ? cfg->plan.province : "";
    if (unit->kind == CONFIG_DISTRICT) {
        /* the report is the UBND's, drawn up by its Phòng Nội vụ */
        snprintf(tmp, sizeof tmp, "%s %s", WORD_UBND, unit->name);
        *line1 = template_upper(tmp);
        *line2 = template_safe_text(WORD_DISTRICT_DEPT);
    } else {
        if (unit->superior) snprintf(tmp, sizeof tmp, "%s", unit->superior);
        else snprintf(tmp, sizeof tmp, "%s tỉnh %s", WORD_UBND, province);
        *line1 = template_upper(tmp);
        /* "Công an tỉnh" is "CÔNG AN TỈNH KIÊN GIANG" on its letterhead */
        size_t n = strlen(unit->name);
        if (n >= 5 && strcmp(unit->name + n - 5, " tỉnh") == 0) snprintf(tmp, sizeof tmp, "%s %s", unit->name, province);
        else snprintf(tmp, sizeof tmp, "%s", unit->name);
        *line2 = template_upper(tmp);
    }
    if (!*line1 || !*line2) {
        free(*line1);
        free(*line2);
        *line1 = *line2 = NULL;
        return -1;
    }
    return 0;
}

/* One table sheet of the blank form. */
static lxw_error write_form_sheet(lxw_workbook *wb, const template_styles *st, const struct config *cfg,
                                  const struct config_table *t, const struct config_unit *unit, int year,
                                  const char *head1, const char *head2)
{
    char name[16];
    template_table_name(t, name);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    template_form f;
    if (template_form_build(cfg, t, unit, &f) != 0) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error err = LXW_NO_ERROR;
    unsigned width = (unsigned)f.ncols + 2;
    lxw_row_t r = template_put_heading(ws, st, 0, width, head1, head2, &err);
    char line[1024];
    snprintf(line, sizeof line, "Đơn vị báo cáo: %s", unit->name);
    keep(&err, template_merge_text(ws, r, 0, r, (lxw_col_t)(width - 1), line, st->text));
    r++;
    snprintf(line, sizeof line, "Đơn vị nhận báo cáo: Sở Nội vụ tỉnh %s", cfg->plan.province ? cfg->plan.province : "");
    keep(&err, template_merge_text(ws, r, 0, r, (lxw_col_t)(width - 1), line, st->text));
    r += 2;
    snprintf(line, sizeof line, "%s NĂM %d", WORD_REPORT, year);
    keep(&err, template_merge_text(ws, r, 0, r, (lxw_col_t)(width - 1), line, st->title));
    keep(&err, worksheet_set_row(ws, r, 36, NULL));
    r += 2;
    template_placed at;
    keep(&err, template_table_write(ws, st, cfg, &f, r, NULL, NULL, NULL, &at));
    template_put_signature(ws, st, at.next_row, width, "THỦ TRƯỞNG ĐƠN VỊ", true, NULL, &err);

    worksheet_freeze_panes(ws, at.data_row, 2);
    template_print_setup(ws, &at);
    lxw_protection prot;
    memset(&prot, 0, sizeof prot);
    prot.format_columns = 1;
    prot.format_rows = 1;
    worksheet_protect(ws, NULL, &prot);
    template_form_free(&f);
    return err;
}

/* See template.h. */
dtbd_status template_write(const char *path, const struct config *cfg, const struct config_unit *unit, int year,
                   char *err, size_t errlen)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        snprintf(err, errlen, "không tạo được tệp biểu mẫu %s", path);
        return DTBD_ERR_WRITE;
    }
    template_styles st;
    lxw_error e = template_styles_init(wb, &st) == 0 ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
    char *head1 = NULL, *head2 = NULL;
    int heads = template_letterhead(cfg, unit, &head1, &head2);
    char title[512], subject[512], comments[512];
    snprintf(title, sizeof title, "Biểu mẫu báo cáo đào tạo, bồi dưỡng năm %d — %s", year, unit->name);
    snprintf(subject, sizeof subject, "Kế hoạch %s: %s", cfg->plan.id, cfg->plan.title ? cfg->plan.title : "");
    snprintf(comments, sizeof comments, "Biểu mẫu trắng do dtbd lập cho đơn vị %s (%s), năm %d.", unit->name,
             unit->code, year);
    char *s_title = template_safe_text(title), *s_subject = template_safe_text(subject),
         *s_comments = template_safe_text(comments);
    if (heads != 0 || !s_title || !s_subject || !s_comments) keep(&e, LXW_ERROR_MEMORY_MALLOC_FAILED);
    if (e == LXW_NO_ERROR) {
        lxw_doc_properties props;
        memset(&props, 0, sizeof props);
        props.title = s_title;
        props.subject = s_subject;
        props.author = (char *)"dtbd";
        props.comments = s_comments;
        keep(&e, workbook_set_properties(wb, &props));
        keep(&e, write_instructions(wb, &st, cfg, unit, year));
        for (size_t i = 0; i < cfg->n_tables && e == LXW_NO_ERROR; i++)
            if (config_table_reported_by(&cfg->tables[i], unit->kind))
                keep(&e, write_form_sheet(wb, &st, cfg, &cfg->tables[i], unit, year, head1, head2));
    }
    lxw_error ce = template_workbook_close(wb);   /* frees the workbook whatever happened */
    free(head1);
    free(head2);
    free(s_title);
    free(s_subject);
    free(s_comments);
    keep(&e, ce);
    if (e != LXW_NO_ERROR) {
        snprintf(err, errlen, "không ghi được biểu mẫu %s (%s)", path, lxw_strerror(e));
        return DTBD_ERR_WRITE;
    }
    return DTBD_OK;
}
