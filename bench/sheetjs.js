// bench/sheetjs.js — the SheetJS peer: read FILE with XLSX.readFile and walk
// every cell of every sheet, counting the non-empty ones (printed on stdout).
//   node bench/sheetjs.js FILE
// Dense mode is SheetJS's own advice for large sheets; it is the faster one.
'use strict';
const path = require('path');
const XLSX = require(path.join(__dirname, 'node_modules', 'xlsx'));

const file = process.argv[2];
if (!file) { console.error('usage: node sheetjs.js FILE'); process.exit(2); }
const wb = XLSX.readFile(file, { dense: true });
let n = 0;
for (const name of wb.SheetNames) {
  const ws = wb.Sheets[name];
  if (!ws['!ref']) continue;
  const rows = ws['!data'] || ws;   // 0.18.5 dense sheets are arrays of rows
  for (const row of rows) {
    if (!row) continue;
    for (const cell of row) {
      if (cell && cell.v !== undefined && cell.v !== '') n++;
    }
  }
}
console.log(n);
