#!/usr/bin/python3
"""bench/gen_csv.py OUT ROWS — the .csv of the reader benchmark: ROWS rows x
10 columns (a header row, then rows shaped like a province report: integers,
Vietnamese names and units, dates as text, decimals, quoted fields with
commas, quotes and newlines, half of the notes empty). Fixed seed: the same
file every time. UTF-8 without BOM, CRLF (Python's csv writer)."""
import csv, random, sys
out, rows = sys.argv[1], int(sys.argv[2])
random.seed(7)
names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Minh Dũng", "Hoàng Thị Em",
         "Võ Văn Phúc", "Đặng Thị Giang"]
units = ["Sở Nội vụ", "UBND huyện An Biên", "Phòng Tư pháp & Hộ tịch",
         "Trung tâm \"Hành chính công\"", "Sở Y tế, tỉnh Kiên Giang"]
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["STT", "Họ và tên", "Tỉnh/thành", "Ngày tiếp nhận", "Số lượng", "Số tiền",
                "Đơn vị", "Tỉ lệ", "Thời điểm cập nhật", "Ghi chú"])
    for i in range(1, rows):
        note = ("Hồ sơ số %06d/QĐ-UBND, ngày 12" % i) if i % 2 else \
               ("Ghi chú\ncó xuống dòng" if i % 7 == 0 else "")
        w.writerow([i, random.choice(names) + " " + str(random.randint(1, 5000)), "Kiên Giang",
                    "%02d/%02d/2024" % (random.randint(1, 28), random.randint(1, 12)),
                    random.randint(-50, 5000), "%.2f" % (random.random() * 1e6),
                    random.choice(units), "%.4f" % random.random(),
                    "2024-05-%02d 08:%02d:00" % (random.randint(1, 28), random.randint(0, 59)), note])
