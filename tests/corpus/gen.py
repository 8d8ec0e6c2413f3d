#!/usr/bin/python3
# tests/corpus/gen.py — the realistic test inbox of dtbd and its truth.
#
#   /usr/bin/python3 tests/corpus/gen.py [OUTDIR]      (default: tests/corpus)
#   /usr/bin/python3 tests/corpus/gen.py --demo [OUTDIR]   (default: examples) — the demo
#       province `make demo` runs on (main_demo below; README.md "Demo mode")
#
# Writes OUTDIR/inbox/** (the submissions, as units e-mail them) and OUTDIR/truth/*.csv
# (what dtbd must read from them, the findings it must raise, the attainment it must
# compute).  Deterministic: a fixed seed, fixed dates, mtimes set with os.utime (and listed
# in truth/mtimes.tsv, restored after a checkout by touch.sh).  Needs openpyxl (Debian's
# python3) and LibreOffice (soffice) — only to regenerate; the output is committed.
# README.md beside this file is the contract of the truth files.
import csv
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from datetime import datetime, timezone, timedelta
from fractions import Fraction

import openpyxl
from openpyxl.styles import Font, Alignment
from openpyxl.utils import get_column_letter

SEED = 45_2021
YEARS = [2021, 2022, 2023, 2024, 2025]
PREFIX = "tests/corpus/inbox"      # file paths in the truth, relative to the repo top

# --------------------------------------------------------------------------------------
# Units (DESIGN §5.2)
# --------------------------------------------------------------------------------------
# code, official name, kind, first year, last year, successor, spellings used in titles
D0, D1 = 2021, 2025
AGENCIES = [
    ("van-phong-ubnd", "Văn phòng UBND tỉnh", ["VĂN PHÒNG UBND TỈNH", "Văn phòng Ủy ban nhân dân tỉnh", "VP UBND tỉnh Kiên Giang"]),
    ("van-phong-doan-dbqh-hdnd", "Văn phòng Đoàn ĐBQH và HĐND tỉnh", ["VĂN PHÒNG ĐOÀN ĐBQH VÀ HĐND TỈNH", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh"]),
    ("thanh-tra", "Thanh tra tỉnh", ["THANH TRA TỈNH", "Thanh tra tỉnh Kiên Giang"]),
    ("so-noi-vu", "Sở Nội vụ", ["SỞ NỘI VỤ", "Sở Nội vụ tỉnh Kiên Giang"]),
    ("so-tai-chinh", "Sở Tài chính", ["SỞ TÀI CHÍNH", "Sở Tài chính tỉnh Kiên Giang"]),
    ("so-ke-hoach-dau-tu", "Sở Kế hoạch và Đầu tư", ["SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "Sở KH&ĐT", "Sở Kế hoạch và Đầu tư tỉnh Kiên Giang"]),
    ("so-tu-phap", "Sở Tư pháp", ["SỞ TƯ PHÁP", "Sở Tư pháp tỉnh Kiên Giang"]),
    ("so-cong-thuong", "Sở Công Thương", ["SỞ CÔNG THƯƠNG", "Sở Công thương"]),
    ("so-khoa-hoc-cong-nghe", "Sở Khoa học và Công nghệ", ["SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Sở KH&CN"]),
    ("so-giao-duc-dao-tao", "Sở Giáo dục và Đào tạo", ["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở GD&ĐT", "Sở Giáo dục và Đào tạo tỉnh Kiên Giang"]),
    ("so-thong-tin-truyen-thong", "Sở Thông tin và Truyền thông", ["SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Sở TT&TT"]),
    ("so-giao-thong-van-tai", "Sở Giao thông vận tải", ["SỞ GIAO THÔNG VẬN TẢI", "Sở GTVT"]),
    ("so-xay-dung", "Sở Xây dựng", ["SỞ XÂY DỰNG", "Sở Xây dựng tỉnh Kiên Giang"]),
    ("so-du-lich", "Sở Du lịch", ["SỞ DU LỊCH", "Sở Du lịch tỉnh Kiên Giang"]),
    ("so-nong-nghiep-ptnt", "Sở Nông nghiệp và Phát triển nông thôn", ["SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "Sở NN&PTNT"]),
    ("so-lao-dong-tbxh", "Sở Lao động – Thương binh và Xã hội", ["SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Sở LĐ-TB&XH"]),
    ("so-ngoai-vu", "Sở Ngoại vụ", ["SỞ NGOẠI VỤ", "Sở Ngoại vụ tỉnh Kiên Giang"]),
    ("so-y-te", "Sở Y tế", ["SỞ Y TẾ", "Sở Y tế tỉnh Kiên Giang"]),
    ("so-van-hoa-the-thao", "Sở Văn hóa và Thể thao", ["SỞ VĂN HÓA VÀ THỂ THAO", "Sở Văn hoá và Thể thao", "Sở VH&TT"]),
    ("so-tai-nguyen-moi-truong", "Sở Tài nguyên và Môi trường", ["SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "Sở TN&MT"]),
    ("ban-dan-toc", "Ban Dân tộc", ["BAN DÂN TỘC", "Ban Dân tộc tỉnh Kiên Giang"]),
    ("ban-ql-khu-kinh-te", "Ban Quản lý Khu kinh tế tỉnh", ["BAN QUẢN LÝ KHU KINH TẾ TỈNH", "Ban Quản lý Khu kinh tế tỉnh Kiên Giang"]),
    ("bo-chi-huy-quan-su", "Bộ Chỉ huy Quân sự tỉnh", ["BỘ CHỈ HUY QUÂN SỰ TỈNH", "Bộ CHQS tỉnh Kiên Giang"]),
    ("cong-an", "Công an tỉnh", ["CÔNG AN TỈNH", "Công an tỉnh Kiên Giang"]),
]
NEW_AGENCIES = [
    ("so-nong-nghiep-moi-truong", "Sở Nông nghiệp và Môi trường", ["SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "Sở NN&MT"]),
    ("so-dan-toc-ton-giao", "Sở Dân tộc và Tôn giáo", ["SỞ DÂN TỘC VÀ TÔN GIÁO", "Sở Dân tộc và Tôn giáo tỉnh Kiên Giang"]),
]
SUCCESSOR = {
    "so-lao-dong-tbxh": "so-noi-vu", "so-ke-hoach-dau-tu": "so-tai-chinh",
    "so-giao-thong-van-tai": "so-xay-dung", "so-thong-tin-truyen-thong": "so-khoa-hoc-cong-nghe",
    "so-nong-nghiep-ptnt": "so-nong-nghiep-moi-truong", "so-tai-nguyen-moi-truong": "so-nong-nghiep-moi-truong",
    "ban-dan-toc": "so-dan-toc-ton-giao", "so-ngoai-vu": "van-phong-ubnd",
}
# district code, "huyện"/"thành phố", place name
DISTRICTS = [
    ("tp-rach-gia", "tp", "Rạch Giá"), ("tp-ha-tien", "tp", "Hà Tiên"), ("tp-phu-quoc", "tp", "Phú Quốc"),
    ("h-kien-luong", "h", "Kiên Lương"), ("h-hon-dat", "h", "Hòn Đất"), ("h-tan-hiep", "h", "Tân Hiệp"),
    ("h-chau-thanh", "h", "Châu Thành"), ("h-giong-rieng", "h", "Giồng Riềng"), ("h-go-quao", "h", "Gò Quao"),
    ("h-an-bien", "h", "An Biên"), ("h-an-minh", "h", "An Minh"), ("h-vinh-thuan", "h", "Vĩnh Thuận"),
    ("h-kien-hai", "h", "Kiên Hải"), ("h-u-minh-thuong", "h", "U Minh Thượng"), ("h-giang-thanh", "h", "Giang Thành"),
]


class Unit:
    def __init__(self, code, name, kind, first, last, names, place="Rạch Giá"):
        self.code, self.name, self.kind, self.first, self.last = code, name, kind, first, last
        self.names, self.place = names, place

    def active(self, y):
        return self.first <= y <= self.last


UNITS = {}
for code, name, names in AGENCIES:
    UNITS[code] = Unit(code, name, "agency", 2021, 2025, names)
for code, name, names in NEW_AGENCIES:
    UNITS[code] = Unit(code, name, "agency", 2025, 2025, names)
for code, k, place in DISTRICTS:
    if k == "tp":
        names = [f"UBND THÀNH PHỐ {place.upper()}", f"UBND thành phố {place}", f"Phòng Nội vụ thành phố {place}",
                 f"TP. {place}", f"Ủy ban nhân dân thành phố {place}"]
        name = f"Thành phố {place}"
    else:
        names = [f"UBND HUYỆN {place.upper()}", f"UBND huyện {place}", f"Phòng Nội vụ huyện {place}",
                 f"H. {place}", f"Ủy ban nhân dân huyện {place}"]
        name = f"Huyện {place}"
    UNITS[code] = Unit(code, name, "district", 2021, 2025, names, place)
UNITS["tp-phu-quoc"].names.append("UBND huyện Phú Quốc")
UNITS["truong-chinh-tri"] = Unit("truong-chinh-tri", "Trường Chính trị tỉnh Kiên Giang", "provider", 2021, 2025,
                                 ["TRƯỜNG CHÍNH TRỊ TỈNH KIÊN GIANG", "Trường Chính trị tỉnh Kiên Giang"])

# --------------------------------------------------------------------------------------
# The form (DESIGN §4.2): groups, metrics, header texts and their variants
# --------------------------------------------------------------------------------------
# group code -> (canonical label, variants)
GROUP_LABEL = {
    "cbcc_th": ["Cán bộ, công chức cấp tỉnh, cấp huyện", "CB,CC cấp tỉnh, cấp huyện", "CBCC cấp tỉnh, cấp huyện"],
    "cb_th": ["Cán bộ cấp tỉnh, cấp huyện", "Cán bộ cấp huyện"],
    "cc_th": ["Công chức cấp tỉnh, cấp huyện", "Công chức cấp huyện"],
    "cbcc_xa": ["Cán bộ, công chức cấp xã", "CB,CC cấp xã", "CBCC xã, phường, thị trấn"],
    "cb_xa": ["Cán bộ cấp xã", "CB cấp xã"],
    "cc_xa": ["Công chức cấp xã", "CC cấp xã"],
    "kct_xa": ["Người hoạt động không chuyên trách ở cấp xã", "Những người hoạt động không chuyên trách cấp xã"],
    "vc": ["Viên chức", "VC", "Viên chức trong đơn vị sự nghiệp công lập"],
    "vc_ql": ["Trong đó: viên chức giữ chức vụ quản lý", "- Trong đó: VC giữ chức vụ quản lý", "Trong đó: Viên chức quản lý"],
    "hdnd": ["Đại biểu Hội đồng nhân dân các cấp", "Đại biểu HĐND các cấp", "ĐBHĐND các cấp"],
    "hdnd_tinh": ["Đại biểu HĐND cấp tỉnh", "ĐBHĐND tỉnh"],
    "hdnd_huyen": ["Đại biểu HĐND cấp huyện", "ĐBHĐND huyện"],
    "hdnd_xa": ["Đại biểu HĐND cấp xã", "ĐBHĐND xã"],
    "total": ["Tổng cộng", "TỔNG CỘNG", "Cộng"],
}
PARTS = {"cbcc_th": ["cb_th", "cc_th"], "cbcc_xa": ["cb_xa", "cc_xa"], "hdnd": ["hdnd_tinh", "hdnd_huyen", "hdnd_xa"]}

# Biểu 01 columns: (node id, metric, breakdown, parent node or None, variants)
B01_PARENTS = {
    "trongdo": ["Trong đó", "Trong đó:"],
    "qual": ["Trình độ chuyên môn", "Trình độ chuyên môn, nghiệp vụ"],
}
B01_COLS = [
    ("headcount", "all", None, ["Tổng số", "Tổng số (người)", "Tổng số CBCCVC"]),
    ("headcount", "female", "trongdo", ["Nữ", "Số nữ"]),
    ("headcount", "ethnic", "trongdo", ["Dân tộc thiểu số", "DTTS", "Người DTTS"]),
    ("qual_postgrad", "all", "qual", ["Sau đại học", "Sau ĐH", "Trên đại học"]),
    ("qual_univ", "all", "qual", ["Đại học", "ĐH"]),
    ("qual_college", "all", "qual", ["Cao đẳng"]),
    ("qual_vocational", "all", "qual", ["Trung cấp"]),
    ("qual_none", "all", "qual", ["Chưa qua đào tạo", "Chưa đào tạo"]),
    ("qual_fit", "all", None, ["Chuyên môn phù hợp vị trí việc làm", "Trình độ chuyên môn phù hợp với vị trí việc làm"]),
    ("kinh_in_ethnic_area", "all", None, ["Người dân tộc Kinh công tác tại vùng đồng bào DTTS",
                                          "Người Kinh công tác tại vùng đồng bào dân tộc thiểu số"]),
    ("ethnic_lang_ok", "all", None, ["Trong đó: sử dụng được tiếng DTTS", "Sử dụng được tiếng dân tộc thiểu số"]),
    ("title_std_cum", "all", None, ["Đã được bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp (lũy kế)",
                                    "Đã bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp (luỹ kế)"]),
    ("mgmt_before_appt", "all", None, ["Được bồi dưỡng năng lực quản lý trước khi bổ nhiệm",
                                       "Bồi dưỡng năng lực, kỹ năng quản lý trước khi bổ nhiệm"]),
    ("trained_2y", "all", None, ["Được bồi dưỡng ít nhất 01 lần trong 02 năm gần nhất",
                                 "Được bồi dưỡng ít nhất 1 lần trong 2 năm"]),
    ("term_trained", "all", None, ["Đã được bồi dưỡng trong nhiệm kỳ 2021–2026 (lũy kế)",
                                   "Được bồi dưỡng trong nhiệm kỳ 2021-2026 (lũy kế)"]),
]
B01_OPTIONAL = {("qual_college", "all"), ("qual_vocational", "all"), ("qual_none", "all"), ("headcount", "ethnic")}

B02_PARENTS = {
    "dt": ["Đào tạo", "Đào tạo chuyên môn"],
    "llct": ["Lý luận chính trị", "LLCT"],
    "qlnn": ["Quản lý nhà nước", "QLNN"],
}
B02_CONTENT = [
    ("ed_univ", "dt", ["Đại học", "ĐH"]),
    ("ed_master", "dt", ["Thạc sĩ", "ThS"]),
    ("ed_phd", "dt", ["Tiến sĩ", "TS"]),
    ("llct_senior", "llct", ["Cao cấp"]),
    ("llct_mid", "llct", ["Trung cấp"]),
    ("llct_basic", "llct", ["Sơ cấp"]),
    ("qlnn_cvcc", "qlnn", ["Chuyên viên cao cấp", "CVCC"]),
    ("qlnn_cvc", "qlnn", ["Chuyên viên chính", "CVC"]),
    ("qlnn_cv", "qlnn", ["Chuyên viên", "CV"]),
    ("title_std", None, ["Bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp", "Theo tiêu chuẩn chức danh nghề nghiệp"]),
    ("mgmt", None, ["Bồi dưỡng lãnh đạo, quản lý", "Lãnh đạo, quản lý"]),
    ("tr_law", None, ["Cập nhật kiến thức pháp luật", "Kiến thức pháp luật"]),
    ("tr_ethics", None, ["Đạo đức công vụ, đạo đức nghề nghiệp", "Đạo đức công vụ, nghề nghiệp"]),
    ("tr_skills", None, ["Kiến thức, kỹ năng, phương pháp thực thi công vụ, nghề nghiệp chuyên ngành",
                         "Kiến thức, kỹ năng, phương pháp thực thi công vụ"]),
    ("qpan", None, ["Kiến thức quốc phòng – an ninh", "QP-AN", "Quốc phòng - an ninh"]),
    ("intl", None, ["Hội nhập quốc tế"]),
    ("it", None, ["Tin học"]),
    ("foreign_lang", None, ["Ngoại ngữ"]),
    ("ethnic_lang", None, ["Tiếng dân tộc", "Tiếng DTTS"]),
    ("abroad", None, ["Bồi dưỡng ở nước ngoài", "Ở nước ngoài"]),
    ("persons", None, ["Số người được đào tạo, bồi dưỡng (mỗi người tính một lần)", "Số người được đào tạo, bồi dưỡng"]),
    ("person_times", None, ["Số lượt người", "Lượt người"]),
]
B02_METRICS = [m for m, _, _ in B02_CONTENT]
B02_OPTIONAL = {"ed_phd", "intl", "abroad", "ethnic_lang"}
B02_SUB = {"all": ["Tổng số", "Tổng", "Số lượng"], "female": ["Nữ"], "ethnic": ["DTTS", "Dân tộc thiểu số"]}
CONTENT = [m for m in B02_METRICS if m not in ("persons", "person_times")]

B03_SOURCES = [("local", ["Ngân sách địa phương"]), ("central", ["Ngân sách Trung ương"]),
               ("agency", ["Cơ quan, đơn vị", "Kinh phí cơ quan, đơn vị"]), ("sponsor", ["Tài trợ", "Nguồn tài trợ"])]
B03_TOTAL = ["Tổng số", "Tổng cộng"]
B03_PARENT = ["Nguồn kinh phí", "Chia theo nguồn"]
B03_ROWS = [("budget_planned", ["Dự toán", "Kế hoạch (dự toán)"]), ("budget_spent", ["Thực hiện", "Kinh phí thực hiện"])]

TABLE_TITLE = {
    "B01": ["Biểu 01 — Số lượng, chất lượng đội ngũ", "Biểu số 01: Số lượng, chất lượng đội ngũ CBCCVC", "BIỂU 01 - SỐ LƯỢNG, CHẤT LƯỢNG ĐỘI NGŨ"],
    "B02": ["Biểu 02 — Kết quả đào tạo, bồi dưỡng trong năm", "Biểu số 02: Kết quả đào tạo, bồi dưỡng", "BIỂU 02 - KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG"],
    "B03": ["Biểu 03 — Kinh phí đào tạo, bồi dưỡng", "Biểu số 03: Kinh phí đào tạo, bồi dưỡng", "BIỂU 03 - KINH PHÍ"],
}
UNIT_LINE = {"B03": "Đơn vị tính: triệu đồng"}
# variation label_notes: a note appended to a group's label
ROW_NOTES = {"vc": " (kể cả hợp đồng 68)", "cbcc_xa": " - số liệu đến 31/12", "hdnd": " (nhiệm kỳ 2021-2026)",
             "cbcc_th": " (có mặt đến 31/12)", "kct_xa": " - theo Nghị định 33/2023/NĐ-CP"}
# variation breakdown_subrows: the labels of the Nữ and DTTS sub-rows
BD_ROWS = [("Trong đó: Nữ", "- DTTS"), ("+ Nữ", "+ Dân tộc thiểu số"), ("- Nữ", "Dân tộc thiểu số"),
           ("Trong đó: Nữ", "Trong đó: DTTS")]
# variation header_box: the unit that receives the report (never the reporting one)
RECEIVER = "Sở Nội vụ tỉnh Kiên Giang"

# --------------------------------------------------------------------------------------
# Legacy encodings
# --------------------------------------------------------------------------------------
_TCVN3_SRC = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂÊÔƠƯĐ"
_TCVN3_DST = ("µ¸¶·¹" "¨»¾¼½Æ" "©ÇÊÈÉË" "®" "ÌÐÎÏÑ" "ªÒÕÓÔÖ" "×ÝØÜÞ" "ßãáâä" "«åèæçé" "¬êíëìî"
              "ïóñòô" "\u00adõøö÷ù" "úýûüþ" "¡¢£¤¥¦§")
assert len(_TCVN3_SRC) == len(_TCVN3_DST) == 74, (len(_TCVN3_SRC), len(_TCVN3_DST))
TCVN3 = dict(zip(_TCVN3_SRC, _TCVN3_DST))


def tcvn3(text, allow_h=True):
    """Unicode → TCVN3 bytes read as Latin-1.  Returns (text, font).  Capitals that the
    lowercase .VnTime font lacks make the whole text lowercase, typed for .VnTimeH (which
    draws every letter as a capital) when allow_h, else just lowercase (CSV)."""
    text = unicodedata.normalize("NFC", text).replace("–", "-").replace("—", "-")
    font = ".VnTime"
    if any(ch.isupper() and ch not in TCVN3 and ord(ch) > 127 for ch in text):
        text = text.lower()
        if allow_h:
            font = ".VnTimeH"
    out = []
    for ch in text:
        if ord(ch) < 128:
            out.append(ch)
        else:
            out.append(TCVN3[ch])
    return "".join(out), font


_VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRC = {None: "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE = {None: "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def vni(text):
    """Unicode → VNI-Windows bytes read as Latin-1 (font VNI-Times)."""
    text = unicodedata.normalize("NFC", text).replace("–", "-").replace("—", "-")
    out = []
    for ch in text:
        if ord(ch) < 128:
            out.append(ch)
            continue
        if ch in "đĐ":
            out.append("ñ" if ch == "đ" else "Ñ")
            continue
        d = unicodedata.normalize("NFD", ch)
        base, marks = d[0], d[1:]
        up = base.isupper()
        mod = None
        tone = None
        for m in marks:
            if m in ("\u0302", "\u0306", "\u031b"):
                mod = m
            elif m in _VNI_TONE:
                tone = m
            else:
                raise ValueError(f"VNI: {ch!r}")
        b = base.lower()
        if b == "i" and tone and not mod:
            s = _VNI_I[tone]
        elif b == "y" and tone == "\u0323" and not mod:
            s = "î"
        elif mod == "\u031b":                     # ơ ư
            s = {"o": "ô", "u": "ö"}[b] + (_VNI_TONE[tone] if tone else "")
        elif mod == "\u0302":
            s = b + _VNI_CIRC[tone]
        elif mod == "\u0306":
            s = b + _VNI_BREVE[tone]
        else:
            s = b + (_VNI_TONE[tone] if tone else "")
        out.append(s.upper() if up else s)
    return "".join(out)


# --------------------------------------------------------------------------------------
# Values: the true figures of every unit and year
# --------------------------------------------------------------------------------------
def clamp(x, lo=0.0, hi=1.0):
    return max(lo, min(hi, x))


class Leaf:
    """One leaf group of one unit: its headcount walk and its ratio parameters."""

    def __init__(self, rng, kind, leaf, h0, fs, es):
        self.leaf, self.H, self.fs, self.es = leaf, h0, fs, es
        r = rng.uniform
        xa = leaf in ("cb_xa", "cc_xa")
        th = leaf in ("cbcc_th", "cb_th", "cc_th")
        vc = leaf in ("vc_other", "vc_ql")
        self.p = {
            "pg": r(0.08, 0.2) if th else r(0.0, 0.03) if xa else r(0.03, 0.1) if vc else 0.01,
            "univ0": r(0.62, 0.84) if xa else r(0.7, 0.85) if th else r(0.5, 0.8) if vc else r(0.2, 0.5),
            "univ_slope": r(0.02, 0.07) if xa else r(0.0, 0.02),
            "fit0": r(0.76, 0.9), "fit_slope": r(0.005, 0.04),
            "kinh": r(0.05, 0.25) if kind == "district" else r(0.0, 0.04),
            "lang0": r(0.05, 0.25), "lang_slope": r(0.01, 0.05),
            "title0": r(0.45, 0.8) if vc else r(0.3, 0.6), "title_slope": r(0.04, 0.12),
            "mgmt0": r(0.65, 0.95) if leaf == "vc_ql" else r(0.0, 0.02) if leaf == "vc_other" else r(0.03, 0.08),
            "mgmt_slope": r(0.0, 0.06) if leaf == "vc_ql" else 0.0,
            "2y0": r(0.55, 0.85), "2y_slope": r(0.0, 0.07),
            "term0": r(0.25, 0.6) if leaf.startswith("hdnd") else r(0.1, 0.3), "term_slope": r(0.1, 0.2),
            "law": r(0.66, 0.9) if th else r(0.45, 0.7), "ethics": r(0.64, 0.9) if th else r(0.45, 0.75),
            "skills": r(0.55, 0.8) if th else r(0.45, 0.7) if xa else r(0.45, 0.72),
            "trend": r(0.01, 0.035),
        }
        self.cum = {"title_std_cum": 0, "term_trained": 0}


def rnd(x):
    return int(Fraction(x).__round__()) if not isinstance(x, int) else x


def gen_b01_leaf(rng, lf, y, H):
    p, k = lf.p, y - 2021
    v = {}
    v[("headcount", "all")] = H
    v[("headcount", "female")] = round(H * lf.fs)
    v[("headcount", "ethnic")] = round(H * lf.es)
    pg = round(H * p["pg"])
    un = min(H - pg, round(H * clamp(p["univ0"] + p["univ_slope"] * k)))
    rest = H - pg - un
    col = round(rest * 0.45)
    voc = round((rest - col) * 0.7)
    none = rest - col - voc
    v[("qual_postgrad", "all")], v[("qual_univ", "all")] = pg, un
    v[("qual_college", "all")], v[("qual_vocational", "all")], v[("qual_none", "all")] = col, voc, none
    v[("qual_fit", "all")] = round(H * clamp(p["fit0"] + p["fit_slope"] * k))
    kinh = round(H * p["kinh"])
    v[("kinh_in_ethnic_area", "all")] = kinh
    v[("ethnic_lang_ok", "all")] = round(kinh * clamp(p["lang0"] + p["lang_slope"] * k))
    t = max(lf.cum["title_std_cum"], min(H, round(H * clamp(p["title0"] + p["title_slope"] * k))))
    lf.cum["title_std_cum"] = t
    v[("title_std_cum", "all")] = t
    v[("mgmt_before_appt", "all")] = round(H * clamp(p["mgmt0"] + p["mgmt_slope"] * k))
    v[("trained_2y", "all")] = round(H * clamp(p["2y0"] + p["2y_slope"] * k))
    tt = max(lf.cum["term_trained"], min(H, round(H * clamp(p["term0"] + p["term_slope"] * k))))
    lf.cum["term_trained"] = tt
    v[("term_trained", "all")] = tt
    return v


CONTENT_RATIO = {
    "ed_univ": (0.0, 0.02), "ed_master": (0.0, 0.025), "ed_phd": (0.0, 0.004), "llct_senior": (0.0, 0.02),
    "llct_mid": (0.02, 0.07), "llct_basic": (0.02, 0.1), "qlnn_cvcc": (0.0, 0.005), "qlnn_cvc": (0.01, 0.04),
    "qlnn_cv": (0.03, 0.09), "title_std": (0.05, 0.25), "mgmt": (0.02, 0.08), "qpan": (0.03, 0.12),
    "intl": (0.0, 0.03), "it": (0.02, 0.08), "foreign_lang": (0.01, 0.05), "ethnic_lang": (0.0, 0.02),
    "abroad": (0.0, 0.004),
}


def gen_b02_leaf(rng, lf, y, b01, scale=1.0):
    p, k = lf.p, y - 2021
    H = b01[("headcount", "all")]
    hf, he = b01[("headcount", "female")], b01[("headcount", "ethnic")]
    noise = lambda: rng.uniform(-0.015, 0.015)
    v = {}
    for m in CONTENT:
        if m == "tr_law":
            r = p["law"] + p["trend"] * k + noise()
        elif m == "tr_ethics":
            r = p["ethics"] + p["trend"] * k + noise()
        elif m == "tr_skills":
            r = p["skills"] + p["trend"] * k + noise()
        else:
            lo, hi = CONTENT_RATIO[m]
            if m in ("ed_univ", "llct_basic", "ethnic_lang") and lf.leaf not in ("cb_xa", "cc_xa", "kct_xa"):
                hi = lo + (hi - lo) * 0.3
            if m == "title_std" and not lf.leaf.startswith("vc"):
                hi = 0.05
            r = rng.uniform(lo, hi)
        n = min(H, round(H * clamp(r) * scale))
        while n > 0 and any(n * 10 == k * H for k in (6, 7, 8, 9)):    # no exact ties with a target
            n -= 1
        f = min(hf, n, round(n * clamp(lf.fs + rng.uniform(-0.05, 0.05))))
        e = min(he, n, round(n * clamp(lf.es + rng.uniform(-0.02, 0.02))))
        v[(m, "all")], v[(m, "female")], v[(m, "ethnic")] = n, f, e
    for b, cap in (("all", H), ("female", hf), ("ethnic", he)):
        tot = sum(v[(m, b)] for m in CONTENT)
        mx = max(v[(m, b)] for m in CONTENT)
        persons = min(cap, tot, max(mx, round(mx * rng.uniform(1.0, 1.15))))
        v[("persons", b)] = persons
        v[("person_times", b)] = tot
    return v


def add_into(acc, v):
    for key, x in v.items():
        acc[key] = acc.get(key, 0) + x


class Model:
    """True figures: FIG[(unit, year)] = {"B01": {group: {(metric, bd): int}}, "B02": ..., "B03": {...}}."""

    def __init__(self, rng):
        self.rng = rng
        self.fig = {}
        self.leaves = {}
        for code, u in UNITS.items():
            if u.kind == "provider":
                continue
            self.leaves[code] = self.make_leaves(code, u)
        for code, u in UNITS.items():
            if u.kind == "provider":
                continue
            for y in YEARS:
                if u.active(y) or (code in ("so-dan-toc-ton-giao", "so-nong-nghiep-moi-truong") and y == 2024):
                    self.fig[(code, y)] = self.make_year(code, u, y)

    def make_leaves(self, code, u):
        r = self.rng
        fs = r.uniform(0.35, 0.65)
        if u.kind == "agency":
            es = r.uniform(0.02, 0.08)
            big = {"so-giao-duc-dao-tao": (2300, 3000), "so-y-te": (2500, 3000), "so-nong-nghiep-ptnt": (500, 900),
                   "so-lao-dong-tbxh": (200, 400), "so-van-hoa-the-thao": (150, 300)}
            zero_vc = code in ("thanh-tra", "van-phong-doan-dbqh-hdnd", "cong-an")
            cb = r.randint(30, 300) if code not in ("so-giao-duc-dao-tao", "so-y-te") else r.randint(60, 120)
            if code == "so-dan-toc-ton-giao":
                cb = 42
            vc = 0 if zero_vc else r.randint(*big.get(code, (15, 160)))
            vql = 0 if vc == 0 else max(1, round(vc * r.uniform(0.07, 0.12)))
            spec = {"cbcc_th": cb, "vc_other": vc - vql, "vc_ql": vql}
        else:
            es = r.uniform(0.04, 0.15)
            th = r.randint(250, 600)
            cb_th = r.randint(30, 60)
            xa = r.randint(300, 500)
            cb_xa = round(xa * r.uniform(0.42, 0.5))
            vc = r.randint(2000, 6000)
            vql = round(vc * r.uniform(0.07, 0.1))
            hd = r.randint(200, 400)
            ht = r.randint(4, 8)
            hh = r.randint(30, 40)
            spec = {"cb_th": cb_th, "cc_th": th - cb_th, "cb_xa": cb_xa, "cc_xa": xa - cb_xa,
                    "kct_xa": r.randint(150, 400), "vc_other": vc - vql, "vc_ql": vql,
                    "hdnd_tinh": ht, "hdnd_huyen": hh, "hdnd_xa": hd - ht - hh}
        return {leaf: Leaf(r, u.kind, leaf, h, fs + r.uniform(-0.03, 0.03), es) for leaf, h in spec.items()}

    def make_year(self, code, u, y):
        r = self.rng
        out = {"B01": {}, "B02": {}, "B03": {}}
        leafv = {}
        for leaf, lf in self.leaves[code].items():
            H = lf.H
            if y > u.first and not (code in ("so-dan-toc-ton-giao", "so-nong-nghiep-moi-truong")):
                if leaf.startswith("hdnd") or H < 30:
                    pass
                else:
                    H = H + round(H * r.uniform(-0.03, 0.03))
            jump = JUMPS.get((code, y))
            if jump and jump[0] == leaf:
                H = round(H * jump[1])
            H = max(H, lf.cum["title_std_cum"], lf.cum["term_trained"])
            lf.H = H
            b01 = gen_b01_leaf(r, lf, y, H)
            scale = 0.25 if (code in SUCCESSOR and y == 2025) else 1.0
            b02 = gen_b02_leaf(r, lf, y, b01, scale)
            for tgt, key, delta in TIE_FIX.get((code, y, leaf), []):
                vv = b01 if tgt == "B01" else b02
                vv[key] += delta
                if key[0] in lf.cum:
                    lf.cum[key[0]] = vv[key]
                for bd in ("female", "ethnic"):
                    if (key[0], bd) in vv:
                        vv[(key[0], bd)] = min(vv[(key[0], bd)], vv[key])
            leafv[leaf] = (b01, b02)
        # groups as written in the form
        if u.kind == "agency":
            gmap = {"cbcc_th": ["cbcc_th"], "vc": ["vc_other", "vc_ql"], "vc_ql": ["vc_ql"]}
        else:
            gmap = {"cbcc_th": ["cb_th", "cc_th"], "cb_th": ["cb_th"], "cc_th": ["cc_th"],
                    "cbcc_xa": ["cb_xa", "cc_xa"], "cb_xa": ["cb_xa"], "cc_xa": ["cc_xa"], "kct_xa": ["kct_xa"],
                    "vc": ["vc_other", "vc_ql"], "vc_ql": ["vc_ql"],
                    "hdnd": ["hdnd_tinh", "hdnd_huyen", "hdnd_xa"], "hdnd_tinh": ["hdnd_tinh"],
                    "hdnd_huyen": ["hdnd_huyen"], "hdnd_xa": ["hdnd_xa"]}
        for g, leaves in gmap.items():
            for t, i in (("B01", 0), ("B02", 1)):
                acc = {}
                for leaf in leaves:
                    add_into(acc, leafv[leaf][i])
                out[t][g] = acc
        # Biểu 03 in halves of a million VND
        size = sum(lf.H for lf in self.leaves[code].values())
        tot = r.randint(60, 120) * 2 * max(1, size // 100) if u.kind == "agency" else r.randint(600, 1800) * 2
        if code in SUCCESSOR and y == 2025:
            tot = max(20, tot // 6)
        sh = {"local": r.uniform(0.6, 0.8), "central": r.uniform(0.0, 0.2), "agency": r.uniform(0.05, 0.2),
              "sponsor": r.choice([0.0, 0.0, r.uniform(0.0, 0.05)])}
        b03 = {}
        for metric, f in (("budget_planned", 1.0), ("budget_spent", r.uniform(0.8, 1.02))):
            vals = {s: round(tot * f * x) for s, x in sh.items()}
            vals["total"] = sum(vals.values())
            b03[metric] = {s: Fraction(h, 2) for s, h in vals.items()}
        out["B03"]["funding"] = b03
        return out


# --------------------------------------------------------------------------------------
# Planted anomalies (see README: each rule, where, which cell)
# --------------------------------------------------------------------------------------
# figures moved by one so that no ratio lies exactly on a target or a trajectory (floating point)
TIE_FIX = {
    ("so-khoa-hoc-cong-nghe", 2022, "vc_other"): [("B01", ("title_std_cum", "all"), 1)],
    ("so-khoa-hoc-cong-nghe", 2023, "vc_other"): [("B01", ("title_std_cum", "all"), 1)],
    ("so-khoa-hoc-cong-nghe", 2024, "vc_other"): [("B01", ("title_std_cum", "all"), 1)],
    ("so-giao-thong-van-tai", 2021, "vc_other"): [("B02", ("tr_skills", "all"), -1)],
    ("so-giao-thong-van-tai", 2022, "vc_other"): [("B02", ("tr_skills", "all"), -1)],
}
# headcount_jump: (unit, year) -> (leaf, factor): a persistent change from that year on
JUMPS = {("so-giao-duc-dao-tao", 2023): ("vc_other", 1.9), ("tp-ha-tien", 2024): ("kct_xa", 2.2)}


# --------------------------------------------------------------------------------------
# Built sheets and files
# --------------------------------------------------------------------------------------
class XlError(str):
    """An error value of a cell (#REF!, #DIV/0!, #VALUE!): written as a cell of type error."""


class BSheet:
    def __init__(self, name, hidden=False):
        self.name, self.hidden = name, hidden
        self.cells = {}          # (row, col) 1-based -> value (int, float, str, formula "=…")
        self.fonts = {}          # (row, col) -> font name
        self.merges = []         # (r1, c1, r2, c2)

    def put(self, r, c, v, font=None):
        if v is None:
            return
        self.cells[(r, c)] = v
        if font:
            self.fonts[(r, c)] = font


def a1(r, c):
    return f"{get_column_letter(c)}{r}"


def fmt_num(v):
    """Shortest form of a truth value: 120, 12.5."""
    if isinstance(v, Fraction):
        if v.denominator == 1:
            return str(v.numerator)
        s = repr(float(v))
        assert Fraction(s) == v, v
        return s
    return str(v)


class Sub:
    """One submission: a unit's report for a year, as one workbook or as CSV files."""

    def __init__(self, unit, year, tables, fmt, style, fig):
        self.unit, self.year, self.tables, self.fmt, self.style, self.fig = unit, year, tables, fmt, style, fig
        self.plants = {}        # (table, group, metric, bd) -> (rule, raw value)  cell plants
        self.total_plants = {}  # (table, metric, bd) -> delta
        self.files = []         # [OutFile]
        self.vars = []          # manifest tokens
        self.extra_rows = {}    # table -> [(label, values dict)]  unmapped rows
        self.cell_findings = {} # (table, group, metric, bd) -> rule  (warnings on a kept cell)
        self.file_findings = [] # rules about the whole file
        self.rejected = None    # the rule that rejects every file of this submission
        self.counted = True


class OutFile:
    def __init__(self, path, fmt):
        self.path, self.fmt = path, fmt     # path relative to inbox
        self.sheets = []
        self.records = []       # dicts
        self.findings = []      # (severity, rule, sheet, cell)
        self.vars = []
        self.status = "accepted"
        self.unit = ""
        self.year = ""
        self.lo = None          # None | "xls" | "xlsx" (LibreOffice pass)
        self.rename_to = None
        self.footer_date = None
        self.mtime = None
        self.raw = None         # bytes, for files written as they are
        self.csv_opts = None
        self.has_formula = False
        self.rows_present = set()
        self.table_sheet = {}
        self.totals = []        # (sheet, cell, value shown, sum of the group rows)
        self.members = None     # [OutFile] for a .zip attachment (format archive)

    def sub_style(self, key):
        return self.sub.style.get(key) if hasattr(self, "sub") else None


SEV = {
    "file_unreadable": "error", "file_unsupported": "error", "no_form": "error", "unit_unknown": "error",
    "unit_ambiguous": "error", "year_missing": "error", "year_outside_plan": "error", "not_a_number": "error",
    "negative_count": "error", "fractional_count": "error", "part_over_whole": "error",
    "parts_sum_mismatch": "error", "total_mismatch": "error",
    "year_conflict": "warning", "duplicate_submission": "warning", "unmapped_row": "warning",
    "unmapped_column": "warning", "cumulative_decrease": "warning", "headcount_jump": "warning",
    "group_missing": "warning", "unit_missing_report": "warning", "merged_unit_report": "warning",
    "provider_gap": "warning", "unit_inactive": "warning", "legacy_encoding_repaired": "info",
}


class Builder:
    """Lays a submission's tables out into sheets (the form as designed, then its variations)."""

    def __init__(self, sub, rng):
        self.sub, self.st, self.rng = sub, sub.style, rng
        self.urng = random.Random(f"{SEED}/uspaces/{sub.unit}/{sub.year}")
        self.st.setdefault("_uspace_n", 0)
        self.st.setdefault("_uspace_num", 0)
        self.u = UNITS[sub.unit] if sub.unit in UNITS else None

    # ---- text -------------------------------------------------------------------
    def pick(self, variants):
        if self.st.get("abbrev") and len(variants) > 1:
            return self.rng.choice(variants)
        return variants[0]

    def tx(self, text, role):
        st = self.st
        if role == "header":
            if st.get("case") == "upper":
                text = text.upper()
            elif st.get("case") == "lower":
                text = text.lower()
            if st.get("breaks") and len(text) > 14 and " " in text:
                words = text.split(" ")
                half = len(words) // 2
                text = " ".join(words[:half]) + "\n" + " ".join(words[half:])
        if st.get("spaces") and role in ("header", "label"):
            text = "  " + text.replace(" ", "  ", 1) + " "
        if st.get("nfd"):
            text = unicodedata.normalize("NFD", text)
        if st.get("uspaces") and role in ("header", "label"):
            text = self.uspace(text)
        font = None
        if st.get("legacy") == "tcvn3":
            text, font = tcvn3(text, allow_h=not self.csv)
        elif st.get("legacy") == "vni":
            text, font = vni(text), "VNI-Times"
        if self.csv:
            font = None
        return text, font

    USPACE_OPS = ("nbsp", "thin", "zwsp", "shy", "bom")

    def uspace(self, text):
        """Unicode spaces and format characters (variation unicode_spaces): one of a no-break
        space, a thin space, a zero-width space, a soft hyphen, a BOM, in turn, in every
        header or label of more than one word."""
        words = text.split(" ")
        if len(words) < 2:
            return text
        op = self.USPACE_OPS[self.st["_uspace_n"] % len(self.USPACE_OPS)]
        self.st["_uspace_n"] += 1
        i = self.urng.randrange(len(words) - 1)          # the space after words[i]
        if op == "nbsp":
            return " ".join(words[:i + 1]) + "\u00a0" + " ".join(words[i + 1:])
        if op == "thin":
            return " ".join(words[:i + 1]) + "\u2009" + " ".join(words[i + 1:])
        if op == "zwsp":
            return " ".join(words[:i + 1]) + "\u200b " + " ".join(words[i + 1:])
        if op == "shy":
            j = max(range(len(words)), key=lambda k: (len(words[k]), -k))   # the longest word
            w = words[j]
            if len(w) >= 4:
                words[j] = w[:len(w) // 2] + "\u00ad" + w[len(w) // 2:]
            return " ".join(words)
        return "\ufeff" + text

    def put_text(self, sh, r, c, text, role):
        t, f = self.tx(text, role)
        sh.put(r, c, t, f)
        return t

    # ---- numbers ----------------------------------------------------------------
    def num_cell(self, v, decimal=False):
        st = self.st
        if st.get("uspaces") and v >= 1000:
            sep = "\u00a0" if st["_uspace_num"] % 2 == 0 else "\u202f"
            st["_uspace_num"] += 1
            whole = int(v)
            s = f"{whole:,}".replace(",", sep)
            if whole != v:                                   # halves of a million: "1 234,5"
                s += "," + fmt_num(Fraction(v) - whole)[2:]
            return s
        if isinstance(v, Fraction):
            if v == 0 and st.get("zeros") in ("dash", "blank"):
                return "-" if st["zeros"] == "dash" else None
            if st.get("numtext") or self.csv:
                if v.denominator == 1:
                    s = str(v.numerator)
                else:
                    s = fmt_num(v)
                return s.replace(".", ",") if (st.get("numtext") or st.get("csv_vn")) else s
            return int(v) if v.denominator == 1 else float(v)
        if v == 0 and st.get("zeros") in ("dash", "blank"):
            return "-" if st["zeros"] == "dash" else None
        if st.get("numtext") or (self.csv and st.get("csv_vn")):
            if v >= 1000:
                return f"{v:,}".replace(",", ".")
            return str(v)
        if self.csv:
            return str(v)
        return v

    # ---- columns ----------------------------------------------------------------
    def columns(self, t):
        """[(key, path)]; key = (metric, bd) or ("extra", name); path = [(node, text, is_sub)]."""
        st, cols = self.st, []
        drop = set(st.get("drop", []))
        if st.get("bd_rows"):                   # Nữ / DTTS as sub-rows, not columns
            drop |= {"headcount.female", "headcount.ethnic"}
        if t == "B01":
            for m, b, parent, variants in B01_COLS:
                if f"{m}.{b}" in drop or m in drop:
                    continue
                path = []
                if parent:
                    path.append((parent, self.pick(B01_PARENTS[parent]), False))
                path.append((m + "." + b, self.pick(variants), False))
                cols.append(((m, b), path))
                if st.get("ty_le") and (m, b) == (("headcount", "female") if "headcount.ethnic" in drop else ("headcount", "ethnic")):
                    cols.append((("extra", "ty_le"), [("ty_le", "Tỷ lệ %", False)]))
            if st.get("col_perm"):
                qual = [c for c in cols if c[0][0].startswith("qual_") and c[0][0] != "qual_fit"]
                rest = [c for c in cols if c not in qual]
                cut = next(i for i, c in enumerate(rest) if c[0][0] == "qual_fit")
                cols = rest + qual   # the qualification block moved to the end
                # and Nữ after DTTS
                i = next((i for i, c in enumerate(cols) if c[0] == ("headcount", "female")), None)
                j = next((i for i, c in enumerate(cols) if c[0] == ("headcount", "ethnic")), None)
                if i is not None and j is not None:
                    cols[i], cols[j] = cols[j], cols[i]
        elif t == "B02":
            metrics = list(B02_METRICS) if self.u.kind != "provider" else ["llct_mid", "qlnn_cvc", "qlnn_cv"]
            metrics = [m for m in metrics if m not in drop]
            if st.get("col_perm"):
                bd = [m for m in metrics if m in ("title_std", "mgmt", "tr_law", "tr_ethics", "tr_skills")]
                other = [m for m in metrics if m not in bd]
                metrics = bd[::-1] + other
            subs = ["all"] if (st.get("no_subs") or st.get("bd_rows") or self.u.kind == "provider") else \
                ["all", "female"] if st.get("subs_female_only") else ["all", "female", "ethnic"]
            info = {m: (p, v) for m, p, v in B02_CONTENT}
            for m in metrics:
                parent, variants = info[m]
                text = self.pick(variants)
                for b in subs:
                    path = []
                    if parent:
                        path.append((parent, self.pick_fixed(parent, B02_PARENTS[parent]), False))
                    path.append((m, text, False))
                    if len(subs) > 1:
                        path.append((m + "." + b, self.pick(B02_SUB[b]), True))
                    cols.append(((m, b), path))
                if st.get("ty_le") and m == "tr_law":
                    cols.append((("extra", "ty_le"), [("ty_le", "Tỷ lệ %", False)]))
        else:
            for s, variants in B03_SOURCES:
                cols.append(((s, None), [("src", self.pick_fixed("src", B03_PARENT), False), (s, self.pick(variants), False)]))
            tot = (("total", None), [("total", self.pick(B03_TOTAL), False)])
            if st.get("col_perm"):
                cols.insert(0, tot)
            else:
                cols.append(tot)
        if st.get("ghi_chu") and t != "B03":
            cols.append((("extra", "ghi_chu"), [("ghi_chu", "Ghi chú", False)]))
        return cols

    def pick_fixed(self, node, variants):
        key = ("fixed", node)
        if key not in self.st.setdefault("_fixed", {}):
            self.st["_fixed"][key] = self.pick(variants)
        return self.st["_fixed"][key]

    # ---- rows -------------------------------------------------------------------
    def rows(self, t):
        """[(group, level)] level 0 = top group row, 1 = part / "trong đó" row."""
        st, kind = self.st, self.u.kind
        if t == "B03":
            return []
        if kind == "provider":
            return [("cbcc_th", 0), ("cbcc_xa", 0), ("vc", 0)]
        out = []
        skip = set(st.get("skip_groups", {}).get(t, []))
        if kind == "agency":
            tops = ["cbcc_th", "vc"]
        else:
            tops = ["cbcc_th", "cbcc_xa", "kct_xa", "vc", "hdnd"]
        for g in tops:
            if g in skip:
                continue
            split = st.get("split", {}).get(g)
            if g == "cbcc_xa" and split is None:
                split = "with_total"
            if g in PARTS and kind == "district" and split in ("with_total", "parts_only"):
                if split == "with_total":
                    out.append((g, 0))
                    out += [(p, 1) for p in PARTS[g]]
                else:
                    out += [(p, 0) for p in PARTS[g]]
            else:
                out.append((g, 0))
            if g == "vc":
                out.append(("vc_ql", 1))
        return out

    def stt(self, idx, sub):
        n = self.st.get("numbering", "roman")
        if n == "none":
            return None
        if sub is None:
            return {"roman": "I II III IV V VI VII VIII IX X XI XII".split(), "arabic": [str(i) for i in range(1, 13)],
                    "letters": list("ABCDEFGHIJKL")}[n][idx]
        if n == "arabic":
            return f"{idx + 1}.{sub + 1}"
        return str(sub + 1)

    # ---- one table ----------------------------------------------------------------
    def table(self, of, sh, t, r0, c0):
        """Write table t at row r0 (its "Biểu" line), first column c0. Returns next free row."""
        st, sub = self.st, self.sub
        fig = sub.fig[t]
        of.table_sheet[t] = sh.name
        self.put_text(sh, r0, c0, self.pick_fixed("title" + t, TABLE_TITLE[t]), "title")
        self.put_text(sh, r0 + 1, c0, UNIT_LINE.get(t, "Đơn vị tính: người"), "title")
        r = r0 + 2
        has_stt = st.get("numbering", "roman") != "none"
        if t == "B03" and st.get("b03_t"):
            return self.table_b03_transposed(of, sh, r, c0, has_stt)
        cols = self.columns(t)
        lead = []
        if has_stt:
            lead.append((("lead", "stt"), [("stt", "STT", False)]))
        lead.append((("lead", "label"), [("lbl", "Nội dung" if t == "B03" else self.pick_fixed("lbl", ["Đối tượng", "Chỉ tiêu", "Đối tượng, chỉ tiêu"]), False)]))
        allc = lead + cols
        depth = max(len(p) for _, p in allc)
        # header rows
        placed = {}   # (row, col) -> node
        for i, (key, path) in enumerate(allc):
            c = c0 + i
            L = len(path)
            spans = []
            if path[-1][2]:                      # a sub column: bottom row
                for j, node in enumerate(path[:-1]):
                    lo = j
                    hi = depth - 2 if j == L - 2 else j
                    spans.append((node, lo, hi))
                spans.append((path[-1], depth - 1, depth - 1))
            else:
                for j, node in enumerate(path):
                    spans.append((node, j, depth - 1 if j == L - 1 else j))
            for node, lo, hi in spans:
                placed[(lo, c)] = (node, hi)
            if key[0] == "extra":
                cell = a1(r + spans[-1][1], c)
                of.findings.append(("unmapped_column", sh.name, cell))
        # write and merge
        done = set()
        for (lo, c), (node, hi) in sorted(placed.items()):
            if (lo, c) in done:
                continue
            c2 = c
            while (lo, c2 + 1) in placed and placed[(lo, c2 + 1)][0][0] == node[0] and placed[(lo, c2 + 1)][1] == hi:
                c2 += 1
                done.add((lo, c2))
            self.put_text(sh, r + lo, c, node[1], "header")
            if c2 > c or hi > lo:
                sh.merges.append((r + lo, c, r + hi, c2))
        r += depth
        # column numbers
        cn = st.get("colnum", "num")
        if cn != "none":
            for i in range(len(allc)):
                key = allc[i][0]
                v = i + 1
                if t == "B03" and key == ("total", None):
                    srcs = [j + 1 for j, (k, _) in enumerate(allc) if k[0] in ("local", "central", "agency", "sponsor")]
                    v = f"{v}={'+'.join(map(str, srcs))}"
                elif cn == "paren":
                    v = f"({v})"
                sh.put(r, c0 + i, v if not isinstance(v, str) else self.tx(v, "title")[0])
            r += 1
        # data rows
        colpos = {key: c0 + i for i, (key, _) in enumerate(allc)}
        first_data = r
        if t == "B03":
            for metric, variants in B03_ROWS:
                if has_stt:
                    sh.put(r, colpos[("lead", "stt")], str(B03_ROWS.index((metric, variants)) + 1))
                self.put_text(sh, r, colpos[("lead", "label")], self.pick(variants), "label")
                for (s, _), path in cols:
                    val = fig["funding"][metric][s]
                    c = colpos[(s, None)]
                    if s == "total" and st.get("totals") == "formula" and not self.csv and not st.get("numtext") and not st.get("uspaces"):
                        sh.put(r, c, f"=SUM({a1(r, colpos[('local', None)])}:{a1(r, colpos[('sponsor', None)])})")
                        of.has_formula = True
                    else:
                        sh.put(r, c, self.num_cell(val))
                    of.records.append(dict(group="funding", metric=metric, bd=s, value=val, sheet=sh.name, cell=a1(r, c)))
                r += 1
            return r
        rows = self.rows(t)
        top_i, sub_i = -1, 0
        top_rows = []         # rows that add up to the total
        have_total = st.get("totals", "value") != "none" and not self.no_total(t)
        for g, level in rows:
            if level == 0:
                top_i += 1
                sub_i = 0
                num = self.stt(top_i, None)
                top_rows.append(r)
            else:
                num = None if g == "vc_ql" else self.stt(top_i, sub_i)
                sub_i += 1
            if has_stt and num is not None:
                self.put_text(sh, r, colpos[("lead", "stt")], num, "label")
            label = self.pick(GROUP_LABEL[g])
            if g == "cbcc_th" and self.u.kind == "agency" and st.get("abbrev"):
                label = self.rng.choice(["Cán bộ, công chức", "CBCC cấp tỉnh", "Cán bộ, công chức cấp tỉnh"])
            if st.get("label_notes") and g in ROW_NOTES:
                label += ROW_NOTES[g]
            self.put_text(sh, r, colpos[("lead", "label")], label, "label")
            gv = fig[g]
            of.rows_present.add((t, g))
            for key, path in cols:
                c = colpos[key]
                if key[0] == "extra":
                    if key[1] == "ty_le":
                        base = gv[("headcount", "all")] if t == "B01" else sub.fig["B01"].get(g, {}).get(("headcount", "all"), 0)
                        part = gv[("headcount", "female")] if t == "B01" else gv[("tr_law", "all")]
                        if base:
                            sh.put(r, c, round(100.0 * part / base, 1) if not self.csv else f"{100.0 * part / base:.1f}")
                    elif key[1] == "ghi_chu" and self.rng.random() < 0.3:
                        self.put_text(sh, r, c, self.rng.choice(["Số liệu đến 31/12", "Có biến động", "Đã rà soát"]), "label")
                    continue
                m, b = key
                val = gv[(m, b)]
                plant = sub.plants.get((t, g, m, b))
                rec = dict(group=g, metric=m, bd=b, value=val, sheet=sh.name, cell=a1(r, c))
                if plant:                       # a rejected cell: a finding, no record
                    rule, raw = plant
                    if self.csv and not isinstance(raw, str):
                        raw = fmt_num(Fraction(raw).limit_denominator()) if isinstance(raw, float) else str(raw)
                    sh.put(r, c, raw)
                    of.findings.append((rule, sh.name, a1(r, c)))
                    continue
                if (t, g, m, b) in sub.cell_findings:
                    of.findings.append((sub.cell_findings[(t, g, m, b)], sh.name, a1(r, c)))
                sh.put(r, c, self.num_cell(val))
                of.records.append(rec)
            r += 1
            if level == 0 and st.get("bd_rows"):
                r = self.breakdown_rows(of, sh, r, colpos, cols, g, gv)
        for label, vals in sub.extra_rows.get(t, []):
            self.put_text(sh, r, colpos[("lead", "label")], label, "label")
            of.findings.append(("unmapped_row", sh.name, a1(r, colpos[("lead", "label")])))
            for key, path in cols:
                if key[0] != "extra" and key in vals:
                    sh.put(r, colpos[key], self.num_cell(vals[key]))
            r += 1
        if have_total:
            self.put_text(sh, r, colpos[("lead", "label")], self.pick(GROUP_LABEL["total"]), "label")
            for key, path in cols:
                if key[0] == "extra":
                    continue
                c = colpos[key]
                delta = sub.total_plants.get((t,) + key, 0)
                tot = sum(sub.fig[t][g][key] for g, lv in rows if lv == 0)
                if st.get("totals") == "formula" and not self.csv and not delta and not st.get("numtext") and not st.get("uspaces"):
                    sh.put(r, c, "=SUM(" + ",".join(a1(x, c) for x in top_rows) + ")")
                    of.has_formula = True
                else:
                    sh.put(r, c, self.num_cell(tot + delta))
                    if delta:
                        of.findings.append(("total_mismatch", sh.name, a1(r, c)))
                of.totals.append((sh.name, a1(r, c), tot + delta, tot))
            r += 1
        return r

    def breakdown_rows(self, of, sh, r, colpos, cols, g, gv):
        """Variation breakdown_subrows: "Trong đó: Nữ" / "- DTTS" rows under group g; their cells
        in the columns of a metric that has that breakdown hold it, the others stay blank."""
        for bd, text in zip(("female", "ethnic"), self.st["bd_rows"]):
            self.put_text(sh, r, colpos[("lead", "label")], text, "label")
            for key, path in cols:
                if key[0] == "extra" or key[1] != "all" or (key[0], bd) not in gv:
                    continue
                c = colpos[key]
                sh.put(r, c, self.num_cell(gv[(key[0], bd)]))
                of.records.append(dict(group=g, metric=key[0], bd=bd, value=gv[(key[0], bd)], sheet=sh.name, cell=a1(r, c)))
            r += 1
        return r

    def table_b03_transposed(self, of, sh, r, c0, has_stt):
        """Variation b03_transposed: Biểu 03 with the funding sources as rows and the columns
        "Dự toán" / "Thực hiện"."""
        st, fig = self.st, self.sub.fig["B03"]["funding"]
        heads = []
        if has_stt:
            heads.append("STT")
        heads.append(self.pick_fixed("src", B03_PARENT))
        heads += [self.pick(variants) for _, variants in B03_ROWS]
        for i, h in enumerate(heads):
            self.put_text(sh, r, c0 + i, h, "header")
        r += 1
        cn = st.get("colnum", "num")
        if cn != "none":
            for i in range(len(heads)):
                sh.put(r, c0 + i, i + 1 if cn == "num" else self.tx(f"({i + 1})", "title")[0])
            r += 1
        cval = {m: c0 + len(heads) - len(B03_ROWS) + j for j, (m, _) in enumerate(B03_ROWS)}
        srcs = [(s, self.pick(variants)) for s, variants in B03_SOURCES]
        tot = ("total", self.pick(B03_TOTAL))
        order = [tot] + srcs if st.get("col_perm") else srcs + [tot]
        first = r + (1 if st.get("col_perm") else 0)
        for s, label in order:
            if has_stt and s != "total":
                sh.put(r, c0, str([k for k, _ in B03_SOURCES].index(s) + 1))
            self.put_text(sh, r, c0 + (1 if has_stt else 0), label, "label")
            for metric, c in cval.items():
                val = fig[metric][s]
                if s == "total" and st.get("totals") == "formula" and not self.csv and not st.get("numtext") \
                        and not st.get("uspaces"):
                    sh.put(r, c, f"=SUM({a1(first, c)}:{a1(first + 3, c)})")
                    of.has_formula = True
                else:
                    sh.put(r, c, self.num_cell(val))
                of.records.append(dict(group="funding", metric=metric, bd=s, value=val, sheet=sh.name, cell=a1(r, c)))
            r += 1
        return r

    def no_total(self, t):
        sub = self.sub
        if any(k[0] == t for k in sub.plants) or sub.extra_rows.get(t):
            return True
        return False

    # ---- title block and footer ---------------------------------------------------
    def title_block(self, sh, r, c0):
        st, sub = self.st, self.sub
        for line in st.get("extra_title_lines", []):
            self.put_text(sh, r, c0, line, "title")
            r += 1
        if st.get("superior") and self.u and self.u.kind == "agency":
            self.put_text(sh, r, c0, "UBND TỈNH KIÊN GIANG", "title")
            r += 1
        self.put_text(sh, r, c0, st["name1"], "title")
        self.put_text(sh, r, c0 + 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "title")
        box = st.get("header_box")
        if box:                                  # the statistical forms' box, top right
            cb = c0 + 8
            self.put_text(sh, r, cb, "Đơn vị báo cáo:", "title")
            self.put_text(sh, r, cb + 1, st["name2"], "title")
            rr, cc = (r + 1, cb) if box == "below" else (r, cb + 2)
            self.put_text(sh, rr, cc, "Đơn vị nhận báo cáo:", "title")
            self.put_text(sh, rr, cc + 1, RECEIVER, "title")
        r += 1
        self.put_text(sh, r, c0 + 5, "Độc lập - Tự do - Hạnh phúc", "title")
        r += 1
        if not box:
            self.put_text(sh, r, c0, "Đơn vị báo cáo: " + st["name2"], "title")
        r += 2
        title = st.get("title_text", "BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC")
        ty = st.get("title_year")
        if ty is not None and st.get("year_line"):
            self.put_text(sh, r, c0, title, "title")
            r += 1
            self.put_text(sh, r, c0, f"(Năm {ty})", "title")
        else:
            self.put_text(sh, r, c0, title + (f" NĂM {ty}" if ty is not None else ""), "title")
        r += 2
        return r

    def footer(self, sh, r, c0):
        st = self.st
        d = st.get("footer_date")
        place = st.get("place", "Rạch Giá")
        r += 1
        if d:
            self.put_text(sh, r, c0 + 6, f"{place}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}", "title")
        else:
            self.put_text(sh, r, c0 + 6, f"{place}, ngày      tháng      năm", "title")
        r += 1
        self.put_text(sh, r, c0 + 1, "NGƯỜI LẬP BIỂU", "title")
        self.put_text(sh, r, c0 + 6, "THỦ TRƯỞNG ĐƠN VỊ", "title")
        r += 4
        self.put_text(sh, r, c0 + 1, st.get("preparer", "Nguyễn Thị Lan"), "title")
        self.put_text(sh, r, c0 + 6, st.get("head", "Trần Văn Hùng"), "title")
        return r + 1

    # ---- whole files -----------------------------------------------------------------
    def build(self, base_path):
        """Returns [OutFile] with sheets filled."""
        st, sub = self.st, self.sub
        order = st.get("order", sub.tables)
        order = [t for t in order if t in sub.tables]
        c0 = 1 + st.get("col_offset", 0)
        files = []
        if sub.fmt == "csv":
            self.csv = True
            for t in order:
                of = OutFile(base_path.format(t=t, tl=t.lower(), n=t[1:]), "csv")
                if st.get("utf16_table") == t:      # this table saved as Excel's "Unicode text"
                    of.path, of.utf16 = os.path.splitext(of.path)[0] + ".txt", True
                sh = BSheet(os.path.splitext(os.path.basename(of.path))[0])
                r = self.title_block(sh, 1, c0)
                r = self.table(of, sh, t, r, c0)
                self.footer(sh, r, c0)
                of.sheets.append(sh)
                files.append(of)
            return files
        self.csv = False
        of = OutFile(base_path, sub.fmt)
        if st.get("instr"):
            sh = BSheet("Hướng dẫn")
            for i, line in enumerate([
                    "HƯỚNG DẪN GHI BIỂU",
                    "1. Biểu 01: số lượng, chất lượng đội ngũ tính đến ngày 31 tháng 12 của năm báo cáo.",
                    "2. Biểu 02: số người được đào tạo, bồi dưỡng trong năm; mỗi người chỉ tính một lần ở cột Số người.",
                    "3. Biểu 03: kinh phí tính bằng triệu đồng.",
                    "4. Gửi báo cáo về Sở Nội vụ (Phòng Công chức, viên chức) trước ngày 15 tháng 01."]):
                self.put_text(sh, i + 1, 1, line, "title")
            of.sheets.append(sh)
        if st.get("layout") == "one":
            sh = BSheet(st["sheet_names"][0])
            r = self.title_block(sh, 1, c0)
            for t in order:
                r = self.table(of, sh, t, r, c0) + 2
            self.footer(sh, r, c0)
            of.sheets.append(sh)
        else:
            for i, t in enumerate(order):
                sh = BSheet(st["sheet_names"][i])
                r = self.title_block(sh, 1, c0)
                r = self.table(of, sh, t, r, c0)
                self.footer(sh, r, c0)
                of.sheets.append(sh)
        if st.get("hidden"):
            sh = BSheet("DM", hidden=True)
            self.put_text(sh, 1, 1, "Danh mục đối tượng", "title")
            for i, g in enumerate(["cbcc_th", "cbcc_xa", "kct_xa", "vc", "hdnd"]):
                self.put_text(sh, i + 2, 1, GROUP_LABEL[g][0], "label")
            of.sheets.append(sh)
        if st.get("sheet_perm") and len(of.sheets) > 1:
            of.sheets = of.sheets[1:] + of.sheets[:1]
        files.append(of)
        return files


# --------------------------------------------------------------------------------------
# The plan of the inbox: who sends what, how
# --------------------------------------------------------------------------------------
MISSING = {("thanh-tra", 2022), ("h-kien-hai", 2023), ("so-xay-dung", 2025), ("van-phong-ubnd", 2025),
           ("so-ke-hoach-dau-tu", 2025), ("so-thong-tin-truyen-thong", 2025)}
MISSING_FINDING = {("thanh-tra", 2022), ("h-kien-hai", 2023), ("so-xay-dung", 2025), ("van-phong-ubnd", 2025)}
MERGED_REPORTING = ["so-lao-dong-tbxh", "so-nong-nghiep-ptnt", "so-tai-nguyen-moi-truong", "ban-dan-toc",
                    "so-giao-thong-van-tai", "so-ngoai-vu"]
INACTIVE = {("so-dan-toc-ton-giao", 2024): "xlsx", ("so-nong-nghiep-moi-truong", 2024): "csv"}

SHEET_NAMES_3 = [["Biểu 01", "Biểu 02", "Biểu 03"], ["Sheet1", "Sheet2", "Sheet3"], ["Bieu01", "Bieu02", "Bieu03"],
                 ["B.01", "B.02", "B.03"], ["SL-CL", "KQ DTBD", "Kinh phi"], ["Bieu 1", "Bieu 2", "Bieu 3"]]
EXTRA_TITLE = [["Mẫu số 01/ĐTBD"], ["(Kèm theo Công văn số 125/SNV-CCVC của Sở Nội vụ)"],
               ["Mẫu số 01/ĐTBD", "(Kèm theo Công văn số 125/SNV-CCVC của Sở Nội vụ)"], ["PHỤ LỤC"]]
PREPARERS = ["Nguyễn Thị Lan", "Lê Văn Tâm", "Trần Thị Hồng", "Phạm Minh Trí", "Huỳnh Thị Mai", "Danh Sơn"]
HEADS = ["Trần Văn Hùng", "Nguyễn Văn Bảy", "Lâm Thị Thu", "Võ Thanh Phong", "Thạch Ngọc Hải"]


def random_style(rng, unit, year, fmt):
    u = UNITS[unit]
    st = {}
    p = rng.random
    if fmt != "csv" and p() < 0.25:
        st["layout"] = "one"
        st["sheet_names"] = [rng.choice(["Sheet1", f"BC {year}", "Báo cáo", "Tong hop"])]
    else:
        st["layout"] = "sheets"
        st["sheet_names"] = rng.choice(SHEET_NAMES_3)
    if p() < 0.2:
        o = ["B01", "B02", "B03"]
        rng.shuffle(o)
        st["order"] = o
    if fmt != "csv":
        st["instr"] = p() < 0.15
        st["hidden"] = p() < 0.15
        st["sheet_perm"] = st["instr"] and p() < 0.4
    if p() < 0.3:
        st["extra_title_lines"] = rng.choice(EXTRA_TITLE)
    st["superior"] = u.kind == "agency" and p() < 0.3
    st["abbrev"] = p() < 0.35
    x = p()
    st["case"] = "upper" if x < 0.1 else "lower" if x < 0.18 else None
    st["breaks"] = p() < 0.2
    st["spaces"] = p() < 0.1
    st["nfd"] = p() < 0.08
    st["col_perm"] = p() < 0.2
    if p() < 0.15:
        if u.kind == "agency":
            st["drop"] = rng.choice([["headcount.ethnic"], ["term_trained"], ["mgmt_before_appt"],
                                     ["kinh_in_ethnic_area", "ethnic_lang_ok"], ["ed_phd", "abroad", "intl"]])
        else:
            st["drop"] = rng.choice([["headcount.ethnic"], ["kinh_in_ethnic_area", "ethnic_lang_ok"],
                                     ["qual_college", "qual_vocational", "qual_none"], ["ed_phd", "abroad", "intl", "ethnic_lang"]])
    st["no_subs"] = p() < 0.4
    st["subs_female_only"] = not st["no_subs"] and p() < 0.25
    x = p()
    st["numbering"] = "roman" if x < 0.55 else "arabic" if x < 0.75 else "letters" if x < 0.85 else "none"
    if u.kind == "district":
        x = p()
        st["split"] = {"cbcc_th": None if x < 0.7 else "with_total" if x < 0.9 else "parts_only"}
        x = p()
        st["split"]["cbcc_xa"] = "with_total" if x < 0.6 else "parts_only" if x < 0.8 else "total_only"
        x = p()
        st["split"]["hdnd"] = None if x < 0.6 else "with_total" if x < 0.85 else "parts_only"
    st["numtext"] = p() < 0.15
    x = p()
    st["zeros"] = "num" if x < 0.5 else "dash" if x < 0.8 else "blank"
    x = p()
    st["totals"] = ("formula" if x < 0.35 else "value" if x < 0.8 else "none") if fmt != "csv" else ("value" if x < 0.7 else "none")
    x = p()
    st["year_in"] = "title" if x < 0.76 else "filename" if x < 0.88 else "folder"
    st["year_line"] = p() < 0.2
    x = p()
    st["colnum"] = "num" if x < 0.6 else "paren" if x < 0.8 else "none"
    st["col_offset"] = 1 if p() < 0.15 else 0
    st["name1"] = rng.choice(u.names)
    st["name2"] = rng.choice(u.names + [u.name])
    st["place"] = u.place
    st["preparer"] = rng.choice(PREPARERS)
    st["head"] = rng.choice(HEADS)
    if fmt == "csv":
        st["csv_delim"] = ";" if p() < 0.35 else ","
        st["csv_bom"] = p() < 0.5
        st["csv_vn"] = st["csv_delim"] == ";" and p() < 0.6
    return st


def report_date(rng, unit, year):
    u = UNITS[unit]
    if year == 2025:
        if unit in SUCCESSOR:
            return datetime(2025, 2, rng.randint(20, 27))
        if u.kind == "district":
            return datetime(2025, 6, rng.randint(16, 27))
        return datetime(2025, 12, rng.randint(8, 20))
    d = datetime(year + 1, 1, 5) + timedelta(days=rng.randint(0, 45))
    return d


SLUG_FORMS = ["{code}", "bao-cao-dtbd-{short}", "BC DTBD - {short}", "{short}_dtbd"]


def short_name(code):
    return code.replace("h-", "", 1) if code.startswith("h-") else code


def make_path(rng, sub, year_in, ext):
    """File path (relative to inbox) with '{tl}' kept for CSV tables."""
    code, y = sub.unit, sub.year
    u = UNITS[code]
    slug = rng.choice(SLUG_FORMS).format(code=code, short=short_name(code))
    tpart = "-{tl}" if ext == "csv" else ""
    if year_in == "filename":
        return f"nhan-qua-email/{slug}-{y}{tpart}.{ext}"
    sub_folder = ""
    if rng.random() < 0.25:
        sub_folder = ("huyen/" if u.kind == "district" else "so-nganh/") if u.kind != "provider" else ""
    with_year = year_in == "title" and rng.random() < 0.4
    return f"{y}/{sub_folder}{slug}{'-' + str(y) if with_year else ''}{tpart}.{ext}"


def choose_format(rng):
    x = rng.random()
    return "csv" if x < 0.15 else "xls" if x < 0.53 else "xlsx"


def style_tokens(sub, of):
    st, t = sub.style, []
    t.append(f"format={of.fmt}")
    if of.rename_to:
        t.append("xls_named_xlsx")
    if of.lo == "xlsx":
        t.append("libreoffice_xlsx")
    if of.fmt != "csv":
        t.append("one_sheet" if st.get("layout") == "one" else f"{len(sub.tables)}_sheets")
        t.append("sheet_names=" + "|".join(s.name for s in of.sheets))
    if st.get("order") and st["order"] != ["B01", "B02", "B03"]:
        t.append("tables_reordered")
    for k, name in (("instr", "instruction_sheet"), ("hidden", "hidden_sheet"), ("sheet_perm", "instruction_sheet_last"),
                    ("superior", "superior_line"), ("abbrev", "headers_reworded"), ("breaks", "header_line_breaks"),
                    ("spaces", "extra_spaces"), ("nfd", "nfd"), ("col_perm", "columns_reordered"),
                    ("no_subs", "no_breakdown_subcolumns"), ("subs_female_only", "no_dtts_subcolumns"), ("numtext", "numbers_as_text"), ("ghi_chu", "extra_column_ghi_chu"),
                    ("ty_le", "extra_column_ty_le"), ("year_line", "year_on_own_line"), ("csv_bom", "bom"),
                    ("csv_vn", "vn_separators")):
        if st.get(k):
            t.append(name)
    if st.get("extra_title_lines"):
        t.append(f"extra_title_rows={len(st['extra_title_lines'])}")
    if st.get("case"):
        t.append(f"headers_{st['case']}case")
    if st.get("legacy"):
        t.append("legacy_" + st["legacy"])
    if st.get("drop"):
        t.append("missing_columns=" + "|".join(st["drop"]))
    if sub.unit in UNITS and UNITS[sub.unit].kind != "provider" and "B01" in sub.tables:
        t.append("numbering=" + st.get("numbering", "roman"))
    for g, v in (st.get("split") or {}).items():
        if v:
            t.append(f"split_{g}={v}")
    if st.get("skip_groups"):
        for tb, gs in st["skip_groups"].items():
            t.append(f"group_missing={tb}:{'|'.join(gs)}")
    t.append("zeros=" + st.get("zeros", "num"))
    tv = st.get("totals", "value")
    if tv == "formula" and not of.has_formula:
        tv = "value"
    if of.fmt != "csv" and of.totals == [] and "B03" not in of.table_sheet or tv == "none":
        tv = "none" if not of.totals else tv
    t.append("totals=" + tv)
    t.append("year_in=" + st.get("year_in", "title"))
    t.append("colnum=" + st.get("colnum", "num"))
    if st.get("col_offset"):
        t.append("table_starts_column_B")
    if getattr(of, "utf16", False):
        t = [x for x in t if x != "bom"] + ["unicode_text", "delimiter=tab"]
    elif st.get("csv_delim"):
        t.append("delimiter=" + ("semicolon" if st["csv_delim"] == ";" else "comma"))
    t.append("unit_name=" + st.get("name1", ""))
    if st.get("name2") and st.get("name2") != st.get("name1"):
        t.append("unit_name2=" + st["name2"])
    t.append("footer_date=" + (st["footer_date"].strftime("%Y-%m-%d") if st.get("footer_date") else "none"))
    # the variations added later (DESIGN §4.1–§4.2), each on a few files
    if st.get("bd_rows") and ({"B01", "B02"} & set(of.table_sheet)):
        t.append("breakdown_subrows=" + "|".join(st["bd_rows"]))
    if st.get("header_box"):
        t.append("header_box=" + st["header_box"])
    if st.get("b03_t") and "B03" in of.table_sheet:
        t.append("b03_transposed")
    for key, (rule, raw) in sorted(sub.plants.items()):
        if isinstance(raw, XlError) and key[0] in of.table_sheet:
            t.append(f"error_cell={raw}")
    if st.get("uspaces"):
        t.append("unicode_spaces")
    if st.get("label_notes") and ({"B01", "B02"} & set(of.table_sheet)):
        t.append("label_notes")
    if st.get("fname"):
        t.append("file_name=" + st["fname"])
    if "!/" in of.path:
        t.append("in_zip")
    t += sub.vars
    return t


def write_xlsx(of, path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sh in of.sheets:
        ws = wb.create_sheet(sh.name)
        if sh.hidden:
            ws.sheet_state = "hidden"
        for (r, c), v in sh.cells.items():
            cell = ws.cell(row=r, column=c, value=v)
            if isinstance(v, XlError):
                cell.data_type = "e"
            f = sh.fonts.get((r, c))
            if f:
                cell.font = Font(name=f)
            if isinstance(v, str) and "\n" in v:
                cell.alignment = Alignment(wrap_text=True)
        for r1, c1, r2, c2 in sh.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        ws.column_dimensions["B"].width = 36
    wb.save(path)


def write_csv(of, path, st):
    sh = of.sheets[0]
    maxr = max(r for r, _ in sh.cells)
    maxc = max(c for _, c in sh.cells)
    buf = io.StringIO()
    utf16 = getattr(of, "utf16", False)
    w = csv.writer(buf, delimiter="\t" if utf16 else st.get("csv_delim", ","), lineterminator="\r\n")
    for r in range(1, maxr + 1):
        w.writerow(["" if sh.cells.get((r, c)) is None else str(sh.cells[(r, c)]) for c in range(1, maxc + 1)])
    if utf16:       # Excel's "Unicode text": UTF-16LE with a BOM, tab-delimited, CRLF
        data = b"\xff\xfe" + buf.getvalue().encode("utf-16-le")
    else:
        data = buf.getvalue().encode("utf-8")
    if st.get("csv_bom") and not utf16:
        data = b"\xef\xbb\xbf" + data
    with open(path, "wb") as f:
        f.write(data)


def soffice(target, files, outdir):
    if not files:
        return
    os.makedirs(outdir, exist_ok=True)
    prof = tempfile.mkdtemp(prefix="lo-profile-")
    cmd = ["soffice", f"-env:UserInstallation=file://{prof}", "--headless", "--convert-to", target,
           "--outdir", outdir] + files
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(prof, ignore_errors=True)


# --------------------------------------------------------------------------------------
# Attainment (DESIGN §5.1), computed from the truth records
# --------------------------------------------------------------------------------------
INDICATORS = [
    ("T01", "cbcc_th", ["tr_law"], "headcount", "annual", Fraction(8, 10), None),
    ("T02", "cbcc_th", ["tr_ethics"], "headcount", "annual", Fraction(8, 10), None),
    ("T03", "cbcc_th", ["tr_skills"], "headcount", "annual", Fraction(7, 10), None),
    ("T04", "cbcc_xa", ["qual_postgrad", "qual_univ"], "headcount", "by", Fraction(1), 2025),
    ("T05", "cc_xa", ["qual_fit"], "headcount", "by", Fraction(9, 10), 2025),
    ("T06", "cbcc_xa", ["tr_skills"], "headcount", "annual", Fraction(6, 10), None),
    ("T07", "cbcc_xa", ["ethnic_lang_ok"], "kinh_in_ethnic_area", "by", Fraction(1), 2025),
    ("T08", "kct_xa", ["trained_2y"], "headcount", "rolling", Fraction(1), None),
    ("T09", "vc", ["title_std_cum"], "headcount", "by", Fraction(1), 2025),
    ("T10", "vc_ql", ["mgmt_before_appt"], "headcount", "by", Fraction(1), 2025),
    ("T11", "vc", ["tr_ethics"], "headcount", "annual", Fraction(6, 10), None),
    ("T12", "vc", ["tr_skills"], "headcount", "annual", Fraction(6, 10), None),
    ("T13", "hdnd", ["term_trained"], "headcount", "by", Fraction(1), 2026),
]
B01_SET = {m for m, _, _, _ in B01_COLS}


def group_value(data, present, g, metric):
    """Own row, else the sum of the parts present (all of them must have the cell)."""
    t = "B01" if metric in B01_SET else "B02"
    if (t, g) in present:
        return data.get((t, g, metric))
    parts = [p for p in PARTS.get(g, []) if (t, p) in present]
    if not parts:
        return None
    vals = [data.get((t, p, metric)) for p in parts]
    if any(v is None for v in vals):
        return None
    return sum(vals)


def fmt_ratio(fr):
    r = round(fr, 6)
    s = f"{float(r):.6f}".rstrip("0").rstrip(".")
    return s if s else "0"


def compute_attainment(counted, active_units):
    """counted: {(unit, year): (data, present)}; active_units: {year: [unit codes]} (agency, district)."""
    rows = []
    ties = []
    for ind, g, nums, den_m, kind, target, deadline in INDICATORS:
        years = [y for y in YEARS if not (kind == "rolling" and y < 2022)]
        per = {}
        for (unit, y), (data, present) in counted.items():
            if y not in years or UNITS[unit].kind == "provider":
                continue
            nv = [group_value(data, present, g, m) for m in nums]
            dv = group_value(data, present, g, den_m)
            if dv is None or any(v is None for v in nv):
                continue
            per[(unit, y)] = (sum(nv), dv)
        scopes = [("province", "", lambda u: True), ("kind", "agency", lambda u: UNITS[u].kind == "agency"),
                  ("kind", "district", lambda u: UNITS[u].kind == "district")]
        allunits = sorted({u for ul in active_units.values() for u in ul})
        for u in allunits:
            scopes.append(("unit", u, (lambda uu: (lambda x: x == uu))(u)))
        for scope, sname, pred in scopes:
            series = {}
            for y in years:
                items = [v for (u, yy), v in per.items() if yy == y and pred(u)]
                if items:
                    series[y] = (sum(n for n, _ in items), sum(d for _, d in items))
            y0 = next((y for y in years if y in series and series[y][1] > 0), None)
            for y in years:
                if scope == "unit" and sname not in active_units[y]:
                    continue
                if y not in series:
                    rows.append((ind, y, scope, sname, "", "", "", target, "no_data"))
                    continue
                n, d = series[y]
                if d == 0:
                    rows.append((ind, y, scope, sname, n, d, "", target, "no_data"))
                    continue
                ratio = Fraction(n, d)
                if kind in ("annual", "rolling") or y == deadline:
                    status = "met" if n >= target * d else "not_met"
                    if n == target * d and target != 1:
                        ties.append((ind, y, scope, sname, "target"))
                else:
                    r0 = Fraction(series[y0][0], series[y0][1])
                    line = r0 + (target - r0) * Fraction(y - y0, deadline - y0)
                    status = "on_track" if ratio >= line else "behind"
                    if ratio == line and y != y0 and ratio != 1:
                        ties.append((ind, y, scope, sname, "line"))
                rows.append((ind, y, scope, sname, n, d, fmt_ratio(ratio), target, status))
    return rows, ties


def fmt_target(t):
    return fmt_num(t)


# --------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------
def epoch(d):
    return int(d.replace(tzinfo=timezone.utc).timestamp())


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    inbox = os.path.join(outdir, "inbox")
    truth = os.path.join(outdir, "truth")
    for d in (inbox, truth):
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)
    rng = random.Random(SEED)
    model = Model(rng)
    fig = model.fig

    # ---- planted value changes that stay in the records (warnings) ----
    f = fig[("so-y-te", 2024)]["B01"]["vc"]
    prev = fig[("so-y-te", 2023)]["B01"]["vc"][("title_std_cum", "all")]
    f[("title_std_cum", "all")] = max(fig[("so-y-te", 2024)]["B01"]["vc_ql"][("title_std_cum", "all")], round(prev * 0.86))
    f = fig[("h-chau-thanh", 2023)]["B01"]["hdnd"]
    prev = fig[("h-chau-thanh", 2022)]["B01"]["hdnd"][("term_trained", "all")]
    f[("term_trained", "all")] = round(prev * 0.8)

    # ---- submissions ----
    subs = []
    forced = {}

    def force(unit, year, **kw):
        forced.setdefault((unit, year), {}).update(kw)

    # legacy encodings
    force("h-giong-rieng", 2021, fmt="xlsx", style={"legacy": "tcvn3"})
    force("h-an-minh", 2022, fmt="xls", style={"legacy": "tcvn3"})
    force("so-tai-chinh", 2021, fmt="xlsx", style={"legacy": "vni"})
    force("ban-ql-khu-kinh-te", 2022, fmt="xls", style={"legacy": "vni"})
    force("h-kien-luong", 2023, fmt="csv", style={"legacy": "tcvn3"})
    # year conflicts (title wins)
    force("so-y-te", 2023, fmt="xlsx", path="2023/bc-so-y-te-2022.xlsx", style={"year_in": "title"}, file_findings=["year_conflict"])
    force("h-go-quao", 2024, fmt="xls", path="2023/go-quao.xls", style={"year_in": "title"}, file_findings=["year_conflict"])
    # year only in the file name / the folder (besides the random ones)
    force("so-noi-vu", 2022, style={"year_in": "filename"})
    force("h-an-bien", 2024, fmt="xls", style={"year_in": "filename"})
    force("so-du-lich", 2021, fmt="xlsx", style={"year_in": "folder"})
    force("h-vinh-thuan", 2021, fmt="csv", style={"year_in": "folder"})
    # unit spellings
    force("so-lao-dong-tbxh", 2023, style={"name1": "Sở LĐ-TB&XH", "name2": "Sở LĐ-TB&XH"})
    force("h-giong-rieng", 2022, style={"name1": "Phòng Nội vụ huyện Giồng Riềng", "name2": "H. Giồng Riềng"})
    force("so-y-te", 2022, style={"name1": "Sở Y tế tỉnh Kiên Giang", "name2": "Sở Y tế tỉnh Kiên Giang"})
    force("tp-phu-quoc", 2021, style={"name1": "UBND huyện Phú Quốc", "name2": "UBND huyện Phú Quốc"})
    # xls renamed .xlsx
    force("so-cong-thuong", 2024, fmt="xls_as_xlsx")
    force("h-an-bien", 2022, fmt="xls_as_xlsx")
    # rejected cells (no "Tổng cộng" row in those tables)
    force("so-tu-phap", 2022, plants={("B02", "cbcc_th", "tr_law", "all"): ("not_a_number", "x")})
    force("h-an-bien", 2021, plants={("B01", "kct_xa", "qual_fit", "all"): ("not_a_number", "chưa thống kê")})
    force("h-tan-hiep", 2024, fmt="csv", plants={("B02", "vc", "tr_ethics", "all"): ("not_a_number", "40 người")})
    force("so-cong-thuong", 2023, plants={("B01", "cbcc_th", "headcount", "ethnic"): ("negative_count", -2)})
    force("h-hon-dat", 2022, style={"split": {"cbcc_xa": "total_only"}},
          plants={("B02", "cbcc_xa", "it", "all"): ("negative_count", -5)})
    force("so-xay-dung", 2021, plants={("B01", "vc", "headcount", "female"): ("fractional_count", 12.5)})
    force("h-u-minh-thuong", 2023, style={"split": {"cbcc_th": None}},
          plants={("B02", "cbcc_th", "tr_law", "all"): ("fractional_count", "FRAC")})
    force("so-ngoai-vu", 2023, plants={("B01", "cbcc_th", "headcount", "female"): ("part_over_whole", "H+7")})
    force("h-giong-rieng", 2024, style={"split": {"cbcc_th": None}},
          plants={("B02", "cbcc_th", "tr_ethics", "all"): ("part_over_whole", "H+12")})
    force("tp-rach-gia", 2022, plants={("B01", "kct_xa", "ethnic_lang_ok", "all"): ("part_over_whole", "K+5")})
    force("h-an-minh", 2024, style={"split": {"cbcc_xa": "with_total"}},
          plants={("B01", "cbcc_xa", "headcount", "female"): ("parts_sum_mismatch", "S+9")})
    force("h-chau-thanh", 2021, style={"split": {"cbcc_xa": "with_total"}},
          plants={("B02", "cbcc_xa", "llct_basic", "all"): ("parts_sum_mismatch", "S+4")})
    force("so-van-hoa-the-thao", 2022, fmt="xlsx", style={"totals": "value"}, total_plants={("B01", "headcount", "all"): 10})
    force("tp-phu-quoc", 2023, fmt="csv", style={"totals": "value"}, total_plants={("B02", "tr_law", "all"): 25})
    # warnings on kept cells
    force("so-y-te", 2024, cell_findings={("B01", "vc", "title_std_cum", "all"): "cumulative_decrease"})
    force("h-chau-thanh", 2023, style={"split": {"hdnd": None}},
          cell_findings={("B01", "hdnd", "term_trained", "all"): "cumulative_decrease"})
    force("so-giao-duc-dao-tao", 2023, cell_findings={("B01", "vc", "headcount", "all"): "headcount_jump"})
    force("tp-ha-tien", 2024, cell_findings={("B01", "kct_xa", "headcount", "all"): "headcount_jump"})
    force("h-giang-thanh", 2022, style={"skip_groups": {"B01": ["kct_xa"]}}, table_findings=[("B01", "group_missing")])
    force("so-du-lich", 2023, style={"skip_groups": {"B02": ["vc"]}}, table_findings=[("B02", "group_missing")])
    force("h-vinh-thuan", 2022, extra_rows={"B01": [("Lao động hợp đồng theo Nghị định 68", {("headcount", "all"): 25, ("headcount", "female"): 9})]})
    force("so-giao-duc-dao-tao", 2024, extra_rows={"B02": [("Giáo viên hợp đồng", {("tr_law", "all"): 40, ("persons", "all"): 40})]})
    force("so-khoa-hoc-cong-nghe", 2022, style={"ghi_chu": True})
    force("h-tan-hiep", 2021, style={"ghi_chu": True})
    force("so-noi-vu", 2023, style={"ty_le": True})
    force("h-kien-hai", 2022, fmt="csv", style={"ty_le": True})
    # the layout variations, on several units each, besides the random ones
    for u, y in (("so-tu-phap", 2021), ("h-tan-hiep", 2023), ("so-y-te", 2021)):
        force(u, y, style={"instr": True, "hidden": True})
    for u, y in (("so-du-lich", 2024), ("h-kien-luong", 2021)):
        force(u, y, fmt="xlsx", style={"nfd": True})
    for u, y in (("thanh-tra", 2023), ("h-go-quao", 2021), ("so-tai-chinh", 2023)):
        force(u, y, style={"layout": "one", "sheet_names": [f"BC {y}"]})
    for u, y in (("cong-an", 2022), ("h-chau-thanh", 2024), ("so-xay-dung", 2023)):
        force(u, y, style={"totals": "formula"}, fmt="xlsx")

    # resubmissions: (unit, year) -> how
    resub = {("h-an-bien", 2023): "footer", ("so-cong-thuong", 2022): "csv_b02", ("so-tu-phap", 2024): "mtime"}
    force("h-an-bien", 2023, fmt="xlsx")
    force("so-cong-thuong", 2022, fmt="csv")
    force("so-tu-phap", 2024, fmt="xlsx")

    plan = []
    for code, u in UNITS.items():
        for y in YEARS:
            if (code, y) in INACTIVE:
                plan.append((code, y, ["B03"], INACTIVE[(code, y)]))
                continue
            if not u.active(y) or (code, y) in MISSING:
                continue
            if y == 2025 and code in SUCCESSOR and code not in MERGED_REPORTING:
                continue
            if u.kind == "provider":
                continue
            tables = ["B01", "B02", "B03"]
            plan.append((code, y, tables, None))

    successors_2025 = {s for s in set(SUCCESSOR.values())}
    reported_2025 = {c for c, y, _, _ in plan if y == 2025}
    zips = later_variations(plan, forced, force)

    def new_sub(code, y, tables, fmt, srng, figv=None):
        fo = forced.get((code, y), {})
        fmt = fo.get("fmt", fmt)
        st = random_style(srng, code, y, "csv" if fmt == "csv" else "xlsx")
        for k, v in fo.get("style", {}).items():
            if k == "split":
                st.setdefault("split", {}).update(v)
            else:
                st[k] = v
        if st.get("legacy"):
            st["nfd"] = False
        sub = Sub(code, y, tables, fmt, st, figv if figv is not None else fig[(code, y)])
        sub.plants = {}
        for key, (rule, raw) in fo.get("plants", {}).items():
            t, g, m, b = key
            whole = sub.fig[t][g]
            if raw == "FRAC":
                raw = whole[(m, b)] + 0.5
            elif isinstance(raw, str) and raw.startswith("H+"):
                raw = sub.fig["B01"][g][("headcount", "all")] + int(raw[2:])
            elif isinstance(raw, str) and raw.startswith("K+"):
                raw = sub.fig["B01"][g][("kinh_in_ethnic_area", "all")] + int(raw[2:])
            elif isinstance(raw, str) and raw.startswith("S+"):
                raw = sum(sub.fig[t][p][(m, b)] for p in PARTS[g]) + int(raw[2:])
            sub.plants[key] = (rule, raw)
        sub.total_plants = dict(fo.get("total_plants", {}))
        sub.cell_findings = dict(fo.get("cell_findings", {}))
        sub.extra_rows = dict(fo.get("extra_rows", {}))
        sub.file_findings = list(fo.get("file_findings", []))
        sub.table_findings = list(fo.get("table_findings", []))
        sub.path = fo.get("path")
        if st.get("legacy"):
            sub.file_findings.append("legacy_encoding_repaired")
        if (code, y) in INACTIVE:
            sub.file_findings.append("unit_inactive")
        if y == 2025 and code in SUCCESSOR and SUCCESSOR[code] in reported_2025:
            sub.file_findings.append("merged_unit_report")
            sub.counted = False
        st["footer_date"] = report_date(srng, code, y)
        st["title_year"] = y if st.get("year_in", "title") == "title" else None
        return sub

    for code, y, tables, fmt in plan:
        srng = random.Random(f"{SEED}/{code}/{y}")
        if fmt is None:
            fmt = choose_format(srng)
        sub = new_sub(code, y, tables, fmt, srng)
        how = resub.get((code, y))
        if how:
            # the older version: same unit, year, tables; a few figures corrected later
            old_fig = {t: {g: dict(v) for g, v in fig[(code, y)][t].items()} for t in ("B01", "B02")}
            old_fig["B03"] = fig[(code, y)]["B03"]
            for g, v in old_fig["B02"].items():
                for (m, b), x in list(v.items()):
                    if m == "tr_skills":
                        v[(m, b)] = x - x // 10
            orng = random.Random(f"{SEED}/{code}/{y}/old")
            old = new_sub(code, y, ["B02"] if how == "csv_b02" else tables, sub.fmt, orng, old_fig)
            old.style = dict(sub.style)
            old.style["_fixed"] = {}
            old.superseded = True
            old.resub = how
            sub.resub = how
            if how == "footer":
                old.style["footer_date"] = datetime(2024, 1, 10)
                sub.style["footer_date"] = datetime(2024, 1, 25)
                old.path, sub.path = "2023/an-bien.xlsx", "2023/an-bien-bo-sung.xlsx"
                old.mtime, sub.mtime = datetime(2024, 1, 26, 9, 0), datetime(2024, 1, 25, 16, 30)
            elif how == "csv_b02":
                old.style["footer_date"] = datetime(2023, 1, 12)
                sub.style["footer_date"] = datetime(2023, 2, 3)
                sub.style["year_in"] = old.style["year_in"] = "title"
                sub.style["title_year"] = old.style["title_year"] = y
                old.path = "2022/so-cong-thuong-2022-bieu02.csv"
                sub.path = "2022/so-cong-thuong-2022-{tl}-sua.csv"
                old.mtime, sub.mtime = datetime(2023, 2, 3, 10, 0), datetime(2023, 2, 3, 15, 0)
            else:
                old.style["footer_date"] = datetime(2025, 1, 20)
                sub.style["footer_date"] = None
                old.path, sub.path = "2024/so-tu-phap.xlsx", "2024/so-tu-phap-gui-lai.xlsx"
                old.mtime, sub.mtime = datetime(2025, 1, 20, 10, 0), datetime(2025, 2, 2, 8, 15)
            subs.append(old)
        subs.append(sub)

    # ---- build files ----
    files = []
    used = set()

    def build(sub, path):
        return build_files(sub, path, files, used)

    for sub in subs:
        if sub.fmt == "csv":
            path = sub.path or make_path(random.Random(f"{SEED}/{sub.unit}/{sub.year}/path"), sub, sub.style.get("year_in", "title"), "csv")
        else:
            ext = "xlsx" if sub.fmt in ("xlsx", "xls_as_xlsx") else "xls"
            path = sub.path or make_path(random.Random(f"{SEED}/{sub.unit}/{sub.year}/path"), sub, sub.style.get("year_in", "title"), ext)
            path = rename(path, sub.style.get("fname"))
            if (sub.unit, sub.year) in zips:           # a member of a .zip attachment
                path = f"{zips[(sub.unit, sub.year)]}!/{os.path.basename(path)}"
        ofs = build(sub, path)
        for of in ofs:
            if sub.fmt == "xls":
                of.lo = "xls"
            elif sub.fmt == "xls_as_xlsx":
                of.lo, of.rename_to, of.fmt = "xls", of.path, "xls"
            elif of.has_formula:
                of.lo = "xlsx"
    finish(model, subs, files, inbox, truth, build, new_sub)


def build_files(sub, path, files, used):
    """Lays a submission out into its files (one workbook, or one CSV per table), appends
    them to files with their file-level findings, status and mtime."""
    b = Builder(sub, random.Random(f"{SEED}/{sub.unit}/{sub.year}/build/{path}"))
    ofs = b.build(path)
    for of in ofs:
        assert of.path not in used, of.path
        used.add(of.path)
        of.sub = sub
        of.unit, of.year = sub.unit, sub.year
        ff = list(sub.file_findings)
        for rule in ff:
            of.findings.append((rule, "", ""))
        for t, rule in sub.table_findings:
            shn = of.table_sheet.get(t)          # the sheet that holds table t
            if shn:
                of.findings.append((rule, shn, ""))
        d = sub.style.get("footer_date")
        of.footer_date = d
        of.mtime = getattr(sub, "mtime", None) or (d or datetime(sub.year + 1, 2, 1)) + timedelta(hours=8, minutes=len(files) % 600)
        if getattr(sub, "superseded", False):
            of.status = "superseded"
            of.findings.append(("duplicate_submission", "", ""))
        elif "merged_unit_report" in sub.file_findings:
            # covered by the successor's report: superseded, data in no output
            of.status = "superseded"
        files.append(of)
    return ofs


# --------------------------------------------------------------------------------------
# The variations added later (DESIGN §4.1–§4.2): each on a few submissions drawn from its
# own rng stream among those no planted finding or forced variation touches, one new
# variation per submission, so that no earlier choice (draws, files, truth) moves.
# --------------------------------------------------------------------------------------
def later_variations(plan, forced, force):
    """Forces the new variations' styles; returns {(unit, year): zip path} for the members
    of the .zip attachment."""
    natural = {(c, y): choose_format(random.Random(f"{SEED}/{c}/{y}")) for c, y, _, fmt in plan if fmt is None}
    pool = sorted(k for k in natural if k not in forced and UNITS[k[0]].kind in ("agency", "district")
                  and not (k[1] == 2025 and k[0] in SUCCESSOR))
    taken = set()

    def draw(name, wants):
        """wants: [(natural format, kind or None, year or None)] → one (unit, year) each."""
        vr = random.Random(f"{SEED}/v2/{name}")
        out = []
        for fmt, kind, year in wants:
            cands = [k for k in pool if k not in taken and natural[k] == fmt
                     and (kind is None or UNITS[k[0]].kind == kind) and (year is None or k[1] == year)
                     and not (name == "header_box" and k[0] == "so-noi-vu")]
            k = vr.choice(cands)
            taken.add(k)
            out.append(k)
        return out

    # 1. Nữ / DTTS as sub-rows under each top group row
    for i, (u, y) in enumerate(draw("bd_rows", [("xlsx", "district", None), ("xls", "agency", None),
                                                ("csv", "district", None), ("xlsx", "agency", None)])):
        force(u, y, style={"bd_rows": BD_ROWS[i % len(BD_ROWS)], "subs_female_only": False})
    # 2. the statistical header box, top right
    for (u, y), how in zip(draw("header_box", [("xlsx", "agency", None), ("xls", "district", None),
                                               ("xlsx", "district", None)]), ["below", "beside", "below"]):
        force(u, y, style={"header_box": how})
    # 3. Biểu 03 transposed
    for u, y in draw("b03_t", [("xlsx", None, None), ("xls", None, None), ("csv", None, None)]):
        force(u, y, style={"b03_t": True})
    # 4. error cells (in columns no indicator and no provider figure uses)
    errs = [("#REF!", ("B02", "vc", "it", "all")), ("#DIV/0!", ("B01", "vc", "qual_univ", "all")),
            ("#VALUE!", ("B02", "vc", "qpan", "all"))]
    for (u, y), (code, key), extra in zip(draw("error_cells", [("xlsx", None, None), ("xls", None, None),
                                                               ("xlsx", None, None)]), errs,
                                          [{}, {}, {"style": {"totals": "formula", "numtext": False}}]):
        force(u, y, plants={key: ("not_a_number", XlError(code))}, **extra)
    # 5. Unicode spaces and format characters (districts: numbers ≥ 1000)
    for u, y in draw("uspaces", [("xlsx", "district", None), ("xls", "district", None), ("csv", "district", None)]):
        force(u, y, style={"uspaces": True})
    # 6. group labels with an appended note
    for u, y in draw("label_notes", [("xlsx", "district", None), ("xls", "agency", None), ("csv", "district", None)]):
        force(u, y, style={"label_notes": True})
    # 7. file names
    for (u, y), how in zip(draw("fname", [("xlsx", None, None), ("xlsx", None, None), ("xlsx", None, None),
                                          ("xls", None, None)]), ["xlsm", "upper_ext", "double_ext", "no_ext"]):
        force(u, y, style={"fname": how})
    # 8. a .zip attachment with two districts' workbooks of one year (the year in the title),
    #    and one table of a CSV submission saved as Excel's "Unicode text"
    (u1, y1), = draw("zip", [("xlsx", "district", None)])
    (u2, y2), = draw("zip", [("xls", "district", y1)])
    zpath = f"{y1}/bao-cao-cac-huyen-{y1}.zip"
    for u, y in ((u1, y1), (u2, y2)):
        force(u, y, style={"year_in": "title"})
    (u, y), = draw("utf16", [("csv", None, None)])
    force(u, y, style={"utf16_table": "B01"})
    return {(u1, y1): zpath, (u2, y2): zpath}


def rename(path, how):
    """Variation file_name: .xlsm, upper-case .XLSX, "x.xlsx.xlsx", no extension."""
    if how == "xlsm":
        return path[:-len(".xlsx")] + ".xlsm"
    if how == "upper_ext":
        return path[:-len(".xlsx")] + ".XLSX"
    if how == "double_ext":
        return path + ".xlsx"
    if how == "no_ext":
        return path[:-len(".xls")]
    return path


def counted_data(files):
    """{(unit, year): (data, present)} of the accepted, counted submissions (not providers)."""
    out = {}
    for of in files:
        if of.status != "accepted" or not of.sub.counted or UNITS[of.unit].kind == "provider":
            continue
        data, present = out.setdefault((of.unit, of.year), ({}, set()))
        present |= of.rows_present
        for r in of.records:
            if r["bd"] == "all" and r["group"] != "funding":
                t = "B01" if r["metric"] in B01_SET else "B02"
                data[(t, r["group"], r["metric"])] = r["value"]
    return out


def provider_reports(fig, subs, files, build, new_sub, gaps, choose=None):
    """The provider's Biểu 02 for every year: what it trained, by group, = the sum the counted
    units report (group = own row or sum of parts), except the planted gaps
    {(year, group, metric): factor}."""
    counted = counted_data(files)
    for y in YEARS:
        pf = {"B02": {}}
        cf = {}
        for g in ("cbcc_th", "cbcc_xa", "vc"):
            pf["B02"][g] = {}
            for m in ("llct_mid", "qlnn_cvc", "qlnn_cv"):
                tot = 0
                for (u, yy), (data, present) in counted.items():
                    if yy == y:
                        v = group_value(data, present, g, m)
                        tot += v or 0
                if (y, g, m) in gaps:
                    tot = round(tot * gaps[(y, g, m)])
                    cf[("B02", g, m, "all")] = "provider_gap"
                pf["B02"][g][(m, "all")] = tot
        fig[("truong-chinh-tri", y)] = pf
        srng = random.Random(f"{SEED}/truong-chinh-tri/{y}")
        sub = new_sub("truong-chinh-tri", y, ["B02"], (choose or choose_format)(srng), srng)
        sub.cell_findings = cf
        subs.append(sub)
        path = make_path(random.Random(f"{SEED}/tct/{y}/path"), sub, sub.style.get("year_in", "title"),
                         "csv" if sub.fmt == "csv" else "xlsx" if sub.fmt == "xlsx" else "xls")
        for of in build(sub, path):
            if sub.fmt == "xls":
                of.lo = "xls"
            elif of.has_formula:
                of.lo = "xlsx"


def finish(model, subs, files, inbox, truth, build, new_sub):
    fig = model.fig
    # ---- the provider: what it trained, by group = the sum the counted units report ----
    provider_reports(fig, subs, files, build, new_sub,
                     {(2022, "cbcc_th", "llct_mid"): Fraction(8, 5), (2024, "vc", "qlnn_cv"): Fraction(2, 5)})

    # ---- files that are rejected whole ----
    def extra(rule, src_unit, src_year, path, fmt, unit="", year="", **st):
        srng = random.Random(f"{SEED}/extra/{path}")
        sub = new_sub(src_unit, src_year, ["B01", "B02", "B03"], "xlsx" if fmt == "xlsx" else "xls", srng,
                      fig[(src_unit, src_year)])
        sub.file_findings = []
        sub.plants, sub.cell_findings, sub.total_plants, sub.extra_rows, sub.table_findings = {}, {}, {}, {}, []
        sub.style.update(st)
        sub.style["superior"] = False
        sub.counted = False
        ofs = build(sub, path)
        for of in ofs:
            of.records, of.findings = [], [(rule, "", "")]
            of.status, of.unit, of.year = "rejected", unit, year
            of.fmt = fmt
            if fmt == "xls":
                of.lo = "xls"
            elif of.has_formula:
                of.lo = "xlsx"
            of.vars_extra = [f"rejected:{rule}"]
        return ofs

    extra("year_missing", "so-tu-phap", 2023, "bao-cao-so-tu-phap.xlsx", "xlsx", unit="so-tu-phap",
          title_year=None, footer_date=None, year_in="none")
    extra("year_missing", "h-tan-hiep", 2023, "khac/BC DTBD Tan Hiep.xls", "xls", unit="h-tan-hiep",
          title_year=None, footer_date=None, year_in="none")
    extra("year_outside_plan", "so-xay-dung", 2021, "2020/so-xay-dung.xlsx", "xlsx", unit="so-xay-dung", year=2020,
          title_year=2020, footer_date=datetime(2021, 1, 14), year_in="title")
    extra("year_outside_plan", "h-an-minh", 2021, "2019/an-minh.xls", "xls", unit="h-an-minh", year=2019,
          title_year=2019, footer_date=datetime(2020, 1, 9), year_in="title")
    extra("unit_unknown", "so-du-lich", 2022, "2022/trung-tam-phuc-vu-hanh-chinh-cong.xlsx", "xlsx", year=2022,
          name1="TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH", name2="Trung tâm Phục vụ hành chính công tỉnh",
          title_year=2022, year_in="title")
    extra("unit_unknown", "so-xay-dung", 2024, "2024/ban-qlda.xls", "xls", year=2024,
          name1="BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG TỈNH", name2="Ban Quản lý dự án đầu tư xây dựng tỉnh",
          title_year=2024, year_in="title")
    extra("unit_ambiguous", "van-phong-ubnd", 2023, "2023/van-phong.xlsx", "xlsx", year=2023,
          name1="VĂN PHÒNG", name2="Văn phòng", title_year=2023, year_in="title")
    extra("unit_ambiguous", "so-nong-nghiep-moi-truong", 2025, "2025/so-nong-nghiep.xlsx", "xlsx", year=2025,
          name1="SỞ NÔNG NGHIỆP", name2="Sở Nông nghiệp", title_year=2025, year_in="title")

    # no form at all
    of = OutFile("khac/danh-sach-hoc-vien.xlsx", "xlsx")
    sh = BSheet("Danh sách")
    sh.put(1, 1, "DANH SÁCH HỌC VIÊN LỚP BỒI DƯỠNG KIẾN THỨC QUỐC PHÒNG - AN NINH")
    for c, h in enumerate(["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Đơn vị công tác"], 1):
        sh.put(3, c, h)
    people = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Nam", "Danh Thị Sa Rết", "Phạm Quốc Việt", "Thạch Thị Mỹ"]
    for i, p in enumerate(people):
        sh.put(4 + i, 1, i + 1)
        sh.put(4 + i, 2, p)
        sh.put(4 + i, 3, 1970 + 3 * i)
        sh.put(4 + i, 4, ["Chuyên viên", "Phó trưởng phòng", "Trưởng phòng"][i % 3])
        sh.put(4 + i, 5, ["Sở Tư pháp", "UBND huyện An Biên", "Sở Y tế"][i % 3])
    of.sheets.append(sh)
    of.findings, of.status = [("no_form", "", "")], "rejected"
    of.mtime = datetime(2024, 3, 2, 9, 0)
    files.append(of)
    of = OutFile("khac/ghi-chu.csv", "csv")
    of.raw = ("Kính gửi: Sở Nội vụ tỉnh Kiên Giang\r\n"
              "Đơn vị xin gửi kèm báo cáo đào tạo, bồi dưỡng theo đường bưu điện.\r\n"
              "Trân trọng./.\r\n").encode("utf-8")
    of.findings, of.status = [("no_form", "", "")], "rejected"
    of.mtime = datetime(2024, 1, 18, 14, 0)
    files.append(of)
    # unreadable
    brng = random.Random(f"{SEED}/bytes")
    of = OutFile("khac/scan-bao-cao.xlsx", "")
    of.raw = bytes([0, 0x8F, 0x1B, 0]) + bytes(brng.randrange(256) for _ in range(4092))
    of.findings, of.status, of.mtime = [("file_unreadable", "", "")], "rejected", datetime(2023, 1, 30, 10, 0)
    files.append(of)
    of = OutFile("khac/bao-cao-loi.xlsx", "xlsx")
    of.truncate_from = True
    of.findings, of.status, of.mtime = [("file_unreadable", "", "")], "rejected", datetime(2023, 2, 6, 11, 0)
    files.append(of)
    # unsupported
    of = OutFile("khac/bao-cao-tong-hop.ods", "")
    of.findings, of.status, of.mtime = [("file_unsupported", "", "")], "rejected", datetime(2024, 2, 1, 9, 30)
    files.append(of)
    of = OutFile("khac/cong-van-kem-theo.docx", "")
    of.findings, of.status, of.mtime = [("file_unsupported", "", "")], "rejected", datetime(2024, 2, 1, 9, 35)
    files.append(of)

    counted = counted_data(files)
    # the .zip attachment: an entry of its own (format archive; its members are the sources)
    for zpath in sorted({of.path.split("!/", 1)[0] for of in files if "!/" in of.path}):
        zf = OutFile(zpath, "archive")
        zf.members = sorted((of for of in files if of.path.startswith(zpath + "!/")), key=lambda of: of.path)
        zf.mtime = max(of.mtime for of in zf.members) + timedelta(hours=1)
        files.append(zf)
    write_all(files, inbox, truth, counted)


def write_docx(path, paras):
    """A minimal Word document (a zip without xl/workbook.xml)."""
    esc = lambda t: t.replace("&", "&amp;").replace("<", "&lt;")
    body = "".join(f"<w:p><w:r><w:t>{esc(p)}</w:t></w:r></w:p>" for p in paras)
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '</Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '</Relationships>',
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:body>{body}</w:body></w:document>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            zi = zipfile.ZipInfo(name, date_time=(2024, 2, 1, 9, 0, 0))
            z.writestr(zi, text.encode("utf-8"), zipfile.ZIP_DEFLATED)


def macro_content_type(path):
    """An .xlsx made .xlsm: the workbook part's content type becomes the macro-enabled one
    (no VBA project is needed for that)."""
    with zipfile.ZipFile(path) as z:
        parts = [(zi, z.read(zi.filename)) for zi in z.infolist()]
    plain = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    macro = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for zi, data in parts:
            if zi.filename == "[Content_Types].xml":
                assert plain in data, path
                data = data.replace(plain, macro)
            z.writestr(zi, data)


def write_all(files, inbox, truth, counted, missing=None, demo=False):
    stage = tempfile.mkdtemp(prefix="dtbd-corpus-")
    to_xls, to_xlsx, moves = [], [], []
    sample_xlsx = None

    def place(of):
        """Where a file is written: a zip member first to the stage, zipped at the end."""
        if "!/" in of.path:
            return os.path.join(stage, "members", of.path)
        return os.path.join(inbox, of.path)

    for i, of in enumerate(files):
        dst = place(of)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if of.members is not None:
            continue
        if of.raw is not None:
            with open(dst, "wb") as fh:
                fh.write(of.raw)
        elif of.path.endswith(".ods") or of.path.endswith(".docx") or getattr(of, "truncate_from", False):
            continue
        elif of.fmt == "csv":
            write_csv(of, dst, of.sub.style)
        elif of.lo:
            src = os.path.join(stage, "in_" + of.lo, f"f{i:04d}.xlsx")
            os.makedirs(os.path.dirname(src), exist_ok=True)
            write_xlsx(of, src)
            (to_xls if of.lo == "xls" else to_xlsx).append(src)
            moves.append((os.path.join(stage, "out_" + of.lo, f"f{i:04d}.{of.lo}"), dst))
        else:
            write_xlsx(of, dst)
            if "!/" not in of.path:
                sample_xlsx = sample_xlsx or dst
    # the files made from others: an .ods, a .docx, a truncated .xlsx
    for of in files:
        dst = os.path.join(inbox, of.path)
        if getattr(of, "truncate_from", False):
            with open(sample_xlsx, "rb") as fh:
                data = fh.read()
            with open(dst, "wb") as fh:
                fh.write(data[: len(data) // 2])
        elif of.path.endswith(".ods"):
            src = os.path.join(stage, "in_ods", "bao-cao-tong-hop.xlsx")
            os.makedirs(os.path.dirname(src), exist_ok=True)
            shutil.copy(sample_xlsx, src)
            soffice("ods", [src], os.path.join(stage, "out_ods"))
            moves.append((os.path.join(stage, "out_ods", "bao-cao-tong-hop.ods"), dst))
        elif of.path.endswith(".docx"):
            write_docx(dst, ["UBND HUYỆN AN BIÊN", "Số: 12/UBND-NV", "V/v gửi báo cáo đào tạo, bồi dưỡng CBCCVC",
                             "Kính gửi: Sở Nội vụ tỉnh Kiên Giang", "UBND huyện An Biên gửi kèm báo cáo."])
    soffice("xls", to_xls, os.path.join(stage, "out_xls"))
    soffice("xlsx", to_xlsx, os.path.join(stage, "out_xlsx"))
    for src, dst in moves:
        shutil.move(src, dst)
    for of in files:
        if of.sub_style("fname") == "xlsm":
            macro_content_type(os.path.join(inbox, of.path))
    for of in files:
        if of.members is not None:            # the .zip attachment
            with zipfile.ZipFile(os.path.join(inbox, of.path), "w", zipfile.ZIP_DEFLATED) as z:
                for m in of.members:
                    zi = zipfile.ZipInfo(m.path.split("!/", 1)[1], date_time=m.mtime.timetuple()[:6])
                    zi.compress_type = zipfile.ZIP_DEFLATED
                    with open(place(m), "rb") as fh:
                        z.writestr(zi, fh.read())
    shutil.rmtree(stage, ignore_errors=True)
    for of in files:
        if "!/" in of.path:                     # a member's mtime is its date in the zip
            continue
        t = epoch(of.mtime)
        os.utime(os.path.join(inbox, of.path), (t, t))
    write_truth(files, inbox, truth, counted, missing, demo)


def write_csv_rows(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def cell_key(cell):
    col = "".join(ch for ch in cell if ch.isalpha())
    row = int("".join(ch for ch in cell if ch.isdigit()))
    n = 0
    for ch in col:
        n = n * 26 + ord(ch) - 64
    return row, n


def write_truth(files, inbox, truth, counted, missing=None, demo=False):
    """The truth files (README).  demo: only findings, sources (with each file's record
    count), attainment and the manifest — the demo inbox's records are not committed."""
    files.sort(key=lambda of: of.path)
    recs, finds, srcs, man, mt = [], [], [], [], []
    for of in files:
        fpath = f"{PREFIX}/{of.path}"
        sheet_order = {sh.name: i for i, sh in enumerate(of.sheets)}
        if of.status == "accepted":
            for r in sorted(of.records, key=lambda r: (sheet_order[r["sheet"]], cell_key(r["cell"]))):
                recs.append((of.unit, of.year, r["group"], r["metric"], r["bd"], fmt_num(r["value"]),
                             fpath, r["sheet"], r["cell"]))
        for rule, sheet, cell in of.findings:
            finds.append((SEV[rule], rule, fpath, sheet, cell, of.unit, of.year))
        srcs.append((fpath, of.fmt, of.unit, of.year, of.status))
        if of.members is not None:
            toks, tables = ["archive", f"members={len(of.members)}"], ""
        elif hasattr(of, "sub"):
            toks = style_tokens(of.sub, of)
            toks += getattr(of, "vars_extra", [])
            tables = "|".join(t for t in ("B01", "B02", "B03") if t in of.table_sheet)
        else:
            toks, tables = [f"rejected:{of.findings[0][0]}"], ""
        if getattr(of.sub if hasattr(of, "sub") else None, "resub", None):
            toks.append("resubmission=" + of.sub.resub + (":older" if of.status == "superseded" else ":newer"))
        man.append((fpath, of.unit, of.year, tables, of.status, ";".join(toks)))
        if "!/" not in of.path:                 # a zip member is no file of its own
            mt.append((fpath, epoch(of.mtime)))
    # coverage
    for u, y in sorted(MISSING_FINDING if missing is None else missing):
        finds.append(("warning", "unit_missing_report", "", "", "", u, y))
    order = {r: i for i, r in enumerate(SEV)}
    finds.sort(key=lambda f: (f[2], f[3], cell_key(f[4]) if f[4] else (0, 0), order[f[1]]))
    write_csv_rows(os.path.join(truth, "findings.csv"),
                   ["severity", "rule", "file", "sheet", "cell", "unit", "year"], finds)
    write_csv_rows(os.path.join(truth, "manifest.csv"), ["file", "unit", "year", "tables", "status", "variations"], man)
    if demo:
        nrec = {}
        for r in recs:
            nrec[r[6]] = nrec.get(r[6], 0) + 1
        write_csv_rows(os.path.join(truth, "sources.csv"), ["file", "format", "unit", "year", "status", "records"],
                       [s + (nrec.get(s[0], 0),) for s in srcs])
    else:
        write_csv_rows(os.path.join(truth, "records.csv"),
                       ["unit", "year", "group", "metric", "breakdown", "value", "file", "sheet", "cell"], recs)
        write_csv_rows(os.path.join(truth, "sources.csv"), ["file", "format", "unit", "year", "status"], srcs)
        write_csv_rows(os.path.join(truth, "totals.csv"), ["file", "sheet", "cell", "value", "rows_sum"],
                       [(f"{PREFIX}/{of.path}", sh, cell, fmt_num(v), fmt_num(s)) for of in files
                        if of.status != "rejected" for sh, cell, v, s in of.totals])
        with open(os.path.join(truth, "mtimes.tsv"), "w", encoding="utf-8") as fh:
            for p, t in mt:
                fh.write(f"{p}\t{t}\n")
    active = {y: [c for c, u in UNITS.items() if u.kind != "provider" and u.active(y)] for y in YEARS}
    rows, ties = compute_attainment(counted, active)
    write_csv_rows(os.path.join(truth, "attainment.csv"),
                   ["indicator", "year", "scope", "unit", "numerator", "denominator", "ratio", "target", "status"],
                   [(a, b, c, d, e, f, g, fmt_target(h), i) for a, b, c, d, e, f, g, h, i in rows])
    if not demo:
        labels = []
        for g, vs in GROUP_LABEL.items():
            labels += [("row", g, v) for v in vs]
        labels += [("row", "vc_ql", "Trong đó: Viên chức quản lý")]
        labels += [("column_parent", p, v) for p, vs in B01_PARENTS.items() for v in vs]
        labels += [("column", f"{m}.{b}", v) for m, b, _, vs in B01_COLS for v in vs]
        labels += [("column_parent", p, v) for p, vs in B02_PARENTS.items() for v in vs]
        labels += [("column", m, v) for m, _, vs in B02_CONTENT for v in vs]
        labels += [("subcolumn", b, v) for b, vs in B02_SUB.items() for v in vs]
        labels += [("column", s, v) for s, vs in B03_SOURCES for v in vs] + [("column", "total", v) for v in B03_TOTAL]
        labels += [("column_parent", "funding", v) for v in B03_PARENT]
        labels += [("row", m, v) for m, vs in B03_ROWS for v in vs]
        labels += [("row", "cbcc_th", v) for v in ["Cán bộ, công chức", "CBCC cấp tỉnh", "Cán bộ, công chức cấp tỉnh"]]
        labels += [("table", t, v) for t, vs in TABLE_TITLE.items() for v in vs]
        labels += [("unmapped_column", "", "Ghi chú"), ("unmapped_column", "", "Tỷ lệ %")]
        # the variations added later: sub-row labels, notes appended to group labels, the columns
        # of a transposed Biểu 03 (its rows are the source labels above), the header box
        labels += sorted({("subrow", bd, text) for pair in BD_ROWS for bd, text in zip(("female", "ethnic"), pair)})
        labels += [("row_note", g, note.strip()) for g, note in ROW_NOTES.items()]
        labels += [("column", m, v) for m, vs in B03_ROWS for v in vs]
        labels += [("title_box", "reporting", "Đơn vị báo cáo:"), ("title_box", "receiving", "Đơn vị nhận báo cáo:"),
                   ("title_box", "receiver", RECEIVER)]
        write_csv_rows(os.path.join(truth, "labels.csv"), ["kind", "code", "text"], labels)
        names = sorted({(n, c) for c, u in UNITS.items() for n in u.names + [u.name]})
        write_csv_rows(os.path.join(truth, "unit_names.csv"), ["spelling", "unit"], [(n, c) for n, c in names])
    # a summary on stderr
    from collections import Counter
    cnt = Counter(f[1] for f in finds)
    fmts = Counter(s[1] for s in srcs)
    st = Counter((r[2], r[8]) for r in rows if r[2] in ("province", "kind"))
    print(f"files {len(files)} formats {dict(fmts)} records {len(recs)}", file=sys.stderr)
    print("findings " + ", ".join(f"{k}={v}" for k, v in sorted(cnt.items())), file=sys.stderr)
    print(f"attainment rows {len(rows)}; province/kind statuses {dict(Counter(r[8] for r in rows if r[2] != 'unit'))}; "
          f"unit statuses {dict(Counter(r[8] for r in rows if r[2] == 'unit'))}", file=sys.stderr)
    if ties:
        print(f"TIES (exact boundary cases): {ties}", file=sys.stderr)
    few = [r for r in SEV if cnt[r] < 2]
    if few and not demo:
        print(f"RULES PLANTED FEWER THAN TWICE: {few}", file=sys.stderr)


# --------------------------------------------------------------------------------------
# Demo mode: examples/inbox/, the province `make demo` runs on (gen.py --demo [OUTDIR])
# --------------------------------------------------------------------------------------
# A smaller, cleaner province than the test corpus: every agency and district reports every
# year it existed (the units merged in 2025 leave 2025 to their successors, as the plan
# does; the school sends its Biểu 02), with the realistic mix of formats and layouts but
# none of the hard variations (legacy encodings, NFD, odd names, missing columns …), and
# only these planted problems:
DEMO_SEED = "demo/45-2021"
DEMO_PREFIX = "examples/inbox"
DEMO_MISSING = {("h-kien-hai", 2024)}                                  # unit_missing_report
DEMO_PLANTS = {                                                        # rejected cells (errors)
    ("so-tu-phap", 2023): {("B02", "cbcc_th", "tr_law", "all"): ("not_a_number", "x")},
    ("so-ngoai-vu", 2023): {("B01", "cbcc_th", "headcount", "female"): ("part_over_whole", "H+7")},
}
DEMO_RESUB = ("h-an-bien", 2023)        # sent 10/01/2024, corrected and sent again 25/01/2024
DEMO_UNKNOWN = ("2024/trung-tam-phuc-vu-hanh-chinh-cong.xlsx", "so-du-lich", 2024,
                "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH", "Trung tâm Phục vụ hành chính công tỉnh")
# figures moved by one so that no ratio lies exactly on a target or a trajectory (as TIE_FIX)
DEMO_TIE_FIX = {
    ("so-cong-thuong", 2022, "vc_other"): [("B01", ("title_std_cum", "all"), 1)],
    ("so-ngoai-vu", 2023, "vc_other"): [("B01", ("title_std_cum", "all"), 1)],
    ("so-xay-dung", 2022, "vc_other"): [("B01", ("title_std_cum", "all"), 1)],
    ("so-xay-dung", 2024, "vc_other"): [("B01", ("title_std_cum", "all"), 1)],
    ("so-noi-vu", 2023, "vc_ql"): [("B01", ("mgmt_before_appt", "all"), 1)],
    ("so-tu-phap", 2022, "vc_ql"): [("B01", ("mgmt_before_appt", "all"), 1)],
    ("van-phong-ubnd", 2023, "vc_ql"): [("B01", ("mgmt_before_appt", "all"), 1)],
    ("so-du-lich", 2022, "vc_other"): [("B02", ("tr_skills", "all"), -1)],
    ("so-du-lich", 2023, "vc_other"): [("B02", ("tr_skills", "all"), -1)],
}
# kept from random_style: layout and sheet names, table order, instruction/hidden sheets, extra
# title lines, the superior line, reworded headers, reordered columns, Nữ/DTTS sub-columns or
# not, numbering, how districts split their groups, zeros, totals, the column-number row,
# a table starting in column B, the unit's spellings, CSV delimiters and BOMs
DEMO_DROPPED = ("legacy", "nfd", "case", "breaks", "spaces", "drop", "numtext", "year_line")


def demo_format(rng):
    x = rng.random()
    return "csv" if x < 0.1 else "xls" if x < 0.4 else "xlsx"


def demo_style(rng, unit, year, fmt):
    st = random_style(rng, unit, year, fmt)
    for k in DEMO_DROPPED:
        st.pop(k, None)
    st["year_in"] = "title"                     # every file in its year's folder, the year in its title
    split = st.get("split") or {}
    if split.get("cbcc_xa") == "total_only":    # keep cc_xa (T05)
        split["cbcc_xa"] = "with_total"
    return st


def main_demo(outdir):
    global SEED, PREFIX, JUMPS, TIE_FIX
    SEED, PREFIX, JUMPS, TIE_FIX = DEMO_SEED, DEMO_PREFIX, {}, DEMO_TIE_FIX
    inbox = os.path.join(outdir, "inbox")
    truth = os.path.join(outdir, "truth")
    for d in (inbox, truth):
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)
    model = Model(random.Random(SEED))
    fig = model.fig
    subs, files, used = [], [], set()

    def new_sub(code, y, tables, fmt, srng, figv=None):
        st = demo_style(srng, code, y, "csv" if fmt == "csv" else "xlsx")
        sub = Sub(code, y, tables, fmt, st, figv if figv is not None else fig[(code, y)])
        for key, (rule, raw) in DEMO_PLANTS.get((code, y), {}).items():
            t, g, m, b = key
            if isinstance(raw, str) and raw.startswith("H+"):
                raw = sub.fig["B01"][g][("headcount", "all")] + int(raw[2:])
            sub.plants[key] = (rule, raw)
        sub.table_findings = []
        sub.path = None
        st["footer_date"] = report_date(srng, code, y)
        st["title_year"] = y
        return sub

    def build(sub, path):
        ofs = build_files(sub, path, files, used)
        for of in ofs:
            if sub.fmt == "xls":
                of.lo = "xls"
            elif of.has_formula:
                of.lo = "xlsx"
        return ofs

    def path_of(sub):
        ext = "csv" if sub.fmt == "csv" else sub.fmt
        return sub.path or make_path(random.Random(f"{SEED}/{sub.unit}/{sub.year}/path"), sub, "title", ext)

    for code, u in UNITS.items():
        for y in YEARS:
            if u.kind == "provider" or not u.active(y) or (code, y) in DEMO_MISSING:
                continue
            if y == 2025 and code in SUCCESSOR:         # merged: the successor reports 2025
                continue
            srng = random.Random(f"{SEED}/{code}/{y}")
            fmt = "xlsx" if (code, y) == DEMO_RESUB else demo_format(srng)
            sub = new_sub(code, y, ["B01", "B02", "B03"], fmt, srng)
            if (code, y) == DEMO_RESUB:
                # the first version: Biểu 02's "Kiến thức, kỹ năng …" a tenth short, corrected later
                old_fig = {t: {g: dict(v) for g, v in fig[(code, y)][t].items()} for t in ("B01", "B02")}
                old_fig["B03"] = fig[(code, y)]["B03"]
                for g, v in old_fig["B02"].items():
                    for (m, b), x in list(v.items()):
                        if m == "tr_skills":
                            v[(m, b)] = x - x // 10
                old = new_sub(code, y, sub.tables, sub.fmt, random.Random(f"{SEED}/{code}/{y}/old"), old_fig)
                old.style = dict(sub.style)
                old.style["_fixed"] = {}
                old.superseded, old.resub, sub.resub = True, "footer", "footer"
                old.style["footer_date"], sub.style["footer_date"] = datetime(y + 1, 1, 10), datetime(y + 1, 1, 25)
                old.path, sub.path = f"{y}/{code}-{y}.xlsx", f"{y}/{code}-{y}-bo-sung.xlsx"
                old.mtime, sub.mtime = datetime(y + 1, 1, 10, 15, 40), datetime(y + 1, 1, 25, 9, 5)
                subs.append(old)
                build(old, path_of(old))
            subs.append(sub)
            build(sub, path_of(sub))

    provider_reports(fig, subs, files, build, new_sub, {}, choose=demo_format)

    # a workbook from a unit that is not one of the plan's: rejected whole (unit_unknown)
    path, src, y, name1, name2 = DEMO_UNKNOWN
    sub = new_sub(src, y, ["B01", "B02", "B03"], "xlsx", random.Random(f"{SEED}/extra/{path}"), fig[(src, y)])
    sub.style.update(name1=name1, name2=name2, superior=False)
    sub.counted = False
    sub.path = path
    for of in build(sub, path):
        of.records, of.findings = [], [("unit_unknown", "", "")]
        of.status, of.unit, of.year = "rejected", "", y
        of.vars_extra = ["rejected:unit_unknown"]

    write_all(files, inbox, truth, counted_data(files), missing=DEMO_MISSING, demo=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--plans"]:           # the annual plans (plans_gen.py, plans/README.md)
        import plans_gen
        plans_gen.main(sys.argv[2] if len(sys.argv) > 2 else
                       os.path.join(os.path.dirname(os.path.abspath(__file__)), "plans"))
    elif sys.argv[1:2] == ["--demo"]:
        main_demo(sys.argv[2] if len(sys.argv) > 2 else
                  os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples"))
    else:
        main()
