/*
 * output/template.h — the province's report form (DESIGN §4.2) as libxlsxwriter
 * writes it: the blank form a unit fills in (`dtbd template`, issue 5), and
 * the layout the consolidated workbook (output/tonghop.c) reuses so its
 * Biểu 01/02/03 sheets look exactly like the form they consolidate.
 *
 * The form is built from the configuration only (tables, groups, metrics,
 * headings, breakdowns, form words): a new column or group is a config
 * change. It is the form the corpus generator writes (tests/corpus/README.md)
 * and recognition reads (pipeline/recognize.h), so a filled template read
 * back by `dtbd run` yields exactly the numbers typed into it:
 *   - a title block: the unit's name, the national motto, "Đơn vị báo cáo:
 *     <official name>", "BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG … NĂM <year>";
 *   - per table: "Biểu 0N — <title>", "Đơn vị tính: …", header rows with
 *     merged cells (heading › metric › breakdown), a column-number row,
 *     the group rows (Roman numerals; parts numbered 1, 2; "Trong đó" rows
 *     unnumbered), a "Tổng cộng" row; Biểu 03 has Dự toán / Thực hiện rows
 *     and the funding sources as columns, "Tổng" last ("7=3+4+5+6");
 *   - the footer: "…, ngày … tháng … năm …", NGƯỜI LẬP BIỂU, THỦ TRƯỞNG ĐƠN VỊ.
 *
 * The letterhead (template_letterhead, DESIGN §4.2's title block): an agency
 * or the provider under its superior — the unit's `superior:` in the config,
 * else "UBND TỈNH <province>" — with its own name below ("SỞ Y TẾ"); a
 * district as "UBND HUYỆN …" with "PHÒNG NỘI VỤ" below (the Phòng draws the
 * report up). Then "Đơn vị báo cáo: <name>" and "Đơn vị nhận báo cáo: Sở Nội
 * vụ tỉnh <province>".
 *
 * Numbering follows the province's form: a top group keeps its Roman numeral
 * (its place among the table's top groups in the config) whatever rows a
 * unit's form leaves out — an agency's Viên chức is IV, not II. The
 * column-number row writes a column's sums as the form prints them: "3=6+7+8+9+10"
 * (the metric's `parts:`), "7=3+4+5+6" (a breakdown's parts, Biểu 03).
 *
 * Tables of a unit's form: those its kind reports (`kinds:` of a table; the
 * provider gets Biểu 02 only).
 * Rows of a unit's form: the groups its kind must report
 * (config_group_required_of) and their "Trong đó" subsets; a group's parts
 * are sub-rows when an indicator is computed on one of them (cc_xa → row
 * II is split into "1. Cán bộ cấp xã", "2. Công chức cấp xã"), and the
 * group's own row then adds them up. The consolidated form shows every
 * group of the table with all its parts.
 *
 * In the blank form every cell a unit types into is unlocked and validated
 * (whole numbers ≥ 0 for counts, decimals ≥ 0 for money); so are the footer's
 * date line (it decides which of two submissions is the newer, DESIGN §6),
 * the signatory's title and the two names. Everything else — headers,
 * labels, the rows and columns that are sums (SUM formulas, cached 0), and
 * the cells of a column not asked of the row's group (a metric's
 * `applies_to:`, template_cell_applies: grey, hatched, empty) — is locked by
 * sheet protection without a password. Conditional formats turn a data cell
 * red while it breaks a rule of DESIGN §6 (alert style): a breakdown over its
 * whole (Nữ, DTTS > Tổng số), a column over the column it is a subset of
 * (Phù hợp VTVL > Tổng số), a "Trong đó" row over its group's row, and a
 * metric's `parts:` that do not add up to it (Σ trình độ ≠ Tổng số; the whole
 * and the parts turn red, once any part is typed). The consolidated form
 * (value != NULL) has no conditional formats; its not-applicable cells are
 * grey too, and show a figure only when a unit reported one. No list (dropdown)
 * validation is used; one longer than 255 characters would have to be a cell
 * range (libxlsxwriter 1.1.4 refuses longer literal lists).
 *
 * Strings: every string goes through template_write_text / _merge_text /
 * template_safe_text, which make it valid UTF-8 (invalid bytes → U+FFFD),
 * replace the control characters XML 1.0 forbids, and cut it at Excel's
 * 32 767-character cell limit — libxlsxwriter writes bytes as given and a
 * single bad byte makes the whole file unreadable.
 *
 * Ownership: a template_form owns its arrays (template_form_free); it points
 * into the config, which must outlive it. Formats belong to the lxw_workbook
 * they were made in (workbook_close frees them). Nothing here keeps a
 * pointer to a caller's string after returning.
 */
#ifndef DTBD_OUTPUT_TEMPLATE_H
#define DTBD_OUTPUT_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include <xlsxwriter.h>

#include "base/status.h"
#include "config/config.h"

/* ---- the blank form --------------------------------------------------------- */

/* Write the blank form of `unit` for `year` to path (a temporary path from
 * atomic_reserve: the caller renames). Sheets "Hướng dẫn", then "Biểu 01",
 * "Biểu 02", "Biểu 03" — one per table of the config that the unit's kind
 * reports. The caller checks that the unit existed in that year and that
 * the year is one of the plan's. Returns DTBD_OK, or DTBD_ERR_WRITE with a Vietnamese
 * reason in err. Changes no locale (LC_NUMERIC must be "C"). */
dtbd_status template_write(const char *path, const struct config *cfg, const struct config_unit *unit, int year,
                   char *err, size_t errlen);

/* ---- the form's layout (shared with output/tonghop.c) ----------------------- */

typedef enum {
    TEMPLATE_ROW_TOP,     /* a top-level group ("I. Cán bộ, công chức …")            */
    TEMPLATE_ROW_PART,    /* a part of the top row above ("1. Cán bộ cấp xã")       */
    TEMPLATE_ROW_SUBSET,  /* "Trong đó: …" — already counted in its whole          */
    TEMPLATE_ROW_METRIC   /* a row of a rows=metrics table (Biểu 03 "Dự toán")     */
} template_row_kind;

typedef struct {
    template_row_kind kind;
    const struct config_group *group;    /* group rows; NULL for metric rows     */
    const struct config_metric *metric;  /* metric rows; NULL for group rows     */
    char stt[8];                         /* "I", "1", "" (no number)            */
    bool sum_of_parts;                   /* a top row whose parts follow it      */
} template_row;

typedef struct {
    const struct config_metric *metric;  /* rows=groups: the column's metric; NULL
                                            in a rows=metrics table            */
    const struct config_breakdown *breakdown;
    bool sum_of_parts;                   /* the breakdown is the sum of other
                                            columns (Biểu 03 "Tổng")           */
} template_column;

/* One header cell, in the header band's coordinates: rows 0..depth-1, columns
 * 0..ncols+1 (0 = STT, 1 = the label column, 2.. = data columns). */
typedef struct {
    unsigned r1, r2, c1, c2;
    const char *text;                    /* points into the config or a literal */
} template_header_cell;

typedef struct {
    const struct config_table *table;
    template_column *cols;               /* data columns, left to right          */
    size_t ncols;
    template_row *rows;
    size_t nrows;
    template_header_cell *hdr;
    size_t nhdr;
    unsigned depth;                      /* header rows                          */
    bool total_row;                      /* a "Tổng cộng" row below the rows     */
} template_form;

/* The layout of table t for unit u (NULL: the consolidated form, every group of
 * the table with all its parts). Returns 0, or -1 on out of memory (f is then
 * empty and freeable). */
int template_form_build(const struct config *cfg, const struct config_table *t, const struct config_unit *u,
                        template_form *f);
void template_form_free(template_form *f);

/* "Biểu 01" for the table with index 0. out needs 16 bytes. */
void template_table_name(const struct config_table *t, char out[16]);

/* True when data column col is asked of row's group (the metric's
 * `applies_to:`; always true in a rows=metrics table). */
bool template_cell_applies(const template_form *f, size_t row, size_t col);

/* True when column k is one of the columns that add up to column j (a
 * breakdown's parts in the same metric, or the metric's `parts:` in the same
 * breakdown). */
bool template_column_is_part(const template_form *f, size_t k, size_t j);

/* The column that column j must never exceed (its breakdown's `subset_of` in
 * the same metric, else its metric's `subset_of` in the same breakdown), or
 * -1. */
long template_column_whole(const template_form *f, size_t j);

/* The two letterhead lines of unit (see the top), upper-cased and safe,
 * malloc'd (the caller frees both). -1 on out of memory (both NULL). */
int template_letterhead(const struct config *cfg, const struct config_unit *unit, char **line1, char **line2);

/* Formats shared by both workbooks; made once per lxw_workbook. */
typedef struct {
    lxw_format *bold, *motto, *title, *subtitle, *table_title, *unit_measure, *note;
    lxw_format *header, *colnum, *stt, *stt_top;
    lxw_format *label_top, *label_part, *label_subset, *label_total;
    lxw_format *input_count, *input_money;   /* unlocked data cells (blank form) */
    lxw_format *count, *money;               /* filled data cells                */
    lxw_format *sum_count, *sum_money;       /* sums (formulas, derived values)  */
    lxw_format *total_count, *total_money;   /* the "Tổng cộng" row              */
    lxw_format *footer_place, *footer_title, *footer_note;
    lxw_format *text, *text_bold, *text_wrap, *heading1; /* instructions sheet  */
    lxw_format *na;                          /* not asked of the group: grey     */
    lxw_format *footer_place_input, *footer_title_input, *footer_name_input;
                                             /* the blank form's open footer     */
    lxw_format *alert;                       /* conditional: a broken rule (red) */
} template_styles;

/* Make the formats; -1 when libxlsxwriter ran out of memory. */
int template_styles_init(lxw_workbook *wb, template_styles *st);

/* The looks every list sheet of the outputs shares (tong-hop.xlsx, the
 * feedback, ke-hoach-YYYY.xlsx): head bold, wrapped, centred on light blue;
 * wrap wrapped at the top; center centred; count "#,##0". */
void template_list_looks(lxw_format *head, lxw_format *wrap, lxw_format *center, lxw_format *count);

/* A whole-number (or, for money, decimal) ≥ 0 validation on a range, with a
 * Vietnamese error box; message NULL says the report form's words. The one
 * number rule of the blank forms (the report's and the plan's). */
lxw_error template_number_rule(lxw_worksheet *ws, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2,
                               bool money, const char *message);

/* One new format in the form's font (Times New Roman 11, centred vertically),
 * with thin borders when `border`: the base of every format the outputs make
 * (the form's, tong-hop.xlsx's lists, the feedback). NULL when out of memory. */
lxw_format *template_format(lxw_workbook *wb, bool border);

/* The value of a data cell of a filled form: true and *v, or false for an
 * empty cell. */
typedef bool (*template_value_fn)(void *ctx, const template_form *f, size_t row, size_t col, double *v);

/* Where template_table_write put things (sheet rows, 0-based). */
typedef struct {
    lxw_row_t title_row;                 /* "Biểu 0N — …"                        */
    lxw_row_t header_row;                /* first header row                    */
    lxw_row_t data_row;                  /* first group / metric row            */
    lxw_row_t total_row;                 /* the "Tổng cộng" row (if any)        */
    lxw_row_t next_row;                  /* first row below the table           */
    double width;                        /* sum of the column widths (characters) */
    lxw_col_t breaks[24];                /* page breaks for a table wider than a
                                            page: before these columns, at the
                                            edges of top header cells; 0-ended */
} template_placed;

/* Print setup of a sheet holding form tables: A4 landscape, the header rows
 * repeated on every page; fitted to the page width when the table is narrow
 * enough to stay legible, else printed at 60 % with a page break between
 * top header blocks (never through "Đào tạo" or "Tin học"), the STT and label
 * columns repeated on every page. */
void template_print_setup(lxw_worksheet *ws, const template_placed *at);

/* Write table f at `row` (column A = STT): its title line (title_suffix, may be
 * NULL, is appended: " — NĂM 2024"), unit of measure, header band, column
 * numbers, rows and "Tổng cộng". value == NULL: the blank form (unlocked,
 * validated input cells; sums as SUM formulas cached 0). Otherwise every data
 * cell holds value()'s number (or stays empty) and the "Tổng cộng" row SUMs
 * the top rows with its cached value. Also sets the column widths. Returns
 * LXW_NO_ERROR or the first libxlsxwriter error. */
lxw_error template_table_write(lxw_worksheet *ws, const template_styles *st, const struct config *cfg,
                               const template_form *f, lxw_row_t row, const char *title_suffix,
                               template_value_fn value, void *ctx, template_placed *out);

/* The national heading over `width` columns: left1 (bold, the unit or its
 * superior), left2 (may be NULL), the motto on the right; returns the next row. */
lxw_row_t template_put_heading(lxw_worksheet *ws, const template_styles *st, lxw_row_t row, unsigned width,
                               const char *left1, const char *left2, lxw_error *err);

/* The footer's place-and-date line as printed before a unit fills it in. */
#define TEMPLATE_FOOTER_DATE "…, ngày … tháng … năm …"

/* The signature footer over `width` columns, all locked; returns the next row. */
lxw_row_t template_put_footer(lxw_worksheet *ws, const template_styles *st, lxw_row_t row, unsigned width,
                              const char *right_title, lxw_error *err);

/* Where template_put_signature put the cells a unit writes in. */
typedef struct {
    lxw_row_t date_row, title_row, name_row;
    lxw_col_t date_col;
} template_footer_cells;

/* The signature footer; open: the date line and the right title unlocked,
 * and below the signing space a row of two unlocked name cells (the blank
 * form). cells may be NULL. Returns the next row. */
lxw_row_t template_put_signature(lxw_worksheet *ws, const template_styles *st, lxw_row_t row, unsigned width,
                                 const char *right_title, bool open, template_footer_cells *cells,
                                 lxw_error *err);

/* ---- safe strings -------------------------------------------------------------- */

/* Write s (NULL = "") as a string cell, made safe first (see the top). */
lxw_error template_write_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s, lxw_format *f);

/* Merge a range and write s into it, made safe first. */
lxw_error template_merge_text(lxw_worksheet *ws, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2,
                              const char *s, lxw_format *f);

/* workbook_close(), one at a time in the process: the one call of
 * libxlsxwriter that is not safe on two threads (its gmtime() for
 * docProps/core.xml). Workbooks are otherwise built on any thread, one
 * thread per workbook. errno as workbook_close left it. */
lxw_error template_workbook_close(lxw_workbook *wb);

/* Give every format used in the worksheets up to `last` (in the order they
 * were added) the style number libxlsxwriter will give it when it writes the
 * package — which it otherwise does only then, in the order it meets them —
 * so that a caller may print that number into XML of its own before
 * workbook_close. The worksheets up to `last` must be complete. What the
 * numbers will be is read back from the package after workbook_close by the
 * caller that relies on them (output/tonghop_data.c). */
void template_number_styles(lxw_workbook *wb, const lxw_worksheet *last);

/* True when s can be handed to libxlsxwriter as it is (valid UTF-8, no
 * XML-illegal code point, at most TEMPLATE_MAX_CHARS characters). */
bool template_text_is_safe(const char *s);
/* A safe copy of s (malloc'd, the caller frees); NULL on out of memory. */
char *template_safe_text(const char *s);

/* s upper-cased (Vietnamese letters included), made safe; malloc'd or NULL. */
char *template_upper(const char *s);

/* Width of s as shown: code points of its longest line (not bytes). */
size_t template_text_width(const char *s);

#endif
