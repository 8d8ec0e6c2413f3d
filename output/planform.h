/*
 * output/planform.h — the blank annual plan form (`dtbd template --plan`,
 * DESIGN §10): the list table of classes a unit fills in, which `dtbd plan`
 * reads back exactly.
 *
 * Sheets: "Biểu KH" — the letterhead (template_letterhead), "Đơn vị: <official
 * name>", the title "KẾ HOẠCH ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC
 * NĂM <year>", "Đơn vị tính: …", one header row whose words are the first
 * alias of each column of the configuration's plan_form.columns (STT, Nội
 * dung, Đối tượng, Số lượng, Nữ, DTTS, Thời gian, Địa điểm, Cơ sở đào tạo,
 * Kinh phí, Nguồn kinh phí, Ghi chú), a column-number row, PLANFORM_ROWS
 * unlocked input rows, a "Tổng cộng" row (SUM formulas, cached 0), the open
 * signature footer; then "Danh mục" (hidden): the lists the drop-downs take
 * their values from, as cell ranges (libxlsxwriter refuses a literal list
 * over 255 characters) — the Biểu 02 contents (metric labels), the groups
 * (labels), Quý I–IV, the places, the providers (units of kind provider),
 * the funding sources. Contents, groups and providers accept other text too
 * (an information box, not a stop: a plan may hold a class of no Biểu 02
 * content); quarter, place and source are strict. Số lượng, Nữ, DTTS are
 * whole numbers ≥ 0, Kinh phí a decimal ≥ 0. The sheet is protected without
 * a password; only the input rows and the footer's date and names are open.
 * The formats are the report form's (output/template.h).
 *
 * Ownership: nothing is retained.
 */
#ifndef DTBD_OUTPUT_PLANFORM_H
#define DTBD_OUTPUT_PLANFORM_H

#include <stddef.h>

#include "config/config.h"

#define PLANFORM_ROWS 40

/* Write the blank plan form of unit for year to path (a temporary path the
 * caller renames); 0, or -1 with a Vietnamese reason in err. */
int planform_write(const char *path, const struct config *cfg, const struct config_unit *unit, int year,
                   char *err, size_t errlen);

#endif
