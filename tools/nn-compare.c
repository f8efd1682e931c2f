/* nn-compare — two runs of one experiment side by side: a student's run against the
 * reference run (or any two results documents of the same experiment).
 *
 *   nn-compare [--out DIR] A.json B.json
 *
 * Writes into DIR (default: B's directory):
 *   compare.md   what differs in the settings (every config key and arm override), every
 *                claim's measurement and verdict in both runs, and both runs' tables;
 *   curves.dat   per run label of B (the run being compared), the test accuracy per epoch (mean
 *                over that label's seeds) of A and of B, one gnuplot index block per label;
 *   curves.gp    the gnuplot script that draws curves.dat as small multiples (one panel per
 *                label, A solid, B dashed) into curves.png.
 * A is called "reference" and B "this run" in the text, as `tools/run` uses them.
 */
#include <math.h>
#include <string.h>

#include "nnlab.h"

static cJSON *load(const char *path)
{
    char *t = NULL;
    if (nn_read_file(path, 1u << 28, &t, NULL) != 0) {
        fprintf(stderr, "nn-compare: %s\n", nn_error());
        exit(1);
    }
    cJSON *d = nn_json_parse(t);
    free(t);
    if (!d || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(d, "experiment"))) {
        fprintf(stderr, "nn-compare: %s is not a results document of an experiment\n", path);
        exit(1);
    }
    /* a results file is input like any other: every field this tool reads has the type it reads it as */
    char bad[200] = "";
    nn_report_check(d, bad, sizeof bad);
    if (*bad) {
        fprintf(stderr, "nn-compare: %s: %s\n", path, bad);
        cJSON_Delete(d);
        exit(1);
    }
    return d;
}

/* a JSON value as compact text (caller frees) */
static char *text(const cJSON *v) { return v ? cJSON_PrintUnformatted(v) : nn_strdup("(absent)"); }

/* the settings: every key of either config whose value differs */
static int settings_diff(nn_str *o, const cJSON *a, const cJSON *b)
{
    int n = 0;
    const cJSON *kv;
    nn_str_add(o, "| setting | reference | this run |\n|---|---|---|\n");
    cJSON_ArrayForEach(kv, a)
    {
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(b, kv->string);
        if (w && cJSON_Compare(kv, w, 1)) continue;
        char *x = text(kv), *y = text(w);
        nn_str_add(o, "| "), nn_report_md_code(o, kv->string), nn_str_add(o, " | "), nn_report_md_code(o, x),
            nn_str_add(o, " | "), nn_report_md_code(o, y), nn_str_add(o, " |\n");
        free(x), free(y), n++;
    }
    cJSON_ArrayForEach(kv, b)
    {
        if (cJSON_GetObjectItemCaseSensitive(a, kv->string)) continue;
        char *y = text(kv);
        nn_str_add(o, "| "), nn_report_md_code(o, kv->string), nn_str_add(o, " | (absent) | "), nn_report_md_code(o, y),
            nn_str_add(o, " |\n");
        free(y), n++;
    }
    return n;
}

static void claim_cells(nn_str *o, const cJSON *c)
{
    if (!c) {
        nn_str_add(o, " not in this run | – |");
        return;
    }
    char m[64];
    const cJSON *mv = cJSON_GetObjectItemCaseSensitive(c, "measured");
    if (cJSON_IsNumber(mv)) nn_report_num(m, sizeof m, mv->valuedouble);
    else snprintf(m, sizeof m, "not measured");
    const char *hi = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "held_in"));
    nn_str_add(o, " %s (", m);
    nn_report_md_text(o, hi ? hi : "?");
    nn_str_add(o, ") | **");
    nn_report_md_text(o, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "verdict")));
    nn_str_add(o, "** |");
}

/* every claim of either run: measurement and verdict in both */
static int verdicts(nn_str *o, const cJSON *a, const cJSON *b)
{
    int changed = 0;
    nn_str_add(o, "| claim | reference: measured (held in) | verdict | this run: measured (held in) | verdict |\n"
                  "|---|---|---|---|---|\n");
    for (int pass = 0; pass < 2; pass++) {
        const cJSON *doc = pass ? b : a, *other = pass ? a : b, *c;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "claims"))
        {
            const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id"));
            const cJSON *d = nn_claims_find(other, id);
            if (pass && d) continue; /* listed in the first pass */
            const cJSON *ca = pass ? NULL : c, *cb = pass ? c : d;
            const char *va = ca ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ca, "verdict")) : "",
                       *vb = cb ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cb, "verdict")) : "";
            int diff = !ca || !cb || strcmp(va, vb);
            changed += diff;
            const nn_claim_kind k = nn_claim_kind_of(cb ? cb : ca);
            nn_str_add(o, "| %s", diff ? "**changed:** " : "");
            nn_report_md_code(o, id);
            nn_str_add(o, "%s%s |", k != NN_LECTURE ? " — " : "", k != NN_LECTURE ? nn_claim_kind_name(k) : "");
            claim_cells(o, ca);
            claim_cells(o, cb);
            nn_str_add(o, "\n");
        }
    }
    return changed;
}

static void tables(nn_str *o, const cJSON *doc, const char *who)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "summary"), "tables"))
    {
        nn_str_add(o, "*%s: ", who);
        nn_report_md_text(o, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "caption")));
        nn_str_add(o, "*\n\n|");
        const cJSON *c, *row, *v;
        int nc = 0;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(t, "columns")) nn_str_add(o, " "),
            nn_report_md_text(o, cJSON_GetStringValue(c)), nn_str_add(o, " |"), nc++;
        nn_str_add(o, "\n|");
        for (int i = 0; i < nc; i++) nn_str_add(o, "---|");
        nn_str_add(o, "\n");
        cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(t, "rows"))
        {
            nn_str_add(o, "|");
            cJSON_ArrayForEach(v, row)
            {
                char b[64];
                if (cJSON_IsNumber(v)) nn_report_num(b, sizeof b, v->valuedouble), nn_str_add(o, " %s |", b);
                else if (cJSON_IsString(v)) nn_str_add(o, " "), nn_report_md_text(o, v->valuestring), nn_str_add(o, " |");
                else nn_str_add(o, " – |");
            }
            nn_str_add(o, "\n");
        }
        nn_str_add(o, "\n");
    }
}

/* ---- curves: mean test accuracy per epoch, per run label --------------------------- */

typedef struct label_curve {
    char label[128];
    double *sum[2];
    int *cnt[2];
    int len;
} label_curve;

/* one run's test accuracy per epoch into the curve of its label */
static void add_history(label_curve **lc, int *n, int *cap, const char *label, const cJSON *history, int which)
{
    const cJSON *acc = cJSON_GetObjectItemCaseSensitive(history, "test_acc");
    int len = cJSON_GetArraySize(acc);
    if (!label || len == 0) return;
    int k = 0;
    while (k < *n && strcmp((*lc)[k].label, label)) k++;
    if (k == *n) {
        if (*n == *cap) {
            *cap = *cap ? 2 * *cap : 16;
            *lc = realloc(*lc, (size_t)*cap * sizeof **lc);
            NN_ASSERT(*lc != NULL, "out of memory");
        }
        memset(&(*lc)[k], 0, sizeof **lc);
        snprintf((*lc)[k].label, sizeof (*lc)[k].label, "%s", label);
        (*n)++;
    }
    label_curve *c = &(*lc)[k];
    if (len > c->len) {
        for (int w = 0; w < 2; w++) {
            c->sum[w] = realloc(c->sum[w], (size_t)len * sizeof(double));
            c->cnt[w] = realloc(c->cnt[w], (size_t)len * sizeof(int));
            NN_ASSERT(c->sum[w] && c->cnt[w], "out of memory");
            for (int i = c->len; i < len; i++) c->sum[w][i] = 0, c->cnt[w][i] = 0;
        }
        c->len = len;
    }
    int i = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, acc)
    {
        if (cJSON_IsNumber(v)) c->sum[which][i] += v->valuedouble, c->cnt[which][i]++;
        i++;
    }
}

/* every run of a document: the grid's cells (by condition label) and the older layout's runs (by label) */
static void add_runs(label_curve **lc, int *n, int *cap, const cJSON *doc, int which)
{
    const cJSON *r, *c, *sd;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "conditions"))
    cJSON_ArrayForEach(sd, cJSON_GetObjectItemCaseSensitive(c, "seeds"))
    add_history(lc, n, cap, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "label")),
                cJSON_GetObjectItemCaseSensitive(sd, "history"), which);
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "runs"))
    add_history(lc, n, cap, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(r, "label")),
                cJSON_GetObjectItemCaseSensitive(r, "history"), which);
}

static int curves(const char *dir, const cJSON *a, const cJSON *b, const char *exp)
{
    label_curve *lc = NULL;
    int n = 0, cap = 0;
    add_runs(&lc, &n, &cap, a, 0);
    add_runs(&lc, &n, &cap, b, 1);
    nn_str d = {0}, g = {0};
    int panels = 0, longest = 0;
    for (int k = 0; k < n; k++) {
        int in_b = 0;
        for (int i = 0; i < lc[k].len; i++) in_b |= lc[k].cnt[1][i] > 0;
        if (in_b) {
            nn_str_add(&d, "# ");
            for (const char *p = lc[k].label; *p; p++) nn_str_addn(&d, (unsigned char)*p < 0x20 ? " " : p, 1); /* one line */
            nn_str_add(&d, "\n");
            for (int i = 0; i < lc[k].len; i++) {
                double x = lc[k].cnt[0][i] ? 100 * lc[k].sum[0][i] / lc[k].cnt[0][i] : NAN;
                double y = lc[k].cnt[1][i] ? 100 * lc[k].sum[1][i] / lc[k].cnt[1][i] : NAN;
                nn_str_add(&d, "%d", i + 1);
                if (isnan(x)) nn_str_add(&d, " NaN");
                else nn_str_add(&d, " %.4f", x);
                if (isnan(y)) nn_str_add(&d, " NaN");
                else nn_str_add(&d, " %.4f", y);
                nn_str_add(&d, "\n");
            }
            nn_str_add(&d, "\n\n");
            longest = nn_max_i(longest, lc[k].len);
            if (panels != k) memcpy(lc[panels].label, lc[k].label, sizeof lc[k].label); /* the panels' titles, in order */
            panels++;
        }
        free(lc[k].sum[0]), free(lc[k].sum[1]), free(lc[k].cnt[0]), free(lc[k].cnt[1]);
    }
    n = panels;
    (void)exp;
    int cols = panels <= 3 ? panels : panels <= 8 ? 4 : 5, rows = panels ? (panels + cols - 1) / cols : 0;
    /* the folder comes from the command line: quoted for gnuplot like every other value */
    nn_str gp_dir = {0}, gp_dat = {0};
    nn_str_gnuplot(&gp_dir, dir);
    char dat[4200];
    snprintf(dat, sizeof dat, "%s/curves.dat", dir);
    nn_str_gnuplot(&gp_dat, dat);
    nn_str_add(
        &g,
        "# curves.gp — written by nn-compare: test accuracy per epoch, reference (solid) and this run (dashed)\n"
        "set terminal pngcairo size %d,%d font 'DejaVu Sans,9'\n"
        "# tools/figures sets outdir to a folder beside the figures and renames curves.png into place\n"
        "set output (exists('outdir') ? outdir : %s) . '/curves.png'\n"
        "set key bottom right noenhanced font ',8'\nset yrange [0:100]\n%s\nset format x '%%.0f'\nset grid lc rgb '#dddddd'\n"
        "set multiplot layout %d,%d title 'Test accuracy per epoch (mean over seeds): reference solid, this run dashed' "
        "noenhanced\n",
        cols * 320 + 40, rows * 250 + 40, gp_dir.s, longest <= 12 ? "set xtics 1" : "set xtics autofreq", rows > 0 ? rows : 1,
        cols > 0 ? cols : 1);
    for (int k = 0; k < n; k++) {
        nn_str_add(&g, "set title ");
        nn_str_gnuplot(&g, lc[k].label);
        nn_str_add(&g, " noenhanced\nplot %s index %d u 1:2 w lp lw 2 pt 7 ps 0.4 lc rgb '#0072B2' title 'reference', "
                       "'' index %d u 1:3 w lp lw 2 dt 2 pt 6 ps 0.4 lc rgb '#D55E00' title 'this run'\n",
                   gp_dat.s, k, k);
    }
    nn_str_free(&gp_dir), nn_str_free(&gp_dat);
    nn_str_add(&g, "unset multiplot\n");
    free(lc);
    char p1[4096], p2[4096];
    int rc = nn_path(p1, sizeof p1, "%s/curves.dat", dir) || nn_path(p2, sizeof p2, "%s/curves.gp", dir) ||
             nn_write_file_atomic(p1, d.s ? d.s : "", d.len) || nn_write_file_atomic(p2, g.s, g.len);
    nn_str_free(&d), nn_str_free(&g);
    if (rc) fprintf(stderr, "nn-compare: %s\n", nn_error());
    return rc ? -1 : panels;
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    int i = 1;
    for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(argv[i], "--help")) {
            printf("usage: nn-compare [--out DIR] REFERENCE.json RUN.json\n"
                   "Put two runs of one experiment side by side: settings that differ, every claim's verdict,\n"
                   "both runs' tables (DIR/compare.md), and the test-accuracy curves per run label\n"
                   "(DIR/curves.dat and DIR/curves.gp; gnuplot DIR/curves.gp draws DIR/curves.png).\n");
            return 0;
        } else {
            fprintf(stderr, "nn-compare: unknown or incomplete flag '%s' (see --help)\n", argv[i]);
            return 2;
        }
    }
    if (argc - i != 2) {
        fprintf(stderr, "usage: nn-compare [--out DIR] REFERENCE.json RUN.json\n");
        return 2;
    }
    cJSON *a = load(argv[i]), *b = load(argv[i + 1]);
    const char *ea = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "experiment")),
               *eb = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "experiment"));
    if (strcmp(ea, eb)) {
        fprintf(stderr, "nn-compare: %s is experiment '%s' but %s is '%s': compare runs of one experiment\n", argv[i], ea,
                argv[i + 1], eb);
        cJSON_Delete(a), cJSON_Delete(b); /* (a leak on this path, found by the sanitized end-to-end test) */
        return 2;
    }
    char dir[4096];
    if (out) {
        if (nn_path(dir, sizeof dir, "%s", out)) {
            fprintf(stderr, "nn-compare: --out: %s\n", nn_error());
            cJSON_Delete(a), cJSON_Delete(b);
            return 2;
        }
    } else {
        snprintf(dir, sizeof dir, "%s", argv[i + 1]);
        char *s = strrchr(dir, '/');
        if (s) *s = '\0';
        else snprintf(dir, sizeof dir, ".");
    }
    nn_str o = {0};
    const char *pa = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(a, "profile")),
               *pb = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "profile"));
    nn_str_add(&o, "# "), nn_report_md_text(&o, ea), nn_str_add(&o, ": this run against the reference\n\nReference: ");
    nn_report_md_code(&o, argv[i]), nn_str_add(&o, " (profile "), nn_report_md_text(&o, pa ? pa : "?"),
        nn_str_add(&o, "). This run: ");
    nn_report_md_code(&o, argv[i + 1]), nn_str_add(&o, " (profile "), nn_report_md_text(&o, pb ? pb : "?"),
        nn_str_add(&o, ").\n\n");
    nn_str s = {0};
    int nd = settings_diff(&s, cJSON_GetObjectItemCaseSensitive(a, "config"), cJSON_GetObjectItemCaseSensitive(b, "config"));
    nn_str_add(&o, "## Settings that differ (%d)\n\n%s\n", nd, nd ? s.s : "None: the same settings.\n");
    nn_str_free(&s);
    nn_str v = {0};
    int nc = verdicts(&v, a, b);
    int ha, na, ia, hb, nb, ib;
    nn_claims_count(a, &ha, &na, &ia);
    nn_claims_count(b, &hb, &nb, &ib);
    nn_str_add(&o, "## Verdicts: %d changed\n\nLecture claims in the reference: %d held, %d not held, %d inconclusive. In this "
                   "run: %d held, %d not held, %d inconclusive. (An identity checks the code and a setup claim arranges a "
                   "condition: they are listed, marked, and not counted.)\n\n%s\n",
               nc, ha, na, ia, hb, nb, ib, v.s);
    nn_str_free(&v);
    nn_str_add(&o, "## The numbers\n\n");
    tables(&o, a, "reference");
    tables(&o, b, "this run");
    int panels = curves(dir, a, b, ea);
    int rc = 0;
    char path[4096];
    if (panels < 0) {
        rc = 1;
        goto end;
    }
    if (panels > 0) nn_str_add(&o, "## Test accuracy per run label\n\n![Test accuracy, reference and this run](curves.png)\n");
    if (nn_path(path, sizeof path, "%s/compare.md", dir) || nn_write_file_atomic(path, o.s, o.len) != 0) {
        fprintf(stderr, "nn-compare: %s\n", nn_error());
        rc = 1;
        goto end;
    }
    printf("nn-compare: %s: %d settings differ, %d of %d verdicts changed, %d curve panels\n", path, nd, nc,
           cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(a, "claims")), panels);
end:
    nn_str_free(&o);
    cJSON_Delete(a), cJSON_Delete(b);
    return rc;
}
