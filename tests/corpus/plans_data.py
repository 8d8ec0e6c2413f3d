#!/usr/bin/python3
# tests/corpus/plans_data.py — what the plan corpus is made of (issue 14): the plan years,
# the provider's offer, the annual targets, the wordings (contents, groups, providers,
# sources, headers, titles) and what is planted where. Used by plans_gen.py (the
# generator, `gen.py --plans`); tests/corpus/plans/README.md lists the same in prose.
from fractions import Fraction

import gen as G

PLAN_YEARS = [2022, 2023, 2024, 2025]
PREFIX = "tests/corpus/plans/inbox"
PSEED = f"{G.SEED}/plans"

# The provider's offer (contract of issue 14: config `offers:` on truong-chinh-tri)
OFFERS = {"truong-chinh-tri": {"llct_mid", "llct_basic", "qlnn_cv", "qlnn_cvc", "tr_law", "tr_ethics",
                               "tr_skills", "mgmt", "title_std", "qpan"}}
TCT_SPELLINGS = ["Trường Chính trị tỉnh Kiên Giang", "Trường Chính trị tỉnh", "Trường Chính trị Kiên Giang"]

# Annual indicators whose denominator is the headcount (config `indicators:`)
TARGETS = [(i, g, m[0], t) for i, g, m, den, kind, t, _ in G.INDICATORS if kind == "annual" and den == "headcount"]
PARTS = {"cbcc_th": ["cb_th", "cc_th"], "cbcc_xa": ["cb_xa", "cc_xa"], "hdnd": ["hdnd_tinh", "hdnd_huyen", "hdnd_xa"]}
GROUPS_OF_KIND = {
    "agency": {"cbcc_th", "cb_th", "cc_th", "vc", "vc_ql"},
    "district": {"cbcc_th", "cb_th", "cc_th", "cbcc_xa", "cb_xa", "cc_xa", "kct_xa", "vc", "vc_ql",
                 "hdnd", "hdnd_huyen", "hdnd_xa"},
}

# ---- wordings ---------------------------------------------------------------------------
# class/content texts per metric: config aliases and labels with class words
CONTENT_TEXT = {
    "ed_univ": ["Đào tạo đại học", "Đào tạo trình độ đại học", "Văn bằng 2"],
    "ed_master": ["Đào tạo thạc sĩ", "Cao học", "Đào tạo trình độ thạc sĩ"],
    "ed_phd": ["Nghiên cứu sinh", "Đào tạo tiến sĩ"],
    "llct_senior": ["Cao cấp lý luận chính trị", "Cao cấp LLCT"],
    "llct_mid": ["Trung cấp LLCT", "Trung cấp lý luận chính trị", "Lớp trung cấp lý luận chính trị"],
    "llct_basic": ["Sơ cấp LLCT", "Sơ cấp lý luận chính trị", "Lớp sơ cấp lý luận chính trị"],
    "qlnn_cvcc": ["Bồi dưỡng QLNN chương trình chuyên viên cao cấp", "QLNN CVCC"],
    "qlnn_cvc": ["Lớp bồi dưỡng kiến thức QLNN ngạch chuyên viên chính",
                 "Bồi dưỡng kiến thức QLNN ngạch chuyên viên chính", "QLNN CVC"],
    "qlnn_cv": ["Bồi dưỡng kiến thức QLNN ngạch chuyên viên", "Lớp bồi dưỡng QLNN chương trình chuyên viên",
                "QLNN CV"],
    "title_std": ["Bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp", "Lớp bồi dưỡng theo tiêu chuẩn CDNN"],
    "mgmt": ["Bồi dưỡng lãnh đạo, quản lý", "Lớp bồi dưỡng năng lực lãnh đạo, quản lý", "Bồi dưỡng LĐQL"],
    "tr_law": ["Cập nhật kiến thức pháp luật", "Bồi dưỡng kiến thức pháp luật", "Lớp cập nhật kiến thức pháp luật"],
    "tr_ethics": ["Bồi dưỡng đạo đức công vụ", "Đạo đức công vụ, đạo đức nghề nghiệp",
                  "Lớp bồi dưỡng đạo đức công vụ"],
    "tr_skills": ["Kiến thức, kỹ năng, phương pháp thực thi công vụ", "Bồi dưỡng kỹ năng thực thi công vụ",
                  "Lớp bồi dưỡng chuyên môn, nghiệp vụ"],
    "qpan": ["Bồi dưỡng kiến thức quốc phòng - an ninh", "Kiến thức QP-AN", "Lớp bồi dưỡng kiến thức quốc phòng và an ninh"],
    "intl": ["Bồi dưỡng kiến thức hội nhập quốc tế", "Hội nhập quốc tế"],
    "it": ["Bồi dưỡng tin học", "Ứng dụng CNTT", "Lớp tin học"],
    "foreign_lang": ["Bồi dưỡng ngoại ngữ", "Tiếng Anh", "Lớp tiếng Anh"],
    "ethnic_lang": ["Tiếng Khmer", "Lớp tiếng dân tộc thiểu số", "Bồi dưỡng tiếng Khmer"],
    "abroad": ["Bồi dưỡng ở nước ngoài", "Đào tạo, bồi dưỡng ở nước ngoài"],
}
# viên chức wordings of the two vc targets
CONTENT_TEXT_VC = {"tr_ethics": ["Bồi dưỡng đạo đức nghề nghiệp", "Đạo đức nghề nghiệp"],
                   "tr_skills": ["Kiến thức, kỹ năng nghề nghiệp chuyên ngành", "Bồi dưỡng chuyên môn, nghiệp vụ"]}
# a content naming its group, the Đối tượng cell left empty ("… cho CBCC cấp xã")
CONTENT_WITH_GROUP = {("tr_law", "cbcc_xa"): "Cập nhật kiến thức pháp luật cho CBCC cấp xã",
                      ("tr_skills", "cbcc_xa"): "Bồi dưỡng kỹ năng thực thi công vụ cho cán bộ, công chức cấp xã"}
UNMATCHED_CONTENT = ["Tập huấn công tác văn thư, lưu trữ", "Hội thảo chuyển đổi số",
                     "Tập huấn phòng cháy, chữa cháy"]
UNMATCHED_GROUP = ["Người lao động hợp đồng", "Đoàn viên, hội viên các đoàn thể"]
DAO_TAO = {"ed_univ", "ed_master", "ed_phd", "llct_senior", "llct_mid", "llct_basic"}

GROUP_TEXT = {
    "cbcc_th": ["Cán bộ, công chức cấp tỉnh", "CBCC cấp tỉnh, cấp huyện", "Cán bộ, công chức cấp tỉnh, cấp huyện"],
    "cb_th": ["Cán bộ cấp tỉnh, cấp huyện", "Cán bộ cấp huyện"],
    "cc_th": ["Công chức", "Công chức cấp tỉnh, cấp huyện", "Công chức cấp huyện"],
    "cbcc_xa": ["CBCC cấp xã", "Cán bộ, công chức cấp xã", "CB,CC cấp xã"],
    "cb_xa": ["Cán bộ cấp xã", "CB cấp xã"],
    "cc_xa": ["Công chức cấp xã", "CC cấp xã"],
    "kct_xa": ["Người hoạt động không chuyên trách cấp xã", "Người hoạt động không chuyên trách ở cấp xã"],
    "vc": ["Viên chức", "Viên chức các đơn vị sự nghiệp", "VC"],
    "vc_ql": ["Viên chức quản lý", "Viên chức giữ chức vụ quản lý"],
    "hdnd": ["Đại biểu HĐND các cấp", "Đại biểu Hội đồng nhân dân các cấp"],
    "hdnd_huyen": ["Đại biểu HĐND cấp huyện"],
    "hdnd_xa": ["Đại biểu HĐND cấp xã", "ĐBHĐND xã"],
}
GROUP_TEXT_UNIT = {("so-y-te", "vc"): "Viên chức ngành y tế", ("so-giao-duc-dao-tao", "vc"): "Viên chức ngành giáo dục"}

PROVIDER_TEXT = {
    "ed_univ": ["Trường Đại học Kiên Giang", "Trường Đại học Cần Thơ"],
    "ed_master": ["Trường Đại học Cần Thơ", "Học viện Hành chính Quốc gia"],
    "ed_phd": ["Trường Đại học Cần Thơ"],
    "llct_senior": ["Học viện Chính trị khu vực IV"],
    "qlnn_cvcc": ["Học viện Hành chính Quốc gia", "Học viện Chính trị khu vực IV"],
    "intl": ["Học viện Ngoại giao"],
    "it": ["Trung tâm Ngoại ngữ - Tin học", "Trường Đại học Kiên Giang"],
    "foreign_lang": ["Trung tâm Ngoại ngữ - Tin học", "Trường Đại học Kiên Giang"],
    "ethnic_lang": ["Trường Đại học Trà Vinh"],
    "abroad": ["Cơ sở đào tạo nước ngoài"],
    "qpan": ["Trường Quân sự tỉnh"],
    "title_std": ["Trường Đại học Cần Thơ", "Trường Đại học Kiên Giang"],
    "tr_law": ["Tự tổ chức"], "tr_ethics": ["Tự tổ chức"], "tr_skills": ["Tự tổ chức", "Trường Đại học Kiên Giang"],
    "mgmt": ["Học viện Hành chính Quốc gia"], "llct_mid": [], "llct_basic": [], "qlnn_cv": [], "qlnn_cvc": [],
}
SOURCE_TEXT = {"local": ["Ngân sách tỉnh", "NSĐP", "Ngân sách địa phương", "NS tỉnh"],
               "central": ["NSTW", "Ngân sách Trung ương"],
               "agency": ["Kinh phí cơ quan, đơn vị", "Đơn vị tự chi"],
               "sponsor": ["Tài trợ", "Nguồn tài trợ"]}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

TITLES = ["KẾ HOẠCH ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC NĂM {y}",
          "Kế hoạch ĐTBD CBCCVC năm {y}", "KẾ HOẠCH BỒI DƯỠNG NĂM {y}",
          "Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm {y}"]
HEAD = {
    "stt": ["STT", "TT", "Số TT"],
    "content": ["Nội dung đào tạo, bồi dưỡng", "Tên lớp", "Nội dung", "Tên lớp / Nội dung bồi dưỡng"],
    "group": ["Đối tượng", "Đối tượng đào tạo, bồi dưỡng", "Đối tượng tham gia"],
    "n": ["Số lượng", "Số lượng (người)", "Số học viên"],
    "n_top": ["Số lượng", "Số lượng học viên (người)"],
    "n_sub": ["Tổng số", "Tổng"],
    "female": ["Nữ", "Số nữ"],
    "ethnic": ["DTTS", "Dân tộc thiểu số"],
    "time": ["Thời gian", "Thời gian tổ chức", "Thời gian dự kiến"],
    "place": ["Địa điểm", "Địa điểm tổ chức"],
    "provider": ["Cơ sở đào tạo", "Cơ sở đào tạo, bồi dưỡng", "Cơ sở ĐTBD"],
    "cost": ["Kinh phí (triệu đồng)", "Kinh phí dự kiến (triệu đồng)", "Dự kiến kinh phí (triệu đồng)"],
    "cost_top": ["Kinh phí", "Kinh phí dự kiến"],
    "cost_sub": ["Số tiền (triệu đồng)", "Số tiền"],
    "source": ["Nguồn kinh phí", "Nguồn"],
    "source_sub": ["Nguồn", "Nguồn kinh phí"],
}
NOTE_HEAD = "Ghi chú"
ORDERS = [
    ["stt", "content", "group", "N", "time", "place", "provider", "C"],
    ["stt", "content", "group", "N", "C", "time", "place", "provider"],
    ["stt", "group", "content", "time", "N", "provider", "place", "C"],
    ["stt", "content", "time", "place", "group", "N", "provider", "C"],
]
TITLE_BIEU_KH = "Biểu KH - Kế hoạch đào tạo, bồi dưỡng năm {y}"
TOTAL_WORDS = ["Tổng cộng", "TỔNG CỘNG", "Cộng"]
INSTRUCTIONS = ["HƯỚNG DẪN GHI BIỂU", "1. Mỗi lớp ghi một dòng; không gộp ô trong bảng.",
                "2. Đối tượng ghi theo các nhóm của Biểu 02.", "3. Thời gian ghi theo quý hoặc theo tháng.",
                "4. Kinh phí ghi bằng triệu đồng và ghi rõ nguồn kinh phí."]
SECTION = {"dt": [("I", "ĐÀO TẠO"), ("", "I. Đào tạo")], "bd": [("II", "BỒI DƯỠNG"), ("", "II. Bồi dưỡng")]}

# ---- what is planted where (README.md of the plans corpus lists them) ----------------------
SHORTFALL = {      # (unit, year) -> [(indicator, fraction of the needed number planned)]
    ("so-tu-phap", 2023): [("T01", Fraction(3, 4))],
    ("h-giong-rieng", 2024): [("T06", Fraction(4, 5))],
    ("so-y-te", 2025): [("T11", Fraction(7, 10))],
    ("so-du-lich", 2024): [("T02", Fraction(0))],
    ("h-an-minh", 2022): [("T03", Fraction(9, 10))],
}
NOT_OFFERED = {("h-hon-dat", 2023): "foreign_lang", ("so-noi-vu", 2024): "ed_master"}
GROUP_ABSENT = {("so-tu-phap", 2024): ("tr_law", "cbcc_xa", True),       # group from the content text
                ("so-van-hoa-the-thao", 2022): ("it", "kct_xa", False)}
COST_NO_SOURCE = {("h-tan-hiep", 2025), ("so-cong-thuong", 2023)}
DUPLICATE = {("tp-rach-gia", 2024): "qpan", ("so-tai-chinh", 2022): "it"}
CONTENT_UNMATCHED = {("h-vinh-thuan", 2022): 0, ("so-khoa-hoc-cong-nghe", 2024): 1, ("h-kien-hai", 2025): 2}
GROUP_UNMATCHED = {("so-xay-dung", 2023): 0, ("h-go-quao", 2025): 1}
NOT_A_NUMBER = {("h-chau-thanh", 2023): "chưa xác định"}
NEGATIVE = {("so-ke-hoach-dau-tu", 2024): -8}             # negative_count on Số lượng: the class dropped
PART_OVER = {("h-kien-hai", 2022): 3}                     # part_over_whole: Nữ = Số lượng + 3, Nữ dropped
DUPLICATE_REWORDED = {("h-an-bien", 2023): "it"}          # the same metric, group, quarter, other words
REJECTED = ("not_a_number", "negative_count")             # a class whose count is rejected gives nothing
# numbers written as text the Vietnamese way ("1.234", cost "12,5")
NUMBERS_AS_TEXT = {("h-an-bien", 2024), ("so-giao-duc-dao-tao", 2023), ("h-kien-luong", 2025)}
# no headcount known (none in headcounts.csv): a plan short of a target raises nothing
NO_HEADCOUNT = {"so-dan-toc-ton-giao"}
SHORT_UNAPPRAISED = {("so-dan-toc-ton-giao", 2025): [("T01", Fraction(1, 2))]}
# typed in TCVN3 (.VnTime / .VnTimeH): read as Unicode, one info legacy_encoding_repaired
# per sheet with a table, on its first repaired cell in row order (as pipeline/recognize.c)
LEGACY = {("h-giang-thanh", 2023)}
# every text decomposed (NFD): read as NFC (the provider texts of the truth are NFC)
NFD = {("tp-ha-tien", 2024)}
RESUBMITTED = ("tp-phu-quoc", 2023)        # sent 12/7/2022, corrected and sent again 05/8/2022
FORCED_FORMAT = {("so-tu-phap", 2023): "xlsx", ("h-giong-rieng", 2024): "xls", ("so-y-te", 2025): "csv",
                 RESUBMITTED: "xlsx", ("h-chau-thanh", 2023): "xls", ("tp-rach-gia", 2024): "csv"}
# where a class-level finding points: the class row's cell in this column — the cell that
# shows the problem (the contract is silent; pipeline/plan_appraise.c and plan_read.c agree);
# a group taken from the content text (Đối tượng empty): the content cell
FINDING_COLUMN = {"plan_content_unmatched": "content", "plan_group_unmatched": "group",
                  "plan_provider_not_offered": "provider", "plan_group_absent": "group",
                  "plan_cost_no_source": "cost", "plan_duplicate_class": "content", "not_a_number": "n",
                  "negative_count": "n", "part_over_whole": "female"}
SEVERITY = {"not_a_number": "error", "negative_count": "error", "part_over_whole": "error"}

OTHER_POOL = {
    "agency": [("llct_mid", "cbcc_th"), ("llct_basic", "cc_th"), ("qlnn_cv", "cc_th"), ("qlnn_cvc", "cbcc_th"),
               ("qlnn_cvcc", "cbcc_th"), ("llct_senior", "cbcc_th"), ("mgmt", "cbcc_th"), ("mgmt", "vc_ql"),
               ("title_std", "vc"), ("qpan", "cbcc_th"), ("it", "cbcc_th"), ("foreign_lang", "vc"),
               ("ed_master", "cbcc_th"), ("intl", "cbcc_th"), ("abroad", "cbcc_th"), ("ed_phd", "vc")],
    "district": [("llct_mid", "cbcc_th"), ("llct_basic", "cbcc_xa"), ("qlnn_cv", "cc_th"), ("qlnn_cvc", "cbcc_th"),
                 ("mgmt", "vc_ql"), ("title_std", "vc"), ("qpan", "cbcc_xa"), ("qpan", "hdnd_xa"),
                 ("it", "cc_xa"), ("foreign_lang", "vc"), ("ethnic_lang", "cbcc_xa"), ("ed_univ", "cb_xa"),
                 ("tr_law", "kct_xa"), ("tr_skills", "hdnd"), ("tr_law", "hdnd_huyen"), ("ed_master", "cbcc_th")],
}

GROUP_SHEET = [("CBCC", {"cbcc_th", "cb_th", "cc_th", "other"}), ("Cấp xã", {"cbcc_xa", "cb_xa", "cc_xa", "kct_xa", "hdnd_xa"}),
               ("HĐND", {"hdnd", "hdnd_huyen"}), ("Viên chức", {"vc", "vc_ql"})]

# long real-world class names (a config alias inside), and quarter spans
LONG_CONTENT = {"llct_mid": "Trung cấp lý luận chính trị - hành chính",
                "qpan": "Bồi dưỡng kiến thức quốc phòng và an ninh cho đối tượng 4",
                "qlnn_cv": "Bồi dưỡng ngạch chuyên viên và tương đương",
                "mgmt": "Bồi dưỡng lãnh đạo, quản lý cấp phòng và tương đương",
                "tr_law": "Cập nhật kiến thức pháp luật mới ban hành",
                "foreign_lang": "Bồi dưỡng tiếng Anh giao tiếp",
                "it": "Bồi dưỡng kỹ năng ứng dụng CNTT trong công việc"}
