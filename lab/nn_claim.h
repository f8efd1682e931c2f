/* nn_claim.h — a lecture claim, its evidence and its verdict.
 *
 * A claim is judged from one measurement per seed (a deterministic claim has one
 * measurement and no seed). Seed s holds when value[s] OP threshold. The verdict:
 *
 *   inconclusive  the claim was not measured in this run (an arm it needs did not run,
 *                 the setting it is about was not chosen), or a precondition failed
 *                 (the baseline never left chance, a stage of the run diverged), or a
 *                 seed gave no measurement, or the effect is within noise: the seeds disagree
 *                 (held in k of n, 0 < k < n), or they agree but the mean is closer to the
 *                 threshold than its one-sided 95 % t margin, t(n-1) x standard error;
 *   held          it held in every seed and the mean clears the threshold by more than that margin;
 *   not held      it held in no seed, with the same margin on the other side.
 *
 * The document records the rule in words, the per-seed values and seeds, held_in (k of n),
 * the effect (mean and standard error over seeds), every precondition with its measured
 * value, and the verdict with its reason. nn_claim_rejudge() recomputes the verdict from a
 * recorded claim: the tests feed it altered measurements to show that each claim can fail.
 */
#ifndef NN_CLAIM_H
#define NN_CLAIM_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>

typedef enum { NN_HELD, NN_NOT_HELD, NN_INCONCLUSIVE } nn_verdict;

#define NN_CLAIM_MAX_PRE 4

/* A precondition: `what` (a sentence), its measured value, and measured OP threshold. */
typedef struct nn_claim_pre {
    const char *what;
    double measured;
    const char *op;
    double threshold;
} nn_claim_pre;

typedef struct nn_claim {
    const char *id;
    const char *statement; /* built from the settings that ran */
    const char *source;    /* seed file (and section) or paper */
    const char *quantity;  /* what value[] measures, with units */
    const char *op;        /* "<", "<=", ">", ">=" */
    double threshold;
    int n;                 /* measurements (seeds); 0 = not measured */
    const double *value;   /* n values; NaN = that seed gave no measurement */
    const uint64_t *seed;  /* n seed numbers, or NULL for one deterministic measurement */
    const char *unmeasured;/* non-NULL: not measured in this run, and why */
    const char *rule_note; /* optional: how the per-seed value is formed (ties, chance, …) */
    int n_pre;
    nn_claim_pre pre[NN_CLAIM_MAX_PRE];
} nn_claim;

/* One-sided 95 % quantile of Student's t with df >= 1 degrees of freedom. */
double nn_claim_t95(int df);

const char *nn_verdict_name(nn_verdict v); /* "held", "not held", "inconclusive" */
int nn_verdict_parse(const char *s, nn_verdict *v);

/* Add a precondition to c (at most NN_CLAIM_MAX_PRE). */
void nn_claim_require(nn_claim *c, const char *what, double measured, const char *op, double threshold);
/* Does `measured OP threshold` hold? Non-finite never holds. */
int nn_claim_compare(double measured, const char *op, double threshold);

/* Judge c, append it to doc["claims"] and return the verdict. */
nn_verdict nn_claim_add(cJSON *doc, const nn_claim *c);
/* The verdict a recorded claim object implies from its own per_seed values, op, threshold,
 * preconditions and "unmeasured" reason (the same rule as nn_claim_add). */
nn_verdict nn_claim_rejudge(const cJSON *claim);

/* Count the verdicts of doc["claims"]. */
void nn_claims_count(const cJSON *doc, int *held, int *not_held, int *inconclusive);
/* Print the one-line summary: "NAME: claims 3 held, 1 not held, 1 inconclusive (not held: a; inconclusive: b)". */
void nn_claims_print(const cJSON *doc, FILE *f);

#endif
