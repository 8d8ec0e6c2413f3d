#!/bin/sh
# tests/e2e/real-lxw.t.sh — an .xlsx written by libxlsxwriter in
# constant_memory mode (inline strings only), from gen_lxw.c, which also wrote
# the expected dump from the same table of cells: decimals, a 16-digit ratio,
# cached formula numbers and strings, booleans, built-in date format 14, a
# custom datetime format, "[Red]0.00" (not a date), 29 Feb 2024, merged ranges,
# a .VnTime cell, a hidden sheet.
. tests/fixtures/real/lib.sh
expect_dump lxw_constant_memory_inline_strings "$F/lxw-constant-memory.xlsx" \
  "$F/lxw-constant-memory.xlsx.dump"
finish
