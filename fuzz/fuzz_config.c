/*
 * fuzz/fuzz_config.c — the YAML configuration loader (config_load_buffer).
 * Property: no crash, leak, hang or UB; a load either succeeds (and the config
 * frees cleanly) or fails with a NUL-terminated, valid UTF-8 message.
 */
#include "config/config.h"
#include "fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config_error err;
    memset(&err, 0, sizeof err);
    struct config *cfg = config_load_buffer((const char *)data, size, "fuzz.yaml", &err);
    if (cfg) {
        FUZZ_CHECK(cfg->plan.first_year <= cfg->plan.last_year);
        for (size_t i = 0; i < cfg->n_units; i++) FUZZ_CHECK(cfg->units[i].code != NULL);
        config_free(cfg);
    } else {
        FUZZ_CHECK(memchr(err.msg, 0, sizeof err.msg) != NULL);
        char line[2048];
        config_error_format(&err, line, sizeof line);
        FUZZ_CHECK(err.msg[0] != '\0');
    }
    return 0;
}
