/*
 * pipeline/ident.h — which unit and which year a workbook is (DESIGN §5.2,
 * §6 "The year comes from …", issue 3 "Recognition").
 *
 * Unit
 *  Every text is compared as a folded match key (fold_match_key: case,
 *  diacritics, punctuation, abbreviations — "UBND", "H.", "TP.", "Sở
 *  LĐ-TB&XH" — all folded away), after splitting ASCII camelCase as file
 *  names write it ("SoYTe", "HonDat2023" → "So Y Te", "Hon Dat 2023"). The registry side is each unit's official
 *  name, its aliases and its code ("so-lao-dong-tbxh" → "so lao dong tbxh",
 *  which catches file names), folded once per ident_index.
 *  - A unit matches a text when one of its keys appears in the text's key as
 *    whole tokens ("so y te" in "uy ban nhan dan tinh kien giang so y te").
 *    The longest key (in tokens) wins, so "Ủy ban nhân dân huyện Giồng
 *    Riềng" beats the bare "giong rieng" and "Văn phòng UBND huyện X" is the
 *    district, not the Văn phòng UBND tỉnh. Two different units tied at the
 *    longest → ambiguous, both among the candidates.
 *  - When no unit key is in the text, but the text is a part of unit keys
 *    ("Sở", "Phòng Nội vụ", "Sở Nông nghiệp"): never a decision — two or more
 *    such units → ambiguous, with them as candidates; one → unknown, that
 *    unit the first candidate.
 *  - The province's own header line ("UBND TỈNH KIÊN GIANG", "Tỉnh Kiên
 *    Giang": only the words ủy ban nhân dân / tỉnh / the plan's province
 *    name) names no unit: no match, no ambiguity, no candidates.
 *  - Unknown → candidates are the 3 units most similar to the text
 *    (fold_similarity against each of their keys), best first.
 *
 * Year
 *  Found on word tokens of the raw text (digits split from letters, so
 *  "BC_2023_SoYTe" and "DTBD2023" work). A year is a 4-digit number in
 *  1950–2099. "năm YYYY", "năm báo cáo: YYYY", "kỳ báo cáo YYYY", "báo cáo
 *  YYYY" are strong; a bare year is weak and only counts when the text has no
 *  strong one. Not years of a report: parts of dates ("15/01/2024",
 *  "2024-01-15", "ngày 15 tháng 01 năm 2024", "ngày … tháng … năm 2024"),
 *  ranges ("2021-2025", "2021 – 2026"), document numbers ("2023/QĐ-UBND").
 *  Several different years of the chosen strength → 0.
 *
 * Workbook (ident_workbook)
 *  - Title cells: per sheet the rows above title_rows[s] (0 → the first 12;
 *    IDENT_SKIP_SHEET → no title block on the sheet; title_rows NULL → the
 *    first 12 rows of every visible sheet, hidden sheets skipped).
 *  - Unit: a cell labelled by a form.unit_field word ("Đơn vị báo cáo: X", or
 *    the label alone and X in the next cell to its right) decides when X
 *    matches one unit (the first such cell). Otherwise the longest match over
 *    all title cells (a long name on one sheet beats a short one on another),
 *    a tie between different units being ambiguous. The receiving unit is
 *    never the reporting one: a cell labelled by a form.receiver_field word
 *    ("Đơn vị nhận báo cáo: Sở Nội vụ", "Kính gửi: …"), the cell beside such
 *    a bare label, and place-and-date lines ("Rạch Giá, ngày … tháng …") are
 *    skipped. Then, only if the title decided nothing, the file's base name
 *    (extension dropped, "SoYTe" split as "So Y Te"), then the nearest parent
 *    folder whose name names one unit ("Huyện Giồng Riềng/"). `clue` says
 *    which decided (recognition reports the file and folder clues as weak);
 *    `file_unit` is the file name's own unit, so a title that names another
 *    unit can be reported as a conflict. When nothing decides, the result
 *    reports the title's ambiguity if any, else the file name's, else the
 *    unknown text (title cell or file name) whose candidates are most similar
 *    (a labelled cell first).
 *  - year_title: strong years over all title cells (and a year_field label
 *    with the year in the next cell, text or number), the most frequent one;
 *    else the year of a cut-off date ("Số liệu tính đến 31/12/2023"); weak
 *    ones only when neither; a tie between different years → 0.
 *    year_file from the base name; year_folder from the nearest parent
 *    folder whose name holds a year. year = title, else file, else folder.
 *  - report_date: the latest footer date (ident_footer_date) in any cell of
 *    any visible sheet, or of a hidden one whose title_rows[s] is not
 *    IDENT_SKIP_SHEET (the place-and-date line may stand in the header too;
 *    a sheet skipped for its title still has its footer read).
 *
 * Ownership: ident_index owns its folded keys (one arena) and borrows the
 * config, which must outlive it. An ident_result points into the config
 * (units) and the grid_book (unit_sheet, year_sheet): valid while both are.
 * No function retains the texts it is given.
 */
#ifndef DTBD_PIPELINE_IDENT_H
#define DTBD_PIPELINE_IDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "input/grid.h"

/* title_rows[s] value meaning "do not read this sheet's title block". */
#define IDENT_SKIP_SHEET UINT32_MAX

/* Which clue decided the unit, strongest first. */
typedef enum {
    IDENT_CLUE_NONE = 0,
    IDENT_CLUE_LABEL,                    /* "Đơn vị báo cáo: X"                    */
    IDENT_CLUE_TITLE,                    /* a heading line of the title block       */
    IDENT_CLUE_FILE,                     /* the file's name (weak)                  */
    IDENT_CLUE_FOLDER                    /* a parent folder's name (weak)           */
} ident_clue;

typedef struct {
    const struct config_unit *unit;      /* NULL: unknown or ambiguous            */
    ident_clue clue;                     /* what decided unit                       */
    const struct config_unit *file_unit; /* the unit the file name names alone, NULL
                                            none: differs from unit → a conflict   */
    bool ambiguous;                      /* several units matched equally well    */
    const struct config_unit *candidates[3]; /* closest units, best first (for the finding) */
    size_t n_candidates;
    char unit_text[256];                 /* the text the unit was read from ("" none) */
    const char *unit_sheet;              /* where (grid sheet name), NULL when from the file name */
    uint32_t unit_row, unit_col;
    int year;                            /* the decided year, 0 when none          */
    int year_title, year_file, year_folder; /* each source, 0 when absent        */
    const char *year_sheet; uint32_t year_row, year_col; /* where the title year is */
    int report_date;                     /* footer "ngày 15 tháng 01 năm 2024" → 20240115, 0 none */
} ident_result;

/* Folded unit keys of one configuration, built once and shared by calls. */
typedef struct ident_index ident_index;

/* Build the index; NULL when memory ran out. */
ident_index *ident_index_new(const struct config *cfg);
void ident_index_free(ident_index *ix);

/* Match a free text (a title line, "Đơn vị báo cáo: …", a file name) to a unit:
 * returns the unit, or NULL (then out->ambiguous / candidates tell why).
 * Fills out's unit fields (unit, ambiguous, candidates, unit_text; unit_sheet
 * NULL) and leaves the year fields alone. Builds a temporary index: for many
 * texts use ident_match_unit_ix(). */
const struct config_unit *ident_match_unit(const struct config *cfg, const char *text, size_t n,
                                           ident_result *out);
const struct config_unit *ident_match_unit_ix(const ident_index *ix, const char *text, size_t n,
                                              ident_result *out);

/* The units closest to a text (a mistyped unit code: "did you mean"), best
 * first, by fold_similarity of its unit key against every key of every unit
 * (name, aliases, code); at most 3 into out, returns how many. */
size_t ident_close_units(const struct config *cfg, const char *text, size_t n,
                         const struct config_unit *out[3]);

/* The year written in a text: "NĂM 2023", "năm 2023", "Năm báo cáo: 2023", "2023" alone,
 * "bc-dtbd-2023", "BC_2023_SoYTe"; 0 when none or when several different years appear
 * (a date like 15/01/2024 in a footer is not a report year: skip dates). */
int ident_year_in_text(const char *text, size_t n);

/* The year of a cut-off date "Số liệu (tính) đến (ngày) 31/12/2023" → 2023;
 * 0 when none or several different ones. */
int ident_cutoff_year(const char *text, size_t n);

/* The year a title line states for its report: a strong year ("NĂM 2023",
 * "Báo cáo 2023"), else a cut-off date's; 0 when none or ambiguous. Used for
 * each table's own title. */
int ident_title_year(const char *text, size_t n);

/* A footer date "…, ngày 15 tháng 01 năm 2025" (also "ngày 15/01/2025",
 * "15-01-2025", "15.01.2025") → 20250115, 0 none. The day must exist and
 * the year lie in 1950–2099. Not a report date: a date after "đến", "từ",
 * "trước", "sau" ("tính đến ngày 31/12/2023", "gửi trước ngày 15/01/2024")
 * or after a document number ("Kế hoạch số 45/KH-UBND ngày 08/3/2021"). The
 * first report date of the text counts. */
int ident_footer_date(const char *text, size_t n);

/* Identify a workbook: unit from the title block (cells in the rows above the first table
 * — give it `title_rows`, the number of top rows to scan per sheet, e.g. the first header
 * row of the first table found; recognition passes it; 0 = scan the first 12 rows), then
 * from the file's base name; year from the title (cells matching "năm YYYY" in those rows,
 * the report title "BÁO CÁO … NĂM 2023"), else the file name, else the nearest folder
 * name holding a year; report_date from footer texts anywhere in the sheets.
 * title_rows, when given, has book->nsheets entries. */
void ident_workbook(const struct config *cfg, const grid_book *book, const char *path,
                    const uint32_t *title_rows /* per sheet, may be NULL */, ident_result *out);
void ident_workbook_ix(const ident_index *ix, const grid_book *book, const char *path,
                       const uint32_t *title_rows, ident_result *out);

#endif
