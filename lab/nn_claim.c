/* nn_claim.c — claims, their evidence and their verdicts (see nn_claim.h). */
#include "nn_claim.h"
#include "nn_common.h"
#include "nn_results.h"
#include "nn_str.h"

#include <math.h>
#include <stdlib.h>
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

#define NN_CLAIM_KIND_NAME(k, name) [k] = name,
static const char *const kind_names[NN_KIND_COUNT] = {[NN_KIND_UNSET] = "unset", NN_CLAIM_KINDS(NN_CLAIM_KIND_NAME)};

const char *nn_claim_kind_name(nn_claim_kind k) { return k >= 0 && k < NN_KIND_COUNT ? kind_names[k] : "unset"; }

nn_claim_kind nn_claim_kind_of(const cJSON *claim)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(claim, "kind"));
    for (int k = NN_KIND_UNSET + 1; k < NN_KIND_COUNT; k++)
        if (s && strcmp(s, kind_names[k]) == 0) return (nn_claim_kind)k;
    return NN_KIND_UNSET;
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
    c->pre[c->n_pre++] = (nn_claim_pre){what, measured, op, threshold, NULL};
}

void nn_claim_control(nn_claim *c, const char *rules_out, const char *what, double measured, const char *op, double threshold)
{
    NN_ASSERT(rules_out && rules_out[0], "claim %s: a control must name what it rules out", c->id);
    nn_claim_require(c, what, measured, op, threshold);
    c->pre[c->n_pre - 1].rules_out = rules_out;
}

/* The reason a failed precondition or control gives (pre_what is filled on the first failure). */
static void failed_pre(char *buf, size_t n, const char *what, double measured, const char *op, double threshold,
                       const char *rules_out)
{
    if (rules_out)
        snprintf(buf, n, "the control for '%s' failed, so that explanation is not ruled out: %s (measured %.4g, needs %s %g)",
                 rules_out, what, measured, op, threshold);
    else snprintf(buf, n, "%s (measured %.4g, needs %s %g)", what, measured, op, threshold);
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
static nn_verdict judge(const char *op, double threshold, double null_threshold, int n, const double *v, const char *unmeasured,
                        int pre_failed, const char *pre_what, int *held_in, char *reason, size_t rn)
{
    /* a seed fails the claim when it does not clear the null threshold (the threshold itself, unless the claim has a
     * zone between the two where it is neither) */
    int measured = 0, held = 0, failed = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(v[i]))
            measured++, held += nn_claim_compare(v[i], op, threshold), failed += !nn_claim_compare(v[i], op, null_threshold);
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
        snprintf(reason, rn, "%s%s", strncmp(pre_what, "the control", 11) ? "a precondition failed: " : "", pre_what);
        return NN_INCONCLUSIVE;
    }
    if (measured < n) {
        snprintf(reason, rn, "%d of %d seeds gave no measurement (the run diverged or the quantity is undefined)", n - measured,
                 n);
        return NN_INCONCLUSIVE;
    }
    if (held != n && failed != n) {
        if (null_threshold == threshold) snprintf(reason, rn, "within noise: held in %d of %d seeds", held, n);
        else
            snprintf(reason, rn,
                     "within the resolution: held in %d of %d seeds and failed (%s %g not met) in %d; the rest lie between %g "
                     "and %g, an effect the run cannot resolve",
                     held, n, op, null_threshold, failed, null_threshold, threshold);
        return NN_INCONCLUSIVE;
    }
    const double edge = held == n ? threshold : null_threshold;
    if (n >= 2) { /* every seed agrees: does the mean clear the threshold by more than its noise? */
        double mean, se;
        mean_se(v, n, &mean, &se);
        double margin = nn_claim_t95(n - 1) * se;
        if (!(fabs(mean - edge) > margin) && !(se == 0)) {
            snprintf(reason, rn,
                     "within noise: %s in all %d seeds, but the mean %.4g is within the one-sided 95%% t margin "
                     "(%.3g = %.3g x s.e. %.3g) of the threshold %g",
                     held == n ? "held" : "failed", n, mean, margin, nn_claim_t95(n - 1), se, edge);
            return NN_INCONCLUSIVE;
        }
    }
    return held == n ? NN_HELD : NN_NOT_HELD;
}

static void rule_text(char *buf, size_t n, const nn_claim *c)
{
    if (c->seed && c->has_zone)
        snprintf(buf, n,
                 "per seed: %s %s %g. Held if it holds in every seed; not held if in every seed it does not even reach %s %g; "
                 "in both cases with the mean clearing that threshold by more than its one-sided 95%% t margin (t x "
                 "standard error); inconclusive otherwise (the effect lies between %g and %g, which the run cannot "
                 "resolve, or is within noise), or if a seed gave no measurement or a precondition failed.%s%s",
                 c->quantity, c->op, c->threshold, c->op, c->not_held_at, c->not_held_at, c->threshold,
                 c->rule_note ? " " : "", c->rule_note ? c->rule_note : "");
    else if (c->seed)
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
    NN_ASSERT(c->kind > NN_KIND_UNSET && c->kind < NN_KIND_COUNT, "claim %s declares no kind (lecture, identity or setup)",
              c->id);
    int n_controls = 0;
    for (int i = 0; i < c->n_pre; i++) n_controls += c->pre[i].rules_out != NULL;
    NN_ASSERT(c->kind != NN_LECTURE || c->unmeasured || n_controls || (c->not_comparative && c->not_comparative[0]),
              "lecture claim %s carries no control and does not say why it needs none (not_comparative)", c->id);
    int pre_failed = 0;
    char pre_what[640] = "";
    for (int i = 0; i < c->n_pre; i++)
        if (!nn_claim_compare(c->pre[i].measured, c->pre[i].op, c->pre[i].threshold) && !pre_failed) {
            pre_failed = 1;
            failed_pre(pre_what, sizeof pre_what, c->pre[i].what, c->pre[i].measured, c->pre[i].op, c->pre[i].threshold,
                       c->pre[i].rules_out);
        }
    int held_in;
    char reason[800];
    nn_verdict v = judge(c->op, c->threshold, c->has_zone ? c->not_held_at : c->threshold, c->n, c->value, c->unmeasured,
                         pre_failed, pre_what, &held_in, reason, sizeof reason);

    cJSON *claims = cJSON_GetObjectItemCaseSensitive(doc, "claims");
    if (!claims) claims = cJSON_AddArrayToObject(doc, "claims");
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", c->id);
    cJSON_AddStringToObject(o, "kind", nn_claim_kind_name(c->kind));
    cJSON_AddStringToObject(o, "statement", c->statement);
    cJSON_AddStringToObject(o, "source", c->source);
    cJSON_AddStringToObject(o, "quantity", c->quantity);
    cJSON_AddStringToObject(o, "op", c->op);
    cJSON_AddItemToObject(o, "threshold", nn_json_num(c->threshold));
    if (c->has_zone) cJSON_AddItemToObject(o, "not_held_threshold", nn_json_num(c->not_held_at));
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
        if (c->pre[i].rules_out) cJSON_AddStringToObject(p, "rules_out", c->pre[i].rules_out);
        cJSON_AddItemToArray(pres, p);
    }
    if (c->not_comparative) cJSON_AddStringToObject(o, "not_comparative", c->not_comparative);
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

nn_verdict nn_claim_rejudge(const cJSON *c) { return nn_claim_rejudge_why(c, NULL, 0); }

nn_verdict nn_claim_rejudge_why(const cJSON *c, char *why, size_t why_n)
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
        const cJSON *pt = cJSON_GetObjectItemCaseSensitive(x, "threshold");
        pre_failed |= !nn_claim_compare(cJSON_IsNumber(m) ? m->valuedouble : NAN,
                                        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "op")),
                                        cJSON_IsNumber(pt) ? pt->valuedouble : NAN);
    }
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(c, "threshold"),
                *z = cJSON_GetObjectItemCaseSensitive(c, "not_held_threshold");
    const double th = cJSON_IsNumber(t) ? t->valuedouble : NAN;
    int held_in;
    char reason[800];
    nn_verdict r = judge(
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "op")), th, cJSON_IsNumber(z) ? z->valuedouble : th, n, v,
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "unmeasured")), pre_failed, "", &held_in, reason, sizeof reason);
    free(v);
    if (why) snprintf(why, why_n, "%s", reason);
    return r;
}

void nn_claims_count(const cJSON *doc, int *held, int *not_held, int *inconclusive)
{
    nn_claims_count_kind(doc, NN_LECTURE, held, not_held, inconclusive);
}

int nn_claims_fragile(const cJSON *doc, int *judged_twice)
{
    int fragile = 0, twice = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "claims"))
    {
        if (nn_claim_kind_of(c) != NN_LECTURE) continue;
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(c, "fragile");
        twice += cJSON_IsBool(f);
        fragile += cJSON_IsTrue(f);
    }
    if (judged_twice) *judged_twice = twice;
    return fragile;
}

void nn_claims_count_kind(const cJSON *doc, nn_claim_kind kind, int *held, int *not_held, int *inconclusive)
{
    *held = *not_held = *inconclusive = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "claims"))
    {
        if (nn_claim_kind_of(c) != kind) continue;
        nn_verdict v;
        if (nn_verdict_parse(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "verdict")), &v)) v = NN_INCONCLUSIVE;
        *held += v == NN_HELD, *not_held += v == NN_NOT_HELD, *inconclusive += v == NN_INCONCLUSIVE;
    }
}

cJSON *nn_claims_find(const cJSON *doc, const char *id)
{
    cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "claims"))
    {
        const char *cid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id"));
        if (id && cid && !strcmp(id, cid)) return c;
    }
    return NULL;
}

static int shares_seed(const cJSON *a, const cJSON *b)
{
    const cJSON *x, *y;
    cJSON_ArrayForEach(x, a)
        cJSON_ArrayForEach(y, b) if (cJSON_IsNumber(x) && cJSON_IsNumber(y) && x->valuedouble == y->valuedouble) return 1;
    return 0;
}

int nn_claims_merge_second(cJSON *doc, const cJSON *second)
{
    const char *e1 = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "experiment"));
    const char *e2 = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(second, "experiment"));
    if (!e1 || !e2 || strcmp(e1, e2))
        return nn_fail("the second seed set's results are of '%s', not '%s'", e2 ? e2 : "?", e1 ? e1 : "?");
    int paired = 0;
    cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "claims"))
    {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id"));
        const cJSON *t = nn_claims_find(second, id);
        cJSON_DeleteItemFromObjectCaseSensitive(c, "second_seed_set");
        cJSON_DeleteItemFromObjectCaseSensitive(c, "fragile");
        if (!t) {
            cJSON_AddNullToObject(c, "second_seed_set");
            continue;
        }
        const cJSON *s1 = cJSON_GetObjectItemCaseSensitive(c, "seeds"), *s2 = cJSON_GetObjectItemCaseSensitive(t, "seeds");
        if (cJSON_IsArray(s1) && cJSON_IsArray(s2) && shares_seed(s1, s2))
            return nn_fail("claim %s: the second seed set shares a seed with the first: the sets must be disjoint", id);
        cJSON *o = cJSON_CreateObject();
        static const char *const keys[] = {"seeds", "per_seed", "held_in", "effect", "verdict", "reason"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, keys[k]);
            if (v) cJSON_AddItemToObject(o, keys[k], cJSON_Duplicate(v, 1));
        }
        const char *v1 = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "verdict"));
        const char *v2 = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "verdict"));
        cJSON_AddItemToObject(c, "second_seed_set", o);
        cJSON_AddBoolToObject(c, "fragile", !v1 || !v2 || strcmp(v1, v2) != 0);
        paired++;
    }
    return paired;
}

/* The settings in which an exercise's config differs from the experiment's ("lr = 1.5, epochs = 60"), each value
 * as the config writes it and cut at 40 characters; NULL when neither records a config or none differs. */
static char *config_changes(const cJSON *doc, const cJSON *exercise)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(doc, "config"), *b = cJSON_GetObjectItemCaseSensitive(exercise, "config"),
                *x;
    nn_str out = {0};
    if (!cJSON_IsObject(a) || !cJSON_IsObject(b)) return NULL;
    cJSON_ArrayForEach(x, b)
    {
        const cJSON *y = x->string ? cJSON_GetObjectItemCaseSensitive(a, x->string) : NULL;
        if (!x->string || (y && cJSON_Compare(x, y, 1))) continue;
        char *v = cJSON_PrintUnformatted(x);
        size_t n = v ? strlen(v) : 0, cut = n > 40 ? 40 : n;
        while (cut < n && cut > 0 && ((unsigned char)v[cut] & 0xC0) == 0x80) cut--; /* not inside a UTF-8 character */
        nn_str_add(&out, "%s%s = %.*s%s", out.len ? ", " : "", x->string, (int)cut, v ? v : "?", cut < n ? "…" : "");
        cJSON_free(v);
    }
    return out.s; /* NULL when nothing was added */
}

/* The statement as the run made it, followed by every exercise in which the verdict reverses and what it changes. */
static void statement_with_reversals(cJSON *c)
{
    const cJSON *base = cJSON_GetObjectItemCaseSensitive(c, "statement_as_run"),
                *r = cJSON_GetObjectItemCaseSensitive(c, "reverses_in"), *x;
    if (!cJSON_IsString(base)) {
        if (!cJSON_GetArraySize(r)) return;
        cJSON_AddStringToObject(c, "statement_as_run", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "statement")));
        base = cJSON_GetObjectItemCaseSensitive(c, "statement_as_run");
    }
    nn_str s = {0};
    nn_str_add(&s, "%s", base->valuestring);
    int k = 0;
    cJSON_ArrayForEach(x, r)
    {
        const char *ch = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "changes"));
        nn_str_add(&s, "%s%s in exercise %s%s%s", k++ ? "; " : " — the verdict reverses (",
                   cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "verdict")),
                   cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "exercise")), ch ? ", " : "", ch ? ch : "");
    }
    if (k) nn_str_add(&s, ")");
    cJSON_ReplaceItemInObjectCaseSensitive(c, "statement", cJSON_CreateString(s.s));
    if (!k) cJSON_DeleteItemFromObjectCaseSensitive(c, "statement_as_run");
    nn_str_free(&s);
}

int nn_claims_merge_exercise(cJSON *doc, const cJSON *exercise, const char *id)
{
    cJSON *c;
    if (!exercise) {
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "claims"))
        {
            cJSON_DeleteItemFromObjectCaseSensitive(c, "reverses_in");
            statement_with_reversals(c); /* back to the statement as run */
        }
        return 0;
    }
    const char *e1 = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "experiment"));
    const char *e2 = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(exercise, "experiment"));
    if (!e1 || !e2 || strcmp(e1, e2)) return nn_fail("exercise %s is of '%s', not '%s'", id, e2 ? e2 : "?", e1 ? e1 : "?");
    int n = 0;
    char *changes = config_changes(doc, exercise);
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "claims"))
    {
        nn_verdict v, w;
        if (nn_verdict_parse(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "verdict")), &v) || v == NN_INCONCLUSIVE)
            continue;
        const cJSON *x = nn_claims_find(exercise, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id")));
        if (x && !nn_verdict_parse(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "verdict")), &w) &&
            w != NN_INCONCLUSIVE && w != v) {
            cJSON *r = cJSON_GetObjectItemCaseSensitive(c, "reverses_in"), *old;
            if (!r) r = cJSON_AddArrayToObject(c, "reverses_in");
            int at = 0; /* the same exercise merged again replaces its entry */
            cJSON_ArrayForEach(old, r)
            {
                const char *oid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(old, "exercise"));
                if (oid && !strcmp(oid, id)) break;
                at++;
            }
            if (old) cJSON_DeleteItemFromArray(r, at);
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "exercise", id);
            cJSON_AddStringToObject(o, "verdict", nn_verdict_name(w));
            if (changes) cJSON_AddStringToObject(o, "changes", changes);
            cJSON_AddItemToArray(r, o);
            statement_with_reversals(c);
            n++;
        }
    }
    free(changes);
    return n;
}

static void list_ids(const cJSON *doc, FILE *f, nn_claim_kind kind, const char *verdict, const char *head, int *first)
{
    const cJSON *c;
    int any = 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "claims"))
    {
        const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "verdict"));
        if (!v || strcmp(v, verdict) != 0 || nn_claim_kind_of(c) != kind) continue;
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
    fprintf(f, "%s: lecture claims %d held, %d not held, %d inconclusive", exp ? exp : "results", h, nh, inc);
    int first = 1;
    list_ids(doc, f, NN_LECTURE, "not held", "not held: ", &first);
    list_ids(doc, f, NN_LECTURE, "inconclusive", "inconclusive: ", &first);
    fprintf(f, "%s", first ? "" : ")");
    static const char *const what[NN_KIND_COUNT] = {[NN_IDENTITY] = "identities", [NN_SETUP] = "setup"};
    for (int k = NN_IDENTITY; k < NN_KIND_COUNT; k++) {
        nn_claims_count_kind(doc, (nn_claim_kind)k, &h, &nh, &inc);
        if (h + nh + inc == 0) continue;
        fprintf(f, "; %s %d held", what[k], h);
        if (nh) fprintf(f, ", %d not held", nh);
        if (inc) fprintf(f, ", %d inconclusive", inc);
        first = 1;
        list_ids(doc, f, (nn_claim_kind)k, "not held", "not held: ", &first);
        list_ids(doc, f, (nn_claim_kind)k, "inconclusive", "inconclusive: ", &first);
        fprintf(f, "%s", first ? "" : ")");
    }
    fprintf(f, "\n");
}
