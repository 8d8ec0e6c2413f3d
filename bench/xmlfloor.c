/*
 * bench/xmlfloor.c — the floor of a libzip + expat reader: inflate every part
 * of FILE with libzip and push it through expat with handlers that only count
 * elements (and, with "chars", character data), nothing else. A reader built
 * on these two libraries (DESIGN §4.1) cannot be faster than this.
 *
 *   cc -O2 bench/xmlfloor.c $(pkg-config --cflags --libs libzip expat) -o xmlfloor
 *   xmlfloor FILE [chars]     prints "elements bytes seconds"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <expat.h>
#include <zip.h>

static unsigned long elements, chars;

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)ud; (void)name; (void)atts;
    elements++;
}
static void XMLCALL on_end(void *ud, const XML_Char *name) { (void)ud; (void)name; }
static void XMLCALL on_chars(void *ud, const XML_Char *s, int len) { (void)ud; (void)s; chars += (unsigned long)len; }

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: xmlfloor FILE [chars]\n"); return 2; }
    int with_chars = argc > 2 && strcmp(argv[2], "chars") == 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int ze;
    zip_t *z = zip_open(argv[1], ZIP_RDONLY, &ze);
    if (!z) { fprintf(stderr, "cannot open %s\n", argv[1]); return 1; }
    static char buf[1 << 16];
    unsigned long bytes = 0;
    zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
        size_t len = name ? strlen(name) : 0;
        if (len < 4 || strcmp(name + len - 4, ".xml") != 0) continue;
        zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
        if (!f) continue;
        XML_Parser p = XML_ParserCreate(NULL);
        XML_SetElementHandler(p, on_start, on_end);
        if (with_chars) XML_SetCharacterDataHandler(p, on_chars);
        zip_int64_t got;
        while ((got = zip_fread(f, buf, sizeof buf)) > 0) {
            bytes += (unsigned long)got;
            if (XML_Parse(p, buf, (int)got, 0) == XML_STATUS_ERROR) { fprintf(stderr, "XML error in %s\n", name); return 1; }
        }
        XML_Parse(p, buf, 0, 1);
        XML_ParserFree(p);
        zip_fclose(f);
    }
    zip_close(z);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%lu %lu %.3f\n", elements, bytes,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return 0;
}
