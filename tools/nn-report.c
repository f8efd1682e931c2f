/* nn-report — one self-contained HTML page: every experiment's note, figures, numbers and
 * claim verdicts, readable offline.
 *
 *   nn-report --katex DIR [--results DIR] [--out FILE] NOTE.md ...
 *
 * For each note (lectures/NN-NAME.md with a results block for NAME): the note's Markdown
 * rendered by cmark (equations protected from Markdown and typeset in the browser by the
 * bundled KaTeX), its images embedded as data: URIs, then the run's data set, seeds,
 * environment, resolved config and wall time from results/NAME.json. At the top, claims
 * held / tested per experiment and every claim with its verdict. KaTeX's script, style and
 * fonts (woff2, as data: URIs) come from DIR (node_modules/katex/dist), so the page needs
 * no network when it is opened. `make report` runs it.
 */
#include <cmark.h>
#include <math.h>
#include <string.h>

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

static void data_uri(nn_str *o, const char *path)
{
    size_t n;
    char *bytes = slurp(path, &n);
    const char *ext = strrchr(path, '.');
    const char *mime = !ext ? "application/octet-stream" : !strcmp(ext, ".png") ? "image/png" : !strcmp(ext, ".svg") ? "image/svg+xml"
                     : !strcmp(ext, ".woff2") ? "font/woff2" : "application/octet-stream";
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

/* cmark's HTML with the math put back and relative images embedded */
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
                snprintf(path, sizeof path, "%s/%s", note_dir, rel);
                nn_str_add(o, "<img src=\"");
                data_uri(o, path);
                nn_str_add(o, "\" data-file=\"%s\"", rel);
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
    "body{font:16px/1.5 'DejaVu Sans',Helvetica,Arial,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}"
    "h1{font-size:1.8em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2.5em}"
    "table{border-collapse:collapse;margin:1em 0;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}"
    "th{background:#f0f4f8}img{max-width:100%;height:auto;border:1px solid #eee}"
    ".held{color:#006d2c;font-weight:bold}.failed{color:#b30000;font-weight:bold}.inconclusive{color:#8a5a00;font-weight:bold}"
    ".run{background:#f8f8f8;border:1px solid #ddd;padding:.5em 1em;margin:1.5em 0}"
    "code{background:#f4f4f4;padding:0 .2em}pre{background:#f4f4f4;padding:.6em;overflow-x:auto}"
    "details{margin:.5em 0}nav a{margin-right:1em}";

typedef struct exp_info {
    char name[128], note[1024];
    cJSON *doc;
} exp_info;

__attribute__((noinline)) static void exp_name_of(const char *md, char *name, size_t n)
{
    const char *b = strstr(md, "<!-- nnlab:results ");
    name[0] = '\0';
    if (!b) return;
    b += strlen("<!-- nnlab:results ");
    const char *sp = strchr(b, ' ');
    if (sp && (size_t)(sp - b) < n) snprintf(name, n, "%.*s", (int)(sp - b), b);
}

int main(int argc, char **argv)
{
    const char *katex = NULL, *results = "results", *out = "results/report.html";
    int first = 1;
    for (; first < argc && !strncmp(argv[first], "--", 2); first++) {
        if (!strcmp(argv[first], "--katex") && first + 1 < argc) katex = argv[++first];
        else if (!strcmp(argv[first], "--results") && first + 1 < argc) results = argv[++first];
        else if (!strcmp(argv[first], "--out") && first + 1 < argc) out = argv[++first];
        else if (!strcmp(argv[first], "--help")) {
            printf("usage: nn-report --katex DIR [--results DIR] [--out FILE] NOTE.md ...\n"
                   "Build the self-contained HTML report from the lecture notes and their results.\n");
            return 0;
        } else {
            fprintf(stderr, "nn-report: unknown or incomplete flag '%s' (see --help)\n", argv[first]);
            return 2;
        }
    }
    if (!katex || first >= argc) {
        fprintf(stderr, "usage: nn-report --katex DIR [--results DIR] [--out FILE] NOTE.md ...\n");
        return 2;
    }
    int n = argc - first;
    exp_info *ex = nn_calloc((size_t)n, sizeof *ex);
    for (int i = 0; i < n; i++) {
        snprintf(ex[i].note, sizeof ex[i].note, "%s", argv[first + i]);
        char *md = slurp(ex[i].note, NULL);
        exp_name_of(md, ex[i].name, sizeof ex[i].name);
        free(md);
        if (!ex[i].name[0]) {
            fprintf(stderr, "nn-report: %s has no results block (<!-- nnlab:results NAME begin -->)\n", ex[i].note);
            return 1;
        }
        char path[1200];
        snprintf(path, sizeof path, "%s/%s.json", results, ex[i].name);
        char *t = slurp(path, NULL);
        ex[i].doc = cJSON_Parse(t);
        free(t);
        if (!ex[i].doc) {
            fprintf(stderr, "nn-report: %s is not valid JSON\n", path);
            return 1;
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
    nn_str_add(&o, "</script>\n</head><body>\n<h1>nnlab: the lectures' claims, checked</h1>\n");

    /* the overview: claims held per experiment, then every claim */
    int all = 0, all_held = 0, all_nh = 0, all_inc = 0;
    nn_str_add(&o, "<section id=\"overview\"><h2>Overview</h2>\n<nav>");
    for (int i = 0; i < n; i++) nn_str_add(&o, "<a href=\"#exp-%s\">%s</a>", ex[i].name, ex[i].name);
    nn_str_add(&o, "</nav>\n<table><tr><th>experiment</th><th>held</th><th>not held</th><th>inconclusive</th><th>data set</th><th>seeds</th>"
                   "<th>profile</th><th>wall time (s)</th><th>git revision</th></tr>\n");
    for (int i = 0; i < n; i++) {
        const cJSON *c, *doc = ex[i].doc;
        int h, nh, inc;
        (void)c;
        nn_claims_count(doc, &h, &nh, &inc);
        all += h + nh + inc, all_held += h, all_nh += nh, all_inc += inc;
        const cJSON *ds = cJSON_GetObjectItem(doc, "dataset"), *cfg = cJSON_GetObjectItem(doc, "config");
        char w[64];
        nn_report_num(w, sizeof w, cJSON_GetObjectItem(doc, "wall_seconds") ? cJSON_GetObjectItem(doc, "wall_seconds")->valuedouble : NAN);
        nn_str_add(&o, "<tr><td><a href=\"#exp-%s\">%s</a></td><td class=\"held\">%d</td><td class=\"failed\">%d</td><td class=\"inconclusive\">%d</td><td>%s (%d train, %d test)</td>"
                       "<td>%d</td><td>%s</td><td>%s</td><td><code>%s</code></td></tr>\n",
                   ex[i].name, ex[i].name, h, nh, inc,
                   cJSON_GetStringValue(cJSON_GetObjectItem(ds, "name")), cJSON_GetObjectItem(ds, "train")->valueint,
                   cJSON_GetObjectItem(ds, "test")->valueint, cJSON_GetObjectItem(cfg, "seeds")->valueint,
                   cJSON_GetStringValue(cJSON_GetObjectItem(doc, "profile")), w,
                   cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "environment"), "git_revision")));
    }
    nn_str_add(&o, "</table>\n<p><b>Of %d claims in this run: %d held, %d not held, %d inconclusive.</b> Every claim, "
                   "its mean over seeds, what each seed needed, in how many seeds it held, and the verdict:</p>\n"
                   "<table><tr><th>experiment</th><th>claim</th><th>mean measured</th><th>needed per seed</th><th>held in</th>"
                   "<th>verdict</th></tr>\n",
               all, all_held, all_nh, all_inc);
    for (int i = 0; i < n; i++) {
        const cJSON *c;
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(ex[i].doc, "claims"))
        {
            char m[64], th[64];
            const cJSON *mv = cJSON_GetObjectItem(c, "measured");
            if (cJSON_IsNumber(mv)) nn_report_num(m, sizeof m, mv->valuedouble);
            else snprintf(m, sizeof m, "not measured");
            nn_report_num(th, sizeof th, cJSON_GetObjectItem(c, "threshold")->valuedouble);
            const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(c, "verdict"));
            const char *reason = cJSON_GetStringValue(cJSON_GetObjectItem(c, "reason"));
            nn_str_add(&o, "<tr><td>%s</td><td>", ex[i].name);
            const char *st = cJSON_GetStringValue(cJSON_GetObjectItem(c, "statement"));
            html_escape(&o, st, strlen(st));
            nn_str_add(&o, "</td><td>%s</td><td>", m);
            const char *op = cJSON_GetStringValue(cJSON_GetObjectItem(c, "op"));
            html_escape(&o, op, strlen(op));
            nn_str_add(&o, " %s</td><td>%s</td><td class=\"%s\">%s", th, cJSON_GetStringValue(cJSON_GetObjectItem(c, "held_in")),
                       !strcmp(v, "held") ? "held" : !strcmp(v, "not held") ? "failed" : "inconclusive", v);
            if (reason) {
                nn_str_add(&o, ": ");
                html_escape(&o, reason, strlen(reason));
            }
            nn_str_add(&o, "</td></tr>\n");
        }
    }
    nn_str_add(&o, "</table></section>\n");

    /* one section per experiment: its note, then the run's details */
    for (int i = 0; i < n; i++) {
        char *md = slurp(ex[i].note, NULL);
        math *m;
        int n_math;
        char *prot = protect_math(md, &m, &n_math);
        char *html = cmark_markdown_to_html(prot, strlen(prot), CMARK_OPT_UNSAFE);
        char note_dir[1024];
        snprintf(note_dir, sizeof note_dir, "%s", ex[i].note);
        char *slash = strrchr(note_dir, '/');
        if (slash) *slash = '\0';
        else snprintf(note_dir, sizeof note_dir, ".");
        nn_str_add(&o, "<section class=\"experiment\" id=\"exp-%s\">\n<div class=\"note\">\n", ex[i].name);
        finish_html(&o, html, m, n_math, note_dir);
        free(html);
        free(prot);
        for (int k = 0; k < n_math; k++) free(m[k].tex);
        free(m);
        free(md);
        const cJSON *doc = ex[i].doc;
        nn_str_add(&o, "</div>\n<div class=\"run\"><h3>Run details: %s</h3>\n<table>", ex[i].name);
        const cJSON *ds = cJSON_GetObjectItem(doc, "dataset"), *kv;
        cJSON_ArrayForEach(kv, ds)
        {
            char *v = cJSON_IsString(kv) ? NULL : cJSON_PrintUnformatted(kv);
            nn_str_add(&o, "<tr><th>data set: %s</th><td>", kv->string);
            if (v) html_escape(&o, v, strlen(v));
            else html_escape(&o, kv->valuestring, strlen(kv->valuestring));
            nn_str_add(&o, "</td></tr>");
            cJSON_free(v);
        }
        cJSON_ArrayForEach(kv, cJSON_GetObjectItem(doc, "environment"))
        {
            char *v = cJSON_IsString(kv) ? NULL : cJSON_PrintUnformatted(kv);
            nn_str_add(&o, "<tr><th>environment: %s</th><td>", kv->string);
            if (v) html_escape(&o, v, strlen(v));
            else html_escape(&o, kv->valuestring, strlen(kv->valuestring));
            nn_str_add(&o, "</td></tr>");
            cJSON_free(v);
        }
        char w[64];
        nn_report_num(w, sizeof w, cJSON_GetObjectItem(doc, "wall_seconds")->valuedouble);
        nn_str_add(&o, "<tr><th>wall time</th><td>%s s</td></tr></table>\n<details><summary>Resolved config</summary><pre>", w);
        char *cfg = cJSON_Print(cJSON_GetObjectItem(doc, "config"));
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
    for (int i = 0; i < n; i++) cJSON_Delete(ex[i].doc);
    free(ex);
    return 0;
}
