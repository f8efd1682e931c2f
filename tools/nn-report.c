/* nn-report — one self-contained HTML page: every experiment's note, figures, numbers and
 * claim verdicts, readable offline.
 *
 *   nn-report --katex DIR [--results DIR] [--out FILE] NOTE.md ...
 *
 * For each note (lectures/NN-NAME.md with a results block for NAME): the note's Markdown
 * rendered by cmark-gfm with GitHub's table extension (equations protected from Markdown
 * and typeset in the browser by the bundled KaTeX), each figure numbered NN.k with the
 * note's alt text and the paragraph after it as its caption, images embedded as data: URIs,
 * then the run's data set, seeds, environment, resolved config and wall time from
 * results/NAME.json. A table of contents stays at the top of the window; a print
 * stylesheet starts each experiment on a new page (`make pdf`). At the top, claims
 * held / tested per experiment and every claim with its verdict. KaTeX's script, style and
 * fonts (woff2, as data: URIs) come from DIR (node_modules/katex/dist), so the page needs
 * no network when it is opened. `make report` runs it.
 */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <ctype.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "nnlab.h"

static char *slurp(const char *path, size_t *len)
{
    char *t = NULL;
    if (nn_read_file(path, 1u << 28, &t, len) != 0) {
        fprintf(stderr, "nn-report: %s\n", nn_error());
        exit(1);
    }
    return t;
}

static void base64(nn_str *o, const unsigned char *p, size_t n)
{
    static const char tb[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char q[4];
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        q[0] = tb[v >> 18 & 63], q[1] = tb[v >> 12 & 63];
        q[2] = i + 1 < n ? tb[v >> 6 & 63] : '=';
        q[3] = i + 2 < n ? tb[v & 63] : '=';
        nn_str_addn(o, q, 4);
    }
}

static void html_escape(nn_str *o, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '<') nn_str_add(o, "&lt;");
        else if (p[i] == '>') nn_str_add(o, "&gt;");
        else if (p[i] == '&') nn_str_add(o, "&amp;");
        else if (p[i] == '"') nn_str_add(o, "&quot;");
        else nn_str_addn(o, p + i, 1);
    }
}

static void esc(nn_str *o, const char *s) { html_escape(o, s, strlen(s)); }

static void data_uri(nn_str *o, const char *path)
{
    size_t n;
    char *bytes = slurp(path, &n);
    const char *ext = strrchr(path, '.');
    const char *mime = !ext                     ? "application/octet-stream"
                       : !strcmp(ext, ".png")   ? "image/png"
                       : !strcmp(ext, ".svg")   ? "image/svg+xml"
                       : !strcmp(ext, ".woff2") ? "font/woff2"
                                                : "application/octet-stream";
    nn_str_add(o, "data:%s;base64,", mime);
    base64(o, (unsigned char *)bytes, n);
    free(bytes);
}

/* ---- Markdown with math ---------------------------------------------------------------
 * cmark knows no math: `$a_i b_j$` would become emphasis. Every $…$ and $$…$$ outside code
 * is swapped for a placeholder before rendering and put back, escaped, afterwards. */
typedef struct math { char *tex; int display; } math;

static char *protect_math(const char *md, math **out, int *count)
{
    nn_str o = {0};
    int cap = 64, n = 0;
    math *m = nn_calloc((size_t)cap, sizeof *m);
    int fenced = 0;
    const char *p = md;
    while (*p) {
        int line_start = p == md || p[-1] == '\n';
        if (line_start && !strncmp(p, "```", 3)) fenced = !fenced;
        if (fenced || *p == '`') { /* code: copy through (inline code to its closing backtick) */
            if (!fenced) {
                const char *q = strchr(p + 1, '`');
                size_t len = q ? (size_t)(q - p + 1) : strlen(p);
                nn_str_addn(&o, p, len);
                p += len;
            } else {
                const char *q = strchr(p, '\n');
                size_t len = q ? (size_t)(q - p + 1) : strlen(p);
                nn_str_addn(&o, p, len);
                p += len;
            }
            continue;
        }
        if (*p == '$' && (p == md || p[-1] != '\\')) {
            int display = p[1] == '$';
            const char *start = p + (display ? 2 : 1);
            const char *end = display ? strstr(start, "$$") : strchr(start, '$');
            if (end && end > start && (display || (start[0] != ' ' && end[-1] != ' '))) {
                if (n == cap) {
                    cap *= 2;
                    m = realloc(m, (size_t)cap * sizeof *m);
                    NN_ASSERT(m != NULL, "out of memory");
                }
                m[n].tex = nn_calloc((size_t)(end - start) + 1, 1);
                memcpy(m[n].tex, start, (size_t)(end - start));
                m[n].display = display;
                nn_str_add(&o, "NNMATH%05dX", n);
                n++;
                p = end + (display ? 2 : 1);
                continue;
            }
        }
        nn_str_addn(&o, p, 1);
        p++;
    }
    *out = m;
    *count = n;
    return o.s ? o.s : nn_strdup("");
}

/* ---- Markdown to HTML ------------------------------------------------------------------ */

/* the plain text under a node (an image's alt text) */
static void plain_text(nn_str *o, cmark_node *n)
{
    for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
        const char *lit = cmark_node_get_literal(c);
        if (lit) nn_str_add(o, "%s", lit);
        plain_text(o, c);
    }
}

/* A paragraph that holds one image becomes a numbered figure; the paragraph right after it,
 * if any, is its caption. */
static void make_figures(cmark_node *doc, int note_no, int *n_fig, cmark_llist *exts)
{
    cmark_node *n = cmark_node_first_child(doc);
    while (n) {
        cmark_node *next = cmark_node_next(n);
        cmark_node *img = cmark_node_first_child(n);
        if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH && img && cmark_node_get_type(img) == CMARK_NODE_IMAGE &&
            !cmark_node_next(img)) {
            ++*n_fig;
            nn_str h = {0}, alt = {0};
            plain_text(&alt, img);
            const char *url = cmark_node_get_url(img);
            nn_str_add(&h, "<figure id=\"fig-%d-%d\"><img src=\"", note_no, *n_fig);
            html_escape(&h, url, strlen(url));
            nn_str_add(&h, "\" alt=\"");
            if (alt.s) html_escape(&h, alt.s, alt.len);
            nn_str_add(&h, "\" /><figcaption><b>Figure %d.%d.</b> ", note_no, *n_fig);
            if (alt.s) html_escape(&h, alt.s, alt.len), nn_str_add(&h, ". ");
            cmark_node *cap = next;
            if (cap && cmark_node_get_type(cap) == CMARK_NODE_PARAGRAPH &&
                !(cmark_node_first_child(cap) && cmark_node_get_type(cmark_node_first_child(cap)) == CMARK_NODE_IMAGE)) {
                char *inner = cmark_render_html(cap, CMARK_OPT_UNSAFE, exts); /* "<p>…</p>\n" */
                size_t L = strlen(inner);
                if (L > 8 && !strncmp(inner, "<p>", 3)) nn_str_addn(&h, inner + 3, L - 3 - 5);
                else nn_str_add(&h, "%s", inner);
                free(inner);
                next = cmark_node_next(cap);
                cmark_node_free(cap);
            }
            nn_str_add(&h, "</figcaption></figure>\n");
            cmark_node *fig = cmark_node_new(CMARK_NODE_HTML_BLOCK);
            cmark_node_set_literal(fig, h.s);
            cmark_node_insert_before(n, fig);
            cmark_node_free(n);
            nn_str_free(&h), nn_str_free(&alt);
        }
        n = next;
    }
}

/* GitHub-flavoured Markdown (tables, strikethrough, autolinks) to HTML */
static char *md_to_html(const char *md, int note_no, int *n_fig)
{
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *p = cmark_parser_new(CMARK_OPT_UNSAFE);
    const char *names[] = {"table", "strikethrough", "autolink"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        cmark_syntax_extension *x = cmark_find_syntax_extension(names[i]);
        NN_ASSERT(x != NULL, "cmark-gfm has no '%s' extension", names[i]);
        cmark_parser_attach_syntax_extension(p, x);
    }
    cmark_parser_feed(p, md, strlen(md));
    cmark_node *doc = cmark_parser_finish(p);
    make_figures(doc, note_no, n_fig, cmark_parser_get_syntax_extensions(p));
    char *html = cmark_render_html(doc, CMARK_OPT_UNSAFE, cmark_parser_get_syntax_extensions(p));
    cmark_node_free(doc);
    cmark_parser_free(p);
    return html;
}

/* How many tables the Markdown holds outside code: its delimiter rows (|---|---|). */
static int md_tables(const char *md)
{
    int n = 0, fenced = 0;
    for (const char *line = md; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (!strncmp(line, "```", 3)) fenced = !fenced;
        else if (!fenced && len >= 5 && line[0] == '|') {
            int ok = 1, dash = 0;
            for (size_t i = 0; i < len && ok; i++) {
                if (line[i] == '-') dash++;
                else if (!strchr("|: \t\r", line[i])) ok = 0;
            }
            n += ok && dash >= 3;
        }
        line += len + (end ? 1 : 0);
        if (!end) break;
    }
    return n;
}

/* cmark's HTML with the math put back and relative images embedded */
static const char *figures_dir = NULL; /* --figures: the run's figures replace ../plots/ */

static void finish_html(nn_str *o, const char *html, math *m, int n_math, const char *note_dir)
{
    const char *p = html;
    while (*p) {
        int idx;
        if (!strncmp(p, "NNMATH", 6) && sscanf(p + 6, "%5dX", &idx) == 1 && idx >= 0 && idx < n_math && p[11] == 'X') {
            nn_str_add(o, m[idx].display ? "<span class=\"math display\">\\[" : "<span class=\"math inline\">\\(");
            html_escape(o, m[idx].tex, strlen(m[idx].tex));
            nn_str_add(o, m[idx].display ? "\\]</span>" : "\\)</span>");
            p += 12;
            continue;
        }
        if (!strncmp(p, "<img src=\"", 10) && strncmp(p + 10, "data:", 5) && strncmp(p + 10, "http", 4)) {
            const char *q = strchr(p + 10, '"');
            if (q) {
                char rel[1024], path[2048];
                snprintf(rel, sizeof rel, "%.*s", (int)(q - p - 10), p + 10);
                /* only a figure of plots/ is embedded: a path elsewhere (a key file, ../../etc) is refused */
                int ok = !strncmp(rel, "../plots/", 9) && !strstr(rel + 9, "..") && !strchr(rel + 9, '/');
                for (const char *c = rel; *c && ok; c++) ok = isalnum((unsigned char)*c) || strchr("_.-/", *c);
                if (!ok) {
                    fprintf(stderr, "nn-report: the image '%s' is not a figure in plots/ (../plots/NAME.png or .svg)\n", rel);
                    exit(1);
                }
                if (figures_dir && !strncmp(rel, "../plots/", 9)) snprintf(path, sizeof path, "%s/%s", figures_dir, rel + 9);
                else snprintf(path, sizeof path, "%s/%s", note_dir, rel);
                nn_str_add(o, "<img src=\"");
                data_uri(o, path);
                nn_str_add(o, "\" data-file=\""), esc(o, rel), nn_str_add(o, "\"");
                p = q + 1;
                continue;
            }
        }
        nn_str_addn(o, p, 1);
        p++;
    }
}

/* ---- KaTeX, inlined ------------------------------------------------------------------ */

static void katex_css(nn_str *o, const char *dir)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/katex.min.css", dir);
    char *css = slurp(path, NULL);
    const char *p = css;
    while (*p) {
        if (!strncmp(p, "url(fonts/", 10)) {
            const char *q = strchr(p, ')');
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)(q - p - 10), p + 10);
            if (strstr(name, ".woff2")) {
                snprintf(path, sizeof path, "%s/fonts/%s", dir, name);
                nn_str_add(o, "url(");
                data_uri(o, path);
                nn_str_add(o, ")");
            } else {
                nn_str_add(o, "url(data:,)"); /* woff/ttf fallbacks: a browser that reads woff2 never asks */
            }
            p = q + 1;
            continue;
        }
        nn_str_addn(o, p, 1);
        p++;
    }
    free(css);
}

static void inline_file(nn_str *o, const char *dir, const char *name)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *t = slurp(path, NULL);
    /* a script may not contain "</script" inside an inline <script> element */
    for (const char *p = t; *p; p++) {
        if (!strncmp(p, "</script", 8)) nn_str_add(o, "<\\/script"), p += 7;
        else nn_str_addn(o, p, 1);
    }
    free(t);
}

/* ---- the page -------------------------------------------------------------------------- */

static const char *CSS =
    "body{font:16px/1.5 'DejaVu Sans',Helvetica,Arial,sans-serif;max-width:1200px;margin:0 auto 2em;padding:0 1em;color:#222}"
    "h1{font-size:1.8em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2.5em}"
    "section.experiment>.note>h1{margin-top:2.5em;border-top:4px solid #0072B2;padding-top:.5em}"
    "table{border-collapse:collapse;margin:1em 0;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em "
    ".5em;vertical-align:top}"
    "th{background:#f0f4f8}img{max-width:100%;height:auto}"
    "figure{margin:1.5em 0;padding:.5em;border:1px solid #e4e4e4;background:#fff}"
    "figcaption{font-size:.92em;color:#333;margin-top:.4em}figcaption p{margin:.3em 0}"
    ".changed{background:#fff3c4}.held{color:#006d2c;font-weight:bold}.failed{color:#b30000;font-weight:bold}.inconclusive{color:"
    "#8a5a00;font-weight:bold}"
    ".run{background:#f8f8f8;border:1px solid #ddd;padding:.5em 1em;margin:1.5em 0}"
    "code{background:#f4f4f4;padding:0 .2em}pre{background:#f4f4f4;padding:.6em;overflow-x:auto}"
    "details{margin:.5em 0}"
    "nav#toc{position:sticky;top:0;z-index:10;background:#fff;border-bottom:1px solid #ccc;padding:.45em 0;font-size:.9em;"
    "display:flex;flex-wrap:wrap;gap:.15em 1em}"
    "nav#toc a{white-space:nowrap;text-decoration:none;color:#0057a0}nav#toc a:hover{text-decoration:underline}"
    ":target{scroll-margin-top:3.5em}h1[id],h2[id],section[id],figure[id]{scroll-margin-top:3.5em}"
    "@media print{body{max-width:none;font-size:10.5pt;margin:0}nav#toc{display:none}"
    "section.experiment{break-before:page}figure,table,pre{break-inside:avoid}h1,h2,h3{break-after:avoid}"
    "pre{white-space:pre-wrap}a{color:inherit;text-decoration:none}.run details pre{font-size:8pt}}";

typedef struct exp_info {
    char name[128], note[1024], title[256];
    int no;             /* the note's number (its file name's leading digits) */
    cJSON *doc, *ref;   /* the run's results; the reference run's (NULL without --reference) */
} exp_info;

/* the reference's claim with this id, or NULL */
static const cJSON *ref_claim(const cJSON *ref, const char *id)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(ref, "claims"))
    if (!strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id")), id)) return c;
    return NULL;
}

__attribute__((noinline)) static void exp_name_of(const char *md, char *name, size_t n)
{
    const char *b = strstr(md, "<!-- nnlab:results ");
    name[0] = '\0';
    if (!b) return;
    b += strlen("<!-- nnlab:results ");
    const char *sp = strchr(b, ' ');
    if (sp && (size_t)(sp - b) < n) snprintf(name, n, "%.*s", (int)(sp - b), b);
}

/* the note's first "# " heading */
__attribute__((noinline)) static void note_title(const char *md, char *title, size_t n)
{
    const char *h1 = !strncmp(md, "# ", 2) ? md + 2 : strstr(md, "\n# ");
    if (h1 && h1 != md + 2) h1 += 3;
    snprintf(title, n, "%.*s", h1 ? (int)strcspn(h1, "\n") : 0, h1 ? h1 : "");
}

/* A results file is untrusted input: besides what every reader needs (nn_report_check), the fields this page
 * prints must be there and of their type. NULL when it is usable, else the first field that is not. */
static const char *report_fields(const cJSON *d, char *bad, size_t n)
{
    if (nn_report_check(d, bad, n)) return bad;
    const cJSON *c, *ds = cJSON_GetObjectItemCaseSensitive(d, "dataset"),
                    *env = cJSON_GetObjectItemCaseSensitive(d, "environment");
    int k = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(d, "claims"))
    {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(c, "measured"), *r = cJSON_GetObjectItemCaseSensitive(c, "reason");
        if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(c, "statement")))
            snprintf(bad, n, "claims[%d].statement is missing or not a string", k);
        else if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(c, "held_in")))
            snprintf(bad, n, "claims[%d].held_in is missing or not a string", k);
        else if (m && !cJSON_IsNumber(m) && !cJSON_IsNull(m)) snprintf(bad, n, "claims[%d].measured is not a number", k);
        else if (r && !cJSON_IsString(r)) snprintf(bad, n, "claims[%d].reason is not a string", k);
        if (*bad) return bad;
        k++;
    }
    if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(d, "claims"))) snprintf(bad, n, "claims is missing");
    else if (!cJSON_IsObject(ds) || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(ds, "name")))
        snprintf(bad, n, "dataset.name is missing or not a string");
    else if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(ds, "train")) ||
             !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(ds, "test")))
        snprintf(bad, n, "dataset.train or dataset.test is missing or not a number");
    else if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(d, "config"), "seeds")))
        snprintf(bad, n, "config.seeds is missing or not a number");
    else if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(d, "profile")))
        snprintf(bad, n, "profile is missing or not a string");
    else if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(d, "wall_seconds")))
        snprintf(bad, n, "wall_seconds is missing or not a number");
    else if (!cJSON_IsObject(env) || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(env, "git_revision")))
        snprintf(bad, n, "environment.git_revision is missing or not a string");
    return *bad ? bad : NULL;
}

/* an experiment's name from a note's results block: it names a file and an element id */
static int is_name(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-') return 0;
    return 1;
}

int main(int argc, char **argv)
{
    const char *katex = NULL, *results = "results", *out = "results/report.html", *reference = NULL,
               *coverage = "lectures/coverage.json";
    int first = 1;
    for (; first < argc && !strncmp(argv[first], "--", 2); first++) {
        if (!strcmp(argv[first], "--katex") && first + 1 < argc) katex = argv[++first];
        else if (!strcmp(argv[first], "--results") && first + 1 < argc) results = argv[++first];
        else if (!strcmp(argv[first], "--out") && first + 1 < argc) out = argv[++first];
        else if (!strcmp(argv[first], "--figures") && first + 1 < argc) figures_dir = argv[++first];
        else if (!strcmp(argv[first], "--reference") && first + 1 < argc) reference = argv[++first];
        else if (!strcmp(argv[first], "--coverage") && first + 1 < argc) coverage = argv[++first];
        else if (!strcmp(argv[first], "--help")) {
            printf("usage: nn-report --katex DIR [--results DIR] [--figures DIR] [--reference DIR] [--out FILE] NOTE.md ...\n"
                   "Build the self-contained HTML report from the lecture notes and their results.\n"
                   "  --results DIR    the run's results (default results/, the reference run)\n"
                   "  --figures DIR    the run's figures, in place of the notes' ../plots/\n"
                   "  --reference DIR  put each claim beside its verdict in DIR/NAME.json (the reference run),\n"
                   "                   and rewrite each note's results block from the run's results\n"
                   "  --coverage FILE  the index of the lectures' testable items (default lectures/coverage.json),\n"
                   "                   shown with this run's verdicts\n");
            return 0;
        } else {
            fprintf(stderr, "nn-report: unknown or incomplete flag '%s' (see --help)\n", argv[first]);
            return 2;
        }
    }
    if (!katex || first >= argc) {
        fprintf(stderr,
                "usage: nn-report --katex DIR [--results DIR] [--figures DIR] [--reference DIR] [--out FILE] NOTE.md ...\n");
        return 2;
    }
    int n = argc - first;
    exp_info *ex = nn_calloc((size_t)n, sizeof *ex);
    for (int i = 0; i < n; i++) {
        snprintf(ex[i].note, sizeof ex[i].note, "%s", argv[first + i]);
        char *md = slurp(ex[i].note, NULL);
        exp_name_of(md, ex[i].name, sizeof ex[i].name);
        note_title(md, ex[i].title, sizeof ex[i].title);
        const char *base = strrchr(ex[i].note, '/');
        ex[i].no = atoi(base ? base + 1 : ex[i].note);
        free(md);
        if (!ex[i].name[0]) {
            fprintf(stderr, "nn-report: %s has no results block (<!-- nnlab:results NAME begin -->)\n", ex[i].note);
            return 1;
        }
        if (!is_name(ex[i].name)) {
            fprintf(stderr,
                    "nn-report: %s: the results block's name '%s' is not an experiment's name (letters, digits, '_', '-')\n",
                    ex[i].note, ex[i].name);
            return 1;
        }
        char path[1200];
        snprintf(path, sizeof path, "%s/%s.json", results, ex[i].name);
        char *t = slurp(path, NULL);
        ex[i].doc = nn_json_parse(t);
        free(t);
        char bad[256];
        if (!ex[i].doc) {
            fprintf(stderr, "nn-report: %s is not valid JSON\n", path);
            return 1;
        }
        if (report_fields(ex[i].doc, bad, sizeof bad)) {
            fprintf(stderr, "nn-report: %s: %s\n", path, bad);
            return 1;
        }
        if (reference) { /* a missing reference result is allowed: the column says so; a broken one is not */
            snprintf(path, sizeof path, "%s/%s.json", reference, ex[i].name);
            char *rt = NULL;
            if (access(path, F_OK) == 0) {
                if (nn_read_file(path, 1u << 28, &rt, NULL) != 0) {
                    fprintf(stderr, "nn-report: %s\n", nn_error());
                    return 1;
                }
                ex[i].ref = nn_json_parse(rt);
                free(rt);
                if (!ex[i].ref || report_fields(ex[i].ref, bad, sizeof bad)) {
                    fprintf(stderr, "nn-report: %s: %s\n", path, ex[i].ref ? bad : "not valid JSON");
                    return 1;
                }
            }
        }
    }

    nn_str o = {0};
    nn_str_add(&o, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<title>nnlab report: the lectures' claims, checked</title>\n<style>%s</style>\n<style>", CSS);
    katex_css(&o, katex);
    nn_str_add(&o, "</style>\n<script>");
    inline_file(&o, katex, "katex.min.js");
    nn_str_add(&o, "</script>\n<script>");
    inline_file(&o, katex, "contrib/auto-render.min.js");
    nn_str_add(&o, "</script>\n</head><body>\n<nav id=\"toc\"><a href=\"#overview\">Overview</a>");
    for (int i = 0; i < n; i++) {
        /* the title up to its colon: "6. Deep supervision" */
        const char *t = ex[i].title[0] ? ex[i].title : ex[i].name;
        nn_str_add(&o, "<a href=\"#exp-%s\" title=\"", ex[i].name);
        html_escape(&o, t, strlen(t));
        nn_str_add(&o, "\">");
        html_escape(&o, t, strcspn(t, ":"));
        nn_str_add(&o, "</a>");
    }
    nn_str_add(&o, "<a href=\"#coverage\">Coverage</a></nav>\n<h1>nnlab: the lectures' claims, checked</h1>\n");
    if (reference) {
        nn_str_add(&o, "<p class=\"run\">This report shows the run in <code>");
        html_escape(&o, results, strlen(results));
        nn_str_add(&o, "/</code> (profile <b>");
        esc(&o, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ex[0].doc, "profile")));
        nn_str_add(&o, "</b>)");
        if (figures_dir) nn_str_add(&o, ", with its own figures from <code>"), esc(&o, figures_dir), nn_str_add(&o, "/</code>");
        nn_str_add(&o, ", each claim beside its verdict in the reference run (<code>");
        html_escape(&o, reference, strlen(reference));
        nn_str_add(&o, "/</code>). The notes' results blocks show this run.</p>\n");
    }

    /* the overview: claims held per experiment, then every claim */
    int all = 0, all_held = 0, all_nh = 0, all_inc = 0, all_fragile = 0, all_twice = 0, all_other = 0;
    nn_str_add(&o, "<section id=\"overview\"><h2>Overview</h2>\n<p>Lecture claims only: an identity (true by construction of the "
                   "code or the "
                   "algebra) or a setup claim (a condition an experiment arranges) is listed below but never counted "
                   "(<code>lectures/claim-rubric.md</code>).</p>\n"
                   "<table><tr><th>experiment</th><th>held</th><th>not held</th><th>inconclusive</th><th>fragile</th><th>data "
                   "set</th><th>seeds</th>"
                   "<th>profile</th><th>wall time (s)</th><th>git revision</th></tr>\n");
    for (int i = 0; i < n; i++) {
        const cJSON *c, *doc = ex[i].doc;
        int h, nh, inc;
        (void)c;
        nn_claims_count(doc, &h, &nh, &inc);
        all += h + nh + inc, all_held += h, all_nh += nh, all_inc += inc;
        int tw, fr = nn_claims_fragile(doc, &tw);
        all_fragile += fr, all_twice += tw;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "claims")) all_other += nn_claim_kind_of(c) != NN_LECTURE;
        char frs[32];
        if (tw) snprintf(frs, sizeof frs, "%d", fr);
        else snprintf(frs, sizeof frs, "—");
        const cJSON *ds = cJSON_GetObjectItemCaseSensitive(doc, "dataset"),
                    *cfg = cJSON_GetObjectItemCaseSensitive(doc, "config");
        char w[64];
        nn_report_num(w, sizeof w,
                      cJSON_GetObjectItemCaseSensitive(doc, "wall_seconds")
                          ? cJSON_GetObjectItemCaseSensitive(doc, "wall_seconds")->valuedouble
                          : NAN);
        nn_str_add(&o,
                   "<tr><td><a href=\"#exp-%s\">%s</a></td><td class=\"held\">%d</td><td class=\"failed\">%d</td><td "
                   "class=\"inconclusive\">%d</td><td>%s</td><td>",
                   ex[i].name, ex[i].name, h, nh, inc, frs);
        esc(&o, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ds, "name")));
        nn_str_add(&o, " (%d train, %d test)</td><td>%d</td><td>", cJSON_GetObjectItemCaseSensitive(ds, "train")->valueint,
                   cJSON_GetObjectItemCaseSensitive(ds, "test")->valueint,
                   cJSON_GetObjectItemCaseSensitive(cfg, "seeds")->valueint);
        esc(&o, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "profile")));
        nn_str_add(&o, "</td><td>%s</td><td><code>", w);
        esc(&o, cJSON_GetStringValue(
                    cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "environment"), "git_revision")));
        nn_str_add(&o, "</code></td></tr>\n");
    }
    int differ = 0, compared = 0;
    for (int i = 0; i < n && reference; i++) {
        const cJSON *c;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(ex[i].doc, "claims"))
        {
            const cJSON *r = ref_claim(ex[i].ref, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id")));
            if (!r) continue;
            compared++;
            differ += strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "verdict")),
                             cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "verdict"))) != 0;
        }
    }
    nn_str_add(&o, "</table>\n<p><b>Of %d lecture claims in this run: %d held, %d not held, %d inconclusive", all, all_held,
               all_nh, all_inc);
    if (all_twice) nn_str_add(&o, "; %d of them fragile (their verdict from seeds 1001 on differs)", all_fragile);
    nn_str_add(&o, ".</b> Besides them, %d identities and setup claims.", all_other);
    if (reference)
        nn_str_add(&o, " <b id=\"vs-reference\">Beside the reference run ("), esc(&o, reference),
            nn_str_add(&o, "/): %d of %d verdicts the same, %d different.</b>", compared - differ, compared, differ);
    nn_str_add(&o, " Every claim, its mean over seeds, what each seed needed, in how many seeds it held, and the verdict%s:</p>\n"
                   "<table><tr><th>experiment</th><th>claim</th><th>mean measured</th><th>needed per seed</th><th>held in</th>"
                   "<th>verdict</th>%s</tr>\n",
               reference ? ", beside the reference run's" : "", reference ? "<th>reference run</th>" : "");
    for (int i = 0; i < n; i++) {
        const cJSON *c;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(ex[i].doc, "claims"))
        {
            char m[64], th[64];
            const cJSON *mv = cJSON_GetObjectItemCaseSensitive(c, "measured");
            if (cJSON_IsNumber(mv)) nn_report_num(m, sizeof m, mv->valuedouble);
            else snprintf(m, sizeof m, "not measured");
            nn_report_num(th, sizeof th, cJSON_GetObjectItemCaseSensitive(c, "threshold")->valuedouble);
            const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "verdict"));
            const char *reason = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "reason"));
            nn_str_add(&o, "<tr><td>%s</td><td>", ex[i].name);
            const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "statement"));
            html_escape(&o, st, strlen(st));
            if (nn_claim_kind_of(c) != NN_LECTURE) nn_str_add(&o, " <i>(%s)</i>", nn_claim_kind_name(nn_claim_kind_of(c)));
            if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "fragile"))) nn_str_add(&o, " <b>(fragile)</b>");
            nn_str_add(&o, "</td><td>%s</td><td>", m);
            const char *op = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "op"));
            html_escape(&o, op, strlen(op));
            nn_str_add(&o, " %s</td><td>", th);
            esc(&o, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "held_in")));
            nn_str_add(&o, "</td><td class=\"%s\">%s",
                       !strcmp(v, "held")       ? "held"
                       : !strcmp(v, "not held") ? "failed"
                                                : "inconclusive",
                       v);
            if (reason) {
                nn_str_add(&o, ": ");
                html_escape(&o, reason, strlen(reason));
            }
            nn_str_add(&o, "</td>");
            if (reference) {
                const cJSON *r = ref_claim(ex[i].ref, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id")));
                const char *rv = r ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "verdict")) : NULL;
                if (!rv) nn_str_add(&o, "<td>not in the reference run</td>");
                else {
                    char rm[64];
                    const cJSON *rmv = cJSON_GetObjectItemCaseSensitive(r, "measured");
                    if (cJSON_IsNumber(rmv)) nn_report_num(rm, sizeof rm, rmv->valuedouble);
                    else snprintf(rm, sizeof rm, "not measured");
                    nn_str_add(&o, "<td class=\"%s%s\">%s%s (%s)</td>",
                               !strcmp(rv, "held")       ? "held"
                               : !strcmp(rv, "not held") ? "failed"
                                                         : "inconclusive",
                               strcmp(rv, v) ? " changed" : "", strcmp(rv, v) ? "changed: was " : "", rv, rm);
                }
            }
            nn_str_add(&o, "</tr>\n");
        }
    }
    nn_str_add(&o, "</table></section>\n");

    /* the coverage index: every testable item of the lectures, with this run's verdicts */
    cJSON *index;
    if (nn_coverage_load(coverage, &index) != 0) {
        fprintf(stderr, "nn-report: %s\n", nn_error());
        return 1;
    }
    cJSON **docs = nn_calloc((size_t)n, sizeof *docs);
    for (int i = 0; i < n; i++) docs[i] = ex[i].doc;
    nn_str cov = {0};
    nn_str_add(&cov, "## Coverage: which statements of the lectures this lab stands behind\n\n");
    nn_coverage_markdown(index, docs, n, &cov);
    int n_cov_fig = 0;
    char *cov_html = md_to_html(cov.s, 0, &n_cov_fig);
    nn_str_add(&o, "<section id=\"coverage\" data-md-tables=\"%d\" data-items=\"%d\">\n", md_tables(cov.s),
               cJSON_GetArraySize(index));
    finish_html(&o, cov_html, NULL, 0, "lectures");
    nn_str_add(&o, "</section>\n");
    free(cov_html), nn_str_free(&cov), free(docs);
    cJSON_Delete(index);

    /* one section per experiment: its note, then the run's details */
    for (int i = 0; i < n; i++) {
        char *md = slurp(ex[i].note, NULL);
        if (reference) { /* the note's results block shows this run, not the reference */
            nn_str up = {0};
            int changed;
            if (nn_report_update_note(md, results, &up, &changed) != 0) {
                fprintf(stderr, "nn-report: %s: %s\n", ex[i].note, nn_error());
                return 1;
            }
            free(md);
            md = up.s;
        }
        math *m;
        int n_math;
        char *prot = protect_math(md, &m, &n_math);
        int n_fig = 0;
        char *html = md_to_html(prot, ex[i].no, &n_fig);
        char note_dir[1024];
        snprintf(note_dir, sizeof note_dir, "%s", ex[i].note);
        char *slash = strrchr(note_dir, '/');
        if (slash) *slash = '\0';
        else snprintf(note_dir, sizeof note_dir, ".");
        nn_str_add(
            &o, "<section class=\"experiment\" id=\"exp-%s\" data-md-tables=\"%d\" data-figures=\"%d\">\n<div class=\"note\">\n",
            ex[i].name, md_tables(md), n_fig);
        finish_html(&o, html, m, n_math, note_dir);
        free(html);
        free(prot);
        for (int k = 0; k < n_math; k++) free(m[k].tex);
        free(m);
        free(md);
        const cJSON *doc = ex[i].doc;
        nn_str_add(&o, "</div>\n<div class=\"run\"><h3>Run details: %s</h3>\n<table>", ex[i].name);
        const cJSON *ds = cJSON_GetObjectItemCaseSensitive(doc, "dataset"), *kv;
        cJSON_ArrayForEach(kv, ds)
        {
            char *v = cJSON_IsString(kv) ? NULL : cJSON_PrintUnformatted(kv);
            nn_str_add(&o, "<tr><th>data set: "), esc(&o, kv->string ? kv->string : "?"), nn_str_add(&o, "</th><td>");
            if (v) html_escape(&o, v, strlen(v));
            else html_escape(&o, kv->valuestring, strlen(kv->valuestring));
            nn_str_add(&o, "</td></tr>");
            cJSON_free(v);
        }
        cJSON_ArrayForEach(kv, cJSON_GetObjectItemCaseSensitive(doc, "environment"))
        {
            char *v = cJSON_IsString(kv) ? NULL : cJSON_PrintUnformatted(kv);
            nn_str_add(&o, "<tr><th>environment: "), esc(&o, kv->string ? kv->string : "?"), nn_str_add(&o, "</th><td>");
            if (v) html_escape(&o, v, strlen(v));
            else html_escape(&o, kv->valuestring, strlen(kv->valuestring));
            nn_str_add(&o, "</td></tr>");
            cJSON_free(v);
        }
        char w[64];
        nn_report_num(w, sizeof w, cJSON_GetObjectItemCaseSensitive(doc, "wall_seconds")->valuedouble);
        nn_str_add(&o, "<tr><th>wall time</th><td>%s s</td></tr></table>\n<details><summary>Resolved config</summary><pre>", w);
        char *cfg = cJSON_Print(cJSON_GetObjectItemCaseSensitive(doc, "config"));
        html_escape(&o, cfg, strlen(cfg));
        cJSON_free(cfg);
        nn_str_add(&o, "</pre></details></div>\n</section>\n");
    }
    nn_str_add(&o, "<script>renderMathInElement(document.body, {delimiters: [{left: '\\\\[', right: '\\\\]', display: true},"
                   " {left: '\\\\(', right: '\\\\)', display: false}], throwOnError: false});</script>\n</body></html>\n");
    if (nn_write_file_atomic(out, o.s, o.len) != 0) {
        fprintf(stderr, "nn-report: %s\n", nn_error());
        return 1;
    }
    printf("nn-report: %s: %d experiments, %d claims: %d held, %d not held, %d inconclusive, %.1f MB\n", out, n, all, all_held,
           all_nh, all_inc, o.len / 1e6);
    nn_str_free(&o);
    for (int i = 0; i < n; i++) cJSON_Delete(ex[i].doc), cJSON_Delete(ex[i].ref);
    free(ex);
    return 0;
}
