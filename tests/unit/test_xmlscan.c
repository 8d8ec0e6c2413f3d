/*
 * tests/unit/test_xmlscan.c — the streaming XML scanner (input/xmlscan.h):
 * the events of tricky but well-formed documents, written out by hand and
 * the same whatever the chunk size, and the refusals of malformed ones —
 * each both with small elements read whole (xs_handlers.flat) and without.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "input/xmlscan.h"

/* ---- helpers ----------------------------------------------------------------- */

typedef struct {
    buf ev;
    bool in_text;
    int stop_at;     /* stop on this start tag (1-based), 0 never */
    int starts;
    xs_parser *xs;
    bool flat;       /* ask for small elements read whole                  */
    int flats;       /* … how many were                                      */
    bool stopped;    /* on_start stopped the scanner                         */
} rec;

static void on_start(void *ud, const char *name, const char **atts)
{
    rec *r = ud;
    r->in_text = false;
    buf_printf(&r->ev, "<%s", name);
    for (size_t i = 0; atts[i]; i += 2) buf_printf(&r->ev, " %s=[%s]", atts[i], atts[i + 1]);
    buf_putc(&r->ev, '>');
    if (++r->starts == r->stop_at) {
        xs_stop(r->xs);
        r->stopped = true;
    }
}

static void on_end(void *ud, const char *name)
{
    rec *r = ud;
    r->in_text = false;
    buf_printf(&r->ev, "</%s>", name);
}

static void on_chars(void *ud, const char *s, size_t n)
{
    rec *r = ud;
    if (!r->in_text) buf_puts(&r->ev, "{");
    r->in_text = true;
    buf_append(&r->ev, s, n);
}

/* An element read whole: its events, up to a stop (as input/xlsx_part.c
 * hands them on). */
static void on_flat(void *ud, const char *name, const char **atts, const xs_child *kids,
                    size_t nkids)
{
    rec *r = ud;
    r->flats++;
    on_start(ud, name, atts);
    for (size_t i = 0; i < nkids && !r->stopped; i++) {
        on_start(ud, kids[i].name, kids[i].atts);
        if (r->stopped) return;
        assert_int_equal(strlen(kids[i].text), kids[i].len);
        if (kids[i].len) on_chars(ud, kids[i].text, kids[i].len);
        on_end(ud, kids[i].name);
    }
    if (!r->stopped) on_end(ud, name);
}

static const char *const flat_names[] = {"b", "c", "si", NULL};

/* Scan doc in chunks of `chunk` bytes (0: whole), with small elements read
 * whole when r->flat; status, events in r. */
static xs_status scan(const char *doc, size_t n, size_t chunk, rec *r)
{
    xs_handlers h = {r, on_start, on_end, on_chars, r->flat ? on_flat : NULL,
                     r->flat ? flat_names : NULL};
    xs_parser *xs = xs_create(&h, 16, 4096);
    assert_non_null(xs);
    r->xs = xs;
    xs_status st = XS_OK;
    size_t off = 0;
    do {
        size_t k = chunk && chunk < n - off ? chunk : n - off;
        char *b = xs_buffer(xs, k + 1);
        assert_non_null(b);
        memcpy(b, doc + off, k);
        off += k;
        st = xs_parse(xs, k, off == n);
    } while (st == XS_OK && off < n);
    if (st == XS_SYNTAX) assert_true(xs_error(xs)[0] != '\0');
    xs_free(xs);
    return st;
}

/* doc reads as exactly `want` (text runs written {…}) in every chunking. */
static int check_events(const char *doc, const char *want)
{
    int flats = 0;
    for (size_t chunk = 0; chunk <= 19; chunk++) {
        rec r = {.ev = BUF_INIT, .flat = chunk >= 10};
        xs_status st = scan(doc, strlen(doc), chunk % 10, &r);
        if (st != XS_OK || strcmp(buf_str(&r.ev), want) != 0)
            fail_msg("chunk %zu%s: status %d\n got  %s\n want %s", chunk % 10,
                     r.flat ? " (read whole)" : "", st, buf_str(&r.ev), want);
        if (chunk == 10) flats = r.flats;
        buf_free(&r.ev);
    }
    return flats;   /* elements read whole in one piece */
}

/* doc is refused with `want` in every chunking. */
static void check_refused(const char *doc, size_t n, xs_status want)
{
    for (size_t chunk = 0; chunk <= 11; chunk++) {
        rec r = {.ev = BUF_INIT, .flat = chunk >= 6};
        xs_status st = scan(doc, n, chunk % 6, &r);
        if (st != want) fail_msg("\"%s\" chunk %zu: status %d, want %d", doc, chunk, st, want);
        buf_free(&r.ev);
    }
}

#define REFUSED(lit, st) check_refused((lit), sizeof(lit) - 1, (st))

/* ---- well-formed ------------------------------------------------------------------ */

static void test_tags_attributes_and_text(void **state)
{
    (void)state;
    check_events("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
                 "<x:w xmlns:x=\"u\"><x:c r=\"A1\" t='s' s = \"2\"><x:v>12</x:v></x:c><e/>"
                 "<row\n r=\"3\"\t/></x:w>\n",
                 "<x:w xmlns:x=[u]><x:c r=[A1] t=[s] s=[2]><x:v>{12</x:v></x:c><e></e>"
                 "<row r=[3]></row></x:w>");
}

/* Plain ASCII is checked 64 and 16 bytes at a time: documents of every
 * length around those strides read the same (the check never looks past
 * what was fed). */
static void test_every_length_around_the_check_strides(void **state)
{
    (void)state;
    char doc[300], want[300];
    for (size_t k = 0; k < 190; k++) {   /* the literal below holds 196 */
        memset(doc, 0, sizeof doc);
        snprintf(doc, sizeof doc, "<a>%.*s</a>", (int)k,
                 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        snprintf(want, sizeof want, "<a>%s%.*s</a>", k ? "{" : "", (int)k, doc + 3);
        check_events(doc, want);
    }
}

static void test_references_cdata_comments(void **state)
{
    (void)state;
    check_events("\xEF\xBB\xBF<a v=\"&lt;&amp;&gt;&quot;&apos;&#65;&#x1F600;\">"
                 "x&lt;y&#x20AC;&#8364;<![CDATA[<b>&amp;]]]]><!-- c - d --><?pi data?>z</a>",
                 "<a v=[<&>\"'A\xF0\x9F\x98\x80]>{x<y\xE2\x82\xAC\xE2\x82\xAC<b>&amp;]]z</a>");
}

static void test_line_ends_and_attribute_blanks(void **state)
{
    (void)state;
    /* text: \r\n and \r read as \n; attributes: blanks become spaces, a
     * character reference stays what it names */
    check_events("<a v=\"1\r\n2\t3\n4&#10;5&#13;\">p\r\nq\rr</a>",
                 "<a v=[1 2 3 4\n5\r]>{p\nq\nr</a>");
}

static void test_stop_from_a_callback(void **state)
{
    (void)state;
    rec r = {.ev = BUF_INIT, .stop_at = 2};
    const char doc[] = "<a><b/><c/></a>";
    assert_int_equal(scan(doc, sizeof doc - 1, 0, &r), XS_STOPPED);
    assert_string_equal(buf_str(&r.ev), "<a><b>");
    buf_free(&r.ev);
}

static void test_stop_within_an_element_read_whole(void **state)
{
    (void)state;
    rec r = {.ev = BUF_INIT, .stop_at = 3, .flat = true};
    const char doc[] = "<a><c r=\"A1\"><v>1</v><f>x</f></c><c/></a>";
    assert_int_equal(scan(doc, sizeof doc - 1, 0, &r), XS_STOPPED);
    assert_string_equal(buf_str(&r.ev), "<a><c r=[A1]><v>");
    assert_int_equal(r.flats, 1);
    buf_free(&r.ev);
}

/* Which elements are read whole: the plain ones; the others come as
 * events, the same either way (check_events). */
static void test_small_elements_read_whole(void **state)
{
    (void)state;
    assert_int_equal(check_events("<w><c r=\"A1\" s='2' t=\"s\"><v>12</v></c><c r=\"B1\"/>"
                                  "<c ><f t=\"shared\" si=\"0\">A1+1</f><v/></c>"
                                  "<si><t xml:space=\"preserve\"> x </t></si><c><v></v></c></w>",
                                  "<w><c r=[A1] s=[2] t=[s]><v>{12</v></c><c r=[B1]></c>"
                                  "<c><f t=[shared] si=[0]>{A1+1</f><v></v></c>"
                                  "<si><t xml:space=[preserve]>{ x </t></si><c><v></v></c></w>"),
                     5);
    /* not plain: each goes through the events */
    static const char *const docs[][2] = {
        {"<w><x:c xmlns:x=\"u\"><x:v>1</x:v></x:c></w>",
         "<w><x:c xmlns:x=[u]><x:v>{1</x:v></x:c></w>"},
        {"<w><c xmlns=\"u\"><v>1</v></c></w>", "<w><c xmlns=[u]><v>{1</v></c></w>"},
        {"<w><c><x:v xmlns:x=\"u\">1</x:v></c></w>", "<w><c><x:v xmlns:x=[u]>{1</x:v></c></w>"},
        {"<w><c><v>a&amp;b</v></c></w>", "<w><c><v>{a&b</v></c></w>"},
        {"<w><c a=\"1&#65;\"/></w>", "<w><c a=[1A]></c></w>"},
        {"<w><c a=\"1\t2\"/></w>", "<w><c a=[1 2]></c></w>"},
        {"<w><c a = \"1\"/></w>", "<w><c a=[1]></c></w>"},
        {"<w><c> <v>1</v></c></w>", "<w><c>{ <v>{1</v></c></w>"},
        {"<w><c>x</c></w>", "<w><c>{x</c></w>"},
        {"<w><c><is><t>x</t></is></c></w>", "<w><c><is><t>{x</t></is></c></w>"},
        {"<w><c><v>1</v><!--n--></c></w>", "<w><c><v>{1</v></c></w>"},
        {"<w><c><v><![CDATA[1]]></v></c></w>", "<w><c><v>{1</v></c></w>"},
        {"<w><c><v>1]</v></c></w>", "<w><c><v>{1]</v></c></w>"},
        {"<w><c><v>1\r\n2</v></c></w>", "<w><c><v>{1\n2</v></c></w>"},
        {"<w><c><a/><a/><a/><a/><a/></c></w>",
         "<w><c><a></a><a></a><a></a><a></a><a></a></c></w>"},
        {"<w><c a='1' b='2' c='3' d='4' e='5' f='6' g='7' h='8' i='9'/></w>",
         "<w><c a=[1] b=[2] c=[3] d=[4] e=[5] f=[6] g=[7] h=[8] i=[9]></c></w>"},
        {"<w><c><v a='1' b='2' c='3' d='4' e='5'/></c></w>",
         "<w><c><v a=[1] b=[2] c=[3] d=[4] e=[5]></v></c></w>"},
        {"<w><c a='say \"x\"'/></w>", "<w><c a=[say \"x\"]></c></w>"},
        {"<c><v>1</v></c>", "<c><v>{1</v></c>"},                /* the root */
        {"<w><cc><v>1</v></cc></w>", "<w><cc><v>{1</v></cc></w>"}, /* another name */
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
        if (check_events(docs[i][0], docs[i][1]) != 0) fail_msg("read whole: %s", docs[i][0]);
    /* a line end or blank between the parts of a tag is still plain */
    assert_int_equal(check_events("<w><c\n r=\"A1\"\t><v>1</v ></c\r\n></w>",
                                  "<w><c r=[A1]><v>{1</v></c></w>"),
                     1);
}

/* ---- malformed ------------------------------------------------------------------------ */

static void test_malformed_is_refused(void **state)
{
    (void)state;
    REFUSED("", XS_SYNTAX);
    REFUSED("   ", XS_SYNTAX);
    REFUSED("<a>", XS_SYNTAX);                      /* unclosed */
    REFUSED("<a></b>", XS_SYNTAX);                  /* mismatched */
    REFUSED("<a></a><b/>", XS_SYNTAX);              /* two roots */
    REFUSED("x<a/>", XS_SYNTAX);                    /* text before the root */
    REFUSED("<a/>x", XS_SYNTAX);                    /* and after it */
    REFUSED("<a b=\"1\" b=\"2\"/>", XS_SYNTAX);     /* duplicate attribute */
    REFUSED("<a b=\"1\"c=\"2\"/>", XS_SYNTAX);      /* no blank between */
    REFUSED("<a b=1/>", XS_SYNTAX);                 /* unquoted */
    REFUSED("<a b=\"<\"/>", XS_SYNTAX);             /* '<' in a value */
    REFUSED("<a>&nbsp;</a>", XS_SYNTAX);            /* undeclared entity */
    REFUSED("<a>&#0;</a>", XS_SYNTAX);              /* invalid character */
    REFUSED("<a>&#xD800;</a>", XS_SYNTAX);
    REFUSED("<a>&#x110000;</a>", XS_SYNTAX);
    REFUSED("<a>& b</a>", XS_SYNTAX);
    REFUSED("<a>]]></a>", XS_SYNTAX);
    REFUSED("<a><!-- a -- b --></a>", XS_SYNTAX);
    REFUSED("<a><?xml version=\"1.0\"?></a>", XS_SYNTAX);
    REFUSED("<a>\x01</a>", XS_SYNTAX);              /* control character */
    REFUSED("<a>\xC3</a>", XS_SYNTAX);              /* cut UTF-8 */
    REFUSED("<a>\xED\xA0\x80</a>", XS_SYNTAX);      /* surrogate */
    REFUSED("<a>\xEF\xBF\xBE</a>", XS_SYNTAX);      /* U+FFFE */
    REFUSED("<a>\xC0\x80</a>", XS_SYNTAX);          /* overlong */
    REFUSED("<1a/>", XS_SYNTAX);
    REFUSED("<a", XS_SYNTAX);
    REFUSED("<a><b></a>", XS_SYNTAX);
    REFUSED("<a><b><c></b></c></a>", XS_SYNTAX);    /* inside what may be read whole */
    REFUSED("<a><c><v>1</w></c></a>", XS_SYNTAX);
    REFUSED("<a><c><v>1</v></c>", XS_SYNTAX);
    REFUSED("<a><c r=\"1\" r=\"2\"><v>1</v></c></a>", XS_SYNTAX);
    REFUSED("<a><c><v>1</v></c></a><c/>", XS_SYNTAX);
    REFUSED("<a><c><v>]]></v></c></a>", XS_SYNTAX);
    REFUSED("<a><c><v>\x01</v></c></a>", XS_SYNTAX);
    REFUSED("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", XS_DOCTYPE);
    REFUSED("<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>", XS_DEPTH);
    char big[5000];
    memset(big, ' ', sizeof big);
    memcpy(big, "<a><b c=\"", 9);
    /* a tag longer than the token cap, fed in pieces, is refused; whole it
     * is simply read (the cap bounds what is held between chunks) */
    rec r = {.ev = BUF_INIT};
    assert_int_equal(scan(big, sizeof big, 100, &r), XS_TOKEN);
    buf_free(&r.ev);
}

static void test_error_offset_and_order(void **state)
{
    (void)state;
    /* the first error in document order wins, whatever the chunking */
    const char doc[] = "<a><b></c>\x01</a>";
    for (size_t chunk = 0; chunk < 6; chunk++) {
        rec r = {.ev = BUF_INIT};
        xs_handlers h = {&r, on_start, on_end, on_chars, NULL, NULL};
        xs_parser *xs = xs_create(&h, 16, 4096);
        size_t off = 0, n = sizeof doc - 1;
        xs_status st;
        do {
            size_t k = chunk && chunk < n - off ? chunk : n - off;
            memcpy(xs_buffer(xs, k), doc + off, k);
            off += k;
            st = xs_parse(xs, k, off == n);
        } while (st == XS_OK && off < n);
        assert_int_equal(st, XS_SYNTAX);
        assert_int_equal(xs_error_offset(xs), 6);   /* "</c>" */
        assert_non_null(strstr(xs_error(xs), "không khớp"));
        xs_free(xs);
        buf_free(&r.ev);
    }
}

static void test_can_scan(void **state)
{
    (void)state;
    assert_true(xs_can_scan("<a/>", 4));
    assert_true(xs_can_scan("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>", 42));
    assert_true(xs_can_scan("<?xml version='1.0' encoding='utf-8'?><a/>", 42));
    assert_true(xs_can_scan("<?xml version=\"1.0\"?><a/>", 25));
    assert_false(xs_can_scan("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>", 47));
    assert_false(xs_can_scan("\xFF\xFE<\0a\0/\0>\0", 10));
    assert_false(xs_can_scan("<\0a\0/\0>\0", 8));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tags_attributes_and_text),
        cmocka_unit_test(test_every_length_around_the_check_strides),
        cmocka_unit_test(test_references_cdata_comments),
        cmocka_unit_test(test_line_ends_and_attribute_blanks),
        cmocka_unit_test(test_stop_from_a_callback),
        cmocka_unit_test(test_stop_within_an_element_read_whole),
        cmocka_unit_test(test_small_elements_read_whole),
        cmocka_unit_test(test_malformed_is_refused),
        cmocka_unit_test(test_error_offset_and_order),
        cmocka_unit_test(test_can_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
