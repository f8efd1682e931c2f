/* nn_coverage.c — the coverage index (see nn_coverage.h). */
#define _POSIX_C_SOURCE 200809L
#include "nn_coverage.h"
#include "nn_claim.h"
#include "nn_common.h"
#include "nn_io.h"
#include "nn_results.h"

#include <dirent.h>
#include <string.h>

static const char *const status_names[NN_COV_COUNT] = {
    [NN_COV_TESTED] = "tested",   [NN_COV_TESTED_OTHER] = "tested in another setting", [NN_COV_FRAGILE] = "tested, fragile",
    [NN_COV_IDENTITY] = "checked by an identity", [NN_COV_SHOWN] = "shown", [NN_COV_OUT] = "out of scope",
    [NN_COV_LIBRARY] = "library", [NN_COV_TAUGHT] = "taught", [NN_COV_MISSING] = "missing"};

const char *nn_cov_status_name(nn_cov_status s) { return s < NN_COV_COUNT ? status_names[s] : "?"; }

nn_cov_status nn_cov_status_of(const cJSON *e)
{
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(e, "claims")) > 0)
        return cJSON_GetObjectItemCaseSensitive(e, "setting") ? NN_COV_TESTED_OTHER : NN_COV_TESTED;
    if (cJSON_GetObjectItemCaseSensitive(e, "shown")) return NN_COV_SHOWN;
    if (cJSON_GetObjectItemCaseSensitive(e, "out")) return NN_COV_OUT;
    if (cJSON_GetObjectItemCaseSensitive(e, "library")) return NN_COV_LIBRARY;
    if (cJSON_GetObjectItemCaseSensitive(e, "taught")) return NN_COV_TAUGHT;
    return NN_COV_MISSING;
}


nn_cov_status nn_cov_status_in(const cJSON *e, cJSON *const *docs, int n_docs)
{
    nn_cov_status st = nn_cov_status_of(e);
    if (st != NN_COV_TESTED && st != NN_COV_TESTED_OTHER) return st;
    int lecture = 0, fragile = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(e, "claims"))
    {
        const cJSON *cl = nn_coverage_find_claim(docs, n_docs, c->valuestring);
        if (!cl || nn_claim_kind_of(cl) != NN_LECTURE) continue;
        lecture++;
        fragile += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cl, "fragile"));
    }
    if (!lecture) return NN_COV_IDENTITY;
    if (st == NN_COV_TESTED && fragile == lecture) return NN_COV_FRAGILE;
    return st;
}

int nn_coverage_load(const char *path, cJSON **index)
{
    static const char *const text_keys[] = {"seeds", "item", "setting", "shown", "out", "library", "taught", "missing", NULL};
    char *text;
    *index = NULL;
    if (nn_read_file(path, 1u << 22, &text, NULL) != 0) return -1;
    const char *end = NULL;
    cJSON *idx = cJSON_ParseWithOpts(text, &end, 1);
    free(text);
    if (!idx) return nn_fail("%s: not valid JSON (or something follows the array)", path);
    if (!cJSON_IsArray(idx) || cJSON_GetArraySize(idx) == 0) {
        cJSON_Delete(idx);
        return nn_fail("%s: the index must be a non-empty JSON array of items", path);
    }
    int want = 1;
    const cJSON *e;
    cJSON_ArrayForEach(e, idx)
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "n"), *kv;
        if (!cJSON_IsObject(e) || !cJSON_IsNumber(n) || n->valueint != want ||
            !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "item")) ||
            !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(e, "seeds"))) {
            cJSON_Delete(idx);
            return nn_fail("%s: entry %d must be an object with \"n\": %d, \"seeds\" and \"item\"", path, want, want);
        }
        cJSON_ArrayForEach(kv, e)
        {
            int known = !strcmp(kv->string, "n") || !strcmp(kv->string, "claims");
            for (int k = 0; text_keys[k] && !known; k++)
                if (!strcmp(kv->string, text_keys[k])) {
                    known = 1;
                    if (!cJSON_IsString(kv)) {
                        int rc = nn_fail("%s: item %d: \"%s\" must be a string", path, want, kv->string);
                        cJSON_Delete(idx); /* after the message: it names a key of idx */
                        return rc;
                    }
                }
            if (!known) {
                int rc = nn_fail("%s: item %d: unknown key \"%s\"", path, want, kv->string);
                cJSON_Delete(idx);
                return rc;
            }
        }
        const cJSON *claims = cJSON_GetObjectItemCaseSensitive(e, "claims"), *c;
        if (claims && !cJSON_IsArray(claims)) {
            cJSON_Delete(idx);
            return nn_fail("%s: item %d: \"claims\" must be a list of \"experiment:claim-id\"", path, want);
        }
        cJSON_ArrayForEach(c, claims) if (!cJSON_IsString(c) || !strchr(c->valuestring, ':'))
        {
            cJSON_Delete(idx);
            return nn_fail("%s: item %d: each claim is a string \"experiment:claim-id\"", path, want);
        }
        want++;
    }
    *index = idx;
    return 0;
}

cJSON *nn_coverage_find_claim(cJSON *const *docs, int n_docs, const char *ref)
{
    const char *colon = strchr(ref, ':');
    if (!colon) return NULL;
    size_t el = (size_t)(colon - ref);
    for (int i = 0; i < n_docs; i++) {
        const char *exp = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(docs[i], "experiment"));
        if (!exp || strlen(exp) != el || strncmp(exp, ref, el) != 0) continue;
        cJSON *c = nn_claims_find(docs[i], colon + 1);
        if (c) return c;
    }
    return NULL;
}

static int named_by_index(const cJSON *index, const char *exp, const char *id)
{
    const cJSON *e, *c;
    size_t el = strlen(exp);
    cJSON_ArrayForEach(e, index) cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(e, "claims"))
    {
        const char *r = c->valuestring;
        if (!strncmp(r, exp, el) && r[el] == ':' && !strcmp(r + el + 1, id)) return 1;
    }
    return 0;
}

int nn_coverage_check(const cJSON *index, cJSON *const *docs, int n_docs)
{
    nn_str miss = {0}, ghost = {0};
    int n_miss = 0, n_ghost = 0;
    const cJSON *e, *c;
    cJSON_ArrayForEach(e, index) cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(e, "claims"))
    {
        if (nn_coverage_find_claim(docs, n_docs, c->valuestring)) continue;
        if (n_ghost++ < 5)
            nn_str_add(&ghost, "%s'%s' (item %d)", n_ghost > 1 ? ", " : "", c->valuestring,
                       cJSON_GetObjectItemCaseSensitive(e, "n")->valueint);
    }
    for (int i = 0; i < n_docs; i++) {
        const char *exp = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(docs[i], "experiment"));
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(docs[i], "claims"))
        {
            const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id"));
            if (!exp || !id || named_by_index(index, exp, id)) continue;
            if (n_miss++ < 5) nn_str_add(&miss, "%s'%s:%s'", n_miss > 1 ? ", " : "", exp ? exp : "?", id ? id : "?");
        }
    }
    int rc = 0;
    if (n_ghost || n_miss)
        rc = nn_fail("coverage index: %d claim(s) it names do not exist%s%s%s; %d claim(s) of the results are in no item%s%s",
                     n_ghost, n_ghost ? " (" : "", n_ghost ? ghost.s : "", n_ghost ? ")" : "", n_miss, n_miss ? ": " : "",
                     n_miss ? miss.s : "");
    nn_str_free(&miss), nn_str_free(&ghost);
    return rc;
}

static int json_name(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 5 && !strcmp(d->d_name + n - 5, ".json");
}

int nn_coverage_load_docs(const char *dir, cJSON ***docs)
{
    struct dirent **names;
    int n = scandir(dir, &names, json_name, alphasort);
    *docs = NULL;
    if (n < 0) return nn_fail("cannot list '%s'", dir);
    cJSON **d = nn_calloc((size_t)n + 1, sizeof *d);
    int k = 0, rc = 0;
    for (int i = 0; i < n; i++) {
        char path[2048], *text;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        if (!rc && nn_read_file(path, 1u << 28, &text, NULL) == 0) {
            cJSON *doc = nn_json_parse(text);
            free(text);
            if (!doc) rc = nn_fail("'%s' is not valid JSON", path);
            else if (!cJSON_GetObjectItemCaseSensitive(doc, "claims")) cJSON_Delete(doc); /* not a results document */
            else d[k++] = doc;
        } else if (!rc) {
            rc = -1;
        }
        free(names[i]);
    }
    free(names);
    if (rc) {
        nn_coverage_free_docs(d, k);
        return -1;
    }
    *docs = d;
    return k;
}

void nn_coverage_free_docs(cJSON **docs, int n)
{
    for (int i = 0; i < n; i++) cJSON_Delete(docs[i]);
    free(docs);
}

/* a table cell: '|' escaped, line breaks flattened */
static void cell(nn_str *o, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|') nn_str_add(o, "\\|");
        else if (*s == '\n') nn_str_add(o, " ");
        else nn_str_addn(o, s, 1);
    }
}

void nn_coverage_markdown(const cJSON *index, cJSON *const *docs, int n_docs, nn_str *o)
{
    int count[NN_COV_COUNT] = {0}, total = 0, verdicts[3] = {0};
    const cJSON *e, *c;
    cJSON_ArrayForEach(e, index)
    {
        count[nn_cov_status_in(e, docs, n_docs)]++, total++;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(e, "claims"))
        {
            const cJSON *cl = nn_coverage_find_claim(docs, n_docs, c->valuestring);
            const char *v = cl && nn_claim_kind_of(cl) == NN_LECTURE
                                ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cl, "verdict"))
                                : NULL;
            if (v) verdicts[!strcmp(v, "held") ? 0 : !strcmp(v, "not held") ? 1 : 2]++;
        }
    }
    /* every claim of the documents, by kind: only the lecture claims are evidence */
    int lec[3] = {0}, other = 0, fragile = 0, twice = 0;
    for (int i = 0; i < n_docs; i++) {
        int h, nh, inc, tw;
        nn_claims_count_kind(docs[i], NN_LECTURE, &h, &nh, &inc);
        lec[0] += h, lec[1] += nh, lec[2] += inc;
        for (int k = NN_IDENTITY; k < NN_KIND_COUNT; k++)
            nn_claims_count_kind(docs[i], (nn_claim_kind)k, &h, &nh, &inc), other += h + nh + inc;
        fragile += nn_claims_fragile(docs[i], &tw), twice += tw;
    }
    nn_str_add(o, "**The lecture claims of this run: %d held, %d not held, %d inconclusive", lec[0], lec[1], lec[2]);
    if (twice)
        nn_str_add(o, "; %d of the %d judged from both seed sets are fragile (their verdict from seeds 1001 on differs)", fragile,
                   twice);
    nn_str_add(o, ".** Besides them, %d identities and setup claims, which check the code or arrange a condition and are "
                  "counted nowhere (lectures/claim-rubric.md).\n\n", other);
    nn_str_add(o, "**%d testable items in the five lecture notes:** %d tested by a lecture claim in the seed's setting whose "
                  "verdict both seed sets agree on, %d tested by lecture claims in the seed's setting that are all fragile "
                  "(the two seed sets disagree), %d tested in another setting (the row says how), %d checked only by an "
                  "identity or a setup claim (a check of the code, not a test of the lecture), %d shown in a figure without a "
                  "claim, %d built into the library and checked by its tests, %d explained in a note only, %d out of scope, "
                  "%d not covered yet. The lecture claims among them gave %d held, %d not held and %d inconclusive verdicts "
                  "in this run (a claim that serves two items counts twice; identities and setup claims are not counted).\n\n",
               total, count[NN_COV_TESTED], count[NN_COV_FRAGILE], count[NN_COV_TESTED_OTHER], count[NN_COV_IDENTITY],
               count[NN_COV_SHOWN], count[NN_COV_LIBRARY], count[NN_COV_TAUGHT], count[NN_COV_OUT], count[NN_COV_MISSING],
               verdicts[0], verdicts[1], verdicts[2]);
    nn_str_add(o,
               "| # | seeds (file:lines) | the lectures say | status | where, and this run's verdict |\n|---|---|---|---|---|\n");
    cJSON_ArrayForEach(e, index)
    {
        nn_cov_status st = nn_cov_status_in(e, docs, n_docs);
        nn_str_add(o, "| %d | ", cJSON_GetObjectItemCaseSensitive(e, "n")->valueint);
        cell(o, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "seeds")));
        nn_str_add(o, " | ");
        cell(o, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "item")));
        nn_str_add(o, " | %s | ", nn_cov_status_name(st));
        int first = 1;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(e, "claims"))
        {
            const cJSON *cl = nn_coverage_find_claim(docs, n_docs, c->valuestring);
            const char *v = cl ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cl, "verdict")) : NULL;
            nn_str_add(o, "%s`", first ? "" : "; ");
            cell(o, c->valuestring);
            nn_str_add(o, "`");
            if (cl && nn_claim_kind_of(cl) != NN_LECTURE) nn_str_add(o, " (%s)", nn_claim_kind_name(nn_claim_kind_of(cl)));
            nn_str_add(o, " **");
            cell(o, v ? v : "not in this run");
            nn_str_add(o, "**%s", cl && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cl, "fragile")) ? ", fragile" : "");
            first = 0;
        }
        static const char *const extra[][2] = {{"setting", "setting: "}, {"shown", "shown: "}, {"out", "out of scope: "},
                                               {"library", "library: "}, {"taught", "note: "}, {"missing", "to build: "}};
        for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++) {
            const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, extra[k][0]));
            if (!t) continue;
            nn_str_add(o, "%s%s", first ? "" : "; ", extra[k][1]);
            cell(o, t);
            first = 0;
        }
        nn_str_add(o, " |\n");
    }
}

int nn_report_update_coverage(const char *note, const char *index_path, const char *results_dir, nn_str *out, int *changed)
{
    static const char *const begin_tag = "<!-- nnlab:coverage begin -->", *const end_tag = "<!-- nnlab:coverage end -->";
    *changed = 0;
    const char *b = strstr(note, begin_tag);
    if (!b) {
        nn_str_add(out, "%s", note);
        return 0;
    }
    const char *body = b + strlen(begin_tag), *e = strstr(body, end_tag);
    if (!e) return nn_fail("the coverage block has no end marker '%s'", end_tag);
    cJSON *index;
    if (nn_coverage_load(index_path, &index) != 0) return -1;
    cJSON **docs;
    int n = nn_coverage_load_docs(results_dir, &docs);
    if (n < 0 || nn_coverage_check(index, docs, n) != 0) {
        cJSON_Delete(index);
        if (n >= 0) nn_coverage_free_docs(docs, n);
        return -1;
    }
    nn_str fresh = {0};
    nn_str_add(&fresh, "\n");
    nn_coverage_markdown(index, docs, n, &fresh);
    nn_str_add(&fresh, "\n");
    cJSON_Delete(index);
    nn_coverage_free_docs(docs, n);
    if ((size_t)(e - body) != fresh.len || memcmp(body, fresh.s, fresh.len) != 0) *changed = 1;
    nn_str_addn(out, note, (size_t)(body - note));
    nn_str_addn(out, fresh.s, fresh.len);
    nn_str_add(out, "%s", e);
    nn_str_free(&fresh);
    return 0;
}
