/* nn_report.c — results as Markdown (see nn_report.h). */
#include "nn_report.h"

#include <ctype.h>
#include "nn_claim.h"
#include "nn_common.h"
#include "nn_io.h"
#include "nn_results.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

void nn_report_num(char *buf, size_t n, double v)
{
    if (!isfinite(v)) snprintf(buf, n, "–");
    else if (v == floor(v) && fabs(v) < 1e9) snprintf(buf, n, "%.0f", v);
    else snprintf(buf, n, "%.4g", v);
}

/* a cell: strings as they are (with | escaped), numbers formatted, null as "–" */
/* text inside a Markdown table cell: a '|' would end the cell */
/* A value from a results file inside a Markdown table cell or list item: '|' escaped, a line break (which would
 * end the row) a space, a '<' that could open raw HTML (a tag, a closing tag, a comment or a declaration:
 * '<' before a letter, '/', '!' or '?') written as an entity, since the report renders raw HTML, and '[' and ']'
 * escaped, so that no value becomes a link (javascript:…) or an image (which the report would embed). */
void nn_report_md_text(nn_str *o, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p == '`') { /* a code span the value holds (a claim's id in a table): copied as it is, where nothing is HTML */
            size_t run = strspn(p, "`");
            const char *q = p + run, *close = NULL;
            while ((q = strchr(q, '`'))) {
                size_t r = strspn(q, "`");
                if (r == run) {
                    close = q;
                    break;
                }
                q += r;
            }
            if (!close) { /* no closing run: the backticks are text */
                for (size_t i = 0; i < run; i++) nn_str_add(o, "\\`");
                p += run - 1;
                continue;
            }
            for (const char *c = p; c < close + run; c++)
                if (*c == '|') nn_str_add(o, "\\|");
                else if (*c == '\n' || *c == '\r') nn_str_add(o, " ");
                else nn_str_addn(o, c, 1);
            p = close + run - 1;
        } else if (*p == '|') nn_str_add(o, "\\|");
        else if (*p == '\n' || *p == '\r') nn_str_add(o, " ");
        else if (*p == '<' && (isalpha((unsigned char)p[1]) || p[1] == '/' || p[1] == '!' || p[1] == '?')) nn_str_add(o, "&lt;");
        else if (*p == '[' || *p == ']') nn_str_add(o, "\\%c", *p); /* never a link or an image: ![x](/etc/passwd) */
        else nn_str_addn(o, p, 1);
    }
}

/* A value from a results file inside raw HTML (a <summary>): every character HTML gives a meaning to as an entity */
static void html_text(nn_str *o, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p == '<') nn_str_add(o, "&lt;");
        else if (*p == '>') nn_str_add(o, "&gt;");
        else if (*p == '&') nn_str_add(o, "&amp;");
        else if (*p == '"') nn_str_add(o, "&quot;");
        else if (*p == '\n' || *p == '\r') nn_str_add(o, " ");
        else nn_str_addn(o, p, 1);
    }
}

/* A value from a results file as a Markdown code span that nothing in it can end early: fenced by one backtick
 * more than its longest run of backticks (spaces inside when it starts or ends with one), '|' escaped for a table
 * cell, a line break a space. Inside a code span nothing is HTML. */
void nn_report_md_code(nn_str *o, const char *s)
{
    if (!s) s = "?";
    int longest = 0, run = 0;
    for (const char *p = s; *p; p++) run = *p == '`' ? run + 1 : 0, longest = run > longest ? run : longest;
    const size_t n = strlen(s);
    const int pad = n && (s[0] == '`' || s[n - 1] == '`');
    for (int i = 0; i <= longest; i++) nn_str_add(o, "`");
    if (pad) nn_str_add(o, " ");
    for (const char *p = s; *p; p++) {
        if (*p == '|') nn_str_add(o, "\\|");
        else if (*p == '\n' || *p == '\r') nn_str_add(o, " ");
        else nn_str_addn(o, p, 1);
    }
    if (pad) nn_str_add(o, " ");
    for (int i = 0; i <= longest; i++) nn_str_add(o, "`");
}

static void cell(nn_str *o, const cJSON *v)
{
    char num[64];
    if (cJSON_IsString(v)) {
        nn_report_md_text(o, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        nn_report_num(num, sizeof num, v->valuedouble);
        nn_str_add(o, "%s", num);
    } else if (cJSON_IsBool(v)) {
        nn_str_add(o, "%s", cJSON_IsTrue(v) ? "true" : "false");
    } else if (cJSON_IsNull(v) || !v) {
        nn_str_add(o, "–");
    } else {
        char *t = cJSON_PrintUnformatted(v);
        nn_report_md_code(o, t);
        cJSON_free(t);
    }
}

static const char *str_at(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "?";
}

static double num_at(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* one display table of a results document as Markdown, each line after `indent` */
static void table_md(nn_str *o, const cJSON *tab, const char *indent)
{
    nn_str_add(o, "%s*", indent);
    nn_report_md_text(o, str_at(tab, "caption"));
    nn_str_add(o, "*\n\n%s|", indent);
    const cJSON *c;
    int nc = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(tab, "columns"))
    {
        nn_str_add(o, " ");
        cell(o, c);
        nn_str_add(o, " |");
        nc++;
    }
    nn_str_add(o, "\n%s|", indent);
    for (int i = 0; i < nc; i++) nn_str_add(o, "---|");
    nn_str_add(o, "\n");
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(tab, "rows"))
    {
        nn_str_add(o, "%s|", indent);
        cJSON_ArrayForEach(c, row)
        {
            nn_str_add(o, " ");
            cell(o, c);
            nn_str_add(o, " |");
        }
        nn_str_add(o, "\n");
    }
    nn_str_add(o, "\n");
}

void nn_report_markdown(const cJSON *doc, nn_str *o)
{
    const cJSON *ds = cJSON_GetObjectItemCaseSensitive(doc, "dataset"),
                *env = cJSON_GetObjectItemCaseSensitive(doc, "environment"),
                *cfg = cJSON_GetObjectItemCaseSensitive(doc, "config");
    char t[64];
    nn_report_num(t, sizeof t, num_at(doc, "wall_seconds"));
    nn_str_add(o, "**This run:** profile ");
    nn_report_md_code(o, str_at(doc, "profile"));
    nn_str_add(o, "; data set ");
    nn_report_md_code(o, str_at(ds, "name"));
    if (ds) {
        nn_str_add(o, " with %.0f training, %.0f validation and %.0f test images", num_at(ds, "train"), num_at(ds, "validation"),
                   num_at(ds, "test"));
    }
    const cJSON *more; /* further data sets every arm ran on (cnn's also_data) */
    cJSON_ArrayForEach(more, cJSON_GetObjectItemCaseSensitive(doc, "also_datasets"))
        nn_str_add(o, ", then "), nn_report_md_code(o, str_at(more, "name")),
            nn_str_add(o, " with %.0f training and %.0f test images", num_at(more, "train"), num_at(more, "test"));
    nn_str_add(o, "; %.0f seed(s) from %.0f; git revision ", num_at(cfg, "seeds"), num_at(cfg, "seed"));
    nn_report_md_code(o, str_at(env, "git_revision"));
    nn_str_add(o, "; %s s of wall time.\n\n", t);

    /* the settings, folded */
    nn_str_add(o, "<details><summary>All settings of this run</summary>\n\n| key | value |\n|---|---|\n");
    const cJSON *kv;
    cJSON_ArrayForEach(kv, cfg)
    {
        nn_str_add(o, "| "), nn_report_md_code(o, kv->string), nn_str_add(o, " | ");
        char *v = cJSON_PrintUnformatted(kv);
        nn_report_md_code(o, v);
        cJSON_free(v);
        nn_str_add(o, " |\n");
    }
    nn_str_add(o, "\n</details>\n\n");

    /* the experiment's own tables */
    const cJSON *tab;
    cJSON_ArrayForEach(tab, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "summary"), "tables"))
        table_md(o, tab, "");
    /* the claims */
    int h, nh, inc, tw;
    nn_claims_count(doc, &h, &nh, &inc);
    const int fr = nn_claims_fragile(doc, &tw);
    nn_str_add(o, "**The lecture's claims in this run: %d held, %d not held, %d inconclusive", h, nh, inc);
    if (tw) nn_str_add(o, "; %d of %d fragile (the second seed set's verdict differs)", fr, tw);
    nn_str_add(o, ".** Each claim is judged per seed (held: in every seed, with the mean clearing the threshold by more "
                  "than its one-sided 95 %% t margin; not held: in no seed, with the same margin; inconclusive: the seeds "
                  "disagree or the mean is within that margin, it was not measured, or a precondition or a control "
                  "failed — the reason is in the table below). Only *lecture* claims count: an *identity* is true by "
                  "construction of the code or the algebra (a check of the implementation), a *setup* claim is a condition "
                  "the experiment arranges for another (lectures/claim-rubric.md).\n\n");
    nn_str_add(o, "| claim | kind | source | measured quantity (per seed) | mean ± s.e. | needed | held in | verdict |%s\n"
                  "|---|---|---|---|---|---|---|---|%s\n",
               tw ? " seeds from 1001 |" : "", tw ? "---|" : "");
    const cJSON *c;
    int n_controls = 0, n_single = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "claims"))
    {
        char m[64], se[64], th[64];
        const cJSON *eff = cJSON_GetObjectItemCaseSensitive(c, "effect");
        const cJSON *mv = cJSON_GetObjectItemCaseSensitive(eff, "mean"), *sv = cJSON_GetObjectItemCaseSensitive(eff, "se");
        if (cJSON_IsNumber(mv)) nn_report_num(m, sizeof m, mv->valuedouble);
        else snprintf(m, sizeof m, "not measured");
        if (cJSON_IsNumber(sv)) {
            nn_report_num(se, sizeof se, sv->valuedouble);
            size_t L = strlen(m);
            snprintf(m + L, sizeof m - L, " ± %s", se);
        }
        nn_report_num(th, sizeof th, num_at(c, "threshold"));
        const char *reason = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "reason"));
        if (!reason) reason = "";
        nn_str_add(o, "| ");
        nn_report_md_text(o, str_at(c, "statement"));
        nn_str_add(o, " | %s | ", nn_claim_kind_name(nn_claim_kind_of(c)));
        nn_report_md_text(o, str_at(c, "source"));
        nn_str_add(o, " | ");
        nn_report_md_text(o, str_at(c, "quantity"));
        nn_str_add(o, " | %s | ", m);
        nn_report_md_text(o, str_at(c, "op"));
        nn_str_add(o, " %s | ", th);
        nn_report_md_text(o, str_at(c, "held_in"));
        nn_str_add(o, " | **");
        nn_report_md_text(o, str_at(c, "verdict"));
        nn_str_add(o, "**%s", reason[0] ? ": " : "");
        nn_report_md_text(o, reason);
        const cJSON *rv;
        int k = 0;
        cJSON_ArrayForEach(rv, cJSON_GetObjectItemCaseSensitive(c, "reverses_in"))
        {
            nn_str_add(o, "%s", k++ ? ", " : "; *reverses* in exercise ");
            nn_report_md_text(o, str_at(rv, "exercise"));
            nn_str_add(o, " (");
            nn_report_md_text(o, str_at(rv, "verdict"));
            nn_str_add(o, ")");
        }
        if (tw) {
            const cJSON *t2 = cJSON_GetObjectItemCaseSensitive(c, "second_seed_set");
            if (cJSON_IsObject(t2)) {
                nn_str_add(o, " | %s", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "fragile")) ? "**fragile**: " : "");
                nn_report_md_text(o, str_at(t2, "verdict"));
                nn_str_add(o, ", held in ");
                nn_report_md_text(o, str_at(t2, "held_in"));
            } else nn_str_add(o, " | not run");
        }
        nn_str_add(o, " |\n");
        const cJSON *p;
        cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "preconditions")) n_controls +=
            cJSON_IsString(cJSON_GetObjectItemCaseSensitive(p, "rules_out"));
        n_single += cJSON_IsString(cJSON_GetObjectItemCaseSensitive(c, "not_comparative"));
    }
    if (n_single) {
        /* the lecture claims that compare nothing, and why they need no control */
        nn_str_add(o, "\nNot comparisons (no control needed, and why):\n\n");
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "claims"))
        {
            const char *why = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "not_comparative"));
            if (!why) continue;
            nn_str_add(o, "- ");
            nn_report_md_code(o, str_at(c, "id"));
            nn_str_add(o, ": ");
            nn_report_md_text(o, why);
            nn_str_add(o, "\n");
        }
    }
    if (!n_controls) return;
    /* each comparison's control: the other explanation it rules out, with its measured number */
    nn_str_add(o, "\nControls (the first other explanation a skeptic would give, and the measurement that rules it out):\n\n");
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "claims"))
    {
        const cJSON *p;
        cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(c, "preconditions"))
        {
            const char *ro = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p, "rules_out"));
            if (!ro) continue;
            char mv[64], tv[64];
            nn_report_num(mv, sizeof mv, num_at(p, "measured"));
            nn_report_num(tv, sizeof tv, num_at(p, "threshold"));
            nn_str_add(o, "- ");
            nn_report_md_code(o, str_at(c, "id"));
            nn_str_add(o, ": rules out *");
            nn_report_md_text(o, ro);
            nn_str_add(o, "*: ");
            nn_report_md_text(o, str_at(p, "what"));
            nn_str_add(o, " = %s (needs %s %s): %s\n", mv, str_at(p, "op"), tv,
                       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "holds")) ? "ruled out" : "**not ruled out**");
        }
    }
}

/* a claim's comparison: one of the four the rule knows */
static int is_op(const cJSON *v)
{
    const char *s = cJSON_GetStringValue(v);
    return s && (!strcmp(s, "<") || !strcmp(s, "<=") || !strcmp(s, ">") || !strcmp(s, ">="));
}

/* absent, or a list of numbers and nulls (a seed without a measurement) */
static int numbers_or_nulls(const cJSON *v)
{
    if (!v) return 1;
    if (!cJSON_IsArray(v)) return 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, v) if (!cJSON_IsNumber(x) && !cJSON_IsNull(x)) return 0;
    return 1;
}

int nn_report_check(const cJSON *d, char *bad, size_t n)
{
    const cJSON *x;
    int k = 0;
    bad[0] = '\0';
    if (!cJSON_IsObject(d)) snprintf(bad, n, "the document is not an object");
    const cJSON *claims = cJSON_GetObjectItemCaseSensitive(d, "claims");
    if (claims && !cJSON_IsArray(claims) && !*bad) snprintf(bad, n, "'claims' is not a list");
    cJSON_ArrayForEach(x, claims)
    {
        if (*bad) break;
        nn_verdict v;
        if (!cJSON_IsObject(x)) snprintf(bad, n, "claims[%d] is not an object", k);
        else if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(x, "id")))
            snprintf(bad, n, "claims[%d].id is missing or not a string", k);
        else if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(x, "verdict")))
            snprintf(bad, n, "claims[%d].verdict is missing or not a string", k);
        else if (nn_verdict_parse(cJSON_GetObjectItemCaseSensitive(x, "verdict")->valuestring, &v))
            snprintf(bad, n, "claims[%d].verdict is not held, not held or inconclusive", k);
        else if (cJSON_GetObjectItemCaseSensitive(x, "held_in") &&
                 !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(x, "held_in")))
            snprintf(bad, n, "claims[%d].held_in is not a string", k);
        else if (!is_op(cJSON_GetObjectItemCaseSensitive(x, "op")))
            snprintf(bad, n, "claims[%d].op is missing or not one of <, <=, >, >=", k);
        else if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(x, "threshold")))
            snprintf(bad, n, "claims[%d].threshold is missing or not a number", k);
        else if (cJSON_GetObjectItemCaseSensitive(x, "not_held_threshold") &&
                 !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(x, "not_held_threshold")))
            snprintf(bad, n, "claims[%d].not_held_threshold is not a number", k);
        else if (!numbers_or_nulls(cJSON_GetObjectItemCaseSensitive(x, "per_seed")))
            snprintf(bad, n, "claims[%d].per_seed is not a list of numbers", k);
        else if (cJSON_GetObjectItemCaseSensitive(x, "preconditions") &&
                 !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(x, "preconditions")))
            snprintf(bad, n, "claims[%d].preconditions is not a list", k);
        const cJSON *pre;
        int j = 0;
        cJSON_ArrayForEach(pre, cJSON_GetObjectItemCaseSensitive(x, "preconditions"))
        {
            if (*bad) break;
            const cJSON *m = cJSON_GetObjectItemCaseSensitive(pre, "measured");
            if (!cJSON_IsObject(pre) || !is_op(cJSON_GetObjectItemCaseSensitive(pre, "op")) ||
                !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(pre, "threshold")) ||
                (m && !cJSON_IsNumber(m) && !cJSON_IsNull(m)) || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(pre, "what")))
                snprintf(bad, n, "claims[%d].preconditions[%d] lacks a 'what', a valid 'op', a numeric 'threshold' or 'measured'",
                         k, j);
            j++;
        }
        k++;
    }
    k = 0;
    const cJSON *tabs = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(d, "summary"), "tables");
    if (tabs && !cJSON_IsArray(tabs) && !*bad) snprintf(bad, n, "summary.tables is not a list");
    cJSON_ArrayForEach(x, tabs)
    {
        if (*bad) break;
        const cJSON *c, *row;
        if (!cJSON_IsObject(x) || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(x, "caption")))
            snprintf(bad, n, "summary.tables[%d].caption is missing or not a string", k);
        else if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(x, "columns")))
            snprintf(bad, n, "summary.tables[%d].columns is missing or not a list", k);
        else if (cJSON_GetObjectItemCaseSensitive(x, "rows") && !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(x, "rows")))
            snprintf(bad, n, "summary.tables[%d].rows is not a list", k);
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(x, "columns")) if (!*bad && !cJSON_IsString(c))
            snprintf(bad, n, "summary.tables[%d].columns holds a value that is not a string", k);
        cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(x, "rows")) if (!*bad && !cJSON_IsArray(row))
            snprintf(bad, n, "summary.tables[%d].rows holds a row that is not a list", k);
        k++;
    }
    return *bad ? -1 : 0;
}

int nn_report_update_note(const char *note, const char *results_dir, nn_str *out, int *changed)
{
    static const char *begin_tag = "<!-- nnlab:results ";
    const char *p = note;
    *changed = 0;
    while (1) {
        const char *b = strstr(p, begin_tag);
        if (!b) {
            nn_str_add(out, "%s", p);
            return 0;
        }
        /* <!-- nnlab:results NAME begin ... --> */
        const char *name = b + strlen(begin_tag);
        const char *sp = strchr(name, ' ');
        const char *close = strstr(b, "-->");
        if (!sp || !close || strncmp(sp, " begin", 6) != 0)
            return nn_fail("a '%s' marker is not of the form '%sNAME begin -->'", begin_tag, begin_tag);
        char nm[128];
        size_t nl = (size_t)(sp - name);
        if (nl == 0 || nl >= sizeof nm) return nn_fail("a results marker names no experiment");
        memcpy(nm, name, nl);
        nm[nl] = '\0';
        for (size_t i = 0; i < nl; i++) /* it names a file in the results folder, never a path */
            if (!isalnum((unsigned char)nm[i]) && nm[i] != '_' && nm[i] != '-')
                return nn_fail("the results marker's name '%s' is not an experiment's name (letters, digits, '_', '-')", nm);
        char end_tag[200];
        snprintf(end_tag, sizeof end_tag, "<!-- nnlab:results %s end -->", nm);
        const char *e = strstr(close, end_tag);
        if (!e) return nn_fail("the block for '%s' has no end marker '%s'", nm, end_tag);
        const char *body = close + 3;
        /* copy through the begin marker, then the new body */
        nn_str_addn(out, p, (size_t)(body - p));
        char path[4096];
        char *text;
        if (nn_path(path, sizeof path, "%s/%s.json", results_dir, nm) || nn_read_file(path, 1u << 28, &text, NULL) != 0)
            return -1;
        cJSON *doc = nn_json_parse(text);
        free(text);
        if (!doc) return nn_fail("'%s' is not valid JSON", path);
        char bad[200];
        if (nn_report_check(doc, bad, sizeof bad)) {
            cJSON_Delete(doc);
            return nn_fail("%s: %s", path, bad);
        }
        nn_str fresh = {0};
        nn_str_add(&fresh, "\n");
        nn_report_markdown(doc, &fresh);
        nn_str_add(&fresh, "\n");
        cJSON_Delete(doc);
        if ((size_t)(e - body) != fresh.len || memcmp(body, fresh.s, fresh.len) != 0) *changed = 1;
        nn_str_addn(out, fresh.s, fresh.len);
        nn_str_free(&fresh);
        nn_str_add(out, "%s", end_tag);
        p = e + strlen(end_tag);
    }
}

/* ---- exercises and their answers ----------------------------------------------------------
 *   <!-- nnlab:answer ID begin: bin/NAME FLAGS -->
 *   …generated: what the committed run of that command shows, against the reference run…
 *   <!-- nnlab:answer ID end -->
 */
static const char *const answer_tag = "<!-- nnlab:answer ";

int nn_report_exercises(const char *note, nn_exercise_fn fn, void *user)
{
    const char *p = note;
    while ((p = strstr(p, answer_tag))) {
        const char *id = p + strlen(answer_tag), *sp = strchr(id, ' '), *close = strstr(p, "-->");
        if (!sp || !close || strncmp(sp, " begin: ", 8) != 0) {
            if (sp && !strncmp(sp, " end -->", 8)) { p = close + 3; continue; }
            return nn_fail("an answer marker is not of the form '%sID begin: bin/NAME FLAGS -->'", answer_tag);
        }
        char idb[128], cmd[1024];
        size_t il = (size_t)(sp - id), cl = (size_t)(close - (sp + 8));
        while (cl > 0 && sp[8 + cl - 1] == ' ') cl--;
        if (il == 0 || il >= sizeof idb || cl == 0 || cl >= sizeof cmd || strncmp(sp + 8, "bin/", 4) != 0)
            return nn_fail("an answer marker has no id or no 'bin/NAME' command");
        memcpy(idb, id, il), idb[il] = '\0';
        memcpy(cmd, sp + 8, cl), cmd[cl] = '\0';
        if (fn(idb, cmd, user)) return -1;
        p = close + 3;
    }
    return 0;
}

/* the answer's body: the exercise run against the reference run, indented into the list item */
static int answer_md(nn_str *o, const char *results_dir, const char *id, const char *cmd)
{
    char name[128], path[1200];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(cmd + 4, " "), cmd + 4);
    snprintf(path, sizeof path, "%s/exercises/%s.json", results_dir, id);
    const char *in = "   ";
    char *text = NULL;
    if (nn_read_file(path, 1u << 28, &text, NULL) != 0) {
        nn_str_add(o, "\n%s*No committed run of this exercise yet (`make reference-exercises` writes `%s`).*\n", in, path);
        return 0;
    }
    cJSON *ex = nn_json_parse(text);
    free(text);
    snprintf(path, sizeof path, "%s/%s.json", results_dir, name);
    text = NULL;
    cJSON *ref = nn_read_file(path, 1u << 28, &text, NULL) == 0 ? nn_json_parse(text) : NULL;
    free(text);
    if (!ex || !ref) {
        cJSON_Delete(ex), cJSON_Delete(ref);
        return nn_fail("answer %s: %s or its reference result is not valid JSON", id, path);
    }
    char bad[200];
    if (nn_report_check(ex, bad, sizeof bad) || nn_report_check(ref, bad, sizeof bad)) {
        cJSON_Delete(ex), cJSON_Delete(ref);
        return nn_fail("answer %s (or its reference %s): %s", id, path, bad);
    }
    nn_str_add(o, "\n%s<details><summary>What you should see (the committed run of this command, ", in);
    html_text(o, str_at(ex, "profile"));
    nn_str_add(o, ")</summary>\n\n");
    /* the settings it changed */
    const cJSON *kv, *rc = cJSON_GetObjectItemCaseSensitive(ref, "config");
    int n = 0;
    cJSON_ArrayForEach(kv, cJSON_GetObjectItemCaseSensitive(ex, "config"))
    {
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(rc, kv->string);
        if (w && cJSON_Compare(kv, w, 1)) continue;
        nn_str_add(o, "%s", n++ ? ", " : (nn_str_add(o, "%sSettings changed from the reference run: ", in), ""));
        nn_report_md_code(o, kv->string), nn_str_add(o, ": ");
        cell(o, w), nn_str_add(o, " → "), cell(o, kv);
    }
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(ex, "arms")) !=
            cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(ref, "arms")) ||
        !cJSON_Compare(cJSON_GetObjectItemCaseSensitive(ex, "arms"), cJSON_GetObjectItemCaseSensitive(ref, "arms"), 1)) {
        nn_str_add(o, "%sarms: ", n++ ? "; " : (nn_str_add(o, "%sSettings changed from the reference run: ", in), ""));
        const cJSON *a;
        int k = 0;
        cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(ex, "arms")) nn_str_add(o, "%s", k++ ? ", " : ""),
            nn_report_md_text(o, str_at(a, "label"));
    }
    nn_str_add(o, "%s\n\n", n ? "." : "");
    /* every claim, both runs */
    int h, nh, inc;
    nn_claims_count(ex, &h, &nh, &inc);
    nn_str_add(o,
               "%sLecture claims: %d held, %d not held, %d inconclusive.\n\n%s| claim | reference run | this command "
               "|\n%s|---|---|---|\n",
               in, h, nh, inc, in, in);
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(ex, "claims"))
    {
        const char *cid = str_at(c, "id");
        const cJSON *r = NULL, *x;
        cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(ref, "claims")) if (!strcmp(str_at(x, "id"), cid)) r = x;
        nn_str_add(o, "%s| ", in), nn_report_md_code(o, cid);
        if (nn_claim_kind_of(c) != NN_LECTURE) nn_str_add(o, " (%s)", nn_claim_kind_name(nn_claim_kind_of(c)));
        nn_str_add(o, " | ");
        for (int w = 0; w < 2; w++) {
            const cJSON *y = w ? c : r;
            if (!y) nn_str_add(o, "not in that run");
            else {
                cell(o, cJSON_GetObjectItemCaseSensitive(y, "measured"));
                nn_str_add(o, ", **%s**", str_at(y, "verdict"));
            }
            nn_str_add(o, " |%s", w ? "\n" : " ");
        }
    }
    nn_str_add(o, "\n");
    const cJSON *tab =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ex, "summary"), "tables"), 0);
    if (tab) table_md(o, tab, in);
    nn_str_add(o, "%s</details>\n", in);
    cJSON_Delete(ex), cJSON_Delete(ref);
    return 0;
}

int nn_report_update_answers(const char *note, const char *results_dir, nn_str *out, int *changed)
{
    const char *p = note;
    *changed = 0;
    while (1) {
        const char *b = strstr(p, answer_tag);
        if (!b) {
            nn_str_add(out, "%s", p);
            return 0;
        }
        const char *id = b + strlen(answer_tag), *sp = strchr(id, ' '), *close = strstr(b, "-->");
        if (!sp || !close || strncmp(sp, " begin: ", 8) != 0)
            return nn_fail("an answer marker is not of the form '%sID begin: bin/NAME FLAGS -->'", answer_tag);
        char idb[128], cmd[1024], end_tag[200];
        size_t il = (size_t)(sp - id), cl = (size_t)(close - (sp + 8));
        while (cl > 0 && sp[8 + cl - 1] == ' ') cl--;
        if (il == 0 || il >= sizeof idb || cl == 0 || cl >= sizeof cmd) return nn_fail("an answer marker has no id or command");
        memcpy(idb, id, il), idb[il] = '\0';
        memcpy(cmd, sp + 8, cl), cmd[cl] = '\0';
        snprintf(end_tag, sizeof end_tag, "<!-- nnlab:answer %s end -->", idb);
        const char *e = strstr(close, end_tag);
        if (!e) return nn_fail("the answer '%s' has no end marker '%s'", idb, end_tag);
        /* the end marker sits on its own line, indented like the begin marker */
        const char *line = e;
        while (line > close && line[-1] == ' ') line--;
        const char *body = close + 3;
        nn_str_addn(out, p, (size_t)(body - p));
        nn_str fresh = {0};
        if (answer_md(&fresh, results_dir, idb, cmd)) return -1;
        nn_str_add(&fresh, "   ");
        if ((size_t)(e - body) != fresh.len || memcmp(body, fresh.s, fresh.len) != 0) *changed = 1;
        nn_str_addn(out, fresh.s, fresh.len);
        nn_str_free(&fresh);
        (void)line;
        nn_str_add(out, "%s", end_tag);
        p = e + strlen(end_tag);
    }
}
