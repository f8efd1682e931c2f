/* nn_claim.c — claims, their evidence and their verdicts (see nn_claim.h). */
#include "nn_claim.h"
#include "nn_common.h"
#include "nn_results.h"

#include <math.h>
#include <string.h>

static const char *const verdict_names[] = {"held", "not held", "inconclusive"};

const char *nn_verdict_name(nn_verdict v) { return verdict_names[v]; }

int nn_verdict_parse(const char *s, nn_verdict *v)
{
    for (int i = 0; i < 3; i++)
        if (s && strcmp(s, verdict_names[i]) == 0) {
            *v = (nn_verdict)i;
            return 0;
        }
    return -1;
}

int nn_claim_compare(double m, const char *op, double t)
{
    if (!isfinite(m)) return 0;
    if (strcmp(op, "<") == 0) return m < t;
    if (strcmp(op, "<=") == 0) return m <= t;
    if (strcmp(op, ">") == 0) return m > t;
    if (strcmp(op, ">=") == 0) return m >= t;
    NN_ASSERT(0, "claim operator '%s'", op);
}

void nn_claim_require(nn_claim *c, const char *what, double measured, const char *op, double threshold)
{
    NN_ASSERT(c->n_pre < NN_CLAIM_MAX_PRE, "claim %s: more than %d preconditions", c->id, NN_CLAIM_MAX_PRE);
    c->pre[c->n_pre++] = (nn_claim_pre){what, measured, op, threshold};
}

/* One-sided 95 % quantile of Student's t with df degrees of freedom. */
double nn_claim_t95(int df)
{
    static const double t[] = {NAN,   6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812,
                               1.796, 1.782, 1.771, 1.761, 1.753, 1.746, 1.740, 1.734, 1.729, 1.725,
                               1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697};
    if (df < 1) return NAN;
    if (df < (int)(sizeof t / sizeof t[0])) return t[df];
    return df < 60 ? 1.684 : df < 120 ? 1.671 : 1.645;
}

/* mean and standard error of the finite values of v[0..n) (NaN when there are none, or for
 * the s.e. fewer than two); returns how many were finite */
static int mean_se(const double *v, int n, double *mean, double *se)
{
    double s = 0, ss = 0;
    int m = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(v[i])) s += v[i], m++;
    *mean = m ? s / m : NAN;
    for (int i = 0; i < n; i++)
        if (isfinite(v[i])) ss += (v[i] - *mean) * (v[i] - *mean);
    *se = m > 1 ? sqrt(ss / (m - 1)) / sqrt(m) : NAN;
    return m;
}

/* The verdict rule, shared by nn_claim_add and nn_claim_rejudge. `reason` gets a sentence
 * when the verdict is inconclusive. */
static nn_verdict judge(const char *op, double threshold, int n, const double *v, const char *unmeasured, int pre_failed,
                        const char *pre_what, int *held_in, char *reason, size_t rn)
{
    int measured = 0, held = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(v[i])) measured++, held += nn_claim_compare(v[i], op, threshold);
    *held_in = held;
    reason[0] = '\0';
    if (unmeasured) {
        snprintf(reason, rn, "not measured in this run: %s", unmeasured);
        return NN_INCONCLUSIVE;
    }
    if (n == 0) {
        snprintf(reason, rn, "not measured in this run: no measurement was made");
        return NN_INCONCLUSIVE;
    }
    if (pre_failed) {
        snprintf(reason, rn, "a precondition failed: %s", pre_what);
        return NN_INCONCLUSIVE;
    }
    if (measured < n) {
        snprintf(reason, rn, "%d of %d seeds gave no measurement (the run diverged or the quantity is undefined)", n - measured,
                 n);
        return NN_INCONCLUSIVE;
    }
    if (held != n && held != 0) {
        snprintf(reason, rn, "within noise: held in %d of %d seeds", held, n);
        return NN_INCONCLUSIVE;
    }
    if (n >= 2) { /* every seed agrees: does the mean clear the threshold by more than its noise? */
        double mean, se;
        mean_se(v, n, &mean, &se);
        double margin = nn_claim_t95(n - 1) * se;
        if (!(fabs(mean - threshold) > margin) && !(se == 0)) {
            snprintf(reason, rn,
                     "within noise: %s in all %d seeds, but the mean %.4g is within the one-sided 95%% t margin "
                     "(%.3g = %.3g x s.e. %.3g) of the threshold %g",
                     held ? "held" : "failed", n, mean, margin, nn_claim_t95(n - 1), se, threshold);
            return NN_INCONCLUSIVE;
        }
    }
    return held == n ? NN_HELD : NN_NOT_HELD;
}

static void rule_text(char *buf, size_t n, const nn_claim *c)
{
    if (c->seed)
        snprintf(buf, n,
                 "per seed: %s %s %g. Held if it holds in every seed, not held if in none, in both cases with the mean "
                 "clearing the threshold by more than its one-sided 95%% t margin (t x standard error); inconclusive "
                 "otherwise (the effect is within noise), or if a seed gave no measurement or a precondition failed.%s%s",
                 c->quantity, c->op, c->threshold, c->rule_note ? " " : "", c->rule_note ? c->rule_note : "");
    else
        snprintf(buf, n,
                 "one deterministic measurement: %s %s %g. Inconclusive if it could not be measured or a precondition "
                 "failed.%s%s",
                 c->quantity, c->op, c->threshold, c->rule_note ? " " : "", c->rule_note ? c->rule_note : "");
}

nn_verdict nn_claim_add(cJSON *doc, const nn_claim *c)
{
    NN_ASSERT(c->n >= 0 && (c->n == 0 || c->value), "claim %s: values", c->id);
    NN_ASSERT(c->seed || c->n <= 1, "claim %s: several measurements need seeds", c->id);
    int pre_failed = 0;
    char pre_what[512] = "";
    for (int i = 0; i < c->n_pre; i++)
        if (!nn_claim_compare(c->pre[i].measured, c->pre[i].op, c->pre[i].threshold) && !pre_failed) {
            pre_failed = 1;
            snprintf(pre_what, sizeof pre_what, "%s (measured %.4g, needs %s %g)", c->pre[i].what, c->pre[i].measured,
                     c->pre[i].op, c->pre[i].threshold);
        }
    int held_in;
    char reason[640];
    nn_verdict v = judge(c->op, c->threshold, c->n, c->value, c->unmeasured, pre_failed, pre_what, &held_in, reason,
                         sizeof reason);

    cJSON *claims = cJSON_GetObjectItemCaseSensitive(doc, "claims");
    if (!claims) claims = cJSON_AddArrayToObject(doc, "claims");
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", c->id);
    cJSON_AddStringToObject(o, "statement", c->statement);
    cJSON_AddStringToObject(o, "source", c->source);
    cJSON_AddStringToObject(o, "quantity", c->quantity);
    cJSON_AddStringToObject(o, "op", c->op);
    cJSON_AddItemToObject(o, "threshold", nn_json_num(c->threshold));
    char rule[1024];
    rule_text(rule, sizeof rule, c);
    cJSON_AddStringToObject(o, "rule", rule);
    cJSON *pres = cJSON_AddArrayToObject(o, "preconditions");
    for (int i = 0; i < c->n_pre; i++) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "what", c->pre[i].what);
        cJSON_AddItemToObject(p, "measured", nn_json_num(c->pre[i].measured));
        cJSON_AddStringToObject(p, "op", c->pre[i].op);
        cJSON_AddItemToObject(p, "threshold", nn_json_num(c->pre[i].threshold));
        cJSON_AddBoolToObject(p, "holds", nn_claim_compare(c->pre[i].measured, c->pre[i].op, c->pre[i].threshold));
        cJSON_AddItemToArray(pres, p);
    }
    cJSON_AddItemToObject(o, "per_seed", nn_json_series(c->value, c->n));
    if (c->seed) {
        cJSON *sa = cJSON_AddArrayToObject(o, "seeds");
        for (int i = 0; i < c->n; i++) cJSON_AddItemToArray(sa, cJSON_CreateNumber((double)c->seed[i]));
    }
    else cJSON_AddNullToObject(o, "seeds");
    /* the effect: mean and standard error over the seeds that measured */
    double mean, se;
    int m = mean_se(c->value, c->n, &mean, &se);
    cJSON *eff = cJSON_AddObjectToObject(o, "effect");
    cJSON_AddItemToObject(eff, "mean", nn_json_num(mean));
    cJSON_AddItemToObject(eff, "se", nn_json_num(se));
    cJSON_AddNumberToObject(eff, "n", m);
    cJSON_AddItemToObject(o, "measured", nn_json_num(mean)); /* the mean, for tables */
    char k[32];
    snprintf(k, sizeof k, "%d of %d", held_in, c->n);
    cJSON_AddStringToObject(o, "held_in", k);
    if (c->unmeasured) cJSON_AddStringToObject(o, "unmeasured", c->unmeasured);
    cJSON_AddStringToObject(o, "verdict", nn_verdict_name(v));
    if (v == NN_INCONCLUSIVE) cJSON_AddStringToObject(o, "reason", reason);
    cJSON_AddItemToArray(claims, o);
    return v;
}

nn_verdict nn_claim_rejudge(const cJSON *c)
{
    const cJSON *ps = cJSON_GetObjectItemCaseSensitive(c, "per_seed");
    int n = cJSON_GetArraySize(ps);
    double *v = nn_calloc((size_t)n + 1, sizeof(double));
    int i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, ps) v[i++] = cJSON_IsNumber(x) ? x->valuedouble : NAN;
    int pre_failed = 0;
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(c, "preconditions"))
    {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(x, "measured");
        pre_failed |= !nn_claim_compare(cJSON_IsNumber(m) ? m->valuedouble : NAN,
                                        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "op")),
                                        cJSON_GetObjectItemCaseSensitive(x, "threshold")->valuedouble);
    }
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(c, "threshold");
    int held_in;
    char reason[640];
    nn_verdict r = judge(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "op")), cJSON_IsNumber(t) ? t->valuedouble : NAN,
                         n, v, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "unmeasured")), pre_failed, "",
                         &held_in, reason, sizeof reason);
    free(v);
    return r;
}

void nn_claims_count(const cJSON *doc, int *held, int *not_held, int *inconclusive)
{
    *held = *not_held = *inconclusive = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "claims"))
    {
        nn_verdict v;
        if (nn_verdict_parse(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "verdict")), &v)) v = NN_INCONCLUSIVE;
        *held += v == NN_HELD, *not_held += v == NN_NOT_HELD, *inconclusive += v == NN_INCONCLUSIVE;
    }
}

static void list_ids(const cJSON *doc, FILE *f, const char *verdict, const char *head, int *first)
{
    const cJSON *c;
    int any = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "claims"))
    {
        const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "verdict"));
        if (!v || strcmp(v, verdict) != 0) continue;
        fprintf(f, "%s%s", any ? ", " : (*first ? " (" : "; "), any ? "" : head);
        fprintf(f, "%s", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id")));
        any = 1, *first = 0;
    }
}

void nn_claims_print(const cJSON *doc, FILE *f)
{
    int h, nh, inc;
    nn_claims_count(doc, &h, &nh, &inc);
    const char *exp = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "experiment"));
    fprintf(f, "%s: claims %d held, %d not held, %d inconclusive", exp ? exp : "results", h, nh, inc);
    int first = 1;
    list_ids(doc, f, "not held", "not held: ", &first);
    list_ids(doc, f, "inconclusive", "inconclusive: ", &first);
    fprintf(f, "%s\n", first ? "" : ")");
}
