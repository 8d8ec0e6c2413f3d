// bench/exceljs.js — the exceljs peer: its streaming workbook reader (the
// read-only way exceljs offers for large files) over FILE, counting the
// non-empty cells of every sheet (printed on stdout).
//   node bench/exceljs.js FILE
'use strict';
const path = require('path');
const ExcelJS = require(path.join(__dirname, 'node_modules', 'exceljs'));

const file = process.argv[2];
if (!file) { console.error('usage: node exceljs.js FILE'); process.exit(2); }
(async () => {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit' });
  let n = 0;
  for await (const ws of reader) {
    for await (const row of ws) {
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (cell.value !== null && cell.value !== undefined && cell.value !== '') n++;
      });
    }
  }
  console.log(n);
})().catch((e) => { console.error(e.message); process.exit(1); });
