/*
 * cli/main.c — the command line, and nothing else: parse arguments, call
 * the stage that does the work, map its status to an exit code (DESIGN §7):
 *   0 all read and valid · 1 outputs written but errors in the data (for dump:
 *   the file could not be read) · 2 usage or configuration error · 3 outputs
 *   could not be written.
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "cli/listing.h"
#include "base/fold.h"
#include "output/atomic.h"
#include "output/template.h"
#include "cli/plan.h"
#include "output/planform.h"
#include "cli/dump.h"
#include "cli/run.h"


/* The usage lines: on stderr after a usage error, and at the top of --help. */
static void usage(FILE *f)
{
    fputs("Cách dùng:\n"
          "  dtbd run      [-c CẤU_HÌNH] [-o THƯ_MỤC] [--years 2021-2025] [--no-charts] ĐẦU_VÀO...\n"
          "  dtbd check    [-c CẤU_HÌNH] [--years 2021-2025] ĐẦU_VÀO...\n"
          "  dtbd dump     TỆP [--sheet SỐ|TÊN] [--json]\n"
          "  dtbd template [-c CẤU_HÌNH] [--plan] --unit MÃ --year NĂM -o TỆP.xlsx\n"
          "  dtbd plan     [-c CẤU_HÌNH] [-o THƯ_MỤC] [--headcounts records.csv] --year NĂM ĐẦU_VÀO...\n"
          "  dtbd config | dtbd units | dtbd indicators   [-c CẤU_HÌNH]\n"
          "  dtbd help | dtbd --help | dtbd --version\n",
          f);
}

/* `dtbd help`: what each command does, the options, the outputs, the exit
 * statuses and examples — in Vietnamese, like every message (the same text
 * as the man page dtbd.1). */
static void help(FILE *f)
{
    fputs("dtbd — tổng hợp báo cáo đào tạo, bồi dưỡng cán bộ, công chức, viên chức\n"
          "(Kế hoạch 45/KH-UBND tỉnh Kiên Giang, 2021–2025).\n\n",
          f);
    usage(f);
    fputs("\n"
          "Lệnh:\n"
          "  run        Đọc mọi tệp báo cáo (.xls, .xlsx, .csv, .zip) trong ĐẦU_VÀO (tệp hoặc thư mục,\n"
          "             đọc cả thư mục con), kiểm tra, tính các chỉ tiêu và ghi kết quả vào THƯ_MỤC.\n"
          "  check      Như run nhưng chỉ kiểm tra: in các lỗi, cảnh báo ra màn hình, không ghi tệp nào.\n"
          "  dump       In các ô của một tệp đúng như chương trình đọc được (để tìm lỗi của một tệp).\n"
          "  template   Lập biểu mẫu trắng (.xlsx) cho một đơn vị và một năm của kế hoạch: ô nhập mở khóa,\n"
          "             ô không áp dụng tô xám, ô tô đỏ khi số liệu chưa hợp lệ, ngày báo cáo ở cuối biểu.\n"
          "  plan       Tổng hợp kế hoạch đào tạo, bồi dưỡng năm NĂM của các đơn vị (tệp có tiêu đề\n"
          "             \"Kế hoạch …\"): ke-hoach-NĂM.xlsx (các lớp, theo nội dung × đối tượng, theo cơ sở\n"
          "             đào tạo, theo quý, kinh phí theo nguồn, thẩm định), plan-records.csv, issues.csv.\n"
          "             Thẩm định: kế hoạch không đủ đạt chỉ tiêu năm với biên chế mới nhất (từ các báo\n"
          "             cáo trong ĐẦU_VÀO hoặc --headcounts), cơ sở đào tạo không dạy nội dung, đối tượng\n"
          "             đơn vị không có, kinh phí không ghi nguồn, lớp trùng. run không tính kế hoạch là\n"
          "             báo cáo mà đối chiếu với Biểu 02 cùng năm (trang Kế hoạch – Thực hiện, biểu đồ\n"
          "             thuc-hien-ke-hoach).\n"
          "  config     In cấu hình đang dùng (YAML); chép ra tệp, sửa, rồi dùng lại bằng -c.\n"
          "  units      In danh sách đơn vị: mã, tên, loại, thời gian hoạt động, đơn vị tiếp nhận.\n"
          "  indicators In các chỉ tiêu của kế hoạch: nhóm, tử số / mẫu số, loại, mục tiêu.\n"
          "  help       In hướng dẫn này.\n"
          "\n"
          "Tùy chọn:\n"
          "  -c, --config TỆP    dùng cấu hình TỆP thay cho cấu hình có sẵn (xem dtbd config)\n"
          "  -o, --out THƯ_MỤC   thư mục kết quả của run (mặc định: out/)\n"
          "  --years 2021-2025   chỉ tính các năm này (phải nằm trong các năm của kế hoạch)\n"
          "  --no-charts         không vẽ biểu đồ\n"
          "  --unit MÃ           mã đơn vị của biểu mẫu (xem dtbd units)\n"
          "  --year NĂM          năm số liệu của biểu mẫu (một năm của kế hoạch)\n"
          "  -o, --output TỆP    tệp biểu mẫu (template)\n"
          "  --headcounts TỆP    plan: biên chế (Biểu 01) lấy từ records.csv của một lần chạy trước\n"
          "  --plan              template: biểu mẫu kế hoạch đào tạo, bồi dưỡng năm NĂM (danh sách lớp,\n"
          "                      chọn nội dung, đối tượng, quý, địa điểm, cơ sở đào tạo, nguồn từ danh mục)\n"
          "  --sheet SỐ|TÊN      dump: chỉ in trang tính này (đếm từ 1)\n"
          "  --json              dump: in dạng JSON\n"
          "\n"
          "Kết quả của run (trong THƯ_MỤC):\n"
          "  tong-hop.xlsx       sổ tổng hợp: chỉ tiêu theo năm, Biểu 01/02/03 của tỉnh, theo đơn vị,\n"
          "                      dữ liệu, kiểm tra, nguồn\n"
          "  records.csv         mọi số liệu đọc được, kèm tệp, trang tính và ô nguồn\n"
          "  issues.csv          các lỗi, cảnh báo (mức độ, mã quy tắc, tệp, ô, nội dung)\n"
          "  sources.csv         các tệp đã đọc: được nhận, bị thay thế (gửi lại) hay bị loại\n"
          "  attainment.csv      kết quả thực hiện các chỉ tiêu: toàn tỉnh, theo loại, theo đơn vị\n"
          "  charts/             biểu đồ PNG, SVG và bieu-do.pdf để in\n"
          "Kết quả được ghi vào tên tạm rồi đổi tên: lần chạy lỗi không để lại tệp dở dang,\n"
          "tệp đầu vào không bao giờ bị sửa.\n"
          "\n"
          "Mã thoát:\n"
          "  0  mọi tệp đọc được và hợp lệ\n"
          "  1  đã ghi kết quả nhưng số liệu có lỗi (xem issues.csv); với dump: không đọc được tệp;\n"
          "     cũng là mã khi đầu vào không có tệp báo cáo nào\n"
          "  2  sai cách dùng hoặc cấu hình lỗi (kể cả năm ngoài kế hoạch)\n"
          "  3  không ghi được kết quả (ổ đầy, không có quyền, bị ngắt …); kết quả cũ giữ nguyên\n"
          "\n"
          "Ví dụ:\n"
          "  dtbd run -o ket-qua hop-thu/                  tổng hợp cả thư mục hộp thư\n"
          "  dtbd run --years 2023-2025 --no-charts hop-thu/\n"
          "  dtbd check hop-thu/2024/                      chỉ kiểm tra các báo cáo năm 2024\n"
          "  dtbd template --unit h-tan-hiep --year 2024 -o TanHiep-2024.xlsx\n"
          "  dtbd plan --year 2025 --headcounts ket-qua/records.csv -o ke-hoach hop-thu/ke-hoach-2025/\n"
          "  dtbd dump \"Bao cao 2024.xls\" --sheet 2\n"
          "  dtbd config > cau-hinh.yaml && dtbd run -c cau-hinh.yaml hop-thu/\n"
          "\n"
          "Xem thêm: man dtbd\n",
          f);
}

static int cmd_dump(int argc, char **argv)
{
    dump_options opt = {0};
    const char *file = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) opt.json = true;
        else if (strcmp(argv[i], "--sheet") == 0 && i + 1 < argc) opt.sheet = argv[++i];
        else if (strncmp(argv[i], "--sheet=", 8) == 0) opt.sheet = argv[i] + 8;
        else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "dtbd dump: tùy chọn không hợp lệ: %s\n", argv[i]);
            return 2;
        } else if (!file) file = argv[i];
        else {
            fprintf(stderr, "dtbd dump: chỉ nhận một tệp\n");
            return 2;
        }
    }
    if (!file) {
        usage(stderr);
        return 2;
    }
    wb_error err = {0};
    wb_status rc = dump_file(file, &opt, stdout, &err);
    if (rc != WB_OK) {
        char line[1024];
        wb_error_format(&err, file, line, sizeof line);
        fflush(stdout);
        fprintf(stderr, "dtbd: %s\n", line);
        return 1;
    }
    return 0;
}

/* `dtbd config|units|indicators [-c FILE]`: load (and so validate) the
 * configuration, then print it as YAML, as the unit registry or as the
 * indicator list. A configuration error is file:line:col on stderr, exit 2. */
static int cmd_config(const char *cmd, int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 0; i < argc; i++) {
        if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) && i + 1 < argc)
            path = argv[++i];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            path = argv[i] + 9;
        else {
            fprintf(stderr, "dtbd %s: tham số không hợp lệ: %s\n", cmd, argv[i]);
            return 2;
        }
    }
    struct config_error err;
    struct config *cfg = path ? config_load_file(path, &err) : config_load_default(&err);
    if (!cfg) {
        char line[1400];
        config_error_format(&err, line, sizeof line);
        fprintf(stderr, "%s\n", line);
        return 2;
    }
    int rc = 0;
    if (strcmp(cmd, "config") == 0) rc = fwrite(cfg->text, 1, cfg->text_len, stdout) == cfg->text_len ? 0 : -1;
    else if (strcmp(cmd, "units") == 0) rc = config_list_units(cfg, stdout);
    else rc = config_list_indicators(cfg, stdout);
    config_free(cfg);
    if (rc != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "dtbd %s: không ghi được kết quả\n", cmd);
        return 3;
    }
    return 0;
}

/* The three unit codes closest to `code` (folded keys of code and name),
 * comma-separated into out, for "did you mean" messages. */
static void template_close_codes(const struct config *cfg, const char *code, char *out, size_t n)
{
    buf key = BUF_INIT, k2 = BUF_INIT;
    fold_match_key(code, strlen(code), &key);
    const struct config_unit *best[3] = {NULL, NULL, NULL};
    double score[3] = {-1, -1, -1};
    for (size_t i = 0; i < cfg->n_units; i++) {
        const struct config_unit *u = &cfg->units[i];
        buf_clear(&k2);
        fold_match_key(u->code, strlen(u->code), &k2);
        double s = fold_similarity(buf_str(&key), buf_str(&k2));
        buf_clear(&k2);
        fold_match_key(u->name, strlen(u->name), &k2);
        double s2 = fold_similarity(buf_str(&key), buf_str(&k2));
        if (s2 > s) s = s2;
        for (int j = 0; j < 3; j++)
            if (s > score[j]) {
                for (int k = 2; k > j; k--) { score[k] = score[k - 1]; best[k] = best[k - 1]; }
                score[j] = s;
                best[j] = u;
                break;
            }
    }
    buf_free(&key);
    buf_free(&k2);
    out[0] = '\0';
    size_t len = 0;
    for (int j = 0; j < 3 && best[j]; j++) {
        int w = snprintf(out + len, n - len, "%s%s (%s)", j ? ", " : "", best[j]->code, best[j]->name);
        if (w < 0 || (size_t)w >= n - len) break;
        len += (size_t)w;
    }
}

/* `dtbd template [-c CONFIG] --unit CODE --year YYYY -o FILE.xlsx`: the blank
 * form of one unit and year (output/template.h), written to a temporary name
 * and renamed into place. Unknown unit, or a year in which the unit did not
 * exist: exit 2 with a message; the file could not be written: exit 3. */
static int cmd_template(int argc, char **argv)
{
    const char *path = NULL, *code = NULL, *year_text = NULL, *out = NULL;
    bool plan = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        bool has_next = i + 1 < argc;
        if (strcmp(a, "--plan") == 0) plan = true;
        else if ((strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0) && has_next) path = argv[++i];
        else if (strncmp(a, "--config=", 9) == 0) path = a + 9;
        else if (strcmp(a, "--unit") == 0 && has_next) code = argv[++i];
        else if (strncmp(a, "--unit=", 7) == 0) code = a + 7;
        else if (strcmp(a, "--year") == 0 && has_next) year_text = argv[++i];
        else if (strncmp(a, "--year=", 7) == 0) year_text = a + 7;
        else if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) && has_next) out = argv[++i];
        else if (strncmp(a, "--output=", 9) == 0) out = a + 9;
        else {
            fprintf(stderr, "dtbd template: tham số không hợp lệ: %s\n", a);
            return 2;
        }
    }
    if (!code || !year_text || !out || !*out) {
        fprintf(stderr, "dtbd template: cần --unit MÃ, --year NĂM và -o TỆP.xlsx\n");
        usage(stderr);
        return 2;
    }
    char *end = NULL;
    long year = strtol(year_text, &end, 10);
    if (end == year_text || *end != '\0' || year < 1900 || year > 2099) {
        fprintf(stderr, "dtbd template: năm không hợp lệ: %s\n", year_text);
        return 2;
    }
    struct config_error cerr;
    struct config *cfg = path ? config_load_file(path, &cerr) : config_load_default(&cerr);
    if (!cfg) {
        char line[1400];
        config_error_format(&cerr, line, sizeof line);
        fprintf(stderr, "%s\n", line);
        return 2;
    }
    const struct config_unit *unit = config_unit(cfg, code);
    if (!unit) {
        char close[512];
        template_close_codes(cfg, code, close, sizeof close);
        fprintf(stderr, "dtbd template: không có đơn vị mã \"%s\"; mã gần nhất: %s (xem dtbd units)\n", code,
                close);
        config_free(cfg);
        return 2;
    }
    /* a plan is drawn up for the year after the one it is sent in */
    if (year < cfg->plan.first_year || year > cfg->plan.last_year + (plan ? 1 : 0)) {
        fprintf(stderr, "dtbd template: năm %ld nằm ngoài các năm của kế hoạch %s (%d-%d)\n", year, cfg->plan.id,
                cfg->plan.first_year, cfg->plan.last_year);
        config_free(cfg);
        return 2;
    }
    if (!config_unit_active_in_year(unit, (int)year)) {
        char from[11], to[11];
        config_date_format(unit->valid_from, from);
        config_date_format(unit->valid_to, to);
        fprintf(stderr, "dtbd template: %s (%s) không tồn tại trong năm %ld (hoạt động từ %s đến %s)%s%s\n",
                unit->name, unit->code, year, *from ? from : "trước", *to ? to : "nay",
                unit->successor ? "; đơn vị tiếp nhận: " : "", unit->successor ? unit->successor->code : "");
        config_free(cfg);
        return 2;
    }
    atomic_set set;
    atomic_init(&set);
    const char *tmp = atomic_reserve(&set, out);
    char err[1024] = "";
    int rc = 0;
    if (!tmp) {
        snprintf(err, sizeof err, "không tạo được tệp tạm cho %s", out);
        rc = -1;
    } else if (plan ? planform_write(tmp, cfg, unit, (int)year, err, sizeof err) != 0
                    : template_write(tmp, cfg, unit, (int)year, err, sizeof err) != 0) {
        rc = -1;
    }
    if (rc != 0) {
        atomic_abort(&set);
    } else if (atomic_commit(&set) != 0) {
        snprintf(err, sizeof err, "không ghi được %s", out);
        rc = -1;
    }
    config_free(cfg);
    if (rc != 0) {
        fprintf(stderr, "dtbd template: %s\n", err);
        return 3;
    }
    return 0;
}

int main(int argc, char **argv)
{
    /* Numbers are written with "." in XML, CSV and gnuplot: LC_NUMERIC stays
     * "C"; only the character type follows the environment. */
    setlocale(LC_CTYPE, "");
    setlocale(LC_NUMERIC, "C");
    /* A file-size limit (ulimit -f) reached while writing is a failed write
     * (EFBIG) that every command handles like a full disk — not a kill that
     * would leave temporary outputs behind. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "dump") == 0) return cmd_dump(argc - 2, argv + 2);
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("dtbd %s\n", DTBD_VERSION);
        return 0;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        help(stdout);
        return fflush(stdout) == 0 ? 0 : 3;
    }
    if (strcmp(cmd, "config") == 0 || strcmp(cmd, "units") == 0 || strcmp(cmd, "indicators") == 0)
        return cmd_config(cmd, argc - 2, argv + 2);
    if (strcmp(cmd, "run") == 0 || strcmp(cmd, "check") == 0) {
        bool check = strcmp(cmd, "check") == 0;
        run_options opt;
        int rc = run_parse_args(argc - 2, argv + 2, check, &opt);
        return rc ? rc : run_job(&opt);
    }
    if (strcmp(cmd, "template") == 0) return cmd_template(argc - 2, argv + 2);
    if (strcmp(cmd, "plan") == 0) return plan_main(argc - 2, argv + 2);
    fprintf(stderr, "dtbd: lệnh không hợp lệ: %s\n", cmd);
    usage(stderr);
    return 2;
}
