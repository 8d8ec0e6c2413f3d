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
#include "pipeline/ident.h"
#include "output/atomic.h"
#include "output/template.h"
#include "cli/cmdline.h"
#include "cli/plan.h"
#include "output/planform.h"
#include "cli/dump.h"
#include "cli/run.h"


/* The usage lines: on stderr after a usage error, and at the top of --help. */
static void usage(FILE *f)
{
    fputs("Cách dùng:\n"
          "  dtbd run      [-c CẤU_HÌNH] [-o THƯ_MỤC] [--years 2021-2025] [--no-charts] [--threads N]\n"
          "                ĐẦU_VÀO...\n"
          "  dtbd check    [-c CẤU_HÌNH] [--years 2021-2025] [--threads N] ĐẦU_VÀO...\n"
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
          "  --threads N         số luồng đọc và nhận dạng tệp (1–8; mặc định 2 trên máy có từ 2 nhân);\n"
          "                      --threads 1: đọc lần lượt trong một luồng. Kết quả như nhau với mọi N\n"
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
    cli_args args;
    if (cli_parse("dump", CLI_OPT_SHEET | CLI_OPT_JSON | CLI_ONE_INPUT, argc, argv, &args) != 0) {
        usage(stderr);
        return 2;
    }
    dump_options opt = {.json = args.json, .sheet = args.sheet};
    const char *file = args.inputs[0];
    wb_error err = {0};
    dtbd_status rc = dump_file(file, &opt, stdout, &err);
    if (rc != DTBD_OK) {
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
    cli_args args;
    if (cli_parse(cmd, CLI_OPT_CONFIG, argc, argv, &args) != 0) return 2;
    struct config *cfg = cli_config(&args);
    if (!cfg) return 2;
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

/* The units closest to `code` (pipeline/ident.h), comma-separated into out,
 * for the "did you mean" message. */
static void template_close_codes(const struct config *cfg, const char *code, char *out, size_t n)
{
    const struct config_unit *best[3] = { NULL, NULL, NULL };
    size_t nb = ident_close_units(cfg, code, strlen(code), best);
    out[0] = '\0';
    size_t len = 0;
    for (size_t j = 0; j < nb; j++) {
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
    cli_args args;
    unsigned takes = CLI_OPT_CONFIG | CLI_OPT_PLAN | CLI_OPT_UNIT | CLI_OPT_YEAR | CLI_OPT_OUTPUT;
    if (cli_parse("template", takes, argc, argv, &args) != 0) return 2;
    const char *code = args.unit, *out = args.output;
    bool plan = args.plan;
    long year = args.year;
    if (!code || !year || !out || !*out) {
        fprintf(stderr, "dtbd template: cần --unit MÃ, --year NĂM và -o TỆP.xlsx\n");
        usage(stderr);
        return 2;
    }
    struct config *cfg = cli_config(&args);
    if (!cfg) return 2;
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
        run_options opt = {.check_only = check, .log = stderr};
        unsigned takes = CLI_OPT_CONFIG | CLI_OPT_YEARS | CLI_OPT_THREADS | CLI_INPUTS;
        if (!check) takes |= CLI_OPT_OUTDIR | CLI_OPT_NO_CHARTS;
        return cli_parse(cmd, takes, argc - 2, argv + 2, &opt.args) ? 2 : run_job(&opt);
    }
    if (strcmp(cmd, "template") == 0) return cmd_template(argc - 2, argv + 2);
    if (strcmp(cmd, "plan") == 0) return plan_main(argc - 2, argv + 2);
    fprintf(stderr, "dtbd: lệnh không hợp lệ: %s\n", cmd);
    usage(stderr);
    return 2;
}
