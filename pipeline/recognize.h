/*
 * pipeline/recognize.h — form recognition: any unit's workbook → canonical
 * records with provenance (DESIGN §4.2, §4.3, §6; issue 3 "Recognition").
 *
 * What recognize_workbook() does, in order
 *  1. Text first. Every text cell goes through vnenc_repair(font, text)
 *     (TCVN3 / VNI → Unicode, accepted only when every character maps); the
 *     rest of recognition — and ident — reads the repaired view of the book.
 *     A cell in a legacy font that vnenc_repair kept because it also reads as
 *     Unicode Vietnamese ("Céng" = TCVN3 "Cộng") is decoded when its sheet
 *     already had cells repaired from that font's encoding and the decoded
 *     text reads as Vietnamese (second chance: the sheet was typed in it).
 *     One `info` finding `legacy_encoding_repaired` per sheet that holds a
 *     table and had repaired cells (cell = the first repaired one). Sheets
 *     without a table are ignored whole, findings included.
 *  2. Folded keys. Each text gets fold_key() variants — as written, without
 *     "(…)" parts, without leading numbering ("I.", "II -", "1.", "1.2",
 *     "a)", "-", "+", "*"), without a leading form.subset_prefix ("Trong
 *     đó:") — each expanded by fold_expand_abbrev(), and is looked up EXACTLY
 *     in one sorted index of the config's aliases (metrics, headings,
 *     breakdowns, groups, group sub_aliases, tables, and the form words of
 *     the config's form: section — total_row, footer, label_header, filler).
 *     No Vietnamese form word is written in the recognizer's C. Fuzzy
 *     matching (below) is tried only for header cells and row labels of a
 *     located table that match nothing exactly.
 *     Each distinct text is cut, repaired and folded once, and only its first
 *     REC_TEXT_MAX (2 KB) bytes are looked at (rec_ctx.h): a longer text is
 *     no label, title or number.
 *  3. Tables (rec_locate.c). An anchor is a row whose label (one of the
 *     first 7 columns) matches exactly a group alias, a row metric of a
 *     rows=metrics table (Biểu 03 "Dự toán"/"Thực hiện"), or — beside values —
 *     one of its breakdowns (a funding source: Biểu 03 written transposed);
 *     its column is the table's label column L (STT and other columns left of
 *     L are structure). From the anchor we walk up over data-like rows and the
 *     blank rows between them to the first data row, skip a column-number
 *     row (every cell a short token "A", "1", "(3)", "3=4+5", at least half
 *     of them with digits), and take up to 4 header rows above it: rows with
 *     a header word right of L (metric / heading / breakdown alias, or a
 *     filler such as "Trong đó", "Chia ra", "Nguồn kinh phí") or a label
 *     header at or left of L ("STT", "Đối tượng", "Nội dung", "Chỉ tiêu").
 *     A title line ("Biểu 01 …") or an empty row ends the band. The data rows
 *     run down from the first one, over blank rows, until: after blank rows,
 *     a row that is neither a group / total row, nor a label with values,
 *     nor a label that names a group fuzzily (a reworded "Những người hoạt
 *     động không chuyên trách cấp xã" whose cells are dashes); a footer word
 *     (config form.footer); a title line, a column-number row or a header row
 *     (the next table); or just after a "Tổng cộng" row that follows group
 *     rows (a total at the bottom closes the table). Tables never overlap:
 *     the next search starts below the previous table.
 *  4. Header paths. Column c's path is the texts of the header cells above it,
 *     top to bottom, a merged cell's text covering every column of its range
 *     (one element per merged range). Each element gets candidates (exact,
 *     else fuzzy). The metric is the deepest element with a metric candidate,
 *     except that an element that is also a breakdown ("Tổng số", "Nữ") under
 *     another metric element is that metric's breakdown. Several candidates
 *     → the one whose heading is in the path ("Trung cấp" under "Lý luận
 *     chính trị" is llct_mid, under "Trình độ chuyên môn" qual_vocational).
 *     The breakdown is the deepest element below the metric that names one
 *     the metric allows, else the metric's first (`all`). A path of only a
 *     breakdown ("Nữ", "Trong đó: DTTS") takes the metric of the nearest
 *     column to its left that allows it ("Tổng số | Trong đó: Nữ | DTTS" →
 *     headcount.female/ethnic). A second column with the same metric and
 *     breakdown as an earlier one is treated as unmapped.
 *     Which table: an anchor that is a row metric → that table; otherwise the
 *     columns vote (each column's candidate metrics share one vote among
 *     their tables); a tie is broken by the nearest title line above the
 *     header ("Biểu 02", "Biểu số 2"). Then every path is resolved again
 *     against that table only. A table whose columns map to nothing is not a
 *     table (a hidden list of group names is not a table).
 *  5. Row labels (rec_match.c). The label is the text at L, else the nearest
 *     text left of L ("Tổng cộng" merged over STT and label). Numbering is
 *     stripped. A config form.total_row word → the "Tổng cộng" row: its values
 *     go to results_add_total (group "total"), never to records. The other
 *     rows of a table get their groups as ONE assignment, each group at most
 *     once per table (a whole is never taken for its part): first the exact
 *     labels top to bottom (a group alias of the table; a sub_alias "Cán bộ",
 *     "Cấp xã" only right under its parent, a group with parts, until a group
 *     that is not one of them); then the fuzzy ones, best score first, each
 *     among the groups still free, under the parent its assigned rows give
 *     it. Fuzzy score = the best of token-set Jaccard, containment (0.5 + 0.5
 *     × shorter/longer when all words of one are in the other, × 0.9 when not
 *     in the same order) and Levenshtein similarity when ≥ 0.9 (typos only);
 *     it counts from 0.8, or from 0.6 for a part of the parent or when the
 *     alias is a phrase of the label ("Viên chức | đơn vị sự nghiệp công
 *     lập" is vc; its "công chức" is out of order, not cc_th); the best must
 *     lead every other group by more than 0.02. A label
 *     less specific than aliases (all its ≥ 2 words in them: "Cán bộ, công
 *     chức", "Công chức cấp huyện") goes to the group whose alias adds the
 *     fewest words among the groups the unit may report (required of its kind,
 *     or a part of one: an agency's "Cán bộ, công chức" is cbcc_th), but only
 *     when every other candidate is a whole it belongs to ("Cán bộ cấp huyện"
 *     → cb_th, not cbcc_th); unrelated candidates ("Cán bộ" with no parent:
 *     cb_th or cb_xa) make it no match — an unmapped row, never a guess.
 *     A row labelled by a breakdown ("Trong đó: Nữ", "- DTTS", "+ Nữ") right
 *     under a group row (over other such sub-rows) is that group's breakdown
 *     sub-row: each column of a metric's default breakdown whose metric allows
 *     it gives the group's record with that breakdown; a number in another
 *     column is an "unmapped" record with a warning unmapped_row.
 *     In a rows=metrics table the label is the metric and the records carry
 *     group "funding" (the table's group). Written transposed (sources as
 *     rows, metrics as columns) the label is the breakdown, "Tổng cộng" being
 *     the total source there.
 *  6. Values. In a group row and a mapped column: a number → its value; a
 *     text → numparse_text (decimals allowed for money metrics; in a count
 *     column a text that is a number only with a decimal part, "12,5", is
 *     still recorded as 12.5 — a fractional count is the validator's finding,
 *     not "not a number"); a blank or a
 *     dash → 0 (a blank makes a 0 record at that cell); bad text, a boolean,
 *     a date or an error value → `error not_a_number`, the cell rejected.
 *     Nothing lost: a column whose header matches nothing → `warning
 *     unmapped_column` (cell = its deepest header cell, message quotes the
 *     header) when it has a header text or holds numbers; when it holds
 *     numbers (in group or unmapped rows) its cells become records with
 *     metric "unmapped", breakdown "all"; a text-only column (notes) stays
 *     outside. A row inside a table whose label matches nothing but that
 *     holds numbers → `warning unmapped_row` (cell = the label cell) and
 *     records with group "unmapped" (metric and breakdown of the column).
 *  7. Nothing lost, loudly: in a sheet holding a table, numbers below its
 *     title block that are in no table are one `warning cells_outside_tables`
 *     per block (rows holding them at most one row apart), cell = the block's
 *     first cell, the message naming the range.
 *  8. Unit and year. ident_workbook() on the repaired view, title_rows = the
 *     first header row of each sheet's first table (IDENT_SKIP_SHEET for
 *     sheets without a table). unit_unknown / unit_ambiguous (naming up to 3
 *     candidates), year_missing, year_outside_plan → error, and none of the
 *     file's records or totals are added (their cells count as rejected).
 *     year_conflict (title vs file / folder; title wins) and unit_inactive
 *     (config_unit_active_in_year) are warnings: records still added.
 *     unit_weak (the unit rests on the file or folder name alone) and
 *     unit_conflict (the title names another unit than the file name; the
 *     title wins) are warnings. A table whose own title (the rows between
 *     the table above it and its header) states one other year of the plan
 *     ("NĂM 2024", "Số liệu đến 31/12/2024") is that year's: its records carry
 *     it, with an info table_year. No
 *     table in any sheet → `error no_form` (no cell), nothing else.
 *
 * Cell accounting (per source; cells_read == recorded + rejected + outside)
 *  - cells_read: every non-empty cell of every sheet (hidden ones too).
 *  - cells_recorded: non-empty cells that became a record (a group row's
 *    value, a dash → 0, an unmapped row's or column's value). Records made
 *    for blank cells count no cell.
 *  - cells_rejected: cells that got an error finding instead of a record
 *    (not_a_number), and every cell that would have been recorded when the
 *    file's records are not added (unit or year error).
 *  - cells_outside: everything else — titles, header cells, the column-number
 *    row, labels and STT, "Tổng cộng" row values (kept apart as totals),
 *    notes in text-only columns, footers, sheets without tables.
 *
 * Ownership: recognize_workbook() reads cfg and book (neither changed nor
 * retained) and copies what it adds into res; it writes no files. All its
 * scratch memory is freed before it returns. On out of memory it sets
 * res->oom and returns what it found so far.
 */
#ifndef DTBD_PIPELINE_RECOGNIZE_H
#define DTBD_PIPELINE_RECOGNIZE_H

#include <stdint.h>

#include "config/config.h"
#include "input/grid.h"
#include "pipeline/results.h"

/* Recognize every table of the form in book (already read from res->sources[src].path),
 * decide unit and year (ident_workbook), and add to res: the records (unit code, year,
 * table 1..3, group, metric, breakdown, value, sheet, row, col), the Tổng cộng values
 * (results_add_total), and the findings of this stage; fill res->sources[src]: unit, year,
 * report_date, cells_read / cells_recorded / cells_rejected / cells_outside so that
 * cells_read == cells_recorded + cells_rejected + cells_outside (non-empty cells).
 * Returns the number of tables found. */
int recognize_workbook(const struct config *cfg, const grid_book *book, results *res, uint32_t src);

/* The folded-key indexes recognition looks texts up in — every alias of the
 * configuration's groups, metrics, headings, breakdowns and tables, the form
 * words, the units' keys (pipeline/ident.h) — built once per run from cfg
 * (which must outlive it) and never changed afterwards: any number of
 * threads may recognize workbooks with one index at the same time. NULL when
 * memory ran out. */
typedef struct rec_index rec_index;
rec_index *recognize_index_new(const struct config *cfg);
void recognize_index_free(rec_index *rx);

/* A memo of the fuzzy matches (header cells, row labels: the same texts
 * recur in every workbook), kept across the workbooks one thread recognizes,
 * with a fixed cap on its entries. A shortcut only: results are the same
 * with or without it. One per thread (not shared); NULL when memory ran out. */
typedef struct rec_cache rec_cache;
rec_cache *recognize_cache_new(size_t max_entries /* 0: the default, 20,000 */);
void recognize_cache_free(rec_cache *m);

/* recognize_workbook() with the run's index and a thread's cache (NULL: no
 * memo); recognize_workbook builds a temporary index for each call. */
int recognize_workbook_ix(const rec_index *rx, rec_cache *cache, const grid_book *book,
                          results *res, uint32_t src);

#endif
